package costexporter_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/costexporter"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	webhook    = "https://hooks.slack.com/services/T0000/B0000/SECRETSECRETSECRET"
	routingKey = "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00"
	secretArn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:klearkarma-prod-cost-alerts-AbCdEf"
	zipSHA     = "5137c852f38131b1770226a018d2ce01ee904b30438631e295c84a6bf2afca39"
	prefix     = "aws:cloudwatch/metricAlarm:MetricAlarm::costs-"
)

// withArns is the repository's recorder plus the ARNs AWS would compute,
// which the policies are built from; everything else is the recorder's.
type withArns struct{ *pulumitest.Recorder }

func (m withArns) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, outs, err := m.Recorder.NewResource(args)
	if err != nil {
		return id, outs, err
	}
	name := func() string { return args.Inputs["name"].StringValue() }
	switch args.TypeToken {
	case "aws:secretsmanager/secret:Secret":
		outs["arn"] = resource.NewStringProperty(secretArn)
	case "aws:cloudwatch/logGroup:LogGroup":
		outs["arn"] = resource.NewStringProperty("arn:aws:logs:eu-west-1:123456789012:log-group:" + name())
	case "aws:iam/role:Role":
		outs["arn"] = resource.NewStringProperty("arn:aws:iam::123456789012:role/" + name())
	case "aws:lambda/function:Function":
		outs["arn"] = resource.NewStringProperty("arn:aws:lambda:eu-west-1:123456789012:function:" + name())
	case "aws:cloudwatch/eventRule:EventRule":
		outs["arn"] = resource.NewStringProperty("arn:aws:events:eu-west-1:123456789012:rule/" + name())
	}
	return id, outs, nil
}

func run(t *testing.T, args costexporter.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := costexporter.New(ctx, "costs", args)
		return err
	}, pulumi.WithMocks("observability", "test", withArns{rec}))
	return rec, err
}

func zipFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "costexporter.zip")
	require.NoError(t, os.WriteFile(p, []byte("PK\x05\x06"+strings.Repeat("\x00", 18)), 0o644))
	return p
}

func validArgs(t *testing.T) costexporter.Args {
	return costexporter.Args{
		Name: "klearkarma-prod", Region: "eu-west-1",
		ZipPath: zipFile(t), ZipSHA256: zipSHA,
		DailyBudgetUSD:      500,
		SlackWebhookURL:     pulumi.ToSecret(pulumi.String(webhook)).(pulumi.StringOutput),
		PagerDutyRoutingKey: pulumi.ToSecret(pulumi.String(routingKey)).(pulumi.StringOutput),
		AlarmActions:        []pulumi.StringInput{pulumi.String("arn:aws:sns:eu-west-1:123456789012:klearkarma-prod-cost-alerts")},
	}
}

func policyOf(t *testing.T, rec *pulumitest.Recorder, key, prop string) costexporter.PolicyDocument {
	t.Helper()
	v := rec.Get(t, key)[resource.PropertyKey(prop)]
	require.True(t, v.IsString(), "%s.%s is %v", key, prop, v)
	var doc costexporter.PolicyDocument
	dec := json.NewDecoder(strings.NewReader(v.StringValue()))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&doc), v.StringValue())
	return doc
}

