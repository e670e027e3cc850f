package elasticsearch

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// Paths inside the Elasticsearch image and the pods.
const (
	esHome        = "/usr/share/elasticsearch"
	configPath    = esHome + "/config"
	dataPath      = esHome + "/data"
	logsPath      = esHome + "/logs"
	snapshotsPath = esHome + "/snapshots"
	// The token the S3 client exchanges for the IAM role must sit in the
	// config directory: Elasticsearch reads no file outside it.
	webIdentityTokenDir  = configPath + "/repository-s3"
	webIdentityTokenFile = "aws-web-identity-token-file"

	settingsMountPath = "/mnt/elasticsearch/settings" // the config ConfigMap
	caMountPath       = "/mnt/elasticsearch/ca"       // the CA Secret (init container and CA Job only)
	configStagePath   = "/mnt/elasticsearch/config"   // the config volume, as the init container sees it
	setupMountPath    = "/mnt/setup"                  // the setup ConfigMap
	clientCAMountPath = "/mnt/ca"                     // the CA certificate Secret, as a client sees it

	nodeConfigFile   = "elasticsearch.yml"
	prepareNodeFile  = "prepare-node.sh"
	readinessFile    = "readiness.sh"
	bootstrapCAFile  = "bootstrap-ca.sh"
	setupScriptFile  = "setup.sh"
	caValidityDays   = 3650
	nodeValidityDays = 730
)

// nodeSettings is what elasticsearch.yml and the node scripts depend on.
type nodeSettings struct {
	Name, Namespace                string
	HeadlessService, ClientService string
	Replicas                       int
	Bootstrapped                   bool
	MaxMapCount                    MaxMapCountMode
	Snapshots                      SnapshotRepositoryType
	S3Region                       string
}

// renderNodeFiles is the node ConfigMap's content: elasticsearch.yml, the
// init container's script and the readiness probe's.
func renderNodeFiles(s nodeSettings) (map[string]string, error) {
	yml, err := renderNodeConfig(s)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		nodeConfigFile:  yml,
		prepareNodeFile: renderPrepareNode(s),
		readinessFile:   readinessScript,
	}, nil
}

// renderNodeConfig is elasticsearch.yml. Security is on with TLS on both
// layers; certificates are the ones the init container issues (certs/).
func renderNodeConfig(s nodeSettings) (string, error) {
	tls := func(layer, verification string) map[string]any {
		p := "xpack.security." + layer + ".ssl."
		return map[string]any{
			p + "enabled":                 true,
			p + "key":                     "certs/tls.key",
			p + "certificate":             "certs/tls.crt",
			p + "certificate_authorities": []string{"certs/ca.crt"},
			p + "verification_mode":       verification,
		}
	}
	m := map[string]any{
		"cluster.name":           s.Name,
		"node.name":              "${POD_NAME}",
		"network.host":           "0.0.0.0",
		"http.port":              HTTPPort,
		"transport.port":         TransportPort,
		"path.data":              dataPath,
		"path.logs":              logsPath,
		"xpack.security.enabled": true,
		// Passwords come from the credentials Secret, never from enrollment.
		"xpack.security.enrollment.enabled": false,
		"xpack.license.self_generated.type": "basic",
	}
	// Nodes dial each other by pod IP, so hostname checks add nothing on
	// transport: any certificate of this cluster's CA is one of its nodes.
	// Clients dial the Service names, which every node certificate carries.
	for k, v := range tls("transport", "certificate") {
		m[k] = v
	}
	for k, v := range tls("http", "full") {
		m[k] = v
	}
	if s.Replicas == 1 {
		m["discovery.type"] = "single-node"
	} else {
		m["discovery.seed_hosts"] = []string{s.HeadlessService}
		if !s.Bootstrapped {
			m["cluster.initial_master_nodes"] = podNames(s.Name, s.Replicas)
		}
	}
	if s.MaxMapCount == MaxMapCountNoMmap {
		m["node.store.allow_mmap"] = false
	}
	switch s.Snapshots {
	case SnapshotsFilesystem:
		m["path.repo"] = []string{snapshotsPath}
	case SnapshotsS3:
		m["s3.client.default.endpoint"] = s3Endpoint(s.S3Region)
	}
	return encoding.YAML(m)
}

