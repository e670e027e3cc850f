package program

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"

	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/stacks"
)

// The platform fences each namespace with a ResourceQuota and a LimitRange
// (stack config quota and limitRange). A workload the quota cannot hold is
// refused by the API server at `up`, after everything before it was
// created and after a readiness wait. Preflight finds that before anything
// registers: it evaluates the program under an in-memory mock, adds up what
// each namespace's pods request and limit at their peak (replicas, rolling-
// update surge, DaemonSet pods on every node, Jobs, init containers, the
// LimitRange defaults of containers that set none), and reports every key
// that is too small with the smallest value that fits.

// Footprint is what one namespace's workloads need at their peak.
type Footprint struct {
	RequestsCPU, RequestsMemory, LimitsCPU, LimitsMemory, RequestsStorage resource.Quantity
	Pods, PersistentVolumeClaims                                          int
	// Largest is the largest limit of one container, for the LimitRange.
	LargestCPU, LargestMemory resource.Quantity
	// Why lists each workload's share, for the error message.
	Why []string
}

// Footprints evaluates the program for cfg under a mock and returns each
// namespace's footprint. Secrets the stack does not set are placeholders:
// only shapes are read, never values.
func Footprints(cfg *stacks.Config) (map[string]*Footprint, error) {
	m := &workloadRecorder{}
	c := *cfg
	c.Secrets = stacks.PlaceholderSecrets()
	// No Lambda build: only pod shapes are read (an empty archive path
	// leaves the cost exporter, which runs no pod, out).
	noZip := func(context.Context) (string, string, error) { return "", "", nil }
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return build(ctx, &c, noZip) },
		pulumi.WithMocks(stacks.Namespace, "preflight", m))
	if err != nil {
		return nil, fmt.Errorf("preflight: evaluate the program: %w", err)
	}
	return m.footprints(cfg.LimitRange, cfg.Kubernetes.Nodes)
}

// Preflight refuses a quota or LimitRange that cannot hold the platform's
// own workloads, as configuration problems of the stack.
func Preflight(stack string, cfg *stacks.Config) error {
	fps, err := Footprints(cfg)
	if err != nil {
		return err
	}
	return checkFences(stack, cfg, fps)
}

type need struct {
	field string
	have  resource.Quantity
	want  func(*Footprint) resource.Quantity
	what  string
}

func checkFences(stack string, cfg *stacks.Config, fps map[string]*Footprint) error {
	q, l := cfg.Quota, cfg.LimitRange
	qty := func(s string) resource.Quantity { v, _ := resource.ParseQuantity(s); return v }
	count := func(n int) resource.Quantity { return *resource.NewQuantity(int64(n), resource.DecimalSI) }
	needs := []need{
		{"quota.requestsCpu", qty(q.RequestsCPU), func(f *Footprint) resource.Quantity { return f.RequestsCPU }, "CPU requests"},
		{"quota.requestsMemory", qty(q.RequestsMemory), func(f *Footprint) resource.Quantity { return f.RequestsMemory }, "memory requests"},
		{"quota.limitsCpu", qty(q.LimitsCPU), func(f *Footprint) resource.Quantity { return f.LimitsCPU }, "CPU limits"},
		{"quota.limitsMemory", qty(q.LimitsMemory), func(f *Footprint) resource.Quantity { return f.LimitsMemory }, "memory limits"},
		{"quota.requestsStorage", qty(q.RequestsStorage), func(f *Footprint) resource.Quantity { return f.RequestsStorage }, "volume storage"},
		{"quota.pods", count(q.Pods), func(f *Footprint) resource.Quantity { return count(f.Pods) }, "pods"},
		{"quota.persistentVolumeClaims", count(q.PersistentVolumeClaims), func(f *Footprint) resource.Quantity { return count(f.PersistentVolumeClaims) }, "volume claims"},
		{"limitRange.maxCpu", qty(l.MaxCPU), func(f *Footprint) resource.Quantity { return f.LargestCPU }, "the largest container CPU limit"},
		{"limitRange.maxMemory", qty(l.MaxMemory), func(f *Footprint) resource.Quantity { return f.LargestMemory }, "the largest container memory limit"},
	}
	namespaces := make([]string, 0, len(fps))
	for ns := range fps {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	var problems []stacks.Problem
	for _, n := range needs {
		var worst resource.Quantity
		var worstNS string
		for _, ns := range namespaces {
			if v := n.want(fps[ns]); v.Cmp(worst) > 0 {
				worst, worstNS = v, ns
			}
		}
		if worstNS == "" || worst.Cmp(n.have) <= 0 {
			continue
		}
		problems = append(problems, stacks.Problem{
			Key: stacks.Namespace + ":" + n.field,
			Problem: fmt.Sprintf("%s is too small: namespace %s needs %s of %s at its peak (%s)",
				n.have.String(), worstNS, worst.String(), n.what, strings.Join(fps[worstNS].Why, ", ")),
			Fix: fmt.Sprintf("raise %s:%s to at least %s (or shrink the workloads)", stacks.Namespace, n.field, worst.String()),
		})
	}
	if len(problems) == 0 {
		return nil
	}
	return &stacks.ConfigError{Stack: stack, Problems: problems}
}

// workloadRecorder is the mock monitor of Footprints: it keeps the inputs of
// pod-bearing objects and volume claims, and echoes every input as output.
type workloadRecorder struct {
	mu      sync.Mutex
	objects []recordedObject
}

type recordedObject struct {
	kind string
	obj  map[string]any
}

var podBearing = map[string]string{
	"kubernetes:apps/v1:Deployment":            "Deployment",
	"kubernetes:apps/v1:StatefulSet":           "StatefulSet",
	"kubernetes:apps/v1:DaemonSet":             "DaemonSet",
	"kubernetes:batch/v1:Job":                  "Job",
	"kubernetes:batch/v1:CronJob":              "CronJob",
	"kubernetes:core/v1:PersistentVolumeClaim": "PersistentVolumeClaim",
}

func (m *workloadRecorder) NewResource(args pulumi.MockResourceArgs) (string, presource.PropertyMap, error) {
	if kind, ok := podBearing[args.TypeToken]; ok {
		m.mu.Lock()
		m.objects = append(m.objects, recordedObject{kind: kind, obj: plain(args.Inputs)})
		m.mu.Unlock()
	}
	outputs := args.Inputs.Copy()
	if p, ok := args.Inputs["bucketPrefix"]; ok && p.IsString() && !args.Inputs.HasValue("bucket") {
		outputs["bucket"] = presource.NewStringProperty(p.StringValue() + "preflight")
	}
	return args.Name + "-id", outputs, nil
}

func (m *workloadRecorder) Call(args pulumi.MockCallArgs) (presource.PropertyMap, error) {
	return args.Args, nil
}

// plain turns recorded inputs into JSON-like values, secrets unwrapped.
func plain(m presource.PropertyMap) map[string]any {
	return presource.NewObjectProperty(m).MapRepl(nil, func(v presource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return presource.NewObjectProperty(presource.PropertyMap{"v": v.SecretValue().Element}).MapRepl(nil, nil).(map[string]any)["v"], true
		}
		if v.IsComputed() || v.IsOutput() {
			return nil, true
		}
		return nil, false
	}).(map[string]any)
}

