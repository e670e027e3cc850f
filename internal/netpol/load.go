package netpol

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Object is one Kubernetes object of a render directory.
type Object struct {
	Path       string // the file, relative to the directory loaded
	APIVersion string
	Kind       string
	Namespace  string // "" for cluster-scoped objects
	Name       string
	// Fields is the whole object as decoded from YAML.
	Fields map[string]any
	raw    []byte
}

func (o Object) String() string {
	id := o.Name
	if o.Namespace != "" {
		id = o.Namespace + "/" + o.Name
	}
	return fmt.Sprintf("%s %s %s (%s)", o.APIVersion, o.Kind, id, o.Path)
}

// Decode decodes o strictly into a typed object such as
// *networkingv1.NetworkPolicy: a field the type does not know is an error,
// so a typo in the program's output cannot pass as "no such rule".
func (o Object) Decode(into any) error {
	if err := yaml.UnmarshalStrict(o.raw, into); err != nil {
		return fmt.Errorf("%s: %w", o, err)
	}
	return nil
}

// LoadObjects reads every object of the YAML files under dir, such as the
// kubernetes provider's render directory (one object per file under 0-crd/
// and 1-manifest/; several documents per file are read too). Objects come
// sorted by path, then by their order in the file.
func LoadObjects(dir string) ([]Object, error) {
	var out []Object
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		objs, err := readFile(path, rel)
		if err != nil {
			return err
		}
		out = append(out, objs...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load rendered objects from %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load rendered objects from %s: no YAML objects found: render the stack first (offline render mode writes 0-crd/ and 1-manifest/ there)", dir)
	}
	return out, nil
}

func readFile(path, rel string) ([]Object, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Object
	r := utilyaml.NewYAMLReader(bufio.NewReader(f))
	for doc := 1; ; doc++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", rel, doc, err)
		}
		var fields map[string]any
		if err := yaml.Unmarshal(raw, &fields); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", rel, doc, err)
		}
		if len(fields) == 0 {
			continue // a separator or comments only
		}
		o := Object{Path: rel, Fields: fields, raw: bytes.Clone(raw)}
		o.APIVersion, _ = fields["apiVersion"].(string)
		o.Kind, _ = fields["kind"].(string)
		if meta, ok := fields["metadata"].(map[string]any); ok {
			o.Namespace, _ = meta["namespace"].(string)
			o.Name, _ = meta["name"].(string)
		}
		if o.APIVersion == "" || o.Kind == "" || o.Name == "" {
			return nil, fmt.Errorf("%s: document %d is not a Kubernetes object: it needs apiVersion, kind and metadata.name", rel, doc)
		}
		out = append(out, o)
	}
}

// LoadRendered reads every NetworkPolicy under dir (see LoadObjects),
// decoded strictly into the upstream type and sorted by namespace/name.
func LoadRendered(dir string) ([]networkingv1.NetworkPolicy, error) {
	objs, err := LoadObjects(dir)
	if err != nil {
		return nil, err
	}
	return NetworkPolicies(objs)
}

// NetworkPolicies decodes the NetworkPolicies among objs (see LoadRendered).
func NetworkPolicies(objs []Object) ([]networkingv1.NetworkPolicy, error) {
	var out []networkingv1.NetworkPolicy
	var errs []error
	for _, o := range objs {
		if o.Kind != "NetworkPolicy" {
			continue
		}
		if o.APIVersion != "networking.k8s.io/v1" {
			errs = append(errs, fmt.Errorf("%s: NetworkPolicy must be networking.k8s.io/v1", o))
			continue
		}
		var np networkingv1.NetworkPolicy
		if err := o.Decode(&np); err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, np)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Namespaces maps each Namespace among objs to its labels, with the
// kubernetes.io/metadata.name label the API server adds.
func Namespaces(objs []Object) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, o := range objs {
		if o.Kind != "Namespace" || o.APIVersion != "v1" {
			continue
		}
		var ns corev1.Namespace
		if err := o.Decode(&ns); err != nil {
			return nil, err
		}
		l := map[string]string{}
		for k, v := range ns.Labels {
			l[k] = v
		}
		l[NamespaceNameLabel] = ns.Name
		out[ns.Name] = l
	}
	return out, nil
}

