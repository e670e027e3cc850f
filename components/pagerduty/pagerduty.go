// Package pagerduty owns the PagerDuty side of incident response: a team, an
// escalation policy, a service and an Events API v2 integration for every team
// of the alert rules, the memberships of the responders it looks up by email,
// and an Amazon CloudWatch integration for the cost alarms. It hands out the
// integration keys (Alertmanager's routing keys) and the CloudWatch endpoint,
// as secrets. It does not own the users or schedules it points at (they exist
// in PagerDuty already), Alertmanager's routes, or the alarms; it never reads
// stack config.
//
// # How the playbook maps onto PagerDuty
//
// PagerDuty has no severity levels on a policy; it has urgency, and that is
// where the playbook lands:
//
//   - Urgency. Every service uses the severity_based urgency rule
//     (incidentUrgencyRule {type: constant, urgency: severity_based}).
//     Alertmanager sends the alert's severity label as the Events API v2
//     severity, and PagerDuty maps it with a fixed table: critical and error
//     open high-urgency incidents (SEV-1, SEV-2: page, and escalate while
//     unacknowledged); warning and info open low-urgency ones (SEV-3, SEV-4:
//     low-urgency notification rules, never escalated automatically). So the
//     rules' critical pages at high urgency and warning at low, with one
//     service per team. An event without a severity opens a high-urgency
//     incident, so CloudWatch alarms page unless PagerDuty's CloudWatch
//     integration gives them a lower severity.
//   - Escalation policy, one per team. Level 1 is the team's responders,
//     level 2 its EscalateTo (or Args.Management), required for every team
//     that pages at high urgency (Args.PagingTeams, DefaultTeam,
//     CloudWatchTeam): with one level an unacknowledged SEV-1 escalates to
//     nobody. Only high-urgency
//     incidents escalate, so the delay follows the strictest high-urgency
//     level: its response time plus its escalation time. For SEV-1 that is
//     15 min + "immediate": an unacknowledged SEV-1 reaches level 2 the
//     moment its response time runs out. Level 2 keeps the same delay, which
//     matters only when NumLoops repeats the policy.
//   - acknowledgementTimeout is the shortest non-immediate escalation time
//     (SEV-2, 2 h = "7200"): an acknowledged incident still open by then is
//     triggered again, re-notifying the responder and, at high urgency,
//     escalating. PagerDuty sets it per service, not per urgency, so SEV-3
//     and SEV-4 get the same (low-urgency) reminder earlier than their 24 h
//     and 72 h; that is the price of one service per team.
//   - autoResolveTimeout is the playbook's latest deadline (SEV-4,
//     24 h + 72 h = "345600"). Sources resolve their own incidents; this only
//     clears one whose resolve event was lost, never before any level's
//     clock has run out.
//
// DefaultRoutingKey is the infrastructure service's key (Args.DefaultTeam),
// not a fifth "platform" service: critical alerts without a team come from
// the platform that team runs, and a service with no responders of its own
// would page nobody.
package pagerduty

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	pd "github.com/klearkarma/observability/internal/pagerduty"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:PagerDuty"

const (
	// EventsAPIv2IntegrationType is the integration type whose key
	// Alertmanager's pagerduty_configs use as routing_key.
	EventsAPIv2IntegrationType = "events_api_v2_inbound_integration"
	// CloudWatchVendorName is looked up with getVendor; it matches exactly.
	CloudWatchVendorName = "Amazon CloudWatch"
	// cloudWatchEndpointFormat is the vendor integration's event endpoint
	// (upstream TF docs); SNS subscriptions of the alarms post to it.
	cloudWatchEndpointFormat = "https://events.pagerduty.com/integration/%s/enqueue"
	membershipRole           = "responder"
)

// PagerDuty is the component.
type PagerDuty struct {
	pulumi.ResourceState

	// RoutingKeys are the Events API v2 integration keys by team (secret).
	RoutingKeys map[string]pulumi.StringOutput
	// DefaultRoutingKey is DefaultTeam's key (secret).
	DefaultRoutingKey pulumi.StringOutput `pulumi:"defaultRoutingKey"`
	// CloudWatchEndpoint is the URL the CloudWatch alarms' SNS topic
	// subscribes; it embeds the integration key, so it is secret.
	CloudWatchEndpoint pulumi.StringOutput `pulumi:"cloudWatchEndpoint"`
	// ServiceIDs and ServiceURLs (web UI) by team.
	ServiceIDs  map[string]pulumi.StringOutput
	ServiceURLs map[string]pulumi.StringOutput
	// EscalationPolicyIDs by team.
	EscalationPolicyIDs map[string]pulumi.StringOutput
}