func decode(obj map[string]any, into any) error {
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

func (m *workloadRecorder) footprints(lr platform.LimitRange, nodes int) (map[string]*Footprint, error) {
	if nodes < 1 {
		nodes = 1
	}
	defaults := containerDefaults(lr)
	out := map[string]*Footprint{}
	for _, o := range m.objects {
		w, err := decodeWorkload(o, nodes)
		if err != nil {
			return nil, fmt.Errorf("preflight: %s: %w", o.kind, err)
		}
		f := out[w.namespace]
		if f == nil {
			f = &Footprint{}
			out[w.namespace] = f
		}
		f.add(o.kind, w, defaults)
	}
	return out, nil
}

// workloadShape is what one object puts in its namespace at its peak.
type workloadShape struct {
	namespace, name string
	pods            int
	spec            corev1.PodSpec
	claims          []corev1.PersistentVolumeClaim
}

// decodeWorkload reads a recorded object as its Kubernetes type.
func decodeWorkload(o recordedObject, nodes int) (workloadShape, error) {
	var w workloadShape
	switch o.kind {
	case "Deployment":
		var d appsv1.Deployment
		if err := decode(o.obj, &d); err != nil {
			return w, err
		}
		w = workloadShape{d.Namespace, d.Name, replicas(d.Spec.Replicas) + surge(d), d.Spec.Template.Spec, nil}
	case "StatefulSet":
		var s appsv1.StatefulSet
		if err := decode(o.obj, &s); err != nil {
			return w, err
		}
		w = workloadShape{s.Namespace, s.Name, replicas(s.Spec.Replicas), s.Spec.Template.Spec, nil}
		for _, c := range s.Spec.VolumeClaimTemplates {
			for i := 0; i < w.pods; i++ {
				w.claims = append(w.claims, c)
			}
		}
	case "DaemonSet":
		var d appsv1.DaemonSet
		if err := decode(o.obj, &d); err != nil {
			return w, err
		}
		w = workloadShape{d.Namespace, d.Name, nodes, d.Spec.Template.Spec, nil}
	case "Job":
		var j batchv1.Job
		if err := decode(o.obj, &j); err != nil {
			return w, err
		}
		w = workloadShape{j.Namespace, j.Name, replicas(j.Spec.Parallelism), j.Spec.Template.Spec, nil}
	case "CronJob":
		var c batchv1.CronJob
		if err := decode(o.obj, &c); err != nil {
			return w, err
		}
		w = workloadShape{c.Namespace, c.Name, 1, c.Spec.JobTemplate.Spec.Template.Spec, nil}
	case "PersistentVolumeClaim":
		var c corev1.PersistentVolumeClaim
		if err := decode(o.obj, &c); err != nil {
			return w, err
		}
		w = workloadShape{namespace: c.Namespace, name: c.Name, claims: []corev1.PersistentVolumeClaim{c}}
	}
	return w, nil
}

// add counts one workload's pods and claims into the footprint.
func (f *Footprint) add(kind string, w workloadShape, defaults defaultsFor) {
	if w.pods > 0 {
		p := podResources(w.spec, defaults)
		f.Pods += w.pods
		addTimes(&f.RequestsCPU, p.requestsCPU, w.pods)
		addTimes(&f.RequestsMemory, p.requestsMemory, w.pods)
		addTimes(&f.LimitsCPU, p.limitsCPU, w.pods)
		addTimes(&f.LimitsMemory, p.limitsMemory, w.pods)
		maxInto(&f.LargestCPU, p.largestCPU)
		maxInto(&f.LargestMemory, p.largestMemory)
		f.Why = append(f.Why, fmt.Sprintf("%s %s: %d pod(s) x %s/%s limits", strings.ToLower(kind), w.name, w.pods, p.limitsCPU.String(), p.limitsMemory.String()))
	}
	for _, c := range w.claims {
		f.PersistentVolumeClaims++
		if s, ok := c.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
			f.RequestsStorage.Add(s)
		}
	}
}