// podNames are the StatefulSet's pods, as its controller names them
// (<statefulset>-<ordinal>).
func podNames(sts string, replicas int) []string {
	out := make([]string, 0, replicas)
	for i := range replicas {
		out = append(out, conventions.Child(sts, strconv.Itoa(i)))
	}
	return out
}

func s3Endpoint(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "s3." + region + ".amazonaws.com.cn"
	}
	return "s3." + region + ".amazonaws.com"
}

// certificateNames are the DNS names of a node's certificate: its own
// stable name behind the headless Service, and the client Service's names,
// each with every suffix a client in the cluster may resolve it with.
func certificateNames(s nodeSettings) []string {
	// full is the complete in-cluster name; the shorter forms are its
	// prefixes up to the namespace and to "svc".
	qualified := func(host, full string) []string {
		short := host + "." + s.Namespace
		return []string{host, short, short + ".svc", full}
	}
	const pod = "${POD_NAME}"
	out := []string{pod}
	out = append(out, qualified(pod+"."+s.HeadlessService, conventions.PodHost(pod, s.HeadlessService, s.Namespace))...)
	out = append(out, qualified(s.ClientService, conventions.ServiceHost(s.ClientService, s.Namespace))...)
	out = append(out, qualified(s.HeadlessService, conventions.ServiceHost(s.HeadlessService, s.Namespace))...)
	return append(out, "localhost")
}

func render(script string, values map[string]string) string {
	var pairs []string
	for k, v := range values {
		pairs = append(pairs, "@@"+k+"@@", v)
	}
	return strings.NewReplacer(pairs...).Replace(script)
}

// renderPrepareNode is the init container of every node: it copies the
// image's configuration into the writable config volume, adds the rendered
// elasticsearch.yml, and issues this node's certificate from the cluster CA
// (a memory-backed volume; the key never leaves the pod).
func renderPrepareNode(s nodeSettings) string {
	return render(`#!/usr/bin/env bash
# Issues this node's certificate and stages its configuration. Generated.
set -euo pipefail
: "${POD_NAME:?}" "${POD_IP:?}"
out=@@STAGE@@
cp -R @@CONFIG@@/. "$out/"
cp @@SETTINGS@@/elasticsearch.yml "$out/elasticsearch.yml"
if [ ! -s @@CA@@/ca.crt ] || [ ! -s @@CA@@/ca.key ]; then
  echo "the CA Secret has no ca.crt and ca.key: the CA bootstrap Job creates them" >&2
  exit 1
fi
work=$(mktemp -d /tmp/certs.XXXXXX)
trap 'rm -rf "$work"' EXIT
@@HOME@@/bin/elasticsearch-certutil cert --silent --pem \
  --ca-cert @@CA@@/ca.crt --ca-key @@CA@@/ca.key \
  --name node --days @@DAYS@@ \
  --dns "@@DNS@@" \
  --ip "${POD_IP},127.0.0.1" \
  --out "$work/node.zip"
unzip -q -o "$work/node.zip" -d "$work"
mkdir -p "$out/certs"
install -m 0644 "$work/node/node.crt" "$out/certs/tls.crt"
install -m 0600 "$work/node/node.key" "$out/certs/tls.key"
install -m 0644 @@CA@@/ca.crt "$out/certs/ca.crt"
echo "issued the certificate of ${POD_NAME}"
`, map[string]string{
		"STAGE": configStagePath, "CONFIG": configPath, "SETTINGS": settingsMountPath, "CA": caMountPath,
		"HOME": esHome, "DAYS": fmt.Sprint(nodeValidityDays), "DNS": strings.Join(certificateNames(s), ","),
	})
}

