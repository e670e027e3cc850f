package stacks

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// compactorMinRawRetention is the Thanos compactor's floor for raw data when
// downsampling is on: it needs 40h of raw blocks to build 5m resolution.
const compactorMinRawRetention = 40 * time.Hour

// logRollover is the log data streams' rollover age (the Elasticsearch
// component's default); a retention under it would never delete on time.
const logRollover = 24 * time.Hour

var (
	awsRegion  = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	iamRoleArn = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
)

// validate checks ranges, formats and consistency of a decoded Config.
func validate(ps *problems, c *Config) {
	dnsLabel(ps, "environment", c.Environment, true)
	dnsLabel(ps, "cluster", c.Cluster, true)

	k := c.Kubernetes
	if k.RenderDir != "" {
		if filepath.IsAbs(k.RenderDir) || strings.HasPrefix(filepath.Clean(k.RenderDir), "..") {
			ps.add("kubernetes.renderDir", fmt.Sprintf("%q must be a path inside the project", k.RenderDir),
				"use a relative path such as rendered/local, so the state does not depend on where the repo is checked out")
		}
		if k.Context != "" || k.Kubeconfig != "" {
			ps.add("kubernetes.renderDir", "is set together with kubeconfig/context",
				"set renderDir to render offline, or kubeconfig/context to deploy to a cluster, not both")
		}
	}

	ns := c.Namespaces
	seen := map[string]string{}
	for _, n := range []struct{ key, val string }{
		{"namespaces.monitoring", ns.Monitoring}, {"namespaces.logging", ns.Logging}, {"namespaces.tracing", ns.Tracing},
	} {
		dnsLabel(ps, n.key, n.val, true)
		if other, dup := seen[n.val]; dup && n.val != "" {
			ps.add(n.key, fmt.Sprintf("%q is also used by %s", n.val, other), "give each observability namespace its own name")
		}
		seen[n.val] = n.key
	}
	for i, n := range c.Network.ApplicationNamespaces {
		dnsLabel(ps, fmt.Sprintf("network.applicationNamespaces[%d]", i), n, true)
	}
	for i, n := range c.Network.IngressNamespaces {
		dnsLabel(ps, fmt.Sprintf("network.ingressNamespaces[%d]", i), n, true)
	}
	for i, p := range c.Network.ExternalEgressPorts {
		if p < 1 || p > 65535 {
			ps.add(fmt.Sprintf("network.externalEgressPorts[%d]", i), fmt.Sprintf("%d is not a TCP port", p), "use a port from 1 to 65535")
		}
	}

	q := c.Quota
	reqCPU := quantity(ps, "quota.requestsCpu", q.RequestsCPU)
	limCPU := quantity(ps, "quota.limitsCpu", q.LimitsCPU)
	reqMem := quantity(ps, "quota.requestsMemory", q.RequestsMemory)
	limMem := quantity(ps, "quota.limitsMemory", q.LimitsMemory)
	quantity(ps, "quota.requestsStorage", q.RequestsStorage)
	notAbove(ps, "quota.requestsCpu", reqCPU, "quota.limitsCpu", limCPU)
	notAbove(ps, "quota.requestsMemory", reqMem, "quota.limitsMemory", limMem)
	atLeast(ps, "quota.pods", q.Pods, 1)
	atLeast(ps, "quota.persistentVolumeClaims", q.PersistentVolumeClaims, 0)

	l := c.LimitRange
	drCPU := quantity(ps, "limitRange.defaultRequestCpu", l.DefaultRequestCPU)
	dCPU := quantity(ps, "limitRange.defaultCpu", l.DefaultCPU)
	mCPU := quantity(ps, "limitRange.maxCpu", l.MaxCPU)
	drMem := quantity(ps, "limitRange.defaultRequestMemory", l.DefaultRequestMemory)
	dMem := quantity(ps, "limitRange.defaultMemory", l.DefaultMemory)
	mMem := quantity(ps, "limitRange.maxMemory", l.MaxMemory)
	notAbove(ps, "limitRange.defaultRequestCpu", drCPU, "limitRange.defaultCpu", dCPU)
	notAbove(ps, "limitRange.defaultCpu", dCPU, "limitRange.maxCpu", mCPU)
	notAbove(ps, "limitRange.defaultRequestMemory", drMem, "limitRange.defaultMemory", dMem)
	notAbove(ps, "limitRange.defaultMemory", dMem, "limitRange.maxMemory", mMem)

	r := c.Retention
	md := duration(ps, "retention.metrics.detailed", r.Metrics.Detailed)
	ma := duration(ps, "retention.metrics.aggregated", r.Metrics.Aggregated)
	la := duration(ps, "retention.logs.application", r.Logs.Application)
	lu := duration(ps, "retention.logs.audit", r.Logs.Audit)
	td := duration(ps, "retention.traces.detailed", r.Traces.Detailed)
	ts := duration(ps, "retention.traces.sampled", r.Traces.Sampled)
	longer(ps, "retention.metrics.aggregated", ma, "retention.metrics.detailed", md)
	longer(ps, "retention.logs.audit", lu, "retention.logs.application", la)
	longer(ps, "retention.traces.sampled", ts, "retention.traces.detailed", td)
	for _, l := range []struct {
		key string
		d   time.Duration
	}{{"retention.logs.application", la}, {"retention.logs.audit", lu}} {
		if l.d > 0 && l.d < logRollover {
			ps.add(l.key, "is shorter than the daily rollover of the log data streams",
				"keep logs at least 1d: indices roll over daily and are deleted a retention after rollover")
		}
	}
	if md > 0 && md < compactorMinRawRetention {
		ps.add("retention.metrics.detailed", fmt.Sprintf("%s is under 40h", r.Metrics.Detailed),
			"keep raw metrics at least 40h: the Thanos compactor needs them to downsample")
	}

	p := c.Prometheus
	atLeast(ps, "prometheus.replicas", p.Replicas, 1)
	quantity(ps, "prometheus.storageSize", p.StorageSize)
	pl := duration(ps, "prometheus.localRetention", p.LocalRetention)
	duration(ps, "prometheus.scrapeInterval", p.ScrapeInterval)
	if pl > 0 && md > 0 && pl > md {
		ps.add("prometheus.localRetention", fmt.Sprintf("%s is longer than "+full("retention.metrics.detailed")+" (%s)", p.LocalRetention, r.Metrics.Detailed),
			"keep local retention shorter: long-term data lives in object storage")
	}

	atLeast(ps, "thanos.storeReplicas", c.Thanos.StoreReplicas, 1)
	atLeast(ps, "thanos.queryReplicas", c.Thanos.QueryReplicas, 1)
	quantity(ps, "thanos.storeStorageSize", c.Thanos.StoreStorageSize)
	quantity(ps, "thanos.compactorStorageSize", c.Thanos.CompactorStorageSize)
	if !c.AWS.Enabled {
		quantity(ps, "thanos.filesystemBucketSize", c.Thanos.FilesystemBucketSize)
	}

	tr := c.Tracing
	atLeast(ps, "tracing.cassandraReplicas", tr.CassandraReplicas, 1)
	if tr.CassandraReplicas == 2 {
		ps.add("tracing.cassandraReplicas", "2 Cassandra nodes cannot keep a quorum (losing either stops writes)", "use 1 (no HA) or 3 or more")
	}
	quantity(ps, "tracing.cassandraStorageSize", tr.CassandraStorageSize)
	if tr.SampledRatio <= 0 || tr.SampledRatio > 1 {
		ps.add("tracing.sampledRatio", fmt.Sprintf("%g is not a fraction in (0, 1]", tr.SampledRatio),
			"use e.g. 0.1 to keep one trace in ten for retention.traces.sampled")
	}
	atLeast(ps, "tracing.collectorReplicas", tr.CollectorReplicas, 1)

	atLeast(ps, "alertmanager.replicas", c.Alertmanager.Replicas, 1)
	quantity(ps, "alertmanager.storageSize", c.Alertmanager.StorageSize)

	es := c.Elasticsearch
	atLeast(ps, "elasticsearch.replicas", es.Replicas, 1)
	if es.Replicas == 2 {
		ps.add("elasticsearch.replicas", "2 nodes cannot form a quorum (losing either stops the cluster)", "use 1 (no HA) or 3 or more")
	}
	esMem := quantity(ps, "elasticsearch.memoryLimit", es.MemoryLimit)
	quantity(ps, "elasticsearch.cpuLimit", es.CPULimit)
	quantity(ps, "elasticsearch.storageSize", es.StorageSize)
	if heap := quantity(ps, "elasticsearch.heap", es.Heap); heap != nil && esMem != nil && heap.Value()*2 > esMem.Value() {
		ps.add("elasticsearch.heap", fmt.Sprintf("%s is more than half of elasticsearch.memoryLimit (%s)", es.Heap, es.MemoryLimit),
			"keep the heap at most 50% of the memory limit: Lucene needs the rest as file cache; lower the heap or raise the limit")
	}
	if !slices.Contains([]string{"init-container", "node", "no-mmap"}, es.MaxMapCount) {
		ps.add("elasticsearch.maxMapCount", fmt.Sprintf("%q is not a known way to meet vm.max_map_count", es.MaxMapCount),
			`use "init-container" (a privileged init container sets it), "node" (the nodes already set 262144) or "no-mmap"`)
	}
	if !c.AWS.Enabled {
		quantity(ps, "elasticsearch.snapshotVolumeSize", es.SnapshotVolumeSize)
	}
	atLeast(ps, "kibana.replicas", c.Kibana.Replicas, 1)
	atLeast(ps, "logstash.replicas", c.Logstash.Replicas, 1)
	for _, h := range []struct{ key, host string }{{"kibana.ingressHost", c.Kibana.IngressHost}} {
		if h.host != "" && len(validation.IsDNS1123Subdomain(h.host)) > 0 {
			ps.add(h.key, fmt.Sprintf("%q is not a host name", h.host), "use a host such as kibana.klearkarma.com, or leave it empty for no Ingress")
		}
	}

	if c.AWS.Enabled {
		for _, r := range []struct {
			key string
			d   Duration
		}{{"retention.logs.application", r.Logs.Application}, {"retention.logs.audit", r.Logs.Audit}} {
			if r.d.Err() == nil && !slices.Contains(cloudWatchRetentionDays, r.d.Days()) {
				ps.add(r.key, fmt.Sprintf("%s (%d days) is not a retention CloudWatch Logs accepts", r.d, r.d.Days()),
					fmt.Sprintf("use one of %v days", cloudWatchRetentionDays))
			}
		}
		if !awsRegion.MatchString(c.AWS.Region) {
			ps.add("aws.region", fmt.Sprintf("%q is not an AWS region", c.AWS.Region), "use a region such as us-east-1")
		}
		if r := c.AWS.ObjectStorageRoleArn; r != "" && !iamRoleArn.MatchString(r) {
			ps.add("aws.objectStorageRoleArn", fmt.Sprintf("%q is not an IAM role ARN", r), "use arn:aws:iam::<account>:role/<name>, or leave it empty")
		}
		if c.AWS.DailyBudgetUSD <= 0 {
			ps.add("aws.dailyBudgetUsd", fmt.Sprintf("%v is not a budget", c.AWS.DailyBudgetUSD), "set a positive number of US dollars, such as 500")
		}
	}

	if c.Slack.Enabled {
		for _, team := range []string{"critical", "backend", "infrastructure"} {
			ch := c.Slack.Channels[team]
			if !strings.HasPrefix(ch, "#") || len(ch) < 2 {
				ps.add("slack.channels."+team, fmt.Sprintf("%q is not a Slack channel", ch), "set a channel name starting with #, such as #backend-alerts")
			}
		}
	}

	if c.Email.Enabled {
		e := c.Email
		if host, port, err := net.SplitHostPort(e.Smarthost); err != nil || host == "" || port == "" {
			ps.add("email.smarthost", fmt.Sprintf("%q is not host:port", e.Smarthost), "use a value such as smtp.gmail.com:587")
		}
		for _, a := range []struct{ key, val string }{
			{"email.from", e.From}, {"email.username", e.Username}, {"email.defaultTo", e.DefaultTo}, {"email.productTo", e.ProductTo},
		} {
			if _, err := mail.ParseAddress(a.val); err != nil {
				ps.add(a.key, fmt.Sprintf("%q is not an email address", a.val), "use an address such as alerts@klearkarma.com")
			}
		}
	}

	if u, err := url.Parse(p.RunbookBaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		ps.add("prometheus.runbookBaseUrl", fmt.Sprintf("%q is not an http(s) URL", p.RunbookBaseURL), "use a URL such as https://runbooks.klearkarma.com/alerts")
	}

	if c.PagerDuty.Enabled {
		if r := c.PagerDuty.ServiceRegion; r != "" && r != "us" && r != "eu" {
			ps.add("pagerduty.serviceRegion", fmt.Sprintf("%q is not a PagerDuty service region", r), `use "us" or "eu"`)
		}
		for _, team := range PagerDutyTeams {
			r, ok := c.PagerDuty.Teams[team]
			key := "pagerduty.teams." + team
			if !ok || len(r.Emails)+len(r.Schedules) == 0 {
				ps.add(key, "has no responders", "list the team's PagerDuty users under emails, or its schedule ids under schedules")
			}
			for i, e := range r.Emails {
				if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
					ps.add(fmt.Sprintf("%s.emails[%d]", key, i), fmt.Sprintf("%q is not an email address", e), "use the address the user logs in to PagerDuty with, such as jane@klearkarma.com")
				}
			}
		}
		for team := range c.PagerDuty.Teams {
			if !slices.Contains(PagerDutyTeams, team) {
				ps.add("pagerduty.teams."+team, "is not a team the alert rules route to", suggest("pagerduty.teams", team, PagerDutyTeams))
			}
		}
	}
	if c.Grafana.AdminUser == "" {
		ps.add("grafana.adminUser", "is empty", `set the admin login, such as "admin"`)
	}
	if h := c.Grafana.IngressHost; h != "" {
		if errs := validation.IsDNS1123Subdomain(h); len(errs) > 0 {
			ps.add("grafana.ingressHost", fmt.Sprintf("%q is not a host name", h), "use a host such as grafana.klearkarma.com, or leave it empty for no Ingress")
		}
	}

	if c.Grafana.URL != "" {
		u, err := url.Parse(c.Grafana.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			ps.add("grafana.url", fmt.Sprintf("%q is not an http(s) URL", c.Grafana.URL), "use the root URL such as https://grafana.klearkarma.com, or leave it empty")
		}
	}
}

