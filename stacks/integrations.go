package stacks

import (
	"fmt"
	"maps"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/klearkarma/observability/components/bucket"
	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/irsa"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/rules"
)

// AWSConfig turns on the AWS side of the platform.
type AWSConfig struct {
	Enabled bool   `json:"enabled" doc:"Creates the S3 buckets, CloudWatch log groups and the cost alarm."`
	Region  string `json:"region" doc:"AWS region of the buckets and log groups (billing metrics are read in us-east-1)."`
	// DailyBudgetUSD is the daily cost budget the cost alarm compares against.
	DailyBudgetUSD float64 `json:"dailyBudgetUsd" doc:"Daily AWS spend in US dollars above which the cost alarm fires; positive."`
	// CostExporter deploys the daily per-service cost metrics Lambda.
	CostExporter bool `json:"costExporter" doc:"Deploys the cost exporter: a daily Lambda publishing yesterday's cost per AWS service to CloudWatch (KlearKarma/Costs) and posting to Slack over the budget; needs slack.enabled."`
	// ObjectStorageRoleArn is an IAM role the Prometheus, Thanos and
	// Elasticsearch pods assume (EKS IRSA), managed outside this program;
	// the bucket policies are attached to it.
	ObjectStorageRoleArn string `json:"objectStorageRoleArn" doc:"IAM role (EKS IRSA) managed outside this program that Prometheus, Thanos and Elasticsearch assume for the buckets; it gets the bucket policies. An IAM role ARN, or empty."`
	// OIDCProviderArn and OIDCIssuerURL name the cluster's IAM OIDC
	// identity provider: with them the program creates one IRSA role per
	// bucket, trusted by exactly that bucket's service accounts.
	OIDCProviderArn string `json:"oidcProviderArn" doc:"The cluster's IAM OIDC identity provider (aws iam list-open-id-connect-providers); with oidcIssuerUrl the program creates the IRSA roles of the buckets. Empty, or with oidcIssuerUrl."`
	OIDCIssuerURL   string `json:"oidcIssuerUrl" doc:"The cluster's OIDC issuer URL (aws eks describe-cluster --query cluster.identity.oidc.issuer); the provider ARN ends with it."`
	// NodeInstanceRole says the bucket policies are attached by hand to
	// the nodes' instance role: no role is created, no pod is annotated.
	NodeInstanceRole bool `json:"nodeInstanceRole" doc:"The exported bucket policies (metricsBucketPolicyArn, logSnapshotsBucketPolicyArn) are attached by hand to the nodes' instance role; no IAM role is created or named."`
	// ExistingBuckets adopt buckets that outlived the stack's state.
	ExistingBuckets ExistingBucketsConfig `json:"existingBuckets" doc:"Buckets that outlived the stack's state (retained by a destroy, or the state was lost), adopted by the next up under their names instead of new ones; keep them set afterwards (see README, Disaster recovery)."`
}

// ExistingBucketsConfig names the retained buckets to adopt, by purpose.
type ExistingBucketsConfig struct {
	Metrics      string `json:"metrics" doc:"The retained Thanos blocks bucket (klearkarma-<environment>-metrics-...); empty: the stack makes or keeps its own."`
	LogSnapshots string `json:"logSnapshots" doc:"The retained audit snapshot bucket (klearkarma-<environment>-log-snapshots-...); empty: the stack makes or keeps its own."`
}

// The buckets' kinds, which end their name prefixes.
const (
	MetricsBucket      = "metrics"
	LogSnapshotsBucket = "log-snapshots"
)

// BucketPrefix starts the name of the stack's bucket of one kind
// (MetricsBucket, LogSnapshotsBucket); AWS adds a unique suffix.
func (c *Config) BucketPrefix(kind string) string {
	return "klearkarma-" + c.Environment + "-" + kind
}

// UsesIRSA says the program creates the buckets' IAM roles for service
// accounts from the cluster's OIDC provider.
func (a AWSConfig) UsesIRSA() bool { return a.OIDCProviderArn != "" || a.OIDCIssuerURL != "" }

