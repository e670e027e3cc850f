// Package loggroups owns the CloudWatch Logs groups the application writes
// to outside Kubernetes, with the retention policy applied by CloudWatch
// itself: application logs and audit logs. It owns nothing in the cluster.
package loggroups

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:LogGroups"

// AllowedRetentionDays are the periods CloudWatch Logs accepts.
var AllowedRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Group is one log group.
type Group struct {
	// Role names the child and the group ("application", "audit").
	Role          string
	RetentionDays int
}

// Args configure the log groups.
type Args struct {
	// Prefix starts every group name, e.g. "/klearkarma/prod".
	Prefix string
	Groups []Group
}

// LogGroups is the component.
type LogGroups struct {
	pulumi.ResourceState
	// Names maps each role to its group's name.
	Names pulumi.StringMapOutput `pulumi:"names"`
}

func (a *Args) withDefaults() error {
	var errs []error
	if a.Prefix == "" || a.Prefix[0] != '/' {
		errs = append(errs, fmt.Errorf("prefix %q must start with /", a.Prefix))
	}
	if len(a.Groups) == 0 {
		errs = append(errs, errors.New("at least one group is required"))
	}
	seen := map[string]bool{}
	for _, g := range a.Groups {
		if g.Role == "" || seen[g.Role] {
			errs = append(errs, fmt.Errorf("group role %q is empty or repeated", g.Role))
		}
		seen[g.Role] = true
		if !slices.Contains(AllowedRetentionDays, g.RetentionDays) {
			errs = append(errs, fmt.Errorf("group %q: CloudWatch Logs does not accept %d days of retention; use one of %v", g.Role, g.RetentionDays, AllowedRetentionDays))
		}
	}
	return errors.Join(errs...)
}

// New creates the log groups.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*LogGroups, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("log groups %q: %w", name, err)
	}
	c := &LogGroups{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	groups := append([]Group(nil), args.Groups...)
	sort.Slice(groups, func(i, j int) bool { return groups[i].Role < groups[j].Role })
	names := pulumi.StringMap{}
	for _, g := range groups {
		lg, err := cloudwatch.NewLogGroup(ctx, conventions.Child(name, g.Role), &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(args.Prefix + "/" + g.Role),
			RetentionInDays: pulumi.Int(g.RetentionDays),
			Tags:            pulumi.StringMap{"LogType": pulumi.String(g.Role)},
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		names[g.Role] = lg.Name
	}
	c.Names = names.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"names": c.Names})
}
