package rules

import "time"

// Jobs of the Prometheus configuration (components/prometheus watcherJobs)
// beyond the annotation job.
const (
	jobThanosSidecar = "thanos-sidecar"
	jobKubelet       = "kubelet"
)

// grpcErrorCodes are the gRPC codes that mean the server failed, not the
// caller: Canceled (a query the user abandoned), NotFound and
// InvalidArgument are left out.
const grpcErrorCodes = `Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded`

// watcherExposed are the Thanos metrics the sidecar, Query and Store
// Gateway alerts read (grpc_server_handled_total is pipelineExposed's). Where each was checked, at thanos v0.42.5 (the
// pinned release): pkg/shipper/shipper.go (shipper metrics); the gRPC
// metrics of go-grpc-middleware providers/prometheus v1.0.1 (Thanos'
// go.mod), server_metrics.go and client_metrics.go, registered by
// pkg/server/grpc (every component's gRPC server) and pkg/extgrpc
// StoreClientGRPCOpts (Query's clients of the stores and sidecars).
var watcherExposed = []Metric{
	{
		Name: "thanos_shipper_upload_failures_total", Type: Counter, Source: SourceThanos,
		Help: "Blocks the sidecar's shipper failed to upload to the bucket (it retries at every sync).",
	},
	{
		Name: "grpc_client_handled_total", Type: Counter, Source: SourceThanos,
		Help:   "gRPC calls a Thanos component made (Query to the stores and sidecars), by completion code.",
		Labels: []string{"grpc_code", "grpc_method", "grpc_service", "grpc_type"},
	},
}

// thanosWatcherAlerts are the sidecar's degrading alerts (its down alert is
// ThanosSidecarDown) and the Query and Store Gateway error rates. They are
// evaluated in platform.thanos.
var thanosWatcherAlerts = []alertingRule{
	{
		// Blocks not uploaded are lost once the local retention ends.
		alert:       "ThanosSidecarShipperUploadFailing",
		expr:        `sum by (namespace, pod) (rate(thanos_shipper_upload_failures_total[5m])) > 0`,
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos sidecar fails to upload blocks",
		description: "The sidecar of {{ $labels.namespace }}/{{ $labels.pod }} keeps failing to upload blocks to the bucket for 15 minutes; they are lost when Prometheus' local retention ends.",
	},
	{
		alert:       "ThanosSidecarPrometheusUnreachable",
		expr:        `thanos_sidecar_prometheus_up{job="` + jobThanosSidecar + `"} == 0`,
		forDuration: 5 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos sidecar cannot reach its Prometheus",
		description: "The sidecar of {{ $labels.namespace }}/{{ $labels.pod }} cannot reach Prometheus for 5 minutes: Thanos Query gets no recent data from this replica and no block is uploaded.",
	},
	{
		alert: "ThanosQueryGrpcClientErrors",
		expr: lines(
			`sum by (namespace, pod) (rate(grpc_client_handled_total{container="query", grpc_code=~"`+grpcErrorCodes+`"}[5m]))`,
			`  /`,
			`(sum by (namespace, pod) (rate(grpc_client_handled_total{container="query"}[5m])) > 0)`,
			`> 0.05`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos Query fails to read its stores",
		description: "{{ $value | humanizePercentage }} of the calls {{ $labels.namespace }}/{{ $labels.pod }} makes to the sidecars and the Store Gateway fail (threshold 5%) for 15 minutes: query results are partial.",
	},
	{
		alert: "ThanosStoreGrpcErrors",
		expr: lines(
			`sum by (namespace, pod) (rate(grpc_server_handled_total{container="store", grpc_code=~"`+grpcErrorCodes+`"}[5m]))`,
			`  /`,
			`(sum by (namespace, pod) (rate(grpc_server_handled_total{container="store"}[5m])) > 0)`,
			`> 0.05`,
		),
		forDuration: 15 * time.Minute,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Thanos Store Gateway fails requests",
		description: "{{ $labels.namespace }}/{{ $labels.pod }} fails {{ $value | humanizePercentage }} of its gRPC requests (threshold 5%) for 15 minutes: queries over old data are partial.",
	},
}

// kubeletAlerts read the kubelet's own /metrics (job kubelet): the volume
// stats of every mounted PersistentVolumeClaim. The kubelets report a
// claim from the node that mounts it; max() folds a claim seen twice
// during a move. Evaluated in platform.kubernetes.

// readOnlyClaims leaves out the claims mounted read-only (access mode
// ReadOnlyMany): a full read-only volume is how it was made, nobody can
// write to it anyway, and it would warn forever.
const readOnlyClaims = `unless on (namespace, persistentvolumeclaim) max by (namespace, persistentvolumeclaim) (kube_persistentvolumeclaim_access_mode{access_mode="ReadOnlyMany"}) == 1`

var kubeletAlerts = []alertingRule{
	{
		// At the trend of the last 6 hours the claim is full within 4, and
		// little is left: someone must grow it or clean up in time.
		alert: "PersistentVolumeFillingUp",
		expr: lines(
			`(`,
			`  max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{job="`+jobKubelet+`"})`,
			`    /`,
			`  max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{job="`+jobKubelet+`"})`,
			`) < 0.15`,
			`  and`,
			`max by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes{job="`+jobKubelet+`"}[6h], 4 * 60 * 60)) < 0`,
			readOnlyClaims,
		),
		forDuration: time.Hour,
		severity:    SeverityWarning,
		team:        TeamInfrastructure,
		summary:     "Persistent volume predicted to fill within 4 hours",
		description: "Claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free and, at the rate of the last 6 hours, fills up within 4 hours.",
	},
	{
		// Nearly full whatever the trend: the workload is about to fail
		// its writes.
		alert: "PersistentVolumeFillingUp",
		expr: lines(
			`max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{job="`+jobKubelet+`"})`,
			`  /`,
			`max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{job="`+jobKubelet+`"})`,
			`< 0.03`,
			readOnlyClaims,
		),
		forDuration: 5 * time.Minute,
		severity:    SeverityCritical,
		team:        TeamInfrastructure,
		summary:     "Persistent volume is almost full",
		description: "Claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has only {{ $value | humanizePercentage }} free (threshold 3%); its workload fails to write once it is full.",
	},
}
