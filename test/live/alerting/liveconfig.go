package alerting

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// StaticTarget is one scrape target standing in for what Kubernetes
// service discovery would find: its address and the __meta_kubernetes_*
// labels the rendered relabelling reads.
type StaticTarget struct {
	Addr   string
	Labels map[string]string
}

// PrometheusLive is what differs between the rendered prometheus.yml and
// the one the live test runs: service discovery and paths.
type PrometheusLive struct {
	// RulesDir holds the rendered rule files.
	RulesDir string
	// Alertmanagers are the live cluster's host:port addresses.
	Alertmanagers []string
	// Targets are the static targets by job name; jobs without any keep no
	// targets.
	Targets map[string][]StaticTarget
	// ServiceAccountDir stands in for /var/run/secrets/kubernetes.io/serviceaccount.
	ServiceAccountDir string
}

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount/"

// LivePrometheusConfig returns the rendered prometheus.yml with every
// kubernetes_sd_configs replaced by static_configs, the Alertmanager targets
// replaced by the live cluster's, the rule files' directory and the service
// account paths moved; everything else (global settings and external
// labels, relabelling, alert relabelling, timeouts) is kept as rendered.
func LivePrometheusConfig(rendered string, live PrometheusLive) (string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(rendered), &doc); err != nil {
		return "", fmt.Errorf("parse rendered prometheus.yml: %w", err)
	}
	root := doc.Content[0]
	jobs := map[string]bool{}
	for _, sc := range get(root, "scrape_configs").Content {
		job := get(sc, "job_name").Value
		jobs[job] = true
		del(sc, "kubernetes_sd_configs")
		var groups []any
		for _, t := range live.Targets[job] {
			groups = append(groups, map[string]any{"targets": []string{t.Addr}, "labels": t.Labels})
		}
		if len(groups) > 0 {
			set(sc, "static_configs", groups)
		}
	}
	for job := range live.Targets {
		if !jobs[job] {
			return "", fmt.Errorf("the rendered prometheus.yml has no scrape job %q (jobs: %v)", job, slices.Sorted(maps.Keys(jobs)))
		}
	}
	ams := get(root, "alerting", "alertmanagers")
	if ams == nil || len(ams.Content) != 1 {
		return "", errors.New("the rendered prometheus.yml does not have exactly one alertmanagers entry")
	}
	set(ams.Content[0], "static_configs", []any{map[string]any{"targets": live.Alertmanagers}})
	set(root, "rule_files", []string{filepath.Join(live.RulesDir, "*.yaml")})
	walkScalars(root, func(key string, v *yaml.Node) {
		if (key == "ca_file" || key == "credentials_file") && strings.HasPrefix(v.Value, serviceAccountDir) {
			v.Value = filepath.Join(live.ServiceAccountDir, strings.TrimPrefix(v.Value, serviceAccountDir))
		}
	})
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// SameExceptLive reports whether two prometheus.yml files agree in
// everything LivePrometheusConfig may change.
func SameExceptLive(rendered, live string) error {
	a, err := stripLive(rendered)
	if err != nil {
		return err
	}
	b, err := stripLive(live)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(a, b) {
		ya, _ := yaml.Marshal(a)
		yb, _ := yaml.Marshal(b)
		return fmt.Errorf("the live prometheus.yml differs from the rendered one beyond discovery and paths:\nrendered:\n%s\nlive:\n%s", ya, yb)
	}
	return nil
}

func stripLive(text string) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		return nil, err
	}
	delete(m, "rule_files")
	for _, sc := range asSlice(m["scrape_configs"]) {
		scm := sc.(map[string]any)
		delete(scm, "kubernetes_sd_configs")
		delete(scm, "static_configs")
	}
	if al, ok := m["alerting"].(map[string]any); ok {
		for _, am := range asSlice(al["alertmanagers"]) {
			delete(am.(map[string]any), "static_configs")
		}
	}
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k == "ca_file" || k == "credentials_file" {
					delete(x, k)
					continue
				}
				strip(c)
			}
		case []any:
			for _, c := range x {
				strip(c)
			}
		}
	}
	strip(m)
	return m, nil
}

// get walks mapping keys; nil when a step is missing.
func get(n *yaml.Node, path ...string) *yaml.Node {
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

func del(n *yaml.Node, key string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return
		}
	}
}

func set(n *yaml.Node, key string, v any) {
	var val yaml.Node
	_ = val.Encode(v)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			n.Content[i+1] = &val
			return
		}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &val)
}

func walkScalars(n *yaml.Node, f func(key string, v *yaml.Node)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i+1].Kind == yaml.ScalarNode {
				f(n.Content[i].Value, n.Content[i+1])
			} else {
				walkScalars(n.Content[i+1], f)
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			walkScalars(c, f)
		}
	}
}

// AlertmanagerLive is what differs between the rendered alertmanager.yml and
// the one the live test runs: where credentials are mounted and where the
// receivers are (the fakes on loopback instead of PagerDuty, Slack and the
// mail provider). Slack's webhook URL is a credential, so it moves with the
// secrets directory and needs no edit.
type AlertmanagerLive struct {
	// SecretsDir stands in for the Secret's mount.
	SecretsDir string
	// SecretsMount is the rendered mount path the *_file fields use.
	SecretsMount string
	// Smarthost is the fake SMTP server's host:port.
	Smarthost string
	// PagerDutyURL is the fake Events API's enqueue URL.
	PagerDutyURL string
}

// LiveAlertmanagerConfig returns the rendered alertmanager.yml with the
// secret files moved, every smarthost pointed at the fake SMTP server and a
// global pagerduty_url (the rendered file sets none, so Alertmanager's
// default, PagerDuty's own endpoint, applies) pointed at the fake Events API.
func LiveAlertmanagerConfig(rendered string, live AlertmanagerLive) (string, error) {
	mount := strings.TrimRight(live.SecretsMount, "/") + "/"
	if !strings.Contains(rendered, mount) {
		return "", fmt.Errorf("the rendered alertmanager.yml references no file under %s", mount)
	}
	out := strings.ReplaceAll(rendered, mount, strings.TrimRight(live.SecretsDir, "/")+"/")
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		return "", fmt.Errorf("parse rendered alertmanager.yml: %w", err)
	}
	root := doc.Content[0]
	if get(root, "global") != nil {
		return "", errors.New("the rendered alertmanager.yml now has a global section: merge pagerduty_url into it")
	}
	hosts := 0
	walkScalars(root, func(key string, v *yaml.Node) {
		if key == "smarthost" {
			v.Value = live.Smarthost
			hosts++
		}
	})
	if hosts == 0 && strings.Contains(rendered, "email_configs") {
		return "", errors.New("the rendered alertmanager.yml has email_configs without a smarthost")
	}
	global := &yaml.Node{Kind: yaml.MappingNode}
	set(global, "pagerduty_url", live.PagerDutyURL)
	root.Content = append([]*yaml.Node{{Kind: yaml.ScalarNode, Value: "global"}, global}, root.Content...)
	b, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