// readinessScript asks the local node for cluster health with the elastic
// user: ready once the node is in a cluster with an elected master. The
// password reaches curl through its standard input, never its arguments.
const readinessScript = `#!/usr/bin/env bash
# Readiness of one Elasticsearch node. Generated.
set -eu
auth=$(printf 'elastic:%s' "$ELASTIC_PASSWORD" | base64 | tr -d '\n')
code=$(printf 'header = "Authorization: Basic %s"\n' "$auth" |
  curl -sS -K - -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert ` + configPath + `/certs/ca.crt 'https://127.0.0.1:9200/_cluster/health?local=true') || code=000
[ "$code" = 200 ]
`

// renderBootstrapCA is the CA Job: it creates the cluster CA once (kept in
// a Secret that only the nodes' init containers mount) and publishes its
// certificate alone, as a Secret of its own, in every namespace whose
// clients must trust Elasticsearch. It talks to the Kubernetes API with
// curl, the only client the Elasticsearch image has.
func renderBootstrapCA(name, namespace, keypairSecret, certSecret string, namespaces []string, labelsJSON string) string {
	return render(`#!/usr/bin/env bash
# Creates the Elasticsearch CA once and publishes its certificate. Generated.
set -euo pipefail
umask 077
sa=/var/run/secrets/kubernetes.io/serviceaccount
api=https://kubernetes.default.svc
kube() { # method path [body-file] -> HTTP status on stdout
  local code args=(-sS -o /tmp/response -w '%{http_code}' --max-time 30 --cacert "$sa/ca.crt" -X "$1" -H 'Content-Type: application/json')
  if [ $# -ge 3 ]; then args+=(--data-binary "@$3"); fi
  code=$(printf 'header = "Authorization: Bearer %s"\n' "$(cat "$sa/token")" | curl "${args[@]}" -K - "$api$2") || code=000
  echo "$code"
}
fail() { echo "$1" >&2; cat /tmp/response >&2 2>/dev/null || true; exit 1; }
work=$(mktemp -d /tmp/ca.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -s @@CA@@/ca.crt ] && [ -s @@CA@@/ca.key ]; then
  echo "the CA Secret @@SECRET@@ exists: keeping it"
  ca_crt=@@CA@@/ca.crt
else
  @@HOME@@/bin/elasticsearch-certutil ca --silent --pem --days @@DAYS@@ \
    --ca-dn 'CN=@@NAME@@ Elasticsearch CA' --out "$work/ca.zip"
  unzip -q "$work/ca.zip" -d "$work"
  printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"@@SECRET@@","namespace":"@@NAMESPACE@@","labels":@@LABELS@@},"type":"Opaque","data":{"ca.crt":"%s","ca.key":"%s"}}' \
    "$(base64 -w0 "$work/ca/ca.crt")" "$(base64 -w0 "$work/ca/ca.key")" >"$work/secret.json"
  code=$(kube POST /api/v1/namespaces/@@NAMESPACE@@/secrets "$work/secret.json")
  rm -f "$work/secret.json" "$work/ca/ca.key"
  case "$code" in
    201) echo "created the CA Secret @@SECRET@@" ;;
    409) fail "the CA Secret @@SECRET@@ appeared meanwhile: the next attempt mounts it" ;;
    *) fail "creating the CA Secret @@SECRET@@: HTTP $code" ;;
  esac
  ca_crt="$work/ca/ca.crt"
fi
for ns in @@NAMESPACES@@; do
  printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"@@CERTSECRET@@","namespace":"%s","labels":@@LABELS@@},"type":"Opaque","data":{"ca.crt":"%s"}}' \
    "$ns" "$(base64 -w0 "$ca_crt")" >"$work/certificate.json"
  code=$(kube POST "/api/v1/namespaces/$ns/secrets" "$work/certificate.json")
  if [ "$code" = 409 ]; then
    code=$(kube PUT "/api/v1/namespaces/$ns/secrets/@@CERTSECRET@@" "$work/certificate.json")
  fi
  case "$code" in
    2??) echo "published the CA certificate as Secret $ns/@@CERTSECRET@@" ;;
    *) fail "publishing the CA certificate to $ns: HTTP $code" ;;
  esac
done
`, map[string]string{
		"CA": caMountPath, "HOME": esHome, "DAYS": fmt.Sprint(caValidityDays), "NAME": name, "NAMESPACE": namespace,
		"SECRET": keypairSecret, "CERTSECRET": certSecret, "NAMESPACES": strings.Join(namespaces, " "), "LABELS": labelsJSON,
	})
}