// plaintextLeaks lists where a secret value appears outside a secret.
func plaintextLeaks(rec *pulumitest.Recorder, needles ...string) []string {
	var leaks []string
	var walk func(path string, v resource.PropertyValue)
	walk = func(path string, v resource.PropertyValue) {
		switch {
		case v.IsSecret():
			return
		case v.IsString():
			for _, n := range needles {
				if strings.Contains(v.StringValue(), n) {
					leaks = append(leaks, path)
				}
			}
		case v.IsObject():
			for k, e := range v.ObjectValue() {
				walk(path+"."+string(k), e)
			}
		case v.IsArray():
			for i, e := range v.ArrayValue() {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	for key, props := range rec.Resources {
		walk(key, resource.NewObjectProperty(props))
	}
	return leaks
}

func TestCostExporter(t *testing.T) {
	cases := map[string]struct {
		args    func(t *testing.T) costexporter.Args
		wantErr []string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"the role may read costs, write its namespace, read its one secret and write its own logs, and nothing else": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				trust := policyOf(t, rec, "aws:iam/role:Role::costs-role", "assumeRolePolicy")
				require.Len(t, trust.Statement, 1)
				assert.Equal(t, map[string]string{"Service": "lambda.amazonaws.com"}, trust.Statement[0].Principal)
				assert.Equal(t, []string{"sts:AssumeRole"}, trust.Statement[0].Action)

				doc := policyOf(t, rec, "aws:iam/rolePolicy:RolePolicy::costs-policy", "policy")
				assert.Equal(t, "2012-10-17", doc.Version)
				byAction := map[string]costexporter.Statement{}
				for _, s := range doc.Statement {
					assert.Equal(t, "Allow", s.Effect)
					for _, a := range s.Action {
						assert.NotContains(t, a, "*", "no wildcard actions")
						byAction[a] = s
					}
				}
				assert.ElementsMatch(t, []string{"ce:GetCostAndUsage", "cloudwatch:PutMetricData", "secretsmanager:GetSecretValue",
					"logs:CreateLogStream", "logs:PutLogEvents"}, keys(byAction))

				assert.Equal(t, []string{"*"}, byAction["ce:GetCostAndUsage"].Resource, "Cost Explorer has no resource ARN to scope to")
				put := byAction["cloudwatch:PutMetricData"]
				assert.Equal(t, []string{"*"}, put.Resource)
				assert.Equal(t, map[string]map[string]string{"StringEquals": {"cloudwatch:namespace": "KlearKarma/Costs"}}, put.Condition)
				assert.Equal(t, []string{secretArn}, byAction["secretsmanager:GetSecretValue"].Resource, "only the alert secret")
				logs := []string{"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/klearkarma-prod-cost-exporter:*"}
				assert.Equal(t, logs, byAction["logs:CreateLogStream"].Resource)
				assert.Equal(t, logs, byAction["logs:PutLogEvents"].Resource)
				for _, s := range doc.Statement {
					if s.Sid != "ReadDailyCosts" && s.Sid != "PublishCostMetrics" {
						assert.NotContains(t, s.Resource, "*", "%s is scoped", s.Sid)
					}
				}
			},
		},
		"the webhook and the routing key stay secret wherever they are recorded": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				v := rec.Get(t, "aws:secretsmanager/secretVersion:SecretVersion::costs-alert-secret-value")["secretString"]
				require.True(t, v.IsSecret(), "the secret version's value is a secret in state")
				var doc struct{ SlackWebhookURL, PagerDutyRoutingKey string }
				require.NoError(t, json.Unmarshal([]byte(v.SecretValue().Element.StringValue()), &doc))
				assert.Equal(t, webhook, doc.SlackWebhookURL)
				assert.Equal(t, routingKey, doc.PagerDutyRoutingKey)
				assert.Empty(t, plaintextLeaks(rec, webhook, routingKey, "SECRETSECRET"))
				env := pulumitest.Plain(rec.Get(t, "aws:lambda/function:Function::costs-function"))["environment"].(map[string]any)["variables"].(map[string]any)
				assert.Equal(t, secretArn, env["KK_ALERT_SECRET_ARN"], "the function gets the ARN, reads the value at run time")
			},
		},
		"the function is arm64 on provided.al2023 with the zip, its hash and its environment": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				props := rec.Get(t, "aws:lambda/function:Function::costs-function")
				fn := pulumitest.Plain(props)
				assert.Equal(t, "klearkarma-prod-cost-exporter", fn["name"])
				assert.Equal(t, "provided.al2023", fn["runtime"])
				assert.Equal(t, "bootstrap", fn["handler"])
				assert.Equal(t, []any{"arm64"}, fn["architectures"])
				require.True(t, props["code"].IsArchive())
				assert.True(t, strings.HasSuffix(props["code"].ArchiveValue().Path, "costexporter.zip"))
				raw, _ := hex.DecodeString(zipSHA)
				assert.Equal(t, base64.StdEncoding.EncodeToString(raw), fn["sourceCodeHash"], "Lambda's format: base64 of the raw digest")
				assert.Equal(t, "arn:aws:iam::123456789012:role/klearkarma-prod-cost-exporter", fn["role"])
				assert.Equal(t, map[string]any{"logFormat": "JSON", "logGroup": "/aws/lambda/klearkarma-prod-cost-exporter"}, fn["loggingConfig"])
				assert.Equal(t, map[string]any{
					"KK_DAILY_BUDGET_USD": "500", "KK_PAGE_OVER_BUDGET_FACTOR": "2", "KK_ALERT_SECRET_ARN": secretArn,
					"KK_PAGERDUTY_EVENTS_URL": "https://events.pagerduty.com/v2/enqueue", "KK_COST_EXPLORER_REGION": "us-east-1",
					"KK_AWS_MAX_ATTEMPTS": "6",
				}, fn["environment"].(map[string]any)["variables"])
				logs := rec.Object(t, "aws:cloudwatch/logGroup:LogGroup::costs-logs")
				assert.Equal(t, "/aws/lambda/klearkarma-prod-cost-exporter", logs["name"])
				assert.Equal(t, 30.0, logs["retentionInDays"])
			},
		},
		"the schedule runs daily at 10:00 UTC and may invoke only this function": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				rule := rec.Object(t, "aws:cloudwatch/eventRule:EventRule::costs-schedule")
				assert.Equal(t, "cron(0 10 * * ? *)", rule["scheduleExpression"])
				target := rec.Object(t, "aws:cloudwatch/eventTarget:EventTarget::costs-schedule-target")
				assert.Equal(t, "arn:aws:lambda:eu-west-1:123456789012:function:klearkarma-prod-cost-exporter", target["arn"])
				perm := rec.Object(t, "aws:lambda/permission:Permission::costs-invoke-permission")
				assert.Equal(t, "events.amazonaws.com", perm["principal"])
				assert.Equal(t, "lambda:InvokeFunction", perm["action"])
				assert.Equal(t, "arn:aws:events:eu-west-1:123456789012:rule/klearkarma-prod-cost-exporter", perm["sourceArn"])
			},
		},
		"the alarms compare the daily total with the budget, watch the function's errors and a missing day": {
			args: func(t *testing.T) costexporter.Args { a := validArgs(t); a.DailyBudgetUSD = 750; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				topic := []any{"arn:aws:sns:eu-west-1:123456789012:klearkarma-prod-cost-alerts"}
				budget := rec.Object(t, prefix+"over-budget-alarm")
				assert.Equal(t, map[string]any{"namespace": "KlearKarma/Costs", "metricName": "TotalDailyCost", "statistic": "Maximum",
					"period": 86400.0, "threshold": 750.0, "comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 1.0,
					"datapointsToAlarm": 1.0, "treatMissingData": "notBreaching"}, pick(budget, "namespace", "metricName", "statistic",
					"period", "threshold", "comparisonOperator", "evaluationPeriods", "datapointsToAlarm", "treatMissingData"))
				errs := rec.Object(t, prefix+"errors-alarm")
				assert.Equal(t, "AWS/Lambda", errs["namespace"])
				assert.Equal(t, "Errors", errs["metricName"])
				assert.Equal(t, map[string]any{"FunctionName": "klearkarma-prod-cost-exporter"}, errs["dimensions"])
				assert.Equal(t, 0.0, errs["threshold"])
				assert.Equal(t, "GreaterThanThreshold", errs["comparisonOperator"])
				missing := rec.Object(t, prefix+"missing-alarm")
				assert.Equal(t, map[string]any{"metricName": "TotalDailyCost", "statistic": "SampleCount", "period": 86400.0,
					"evaluationPeriods": 2.0, "datapointsToAlarm": 2.0, "comparisonOperator": "LessThanThreshold", "threshold": 1.0,
					"treatMissingData": "breaching"}, pick(missing, "metricName", "statistic", "period", "evaluationPeriods",
					"datapointsToAlarm", "comparisonOperator", "threshold", "treatMissingData"))
				for _, a := range []map[string]any{budget, errs, missing} {
					assert.Equal(t, topic, a["alarmActions"])
					assert.Equal(t, topic, a["okActions"])
				}
			},
		},
		"the dashboard searches the Service dimension and draws the budget line": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				d := rec.Object(t, "aws:cloudwatch/dashboard:Dashboard::costs-dashboard")
				assert.Equal(t, "klearkarma-prod-costs", d["dashboardName"])
				body := d["dashboardBody"].(string)
				var parsed struct {
					Widgets []struct {
						Type       string
						Properties struct {
							Region      string
							Metrics     [][]json.RawMessage
							Annotations struct{ Horizontal []struct{ Value float64 } }
						}
					}
				}
				require.NoError(t, json.Unmarshal([]byte(body), &parsed), body)
				require.Len(t, parsed.Widgets, 4)
				var search struct{ Expression string }
				require.NoError(t, json.Unmarshal(parsed.Widgets[1].Properties.Metrics[0][0], &search))
				assert.Equal(t, `SEARCH('{KlearKarma/Costs,Service} MetricName="DailyCost"', 'Maximum', 86400)`, search.Expression)
				assert.Equal(t, "eu-west-1", parsed.Widgets[1].Properties.Region)
				assert.Equal(t, 500.0, parsed.Widgets[2].Properties.Annotations.Horizontal[0].Value)

				again, err := run(t, validArgs(t))
				require.NoError(t, err)
				assert.Equal(t, body, again.Object(t, "aws:cloudwatch/dashboard:Dashboard::costs-dashboard")["dashboardBody"], "the same args give the same bytes")
			},
		},
		"without a routing key the function never pages and the secret holds the webhook only": {
			args: func(t *testing.T) costexporter.Args { a := validArgs(t); a.PagerDutyRoutingKey = nil; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				fn := pulumitest.Plain(rec.Get(t, "aws:lambda/function:Function::costs-function"))
				assert.Equal(t, "0", fn["environment"].(map[string]any)["variables"].(map[string]any)["KK_PAGE_OVER_BUDGET_FACTOR"])
				v := rec.Get(t, "aws:secretsmanager/secretVersion:SecretVersion::costs-alert-secret-value")["secretString"]
				assert.True(t, v.IsSecret())
				assert.NotContains(t, v.SecretValue().Element.StringValue(), "pagerDutyRoutingKey")
			},
		},
		"every child is named after the component": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, k := range rec.Keys() {
					if k != costexporter.TypeToken+"::costs" {
						assert.Contains(t, k, "::costs-")
					}
				}
				assert.Len(t, rec.Keys(), 14, "the component and its 13 children")
			},
		},
		"missing and malformed arguments are all reported before anything is registered": {
			args: func(t *testing.T) costexporter.Args {
				return costexporter.Args{ZipSHA256: "abc", PageFactor: 0.5, Schedule: "daily", LogRetentionDays: 10}
			},
			wantErr: []string{"name: is required", "region: is required", "zipPath: is required", "not 64 hex digits",
				"dailyBudgetUsd: 0 is not a budget", "at least 1", "slackWebhookUrl: is required", "not an EventBridge expression",
				"logRetentionDays: 10 days is not a retention CloudWatch Logs accepts"},
		},
		"a zip that was not built is refused with the fix": {
			args: func(t *testing.T) costexporter.Args {
				a := validArgs(t)
				a.ZipPath = filepath.Join(t.TempDir(), "missing.zip")
				return a
			},
			wantErr: []string{"build it with functions/costexporter/build.BuildZip"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := run(t, tc.args(t))
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					assert.ErrorContains(t, err, w)
				}
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestTwoInstancesNeverCollide(t *testing.T) {
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		for _, env := range []string{"dev", "prod"} {
			a := validArgs(t)
			a.Name = "klearkarma-" + env
			if _, err := costexporter.New(ctx, "costs-"+env, a); err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("observability", "test", withArns{rec}))
	require.NoError(t, err)
	assert.Len(t, rec.Keys(), 28)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func pick(m map[string]any, ks ...string) map[string]any {
	out := map[string]any{}
	for _, k := range ks {
		out[k] = m[k]
	}
	return out
}
