// Package standin is a stand-in resource provider for the plugins that
// cannot be installed offline (aws, grafana, pagerduty). It is used only by
// the engine tests and by offline renders, never for a real deployment, and
// says so in every resource's outputs.
//
// It checks that inputs are well-formed (an object with camelCase top-level
// names, the inputs the real schema requires), echoes inputs as outputs,
// adds deterministic values for the outputs the program reads, keeps secrets
// secret, and answers the invokes the program uses.
package standin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Provider implements the provider protocol for one package.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	pkg     string
	version string
}

// New returns the stand-in for a package at a version.
func New(pkg, version string) *Provider { return &Provider{pkg: pkg, version: version} }

// requiredInputs are inputs the real schemas require, for the tokens the
// program uses (see shared/provider-facts.md for grafana and pagerduty).
var requiredInputs = map[string][]string{
	"pagerduty:index/escalationPolicy:EscalationPolicy":     {"rules"},
	"pagerduty:index/service:Service":                       {"escalationPolicy"},
	"pagerduty:index/serviceIntegration:ServiceIntegration": {"service"},
	"pagerduty:index/teamMembership:TeamMembership":         {"teamId", "userId"},
	"pagerduty:index/schedule:Schedule":                     {"layers", "timeZone"},
	"pagerduty:index/serviceDependency:ServiceDependency":   {"dependency"},
	"grafana:oss/dashboard:Dashboard":                       {"configJson"},
	"grafana:oss/dataSource:DataSource":                     {"type"},
	"aws:s3/bucketPolicy:BucketPolicy":                      {"bucket", "policy"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":                {"comparisonOperator", "evaluationPeriods"},
	"aws:sns/topicSubscription:TopicSubscription":           {"endpoint", "protocol", "topic"},
	"aws:iam/role:Role":                                     {"assumeRolePolicy"},
}

// replaceOnChange are inputs whose change replaces the resource upstream.
var replaceOnChange = map[string][]string{
	"pagerduty:index/serviceIntegration:ServiceIntegration": {"service", "type", "vendor"},
	"aws:s3/bucketV2:BucketV2":                              {"bucket"},
	"aws:s3/bucket:Bucket":                                  {"bucket"},
}

var camelCase = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)

var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true}

func (p *Provider) unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, marshal)
}

func (p *Provider) marshalOut(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshal)
}

// GetPluginInfo reports the pinned version the engine asked for.
func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

// GetSchema returns a minimal schema naming the package.
func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, p.pkg, p.version)}, nil
}

// CheckConfig accepts the provider configuration as given.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := p.unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	if p.pkg == "aws" && !news.HasValue("region") {
		failures = append(failures, &pulumirpc.CheckFailure{Property: "region", Reason: "the aws provider needs a region"})
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// DiffConfig compares provider configurations.
func (p *Provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return p.diff(req, "")
}

// Configure accepts secrets and previews.
func (p *Provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// Check validates inputs and returns them unchanged.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := p.unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	tok := string(resource.URN(req.GetUrn()).Type())
	var failures []*pulumirpc.CheckFailure
	for _, k := range news.StableKeys() {
		if !camelCase.MatchString(string(k)) {
			failures = append(failures, &pulumirpc.CheckFailure{Property: string(k), Reason: fmt.Sprintf("%s is not a camelCase schema property name", k)})
		}
	}
	for _, k := range requiredInputs[tok] {
		if !news.HasValue(resource.PropertyKey(k)) && !news[resource.PropertyKey(k)].IsComputed() {
			failures = append(failures, &pulumirpc.CheckFailure{Property: k, Reason: fmt.Sprintf("%s requires input %s", tok, k)})
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// Diff compares old inputs with new ones.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return p.diff(req, string(resource.URN(req.GetUrn()).Type()))
}

func (p *Provider) diff(req *pulumirpc.DiffRequest, tok string) (*pulumirpc.DiffResponse, error) {
	oldStruct := req.GetOldInputs()
	if oldStruct == nil {
		oldStruct = req.GetOlds()
	}
	olds, err := p.unmarshal(oldStruct)
	if err != nil {
		return nil, err
	}
	news, err := p.unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var changed []string
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	for k := range keys {
		o, n := olds[k], news[k]
		if n.ContainsUnknowns() || !reflect.DeepEqual(plain(o), plain(n)) {
			changed = append(changed, string(k))
		}
	}
	sort.Strings(changed)
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	var replaces []string
	for _, k := range replaceOnChange[tok] {
		for _, c := range changed {
			if c == k {
				replaces = append(replaces, k)
			}
		}
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed, Replaces: replaces}, nil
}

// plain drops secret wrappers so a value compares equal to itself however it
// was marked.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsObject():
		m := map[string]any{}
		for k, e := range v.ObjectValue() {
			if !e.IsNull() {
				m[string(k)] = plain(e)
			}
		}
		return m
	case v.IsArray():
		a := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			a[i] = plain(e)
		}
		return a
	case v.IsNull():
		return nil
	default:
		return v.V
	}
}

