// Package loggroups owns the CloudWatch Logs groups the application writes
// to outside Kubernetes, with the retention policy applied by CloudWatch
// itself: application logs and audit logs. It owns nothing in the cluster.
package loggroups

import (
	"fmt"
	"slices"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
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

// CheckRetention states CloudWatch Logs' retention rule, which the stack
// configuration checks under its own keys: one of AllowedRetentionDays.
func CheckRetention(ps *check.Problems, field string, days int) {
	if !slices.Contains(AllowedRetentionDays, days) {
		ps.Add(field, fmt.Sprintf("%d days is not a retention CloudWatch Logs accepts", days), fmt.Sprintf("use one of %v days", AllowedRetentionDays))
	}
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	if a.Prefix == "" || a.Prefix[0] != '/' {
		ps.Add("prefix", fmt.Sprintf("%q does not start with /", a.Prefix), "use a path such as /klearkarma/prod")
	}
	if len(a.Groups) == 0 {
		ps.Add("groups", "has no group", "list at least one group, such as application")
	}
	seen := map[string]bool{}
	for i, g := range a.Groups {
		field := fmt.Sprintf("groups[%d]", i)
		if g.Role == "" || seen[g.Role] {
			ps.Add(field+".role", fmt.Sprintf("%q is empty or repeated", g.Role), "give each group its own role")
		}
		seen[g.Role] = true
		CheckRetention(&ps, field+".retentionDays", g.RetentionDays)
	}
	return ps.Err()
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