// EndpointsFromWorkloads turns the pod template of every Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and bare Pod among objs
// into an Endpoint keyed "namespace/name": labels, named container ports
// (init containers too), hostNetwork, and the labels of its Namespace when
// that is among objs (else only kubernetes.io/metadata.name). IP is left
// empty: set it with WithIP for ipBlock flows, and to the node IP for
// hostNetwork pods, which need one.
func EndpointsFromWorkloads(objs []Object) (map[string]Endpoint, error) {
	namespaces, err := Namespaces(objs)
	if err != nil {
		return nil, err
	}
	out := map[string]Endpoint{}
	from := map[string]Object{}
	var errs []error
	for _, o := range objs {
		tmpl, ok, err := podTemplate(o)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		if o.Namespace == "" {
			errs = append(errs, fmt.Errorf("%s: no metadata.namespace: the program must place every workload in a namespace", o))
			continue
		}
		key := o.Namespace + "/" + o.Name
		if prev, dup := from[key]; dup {
			errs = append(errs, fmt.Errorf("%s and %s share the endpoint name %s: rename one of them", prev, o, key))
			continue
		}
		from[key] = o
		ep := Endpoint{
			Name:            key,
			Namespace:       o.Namespace,
			NamespaceLabels: namespaces[o.Namespace],
			Labels:          tmpl.Labels,
			HostNetwork:     tmpl.Spec.HostNetwork,
		}
		if ep.NamespaceLabels == nil {
			ep.NamespaceLabels = map[string]string{NamespaceNameLabel: o.Namespace}
		}
		ep.Ports, err = namedPorts(tmpl.Spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o, err))
			continue
		}
		out[key] = ep
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// podTemplate returns the pod template of a workload object; ok is false for
// objects that run no pods.
func podTemplate(o Object) (corev1.PodTemplateSpec, bool, error) {
	switch o.APIVersion + " " + o.Kind {
	case "apps/v1 Deployment":
		var w appsv1.Deployment
		err := o.Decode(&w)
		return w.Spec.Template, true, err
	case "apps/v1 StatefulSet":
		var w appsv1.StatefulSet
		err := o.Decode(&w)
		return w.Spec.Template, true, err
	case "apps/v1 DaemonSet":
		var w appsv1.DaemonSet
		err := o.Decode(&w)
		return w.Spec.Template, true, err
	case "apps/v1 ReplicaSet":
		var w appsv1.ReplicaSet
		err := o.Decode(&w)
		return w.Spec.Template, true, err
	case "batch/v1 Job":
		var w batchv1.Job
		err := o.Decode(&w)
		return w.Spec.Template, true, err
	case "batch/v1 CronJob":
		var w batchv1.CronJob
		err := o.Decode(&w)
		return w.Spec.JobTemplate.Spec.Template, true, err
	case "v1 Pod":
		var w corev1.Pod
		err := o.Decode(&w)
		return corev1.PodTemplateSpec{ObjectMeta: w.ObjectMeta, Spec: w.Spec}, true, err
	}
	return corev1.PodTemplateSpec{}, false, nil
}

func namedPorts(spec corev1.PodSpec) (map[string]ContainerPort, error) {
	out := map[string]ContainerPort{}
	containers := append(append([]corev1.Container(nil), spec.InitContainers...), spec.Containers...)
	for _, c := range containers {
		for _, p := range c.Ports {
			if p.Name == "" {
				continue
			}
			cp := ContainerPort{Port: p.ContainerPort, Protocol: p.Protocol}
			if cp.Protocol == "" {
				cp.Protocol = corev1.ProtocolTCP
			}
			if prev, dup := out[p.Name]; dup && prev != cp {
				return nil, fmt.Errorf("container %q names port %q again with %s/%d (already %s/%d): a policy's named port would be ambiguous", c.Name, p.Name, cp.Protocol, cp.Port, prev.Protocol, prev.Port)
			}
			out[p.Name] = cp
		}
	}
	return out, nil
}