// RoutingKeyInputs are RoutingKeys in the shape alertmanager.Args takes.
func (c *PagerDuty) RoutingKeyInputs() map[string]pulumi.StringInput {
	out := make(map[string]pulumi.StringInput, len(c.RoutingKeys))
	for team, key := range c.RoutingKeys {
		out[team] = key
	}
	return out
}

// New creates the teams, escalation policies, services and integrations.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*PagerDuty, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("pagerduty %q: %w", name, err)
	}
	fail := func(err error) (*PagerDuty, error) { return nil, fmt.Errorf("pagerduty %q: %w", name, err) }

	c := &PagerDuty{
		RoutingKeys:         map[string]pulumi.StringOutput{},
		ServiceIDs:          map[string]pulumi.StringOutput{},
		ServiceURLs:         map[string]pulumi.StringOutput{},
		EscalationPolicyIDs: map[string]pulumi.StringOutput{},
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, c: c, users: map[string]pulumi.StringOutput{}}
	// Children and lookups inherit the provider the caller passes
	// (pulumi.Provider) through their parent.
	b.child = []pulumi.ResourceOption{pulumi.Parent(c)}
	b.invoke = []pulumi.InvokeOption{pulumi.Parent(c)}

	services := map[string]*pd.Service{}
	for _, team := range slices.Sorted(maps.Keys(args.Teams)) {
		svc, key, err := b.team(team, args.Teams[team])
		if err != nil {
			return fail(fmt.Errorf("team %q: %w", team, err))
		}
		services[team] = svc
		c.RoutingKeys[team] = key
		c.ServiceIDs[team] = svc.ID().ToStringOutput()
		c.ServiceURLs[team] = svc.HtmlUrl
	}
	c.DefaultRoutingKey = c.RoutingKeys[args.DefaultTeam]

	endpoint, err := b.cloudWatch(args.CloudWatchTeam, services[args.CloudWatchTeam])
	if err != nil {
		return fail(err)
	}
	c.CloudWatchEndpoint = endpoint

	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"routingKeys":         stringMap(c.RoutingKeys),
		"defaultRoutingKey":   c.DefaultRoutingKey,
		"cloudWatchEndpoint":  c.CloudWatchEndpoint,
		"serviceIds":          stringMap(c.ServiceIDs),
		"serviceUrls":         stringMap(c.ServiceURLs),
		"escalationPolicyIds": stringMap(c.EscalationPolicyIDs),
	})
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	c      *PagerDuty
	child  []pulumi.ResourceOption
	invoke []pulumi.InvokeOption
	// users caches one lookup per email across teams and levels.
	users map[string]pulumi.StringOutput
}

// role names a child after the component, the team and its role.
func (b *builder) role(team string, role ...string) string {
	return conventions.Child(b.name, append([]string{team}, role...)...)
}

func (b *builder) displayName(t Team) string { return b.args.NamePrefix + " " + t.DisplayName }

