package netpol

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Flow is one row of a connectivity table: whether From may open a
// connection to To on Port/Protocol.
type Flow struct {
	Name     string // a sentence: "Prometheus scrapes the node exporter"
	From, To Endpoint
	Port     int32
	Protocol corev1.Protocol // "" means TCP
	Want     bool            // true: must be allowed; false: must stay denied
}

// Failure is one row of the table the policies do not honour, or a
// problem with the table or the policies themselves (Flow is then the
// empty string).
type Failure struct {
	Flow    string
	Verdict Verdict
	Message string
}

func (f Failure) String() string { return f.Message }

// Check evaluates every flow and returns those whose verdict differs from
// Want, each with the verdict's reason. Invalid policies fail the whole
// table at once: no verdict on them would mean anything.
func Check(policies []networkingv1.NetworkPolicy, flows []Flow) []Failure {
	compiled, err := compileAll(policies)
	if err != nil {
		return []Failure{{Verdict: Verdict{Err: err}, Message: "the policies are invalid: " + err.Error()}}
	}
	var out []Failure
	seen := map[string]int{}
	for i, fl := range flows {
		if fl.Name == "" {
			out = append(out, Failure{Message: fmt.Sprintf("flow #%d (%s -> %s) has no name: name it with a sentence", i, fl.From, fl.To)})
			continue
		}
		if j, dup := seen[fl.Name]; dup {
			out = append(out, Failure{Flow: fl.Name, Message: fmt.Sprintf("flow %q is both #%d and #%d: rename one", fl.Name, j, i)})
			continue
		}
		seen[fl.Name] = i
		v := evaluate(compiled, fl.From, fl.To, fl.Port, fl.Protocol)
		switch {
		case v.Err != nil:
			out = append(out, Failure{Flow: fl.Name, Verdict: v, Message: fmt.Sprintf("flow %q: %v", fl.Name, v.Err)})
		case v.Allowed != fl.Want:
			out = append(out, Failure{Flow: fl.Name, Verdict: v, Message: fmt.Sprintf("flow %q: want %s, got %s", fl.Name, word(fl.Want), v)})
		}
	}
	return out
}

func word(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "denied"
}
