package program

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/components/bucket"
	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/costexporter"
	"github.com/klearkarma/observability/components/irsa"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/components/pagerduty"
	lambdabuild "github.com/klearkarma/observability/functions/costexporter/build"
	"github.com/klearkarma/observability/stacks"
)

// buildAWS creates what the platform keeps in the AWS account itself: the
// CloudWatch log groups and the daily cost alarm. The buckets, made here
// with their retention and the IAM roles of their service accounts
// (metricsBucket, logSnapshotsBucket), are called from the metrics and
// logging paths, which hand the role ARNs to their workloads.
func buildAWS(ctx *pulumi.Context, cfg *stacks.Config, p *providers, paging *pagerduty.PagerDuty, zip zipBuilder) error {
	if !cfg.AWS.Enabled {
		return nil
	}
	lg, err := loggroups.New(ctx, "cloudwatch-logs", loggroups.Args{
		Prefix: "/klearkarma/" + cfg.Environment,
		Groups: []loggroups.Group{
			{Role: "application", RetentionDays: cfg.Retention.Logs.Application.Days()},
			{Role: "audit", RetentionDays: cfg.Retention.Logs.Audit.Days()},
		},
	}, p.aws)
	if err != nil {
		return err
	}
	ctx.Export("cloudWatchLogGroups", lg.Names)

	// Billing metrics live only in us-east-1.
	args := costalarm.Args{Name: "klearkarma-" + cfg.Environment, DailyBudgetUSD: cfg.AWS.DailyBudgetUSD}
	if paging != nil {
		args.PagerDutyEndpoint = paging.CloudWatchEndpoint
	}
	if cfg.Email.Enabled {
		args.EmailTo = cfg.Email.DefaultTo
	}
	alarm, err := costalarm.New(ctx, "cost-alarm", args, p.awsBilling)
	if err != nil {
		return err
	}
	ctx.Export("costAlarm", alarm.AlarmName)
	if !cfg.AWS.CostExporter {
		return nil
	}
	return buildCostExporter(ctx, cfg, p, paging, alarm, zip)
}

// buildCostExporter deploys the strategy's cost metrics: a daily Lambda that
// publishes yesterday's cost per AWS service (KlearKarma/Costs) and posts
// the over-budget message to Slack, built from functions/costexporter of
// this checkout. It lives next to the billing alarm in us-east-1 (Cost
// Explorer's region), whose topic its own alarms notify.
func buildCostExporter(ctx *pulumi.Context, cfg *stacks.Config, p *providers, paging *pagerduty.PagerDuty, alarm *costalarm.CostAlarm, lambda zipBuilder) error {
	zip, sum, err := lambda(ctx.Context())
	if err != nil {
		return fmt.Errorf("cost exporter: %w", err)
	}
	if zip == "" {
		return nil // an evaluation that builds no archive (Preflight)
	}
	args := costexporter.Args{
		Name: "klearkarma-" + cfg.Environment, Region: billingRegion,
		ZipPath: zip, ZipSHA256: sum, DailyBudgetUSD: cfg.AWS.DailyBudgetUSD,
		SlackWebhookURL:  cfg.Secrets.SlackWebhookURL,
		LogRetentionDays: 30,
		AlarmActions:     []pulumi.StringInput{alarm.TopicArn},
	}
	if paging != nil {
		args.PagerDutyRoutingKey = paging.DefaultRoutingKey
		if cfg.PagerDuty.ServiceRegion == "eu" {
			args.PagerDutyEventsURL = "https://events.eu.pagerduty.com/v2/enqueue"
		}
	}
	ce, err := costexporter.New(ctx, "cost-exporter", args, p.awsBilling)
	if err != nil {
		return err
	}
	ctx.Export("costExporterFunction", ce.FunctionName)
	ctx.Export("costDashboard", ce.DashboardName)
	return nil
}

// lambdaZip builds the archive from this checkout once per process: the
// sources cannot change while the program runs, and an evaluation (preview,
// then up, or a test evaluating the program many times) would otherwise
// pay a go build each time.
var lambdaZip = func() zipBuilder {
	var (
		once      sync.Once
		path, sum string
		err       error
	)
	return func(ctx context.Context) (string, string, error) {
		once.Do(func() {
			var repo string
			if repo, err = sourceDir(); err != nil {
				return
			}
			path, sum, err = lambdabuild.BuildZip(ctx, repo, filepath.Join(repo, "bin", "lambda"))
		})
		return path, sum, err
	}
}()

// sourceDir is the root of this repository's checkout (the directory of
// the go.mod of this module), found from the working directory up: the
// Lambda is built from it at deploy time.
func sourceDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modfile.ModulePath(b) == modulePath {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no checkout of %s above %s: the cost exporter is built from the repository at deploy time, so run pulumi (or stackctl) from a checkout", modulePath, dir)
		}
	}
}

// modulePath is this repository's Go module.
const modulePath = "github.com/klearkarma/observability"

// storageRole is the IAM role of the workloads of one bucket, when the
// program creates it (IRSA): its name ends the role's name, and exactly
// these service accounts may assume it.
type storageRole struct {
	name            string
	serviceAccounts []irsa.ServiceAccount
}

// roleName is the IAM role's fixed name in the stack's account.
func (r storageRole) roleName(cfg *stacks.Config) string {
	return "klearkarma-" + cfg.Environment + "-" + r.name
}

// arn is what the bucket's service accounts carry: the role this program
// creates (known before it exists), the one the stack names, or "" when
// the nodes' instance role holds the policies.
func (r storageRole) arn(cfg *stacks.Config) string {
	if cfg.AWS.UsesIRSA() {
		return irsa.RoleArn(cfg.AWS.OIDCProviderArn, r.roleName(cfg))
	}
	return cfg.AWS.ObjectStorageRoleArn
}