// validateStorageAccess checks that the workloads that write the buckets
// can reach them one way, and only one: without any, the bucket policies
// are attached to nothing and Thanos, Prometheus and Elasticsearch cannot
// write their data.
func validateStorageAccess(ps *check.Problems, a AWSConfig) {
	ways := 0
	for _, on := range []bool{a.ObjectStorageRoleArn != "", a.UsesIRSA(), a.NodeInstanceRole} {
		if on {
			ways++
		}
	}
	switch {
	case ways == 0:
		ps.Add("aws.oidcProviderArn", "is not set, nor aws.objectStorageRoleArn nor aws.nodeInstanceRole: the bucket policies would be attached to nothing, and Thanos, Prometheus and Elasticsearch could not write to S3",
			"set aws.oidcProviderArn and aws.oidcIssuerUrl to the cluster's (aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer; aws iam list-open-id-connect-providers) so the program creates the IRSA roles, "+
				"or aws.objectStorageRoleArn to a role you manage, or aws.nodeInstanceRole: true if you attach the exported policies to the nodes' role yourself")
	case ways > 1:
		ps.Add("aws.objectStorageRoleArn", "is one of several ways to the buckets (aws.objectStorageRoleArn, aws.oidcProviderArn with aws.oidcIssuerUrl, aws.nodeInstanceRole)",
			"keep one: the OIDC provider (the program creates the roles), a role you manage, or the nodes' role")
	}
	bucket.CheckRoleArn(ps, "aws.objectStorageRoleArn", a.ObjectStorageRoleArn)
	if a.UsesIRSA() {
		irsa.CheckProvider(ps, "aws.oidcProviderArn", "aws.oidcIssuerUrl", a.OIDCProviderArn, a.OIDCIssuerURL)
	}
}

// PagerDutyConfig turns on PagerDuty; it needs the pagerdutyToken secret.
type PagerDutyConfig struct {
	Enabled bool `json:"enabled" doc:"Creates PagerDuty teams, escalation policies, services and Events API v2 integrations (needs the pagerdutyToken secret)."`
	// ServiceRegion is "us" (default) or "eu".
	ServiceRegion string `json:"serviceRegion" doc:"PagerDuty service region: us or eu."`
	// NamePrefix starts every PagerDuty object's name; stacks sharing an
	// account need different prefixes.
	NamePrefix string `json:"namePrefix" doc:"Starts the name of every PagerDuty object; stacks sharing an account need different prefixes."`
	// Teams maps each team (backend, infrastructure, product, payments) to
	// its escalation policy's two levels.
	Teams map[string]PagerDutyTeam `json:"teams" doc:"Escalation policy of each team (backend, infrastructure, payments, product): emails and/or schedules are paged first, escalateTo.emails and/or escalateTo.schedules next; every team needs the first, and every team whose alerts page at high urgency the second."`
}

// PagerDutyTeam is one team's escalation policy: who is paged (emails,
// schedules) and who is paged next when nobody acknowledges a high-urgency
// incident in time (escalateTo). The keys are the ones pagerduty.Args.Check
// names, so its problems map onto the stack configuration as they are.
type PagerDutyTeam struct {
	Emails      []string   `json:"emails" doc:"PagerDuty users by login email (looked up, not created); bare addresses."`
	ScheduleIDs []string   `json:"schedules" doc:"PagerDuty schedule ids, such as PABC123."`
	EscalateTo  Responders `json:"escalateTo" doc:"The second level: who is paged when nobody acknowledges a high-urgency incident in time (SEV-1: 15 minutes)."`
}

// component is the team as the PagerDuty component takes it.
func (t PagerDutyTeam) component() pagerduty.Team {
	return pagerduty.Team{Responders: Responders{Emails: t.Emails, ScheduleIDs: t.ScheduleIDs}, EscalateTo: t.EscalateTo}
}

// Responders are one level of a team's escalation policy: PagerDuty users
// by email (looked up, not created) and/or schedule ids. The component's
// type, so its rules (pagerduty.Args.Check) name these keys.
type Responders = pagerduty.Responders

// PagerDutyTeams are the teams the alert rules route to.
var PagerDutyTeams = conventions.TeamNames()

// SlackConfig turns on Slack; it needs the slackWebhookUrl secret.
type SlackConfig struct {
	Enabled  bool              `json:"enabled" doc:"Sends critical and team alerts to Slack (needs the slackWebhookUrl secret)."`
	Channels map[string]string `json:"channels" doc:"Channel of each route: critical, backend, infrastructure, payments; each starts with #."`
}

// EmailConfig turns on email; it needs the smtpPassword secret.
type EmailConfig struct {
	Enabled   bool   `json:"enabled" doc:"Sends the default and the product routes by email (needs the smtpPassword secret)."`
	Smarthost string `json:"smarthost" doc:"SMTP server as host:port."`
	From      string `json:"from" doc:"Sender address."`
	Username  string `json:"username" doc:"SMTP login."`
	DefaultTo string `json:"defaultTo" doc:"Receives every alert no team route takes."`
	ProductTo string `json:"productTo" doc:"Receives the product team's alerts."`
}

// awsRegion is the shape of an AWS region name; the provider, which takes
// it, has no rule of its own to share.
var awsRegion = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)

