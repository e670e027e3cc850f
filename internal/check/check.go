// Package check holds the validation vocabulary every layer shares: a
// Problem names a field, what is wrong and the fix, and the helpers below
// are the one definition of each common rule (a DNS label, a quantity, a
// URL...). Components state their own rules with it; the stack
// configuration (package stacks) maps a component's field names to config
// keys and reports every problem at once. It creates no resources.
package check

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Problem is one thing wrong with one field.
type Problem struct {
	// Field is the field's path relative to whoever owns the rule, e.g.
	// "replicas" or "teams.backend.emails[0]".
	Field   string
	Problem string
	Fix     string
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s. Fix: %s", p.Field, p.Problem, p.Fix) }

// Problems collects Problems in the order they are found.
type Problems []Problem

// Add records a problem.
func (ps *Problems) Add(field, problem, fix string) {
	*ps = append(*ps, Problem{Field: field, Problem: problem, Fix: fix})
}

// Merge adds other's problems with their fields under prefix ("elasticsearch"
// and "replicas" give "elasticsearch.replicas"); rename maps a field of
// other to another path first (nil keeps every field).
func (ps *Problems) Merge(prefix string, other Problems, rename map[string]string) {
	for _, p := range other {
		if to, ok := rename[p.Field]; ok {
			p.Field = to
		}
		p.Field = Join(prefix, p.Field)
		*ps = append(*ps, p)
	}
}

// Err is nil without problems, else every problem joined.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// Join joins field paths with a dot, leaving out empty parts.
func Join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// DNSLabel requires a DNS-1123 label (namespaces, names of objects).
func DNSLabel(ps *Problems, field, val string, required bool) {
	if val == "" {
		if required {
			ps.Add(field, "is not set", "set a lower-case DNS-1123 label such as \"prod\"")
		}
		return
	}
	if errs := validation.IsDNS1123Label(val); len(errs) > 0 {
		ps.Add(field, fmt.Sprintf("%q is not a DNS-1123 label (%s)", val, strings.Join(errs, "; ")),
			"use lower-case letters, digits and '-', starting and ending with a letter or digit")
	}
}

// IsDNSLabel reports whether val is a DNS-1123 label.
func IsDNSLabel(val string) bool { return len(validation.IsDNS1123Label(val)) == 0 }

// HostName requires a DNS name (an Ingress host) when val is set; example
// is a host the fix suggests.
func HostName(ps *Problems, field, val, example string) {
	if val != "" && len(validation.IsDNS1123Subdomain(val)) > 0 {
		ps.Add(field, fmt.Sprintf("%q is not a host name", val), fmt.Sprintf("use a host such as %s, or leave it empty for no Ingress", example))
	}
}

// Quantity requires a positive Kubernetes quantity and returns it (nil
// when it is not one).
func Quantity(ps *Problems, field, val string) *resource.Quantity {
	q, err := resource.ParseQuantity(val)
	if err != nil {
		ps.Add(field, fmt.Sprintf("%q is not a Kubernetes quantity", val), "use a quantity such as 500m, 2, 512Mi or 50Gi")
		return nil
	}
	if q.Sign() <= 0 {
		ps.Add(field, fmt.Sprintf("%q is not positive", val), "use a positive quantity")
		return nil
	}
	return &q
}

// NotAbove requires low <= high; the fix names both fields as named.
func NotAbove(ps *Problems, lowField string, low *resource.Quantity, highField string, high *resource.Quantity, name func(string) string) {
	if low != nil && high != nil && low.Cmp(*high) > 0 {
		ps.Add(lowField, fmt.Sprintf("%s is above %s (%s)", low.String(), name(highField), high.String()),
			fmt.Sprintf("lower %s or raise %s", name(lowField), name(highField)))
	}
}

// AtLeast requires val >= minimum.
func AtLeast(ps *Problems, field string, val, minimum int) {
	if val < minimum {
		ps.Add(field, fmt.Sprintf("%d is below %d", val, minimum), fmt.Sprintf("set %d or more", minimum))
	}
}

// Quorum refuses two members of a cluster that needs a majority: losing
// either stops it.
func Quorum(ps *Problems, field string, members int, what string) {
	if members == 2 {
		ps.Add(field, fmt.Sprintf("2 %s cannot form a quorum (losing either stops the cluster)", what), "use 1 (no HA) or 3 or more")
	}
}

// HTTPURL requires an absolute http(s) URL; example is one the fix shows.
func HTTPURL(ps *Problems, field, val, example, orElse string) {
	if u, err := url.Parse(val); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		fix := "use a URL such as " + example
		if orElse != "" {
			fix += ", " + orElse
		}
		ps.Add(field, fmt.Sprintf("%q is not an http(s) URL", val), fix)
	}
}

// Email requires one well-formed address (exactly as written).
func Email(ps *Problems, field, val, fix string) {
	if a, err := mail.ParseAddress(val); err != nil || a.Address != val {
		ps.Add(field, fmt.Sprintf("%q is not an email address", val), fix)
	}
}