// Create echoes inputs with deterministic computed outputs.
func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	urn := resource.URN(req.GetUrn())
	ins, err := p.unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	id := ""
	if !req.GetPreview() {
		id = idFor(urn)
	}
	out, err := p.marshalOut(p.outputs(urn, ins))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

// Update echoes the new inputs.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	urn := resource.URN(req.GetUrn())
	ins, err := p.unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	out, err := p.marshalOut(p.outputs(urn, ins))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// Read returns what the state holds: nothing exists outside it.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Delete forgets the resource.
func (p *Provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Invoke answers the data-source lookups the program uses.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := p.unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	out := args.Copy()
	tok := req.GetTok()
	short := tok[strings.LastIndex(tok, ":")+1:]
	put := func(k, v string) { out[resource.PropertyKey(k)] = resource.NewStringProperty(v) }
	switch tok {
	case "pagerduty:index/getVendor:getVendor":
		put("id", "PSTANDIN"+strings.ToUpper(hash(args["name"].String())[:6]))
		put("type", "generic_events_api_inbound_integration")
	case "pagerduty:index/getUser:getUser":
		put("id", "PUSER"+strings.ToUpper(hash(args["email"].String())[:8]))
		put("name", args["email"].String())
	case "aws:index/getCallerIdentity:getCallerIdentity":
		put("accountId", "000000000000")
		put("arn", "arn:aws:iam::000000000000:user/standin")
		put("userId", "STANDIN")
		put("id", "000000000000")
	case "aws:index/getRegion:getRegion":
		put("id", "us-east-1")
		put("name", "us-east-1")
	default:
		put("id", short+"-"+hash(tok)[:8])
	}
	s, err := p.marshalOut(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: s}, nil
}

// outputs echoes the inputs and adds the computed outputs the program reads.
func (p *Provider) outputs(urn resource.URN, ins resource.PropertyMap) resource.PropertyMap {
	out := ins.Copy()
	tok := string(urn.Type())
	name := urn.Name()
	set := func(k, v string) {
		if !out.HasValue(resource.PropertyKey(k)) {
			out[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
	}
	switch p.pkg {
	case "aws":
		set("arn", "arn:aws:standin:::"+name)
		if strings.HasPrefix(tok, "aws:s3/bucket") {
			set("bucket", name+"-"+hash(string(urn))[:8])
		}
		if strings.HasPrefix(tok, "aws:sns/topic:") {
			set("name", name)
		}
	case "pagerduty":
		set("htmlUrl", "https://standin.pagerduty.invalid/"+name)
		if tok == "pagerduty:index/serviceIntegration:ServiceIntegration" {
			// Not a real key: stands in for the one PagerDuty generates.
			set("integrationKey", hash(string(urn))[:32])
		}
		if tok == "pagerduty:index/service:Service" {
			set("type", "service")
		}
	case "grafana":
		if uid, ok := ins["uid"]; !ok || uid.IsNull() {
			set("uid", hash(string(urn))[:12])
		}
		set("url", "https://grafana.standin.invalid/"+name)
	}
	return out
}

func idFor(urn resource.URN) string { return urn.Name() + "-" + hash(string(urn))[:8] }

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