func replicas(r *int32) int {
	if r == nil {
		return 1
	}
	return int(*r)
}

// surge is the extra pods a rolling update of a Deployment runs at once
// (maxSurge, 25% rounded up by default; none with Recreate).
func surge(d appsv1.Deployment) int {
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return 0
	}
	r := replicas(d.Spec.Replicas)
	s := intstr.FromString("25%")
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		s = *ru.MaxSurge
	}
	if s.Type == intstr.Int {
		return s.IntValue()
	}
	var pct float64
	if _, err := fmt.Sscanf(s.StrVal, "%g%%", &pct); err != nil {
		return 1
	}
	return int(math.Ceil(float64(r) * pct / 100))
}

type podFootprint struct {
	requestsCPU, requestsMemory, limitsCPU, limitsMemory resource.Quantity
	largestCPU, largestMemory                            resource.Quantity
}

// defaultsFor are what the LimitRange gives a container that sets nothing.
type defaultsFor struct{ requestCPU, requestMemory, limitCPU, limitMemory resource.Quantity }

func containerDefaults(lr platform.LimitRange) defaultsFor {
	q := func(s string) resource.Quantity { v, _ := resource.ParseQuantity(s); return v }
	return defaultsFor{q(lr.DefaultRequestCPU), q(lr.DefaultRequestMemory), q(lr.DefaultCPU), q(lr.DefaultMemory)}
}

// podResources is a pod's effective requests and limits: the sum of its
// containers or its largest init container, whichever is larger (the
// scheduler's and the quota's rule), with the LimitRange's defaults for a
// container that sets none (a limit without a request requests the limit).
func podResources(spec corev1.PodSpec, d defaultsFor) podFootprint {
	var p podFootprint
	each := func(c corev1.Container) (reqCPU, reqMem, limCPU, limMem resource.Quantity) {
		lim := func(r corev1.ResourceName, def resource.Quantity) resource.Quantity {
			if v, ok := c.Resources.Limits[r]; ok {
				return v
			}
			return def
		}
		req := func(r corev1.ResourceName, def resource.Quantity) resource.Quantity {
			if v, ok := c.Resources.Requests[r]; ok {
				return v
			}
			if v, ok := c.Resources.Limits[r]; ok {
				return v
			}
			return def
		}
		return req(corev1.ResourceCPU, d.requestCPU), req(corev1.ResourceMemory, d.requestMemory),
			lim(corev1.ResourceCPU, d.limitCPU), lim(corev1.ResourceMemory, d.limitMemory)
	}
	for _, c := range spec.Containers {
		rc, rm, lc, lm := each(c)
		p.requestsCPU.Add(rc)
		p.requestsMemory.Add(rm)
		p.limitsCPU.Add(lc)
		p.limitsMemory.Add(lm)
		maxInto(&p.largestCPU, lc)
		maxInto(&p.largestMemory, lm)
	}
	for _, c := range spec.InitContainers {
		rc, rm, lc, lm := each(c)
		maxInto(&p.requestsCPU, rc)
		maxInto(&p.requestsMemory, rm)
		maxInto(&p.limitsCPU, lc)
		maxInto(&p.limitsMemory, lm)
		maxInto(&p.largestCPU, lc)
		maxInto(&p.largestMemory, lm)
	}
	return p
}

func addTimes(into *resource.Quantity, q resource.Quantity, n int) {
	for i := 0; i < n; i++ {
		into.Add(q)
	}
}

func maxInto(into *resource.Quantity, q resource.Quantity) {
	if q.Cmp(*into) > 0 {
		*into = q.DeepCopy()
	}
}