// team creates one team's objects and returns its service and routing key.
func (b *builder) team(key string, t Team) (*pd.Service, pulumi.StringOutput, error) {
	none := pulumi.StringOutput{}
	title := b.displayName(t)
	pb := playbook(b.args.Playbook)

	team, err := pd.NewTeam(b.ctx, b.role(key, "team"), &pd.TeamArgs{
		Name:        pulumi.String(title),
		Description: pulumi.String(fmt.Sprintf("Responders for alerts labelled team=%s.", key)),
	}, b.child...)
	if err != nil {
		return nil, none, err
	}
	teamID := team.ID().ToStringOutput()

	for _, email := range t.Responders.Emails {
		if _, err := pd.NewTeamMembership(b.ctx, b.role(key, "member", strings.ToLower(email)), &pd.TeamMembershipArgs{
			TeamId: teamID,
			UserId: b.user(email),
			Role:   pulumi.String(membershipRole),
		}, b.child...); err != nil {
			return nil, none, err
		}
	}

	delay := pb.escalationDelayMinutes()
	rules := pd.EscalationPolicyRuleArray{pd.EscalationPolicyRuleArgs{
		EscalationDelayInMinutes: pulumi.Int(delay),
		Targets:                  b.targets(t.Responders),
	}}
	if !t.EscalateTo.empty() {
		rules = append(rules, pd.EscalationPolicyRuleArgs{
			EscalationDelayInMinutes: pulumi.Int(delay),
			Targets:                  b.targets(t.EscalateTo),
		})
	}
	policy, err := pd.NewEscalationPolicy(b.ctx, b.role(key, "policy"), &pd.EscalationPolicyArgs{
		Name:        pulumi.String(title + " Escalation"),
		Description: pulumi.String(fmt.Sprintf("High-urgency incidents (%s) move to the next level after %d min unacknowledged.", strings.Join(pb.levels(true), ", "), delay)),
		NumLoops:    pulumi.Int(b.args.NumLoops),
		Rules:       rules,
		Teams:       teamID,
	}, b.child...)
	if err != nil {
		return nil, none, err
	}
	policyID := policy.ID().ToStringOutput()
	b.c.EscalationPolicyIDs[key] = policyID

	svc, err := pd.NewService(b.ctx, b.role(key, "service"), &pd.ServiceArgs{
		Name: pulumi.String(title),
		Description: pulumi.String(fmt.Sprintf("Alerts labelled team=%s. Critical and error page at high urgency (%s); warning and info notify at low urgency (%s).",
			key, strings.Join(pb.levels(true), ", "), strings.Join(pb.levels(false), ", "))),
		EscalationPolicy:       policyID,
		IncidentUrgencyRule:    urgencyRule(),
		AcknowledgementTimeout: pulumi.String(pb.acknowledgementTimeout()),
		AutoResolveTimeout:     pulumi.String(pb.autoResolveTimeout()),
	}, b.child...)
	if err != nil {
		return nil, none, err
	}

	events, err := pd.NewServiceIntegration(b.ctx, b.role(key, "events-v2"), &pd.ServiceIntegrationArgs{
		Name:    pulumi.String("Alertmanager (Events API v2)"),
		Service: svc.ID().ToStringOutput(),
		Type:    pulumi.String(EventsAPIv2IntegrationType),
	}, b.child...)
	if err != nil {
		return nil, none, err
	}
	// The binding already returns the key as a secret; this keeps it one if
	// the binding is swapped for the official SDK, which does not.
	return svc, pulumi.ToSecret(events.IntegrationKey).(pulumi.StringOutput), nil
}

// urgencyRule makes the Events API v2 severity decide the urgency: critical
// and error high, warning and info low (PagerDuty's fixed mapping).
func urgencyRule() pd.ServiceIncidentUrgencyRulePtrInput {
	return pd.ServiceIncidentUrgencyRulePtr(&pd.ServiceIncidentUrgencyRuleArgs{
		Type:    pulumi.String("constant"),
		Urgency: pulumi.String("severity_based"),
	})
}

// cloudWatch adds the Amazon CloudWatch vendor integration to one service.
func (b *builder) cloudWatch(team string, svc *pd.Service) (pulumi.StringOutput, error) {
	vendor := pd.GetVendorOutput(b.ctx, pd.GetVendorOutputArgs{Name: pulumi.String(CloudWatchVendorName)}, b.invoke...)
	integration, err := pd.NewServiceIntegration(b.ctx, b.role(team, "cloudwatch"), &pd.ServiceIntegrationArgs{
		Name:    pulumi.String(CloudWatchVendorName),
		Service: svc.ID().ToStringOutput(),
		Vendor:  vendor.Id(),
	}, b.child...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("team %q: cloudwatch integration: %w", team, err)
	}
	return pulumi.ToSecret(pulumi.Sprintf(cloudWatchEndpointFormat, integration.IntegrationKey)).(pulumi.StringOutput), nil
}

// targets are one escalation level: users first, then schedules, in order.
func (b *builder) targets(r Responders) pd.EscalationPolicyRuleTargetArray {
	out := pd.EscalationPolicyRuleTargetArray{}
	for _, email := range r.Emails {
		out = append(out, pd.EscalationPolicyRuleTargetArgs{Type: pulumi.String("user_reference"), Id: b.user(email)})
	}
	for _, id := range r.ScheduleIDs {
		out = append(out, pd.EscalationPolicyRuleTargetArgs{Type: pulumi.String("schedule_reference"), Id: pulumi.String(id)})
	}
	return out
}

// user is the id of the PagerDuty user with this email, looked up once.
func (b *builder) user(email string) pulumi.StringOutput {
	k := strings.ToLower(email)
	if id, ok := b.users[k]; ok {
		return id
	}
	id := pd.LookupUserOutput(b.ctx, pd.LookupUserOutputArgs{Email: pulumi.String(email)}, b.invoke...).Id()
	b.users[k] = id
	return id
}

func stringMap(m map[string]pulumi.StringOutput) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
