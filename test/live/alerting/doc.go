// Package alerting is the live tier of the alert path: the real Prometheus,
// Alertmanager and Thanos binaries the program deploys (built from the Go
// module proxy at the pinned versions by internal/livebin), run as
// processes on 127.0.0.1 from what the program renders for the prod stack.
//
// What runs is what is rendered: the rule files and alertmanager.yml as
// the ConfigMaps carry them, and every server's container arguments as the
// workloads carry them, except for what cannot be the same on one machine:
// Kubernetes service discovery (static targets carrying the
// __meta_kubernetes_* labels the rendered relabelling reads), file paths,
// listen addresses, the peers of the gossip cluster, and the receivers'
// endpoints (fakes on loopback: a PagerDuty Events API v2, a Slack webhook
// and a real SMTP server with STARTTLS and AUTH, whose certificate chains to
// a CA the Alertmanager processes trust through SSL_CERT_FILE).
//
// A synthetic application (App) exposes the catalog's metrics as functions
// of time. Its history is backfilled into both Prometheus replicas with
// promtool, together with ALERTS_FOR_STATE series, so alerts whose `for` is
// minutes to half an hour are restored as firing when Prometheus starts, as
// after a restart; promtool tests (rules/) prove the `for` durations
// themselves. The package owns no production code: it reads the program's
// output and never writes into the repository.
package alerting