// setupScript sends the request bodies in order with the elastic user.
// Passwords (kibana_system, the log writer, the Grafana reader) are the
// only bodies built at run time, from the Secret, into a private temporary
// file.
func setupScript(calls []string, logWriter, grafanaReader bool) string {
	var b strings.Builder
	b.WriteString(`#!/usr/bin/env bash
# Applies the users, lifecycle policies, templates and snapshot policy. Generated.
set -euo pipefail
umask 077
: "${ES_URL:?}" "${ELASTIC_PASSWORD:?}" "${KIBANA_SYSTEM_PASSWORD:?}"
auth=$(printf 'elastic:%s' "$ELASTIC_PASSWORD" | base64 | tr -d '\n')
call() { # method path [body-file] -> HTTP status on stdout
  local code args=(-sS -o /tmp/response -w '%{http_code}' --max-time 60 --cacert ` + clientCAMountPath + `/ca.crt -X "$1" -H 'Content-Type: application/json')
  if [ $# -ge 3 ]; then args+=(--data-binary "@$3"); fi
  code=$(printf 'header = "Authorization: Basic %s"\n' "$auth" | curl "${args[@]}" -K - "$ES_URL$2") || code=000
  echo "$code"
}
request() { # method path body-file; fails on anything but 2xx
  local code
  code=$(call "$@")
  case "$code" in
    2??) echo "$1 $2: HTTP $code" ;;
    *) echo "$1 $2 failed: HTTP $code" >&2; cat /tmp/response >&2 2>/dev/null || true; echo >&2; exit 1 ;;
  esac
}
json_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
password_request() { # method path password [roles-json]
  local body=/tmp/password.json
  if [ $# -ge 4 ]; then
    printf '{"password":"%s","roles":%s}' "$(json_string "$3")" "$4" >"$body"
  else
    printf '{"password":"%s"}' "$(json_string "$3")" >"$body"
  fi
  request "$1" "$2" "$body"
  rm -f "$body"
}
for attempt in $(seq 1 60); do
  code=$(call GET '/_cluster/health?wait_for_status=yellow&timeout=10s')
  if [ "$code" = 200 ]; then break; fi
  if [ "$attempt" = 60 ]; then echo "Elasticsearch at $ES_URL is not available: HTTP $code" >&2; exit 1; fi
  echo "waiting for Elasticsearch ($attempt/60): HTTP $code"
  sleep 10
done
password_request POST /_security/user/kibana_system/_password "$KIBANA_SYSTEM_PASSWORD"
`)
	for _, c := range calls {
		b.WriteString(c + "\n")
	}
	if logWriter {
		b.WriteString(`: "${LOG_WRITER_PASSWORD:?}"
password_request PUT /_security/user/` + LogWriterUser + ` "$LOG_WRITER_PASSWORD" '["` + LogWriterRole + `"]'
`)
	}
	if grafanaReader {
		b.WriteString(`: "${GRAFANA_READER_PASSWORD:?}"
password_request PUT /_security/user/` + GrafanaReaderUser + ` "$GRAFANA_READER_PASSWORD" '["` + GrafanaReaderRole + `"]'
`)
	}
	b.WriteString("echo \"Elasticsearch is set up\"\n")
	return b.String()
}