// validateAWS checks the AWS side when it is on, with the components'
// rules: the log groups' retention (loggroups), the role the buckets'
// policies attach to (bucket) and the cost alarm's budget (costalarm).
func validateAWS(ps *check.Problems, c *Config) {
	if !c.AWS.Enabled {
		return
	}
	r := c.Retention
	for _, l := range []struct {
		key string
		d   Duration
	}{{"retention.logs.application", r.Logs.Application}, {"retention.logs.audit", r.Logs.Audit}} {
		if l.d.Err() == nil {
			loggroups.CheckRetention(ps, l.key, l.d.Days())
		}
	}
	if !awsRegion.MatchString(c.AWS.Region) {
		ps.Add("aws.region", fmt.Sprintf("%q is not an AWS region", c.AWS.Region), "use a region such as us-east-1")
	}
	validateStorageAccess(ps, c.AWS)
	bucket.CheckExistingName(ps, "aws.existingBuckets.metrics", c.AWS.ExistingBuckets.Metrics, c.BucketPrefix(MetricsBucket))
	bucket.CheckExistingName(ps, "aws.existingBuckets.logSnapshots", c.AWS.ExistingBuckets.LogSnapshots, c.BucketPrefix(LogSnapshotsBucket))
	costalarm.CheckBudget(ps, "aws.dailyBudgetUsd", c.AWS.DailyBudgetUSD)
	if c.AWS.CostExporter && !c.Slack.Enabled {
		ps.Add("aws.costExporter", "is on but slack.enabled is false: the exporter posts the over-budget message to Slack",
			"enable slack (and set the slackWebhookUrl secret), or set aws.costExporter to false")
	}
}

// validateNotifications checks Slack, email and PagerDuty when they are on.
func validateNotifications(ps *check.Problems, c *Config) {
	if c.Slack.Enabled {
		for _, team := range []string{"critical", "backend", "infrastructure", "payments"} {
			ch := c.Slack.Channels[team]
			if !strings.HasPrefix(ch, "#") || len(ch) < 2 {
				ps.Add("slack.channels."+team, fmt.Sprintf("%q is not a Slack channel", ch), "set a channel name starting with #, such as #backend-alerts")
			}
		}
	}
	if c.Email.Enabled {
		e := c.Email
		if host, port, err := net.SplitHostPort(e.Smarthost); err != nil || host == "" || port == "" {
			ps.Add("email.smarthost", fmt.Sprintf("%q is not host:port", e.Smarthost), "use a value such as smtp.gmail.com:587")
		}
		for _, a := range []struct{ key, val string }{
			{"email.from", e.From}, {"email.username", e.Username}, {"email.defaultTo", e.DefaultTo}, {"email.productTo", e.ProductTo},
		} {
			// Display names ("Alerts <alerts@...>") are allowed here.
			if _, err := mail.ParseAddress(a.val); err != nil {
				ps.Add(a.key, fmt.Sprintf("%q is not an email address", a.val), "use an address such as alerts@klearkarma.com")
			}
		}
	}
	validatePagerDuty(ps, c)
}

// componentTeams is every team the alert rules route to, with its
// configured levels (none when the config leaves the team out).
func (p PagerDutyConfig) componentTeams() map[string]pagerduty.Team {
	teams := make(map[string]pagerduty.Team, len(PagerDutyTeams))
	for _, team := range PagerDutyTeams {
		teams[team] = p.Teams[team].component()
	}
	return teams
}

// ComponentArgs are the PagerDuty component's arguments for the configured
// teams, with the teams the alert rules page at high urgency, so the
// program creates what validation checked.
func (p PagerDutyConfig) ComponentArgs() pagerduty.Args {
	teams := make(map[string]pagerduty.Team, len(p.Teams))
	for name, t := range p.Teams {
		teams[name] = t.component()
	}
	return pagerduty.Args{Teams: teams, NamePrefix: p.NamePrefix, PagingTeams: rules.PagingTeams()}
}

// validatePagerDuty checks PagerDuty when it is on: the component's rules
// (every team needs a responder, well-formed emails and schedule ids, the
// name prefix, and a second level for every team whose critical alerts page
// at high urgency: rules.PagingTeams) over every team the alert rules route
// to, teams the rules do not know, and the service region, which the
// provider takes.
func validatePagerDuty(ps *check.Problems, c *Config) {
	p := c.PagerDuty
	if !p.Enabled {
		return
	}
	if r := p.ServiceRegion; r != "" && r != "us" && r != "eu" {
		ps.Add("pagerduty.serviceRegion", fmt.Sprintf("%q is not a PagerDuty service region", r), `use "us" or "eu"`)
	}
	args := p.ComponentArgs()
	args.Teams = p.componentTeams()
	ps.Merge("pagerduty", args.Check(), nil)
	for _, team := range slices.Sorted(maps.Keys(p.Teams)) {
		if !slices.Contains(PagerDutyTeams, team) {
			ps.Add("pagerduty.teams."+team, "is not a team the alert rules route to", suggest("pagerduty.teams", team, PagerDutyTeams))
		}
	}
}
