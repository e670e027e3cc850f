package logstash

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"

	pl "github.com/klearkarma/observability/components/logstash/internal/pipeline"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/esclient"
)

// set is one "name => value" setting.
func set(name string, v pl.Value) pl.Setting { return pl.Setting{Name: name, Value: v} }

// buildPipeline is the pipeline for args (after defaults): Beats and HTTP
// in, JSON messages exploded, audit events tagged, two data stream outputs.
func buildPipeline(a Args) pl.Config {
	es := a.Elasticsearch
	output := func(id, stream string) pl.Stage {
		typ, dataset, namespace, _ := esclient.SplitDataStream(stream) // checked in withDefaults
		return pl.Stage{Plugin: &pl.Plugin{Name: "elasticsearch", Settings: []pl.Setting{
			set("id", pl.String(id)),
			set("hosts", pl.Array{pl.String(fmt.Sprintf("https://%s:%d", es.Host, es.Port))}),
			set("ssl_enabled", pl.Bool(true)),
			set("ssl_certificate_authorities", pl.Array{pl.String(CADir + "/" + es.CASecretKey)}),
			set("ssl_verification_mode", pl.String("full")),
			set("user", pl.String("${"+EnvUser+"}")),
			set("password", pl.String("${"+EnvPassword+"}")),
			set("data_stream", pl.String("true")),
			set("data_stream_type", pl.String(typ)),
			set("data_stream_dataset", pl.String(dataset)),
			set("data_stream_namespace", pl.String(namespace)),
			// The route decides the stream, not the event's own fields.
			set("data_stream_auto_routing", pl.Bool(false)),
		}}}
	}
	route := pl.Field("@metadata", "route")
	return pl.Config{
		Inputs: []pl.Stage{
			{Plugin: &pl.Plugin{Name: "beats", Settings: []pl.Setting{set("id", pl.String("in_beats")), set("port", pl.Number(fmt.Sprint(BeatsPort)))}}},
			// A JSON body (Content-Type: application/json) becomes the event's fields.
			{Plugin: &pl.Plugin{Name: "http", Settings: []pl.Setting{set("id", pl.String("in_http")), set("port", pl.Number(fmt.Sprint(HTTPPort)))}}},
		},
		Filters: []pl.Stage{
			{If: &pl.If{Branches: []pl.Branch{{
				When: pl.Condition{Left: pl.Field("message"), Op: "=~", Right: pl.Regexp(`^\s*\{`)},
				Then: []pl.Stage{{Plugin: &pl.Plugin{Name: "json", Settings: []pl.Setting{
					set("id", pl.String("parse_json_message")),
					set("source", pl.String("message")),
					set("skip_on_invalid_json", pl.Bool(true)),
				}}}},
			}}}},
			{If: &pl.If{
				Branches: []pl.Branch{{
					When: pl.Condition{Left: pl.Field(conventions.AuditField), Op: "==", Right: pl.Str(conventions.AuditValue)},
					Then: []pl.Stage{{Plugin: &pl.Plugin{Name: "mutate", Settings: []pl.Setting{
						set("id", pl.String("mark_audit")),
						set("replace", pl.Hash{{Key: route.Value, Value: pl.String("audit")}}),
						set("add_tag", pl.Array{pl.String(AuditTag)}),
						set("remove_field", pl.Array{pl.String("[data_stream]")}),
					}}}},
				}},
				Else: []pl.Stage{{Plugin: &pl.Plugin{Name: "mutate", Settings: []pl.Setting{
					set("id", pl.String("mark_app")),
					set("replace", pl.Hash{{Key: route.Value, Value: pl.String("app")}}),
					set("remove_field", pl.Array{pl.String("[data_stream]")}),
				}}}},
			}},
		},
		Outputs: []pl.Stage{{If: &pl.If{
			Branches: []pl.Branch{{
				When: pl.Condition{Left: route, Op: "==", Right: pl.Str("audit")},
				Then: []pl.Stage{output(OutputAudit, a.AuditDataStream)},
			}},
			Else: []pl.Stage{output(OutputApp, a.AppDataStream)},
		}}},
	}
}

// settings is logstash.yml for args (after defaults).
func settings(a Args) map[string]any {
	qb, _ := resource.ParseQuantity(a.QueueMaxBytes) // checked in withDefaults
	return map[string]any{
		// 8.x's name for http.host; the API serves the probes.
		"api.http.host": "0.0.0.0",
		"api.http.port": APIPort,
		"path.data":     DataDir,
		// Events are acknowledged once on disk, and outlive the pod.
		"queue.type":      "persisted",
		"queue.max_bytes": fmt.Sprintf("%dmb", qb.Value()>>20),
		// Legacy internal collection; Prometheus and Kibana's stack
		// monitoring are separate concerns.
		"xpack.monitoring.enabled": false,
		"config.reload.automatic":  false,
	}
}

// RenderFiles returns logstash.yml and the pipeline for an instance's args.
func RenderFiles(args Args) (settingsYAML, pipelineConf string, err error) {
	if err := args.withDefaults(); err != nil {
		return "", "", err
	}
	return renderFiles(args)
}

func renderFiles(a Args) (string, string, error) {
	yml, err := encoding.YAML(settings(a))
	if err != nil {
		return "", "", err
	}
	conf, err := pl.Render(buildPipeline(a))
	if err != nil {
		return "", "", err
	}
	return yml, conf, nil
}