// grant gives the role the bucket's policy: with IRSA the role is created
// here, trusted by exactly the role's service accounts; a role the stack
// names got the policy from the bucket itself (Args.AccessRoleArn).
func (r storageRole) grant(ctx *pulumi.Context, cfg *stacks.Config, p *providers, b *bucket.Bucket, bucketKey string) error {
	if !cfg.AWS.UsesIRSA() {
		return nil
	}
	role, err := irsa.New(ctx, r.name+"-role", irsa.Args{
		OIDCProviderArn: cfg.AWS.OIDCProviderArn,
		OIDCIssuerURL:   cfg.AWS.OIDCIssuerURL,
		RoleName:        r.roleName(cfg),
		Description:     "Service accounts of the " + bucketKey + " (" + cfg.Cluster + ")",
		ServiceAccounts: r.serviceAccounts,
		Policies:        map[string]pulumi.StringInput{bucketKey: b.PolicyArn},
	}, p.aws)
	if err != nil {
		return err
	}
	ctx.Export(exportName(r.name)+"RoleArn", role.Arn)
	return nil
}

// exportName turns a dashed name into the stack outputs' lowerCamelCase.
func exportName(dashed string) string {
	parts := strings.Split(dashed, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// metricsStorage is the role of the metrics bucket's writers and readers:
// every Thanos component (one service account) and the Prometheus
// sidecars, which upload the blocks.
func metricsStorage(cfg *stacks.Config) storageRole {
	ns := cfg.Namespaces.Monitoring
	return storageRole{name: "metrics-storage", serviceAccounts: []irsa.ServiceAccount{
		{Namespace: ns, Name: thanosName}, {Namespace: ns, Name: prometheusName},
	}}
}

// logSnapshotsStorage is the role of the snapshot repository's only
// client: the Elasticsearch nodes.
func logSnapshotsStorage(cfg *stacks.Config) storageRole {
	return storageRole{name: "log-snapshots", serviceAccounts: []irsa.ServiceAccount{
		{Namespace: cfg.Namespaces.Logging, Name: elasticsearchName},
	}}
}

// metricsBucket holds the Thanos blocks. S3 expires a block's objects
// retention.metrics.aggregated after they were written: never before the
// compactor, which deletes a block that long after its newest sample, and
// every block is written after its newest sample. It returns the role ARN
// the service accounts carry ("" for the nodes' role).
func metricsBucket(ctx *pulumi.Context, cfg *stacks.Config, p *providers) (*bucket.Bucket, string, error) {
	role := metricsStorage(cfg)
	b, err := bucket.New(ctx, "metrics-bucket", bucket.Args{
		Data:            cfg.DataProtection.Policy(),
		BucketPrefix:    cfg.BucketPrefix(stacks.MetricsBucket),
		ExistingName:    cfg.AWS.ExistingBuckets.Metrics,
		Purpose:         "thanos-blocks",
		ExpireAfterDays: cfg.Retention.Metrics.Aggregated.Days(),
		AccessRoleArn:   cfg.AWS.ObjectStorageRoleArn,
	}, p.aws)
	if err != nil {
		return nil, "", err
	}
	if err := role.grant(ctx, cfg, p, b, "metrics-bucket"); err != nil {
		return nil, "", err
	}
	ctx.Export("metricsBucket", b.Name)
	ctx.Export("metricsBucketPolicyArn", b.PolicyArn)
	return b, role.arn(cfg), nil
}

// snapshotsToGlacierIRAfterDays moves snapshot files to Glacier Instant
// Retrieval once they are past its 90-day minimum storage: a restore
// reads them with a plain GET, at a fraction of STANDARD's price. S3
// leaves the small, often rewritten repository metadata (under 128 KiB)
// in STANDARD.
const snapshotsToGlacierIRAfterDays = 90

// logSnapshotsBucket holds the audit-log snapshots, kept as the strategy
// demands: every object version is locked in compliance mode for
// retention.logs.audit, so no one (the account's root included) can
// delete a snapshot's files before then. No expiry on current objects:
// S3 deleting files inside an Elasticsearch repository corrupts it; SLM
// expires snapshots, its deletes leave delete markers, and the versions
// behind them go once their lock ends.
func logSnapshotsBucket(ctx *pulumi.Context, cfg *stacks.Config, p *providers) (*bucket.Bucket, string, error) {
	role := logSnapshotsStorage(cfg)
	b, err := bucket.New(ctx, "log-snapshots-bucket", bucket.Args{
		Data:           cfg.DataProtection.Policy(),
		BucketPrefix:   cfg.BucketPrefix(stacks.LogSnapshotsBucket),
		ExistingName:   cfg.AWS.ExistingBuckets.LogSnapshots,
		Purpose:        "elasticsearch-audit-snapshots",
		ObjectLockDays: cfg.Retention.Logs.Audit.Days(),
		Transition:     &bucket.Transition{AfterDays: snapshotsToGlacierIRAfterDays, StorageClass: "GLACIER_IR"},
		AccessRoleArn:  cfg.AWS.ObjectStorageRoleArn,
	}, p.aws)
	if err != nil {
		return nil, "", err
	}
	if err := role.grant(ctx, cfg, p, b, "log-snapshots-bucket"); err != nil {
		return nil, "", err
	}
	ctx.Export("logSnapshotsBucket", b.Name)
	ctx.Export("logSnapshotsBucketPolicyArn", b.PolicyArn)
	return b, role.arn(cfg), nil
}
