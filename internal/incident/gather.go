package incident

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/prometheus/common/model"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// kubeTimeout bounds each API call, so a slow API server cannot hold the
// rest of the data back.
const kubeTimeout = 30 * time.Second

// logWorkers is how many log streams are read at once: enough to be quick
// on a few dozen pods, few enough to stay polite to the API server.
const logWorkers = 4

// podRef is one application pod whose logs the logs step reads.
type podRef struct {
	namespace, name string
	containers      []containerRef
}

type containerRef struct {
	name string
	// started: the container ran (a pending container has no log to read).
	started bool
	// restarted: a previous instance exists; its last lines explain a crash.
	restarted bool
}

// writeFile writes data into the incident folder (0600: logs may hold
// personal data).
func (r *run) writeFile(rel string, data []byte) error {
	path := filepath.Join(r.plan.folder, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	r.addFile(rel)
	return nil
}

// pods is the pods step: pods and events of the application and platform
// namespaces, as a table (pods.txt, events.txt) and as JSON (pods.json).
func (r *run) pods(ctx context.Context) outcome {
	kube := r.plan.cfg.Kube
	if kube == nil {
		return skipped("no Kubernetes access was configured")
	}
	app := map[string]bool{}
	for _, ns := range r.plan.cfg.Namespaces {
		app[ns] = true
	}
	var namespaces []string
	for _, ns := range append(append([]string{}, r.plan.cfg.Namespaces...), r.plan.cfg.PlatformNamespaces...) {
		if !contains(namespaces, ns) {
			namespaces = append(namespaces, ns)
		}
	}

	var all corev1.PodList
	var events []corev1.Event
	var errs []error
	for _, ns := range namespaces {
		cctx, cancel := context.WithTimeout(ctx, kubeTimeout)
		list, err := kube.CoreV1().Pods(ns).List(cctx, metav1.ListOptions{})
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("list pods in %s: %w", ns, err))
			continue
		}
		sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Name < list.Items[j].Name })
		for _, pod := range list.Items {
			pod.ManagedFields = nil // noise in an incident folder
			all.Items = append(all.Items, pod)
			if app[ns] && r.plan.selector.Matches(labels.Set(pod.Labels)) {
				r.appPods = append(r.appPods, podRefOf(pod))
			}
		}
		cctx, cancel = context.WithTimeout(ctx, kubeTimeout)
		ev, err := kube.CoreV1().Events(ns).List(cctx, metav1.ListOptions{})
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("list events in %s: %w", ns, err))
			continue
		}
		for _, e := range ev.Items {
			if !eventTime(e).Before(r.res.WindowStart) {
				events = append(events, e)
			}
		}
	}
	r.podsListed = true

	all.APIVersion, all.Kind = "v1", "List"
	raw, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		errs = append(errs, err)
	} else if err := r.writeFile("pods.json", append(raw, '\n')); err != nil {
		errs = append(errs, err)
	}
	if err := r.writeFile("pods.txt", podTable(all.Items, r.plan.now)); err != nil {
		errs = append(errs, err)
	}
	if err := r.writeFile("events.txt", eventTable(events, r.plan.now)); err != nil {
		errs = append(errs, err)
	}
	notReady := 0
	for _, p := range all.Items {
		if !podReady(p) && p.Status.Phase != corev1.PodSucceeded {
			notReady++
		}
	}
	detail := fmt.Sprintf("%d pods in %s, %d not ready; %d events since %s", len(all.Items), strings.Join(namespaces, ", "), notReady, len(events), r.res.WindowStart.Format("15:04Z"))
	if len(errs) > 0 {
		return outcome{status: StatusFailed, detail: detail, err: errors.Join(errs...)}
	}
	return ok("%s", detail)
}

func podRefOf(pod corev1.Pod) podRef {
	ref := podRef{namespace: pod.Namespace, name: pod.Name}
	statuses := map[string]corev1.ContainerStatus{}
	for _, s := range append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...) {
		statuses[s.Name] = s
	}
	for _, c := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		s := statuses[c.Name]
		ref.containers = append(ref.containers, containerRef{
			name:      c.Name,
			started:   s.State.Running != nil || s.State.Terminated != nil || s.RestartCount > 0,
			restarted: s.RestartCount > 0,
		})
	}
	return ref
}

func podReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// podTable is kubectl get pods -A -o wide, more or less.
func podTable(pods []corev1.Pod, now time.Time) []byte {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAMESPACE\tNAME\tREADY\tSTATUS\tRESTARTS\tAGE\tNODE")
	for _, p := range pods {
		ready, restarts := 0, int32(0)
		for _, s := range p.Status.ContainerStatuses {
			if s.Ready {
				ready++
			}
			restarts += s.RestartCount
		}
		fmt.Fprintf(w, "%s\t%s\t%d/%d\t%s\t%d\t%s\t%s\n", p.Namespace, p.Name, ready, len(p.Spec.Containers),
			podStatus(p), restarts, age(p.CreationTimestamp.Time, now), orNone(p.Spec.NodeName))
	}
	_ = w.Flush()
	return []byte(b.String())
}

// podStatus is the reason kubectl would show: a waiting or terminated
// container's reason beats the phase (CrashLoopBackOff says more than
// Running).
func podStatus(p corev1.Pod) string {
	if p.DeletionTimestamp != nil {
		return "Terminating"
	}
	for _, s := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		if s.State.Waiting != nil && s.State.Waiting.Reason != "" {
			return s.State.Waiting.Reason
		}
		if t := s.State.Terminated; t != nil && t.ExitCode != 0 && t.Reason != "" {
			return t.Reason
		}
	}
	if p.Status.Reason != "" {
		return p.Status.Reason
	}
	return orNone(string(p.Status.Phase))
}

func eventTime(e corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	default:
		return e.FirstTimestamp.Time
	}
}

func eventTable(events []corev1.Event, now time.Time) []byte {
	sort.SliceStable(events, func(i, j int) bool { return eventTime(events[i]).Before(eventTime(events[j])) })
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAMESPACE\tLAST SEEN\tTYPE\tREASON\tOBJECT\tCOUNT\tMESSAGE")
	for _, e := range events {
		obj := strings.ToLower(e.InvolvedObject.Kind) + "/" + e.InvolvedObject.Name
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", e.Namespace, eventTime(e).UTC().Format(time.RFC3339), e.Type, e.Reason, obj, max(e.Count, 1),
			strings.ReplaceAll(e.Message, "\n", " "))
	}
	_ = w.Flush()
	return []byte(b.String())
}

func age(t, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// logs is the logs step: the window's logs of every started container of
// the application pods (kubectl logs --since), and the last lines of the
// previous instance of a restarted one, into logs/<namespace>/.
func (r *run) logs(ctx context.Context) outcome {
	if r.plan.cfg.Kube == nil {
		return skipped("no Kubernetes access was configured")
	}
	if !r.podsListed {
		return skipped("the pods were not listed")
	}
	type job struct {
		pod      podRef
		c        string
		previous bool
	}
	var jobs []job
	notStarted := 0
	for _, p := range r.appPods {
		for _, c := range p.containers {
			if !c.started {
				notStarted++
				continue
			}
			jobs = append(jobs, job{pod: p, c: c.name})
			if c.restarted {
				jobs = append(jobs, job{pod: p, c: c.name, previous: true})
			}
		}
	}
	since := max(1, int64(r.plan.cfg.LogWindow/time.Second)) // the API refuses 0
	limit := r.plan.cfg.LogLimitBytes
	var tail int64 = 500

	var mu sync.Mutex
	var errs []error
	files := make([]string, len(jobs))
	sem := make(chan struct{}, logWorkers)
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			opts := &corev1.PodLogOptions{Container: j.c, Timestamps: true, LimitBytes: &limit}
			name := j.pod.name + "." + j.c + ".log"
			if j.previous {
				opts.Previous, opts.TailLines = true, &tail
				name = j.pod.name + "." + j.c + ".previous.log"
			} else {
				opts.SinceSeconds = &since
			}
			rel := filepath.Join("logs", j.pod.namespace, name)
			if err := r.copyLog(ctx, j.pod.namespace, j.pod.name, opts, rel); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("logs of %s/%s container %s (previous=%v): %w", j.pod.namespace, j.pod.name, j.c, j.previous, err))
				mu.Unlock()
				return
			}
			files[i] = rel
		}()
	}
	wg.Wait()
	for _, f := range files {
		if f != "" {
			r.addFile(f)
		}
	}
	detail := fmt.Sprintf("%d log files from %d pods (last %s), %d containers not started", len(jobs)-len(errs), len(r.appPods), r.plan.cfg.LogWindow, notStarted)
	if len(errs) > 0 {
		return outcome{status: StatusFailed, detail: detail, err: errors.Join(errs...)}
	}
	return ok("%s", detail)
}