func dnsLabel(ps *problems, key, val string, required bool) {
	if val == "" {
		if required {
			ps.add(key, "is not set", "set a lower-case DNS-1123 label such as \"prod\"")
		}
		return
	}
	if errs := validation.IsDNS1123Label(val); len(errs) > 0 {
		ps.add(key, fmt.Sprintf("%q is not a DNS-1123 label (%s)", val, strings.Join(errs, "; ")),
			"use lower-case letters, digits and '-', starting and ending with a letter or digit")
	}
}

func quantity(ps *problems, key, val string) *resource.Quantity {
	q, err := resource.ParseQuantity(val)
	if err != nil {
		ps.add(key, fmt.Sprintf("%q is not a Kubernetes quantity", val), "use a quantity such as 500m, 2, 512Mi or 50Gi")
		return nil
	}
	if q.Sign() <= 0 {
		ps.add(key, fmt.Sprintf("%q is not positive", val), "use a positive quantity")
		return nil
	}
	return &q
}

func notAbove(ps *problems, lowKey string, low *resource.Quantity, highKey string, high *resource.Quantity) {
	if low != nil && high != nil && low.Cmp(*high) > 0 {
		ps.add(lowKey, fmt.Sprintf("%s is above %s (%s)", low.String(), full(highKey), high.String()),
			fmt.Sprintf("lower %s or raise %s", full(lowKey), full(highKey)))
	}
}

func atLeast(ps *problems, key string, val, minimum int) {
	if val < minimum {
		ps.add(key, fmt.Sprintf("%d is below %d", val, minimum), fmt.Sprintf("set %d or more", minimum))
	}
}

func duration(ps *problems, key string, d Duration) time.Duration {
	if d.Err() != nil {
		ps.add(key, fmt.Sprintf("%q is not a duration (%v)", d.String(), d.Err()), `use a Prometheus duration such as "90d", "456d" (15 months) or "5y"`)
		return 0
	}
	return d.Std()
}

func longer(ps *problems, longKey string, long time.Duration, shortKey string, short time.Duration) {
	if long > 0 && short > 0 && long < short {
		ps.add(longKey, fmt.Sprintf("is shorter than %s", full(shortKey)),
			fmt.Sprintf("keep %s at least as long as %s", full(longKey), full(shortKey)))
	}
}

// cloudWatchRetentionDays are the retention periods CloudWatch Logs accepts.
var cloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// full names a key with its namespace, as users type it.
func full(key string) string { return Namespace + ":" + key }