func (r *run) copyLog(ctx context.Context, ns, pod string, opts *corev1.PodLogOptions, rel string) error {
	cctx, cancel := context.WithTimeout(ctx, kubeTimeout)
	defer cancel()
	stream, err := r.plan.cfg.Kube.CoreV1().Pods(ns).GetLogs(pod, opts).Stream(cctx)
	if err != nil {
		return err
	}
	defer stream.Close()
	path := filepath.Join(r.plan.folder, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, stream); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// promResponse is the Prometheus HTTP API's instant-query answer.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string       `json:"resultType"`
		Result     model.Vector `json:"result"`
	} `json:"data"`
}

// promSnapshot runs one instant query at the incident's time and keeps the
// API's answer as it came (indented).
func (r *run) promSnapshot(ctx context.Context, query, file string, summarize func(model.Vector) string) outcome {
	base := r.plan.cfg.PrometheusURL
	if base == "" {
		return skipped("no Prometheus URL was given (the stack's in-cluster URL is not reachable from outside the cluster: port-forward Thanos Query and pass its local URL)")
	}
	u := strings.TrimRight(base, "/") + "/api/v1/query?" + url.Values{
		"query": {query}, "time": {strconv.FormatInt(r.plan.now.Unix(), 10)},
	}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return failed(fmt.Errorf("prometheus query %s: %w", query, err))
	}
	resp, err := r.plan.cfg.HTTPClient.Do(req)
	if err != nil {
		return failed(fmt.Errorf("prometheus query %s: %w. Fix: check that %s is reachable (kubectl port-forward running?)", query, err, base))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return failed(fmt.Errorf("prometheus query %s: read the answer: %w", query, err))
	}
	var out promResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return failed(fmt.Errorf("prometheus query %s: HTTP %s, not the Prometheus API (%v): %s", query, resp.Status, err, snippet(data)))
	}
	if out.Status != "success" {
		return failed(fmt.Errorf("prometheus query %s: HTTP %s: %s: %s", query, resp.Status, out.ErrorType, out.Error))
	}
	if err := r.writeFile(file, indentJSON(data)); err != nil {
		return failed(err)
	}
	return ok("%s", summarize(out.Data.Result))
}

func indentJSON(data []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return data
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// summarizeUp counts the targets and names the ones down.
func summarizeUp(v model.Vector) string {
	var down []string
	for _, s := range v {
		if s.Value == 0 {
			down = append(down, fmt.Sprintf("%s/%s", s.Metric["job"], s.Metric["instance"]))
		}
	}
	sort.Strings(down)
	out := fmt.Sprintf("%d targets, %d down", len(v), len(down))
	if len(down) > 0 {
		out += ": " + strings.Join(firstN(down, 10), ", ")
	}
	return out
}

// summarizeAlerts names the firing alerts with their severity.
func summarizeAlerts(v model.Vector) string {
	var names []string
	for _, s := range v {
		n := string(s.Metric["alertname"])
		if sev := s.Metric["severity"]; sev != "" {
			n += " (" + string(sev) + ")"
		}
		if !contains(names, n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := fmt.Sprintf("%d firing", len(v))
	if len(names) > 0 {
		out += ": " + strings.Join(firstN(names, 10), ", ")
	}
	return out
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
}
