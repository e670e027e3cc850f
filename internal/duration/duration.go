// Package duration is the Prometheus-style duration the stack configuration
// and the components share ("90d", "456d", "5y"), kept as written.
package duration

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/prometheus/common/model"
)

// Duration is a Prometheus-style duration ("90d", "456d", "5y") that keeps
// the text it was written as, so generated flags read like the stack file.
type Duration struct {
	text string
	d    time.Duration
	err  error
}

// Parse parses a Prometheus duration; zero is refused.
func Parse(s string) (Duration, error) {
	d, err := model.ParseDuration(s)
	if err != nil {
		return Duration{text: s, err: err}, err
	}
	if d <= 0 {
		err := fmt.Errorf("%q is not a positive duration", s)
		return Duration{text: s, err: err}, err
	}
	return Duration{text: s, d: time.Duration(d)}, nil
}

// Must is Parse for literals in source code.
func Must(s string) Duration {
	d, err := Parse(s)
	if err != nil {
		panic(err) // only reached with a bad literal in source code
	}
	return d
}

// String returns the duration as written.
func (d Duration) String() string { return d.text }

// Std returns the duration as a time.Duration.
func (d Duration) Std() time.Duration { return d.d }

// Days returns the whole number of days (rounded down).
func (d Duration) Days() int { return int(d.d / (24 * time.Hour)) }

// Err returns the parse error, if the value did not parse.
func (d Duration) Err() error { return d.err }

// UnmarshalJSON keeps bad text so validation can name it; it never fails, so
// every problem is collected instead of stopping at the first.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		*d = Duration{text: string(b), err: fmt.Errorf("must be a string such as \"90d\", got %s", b)}
		return nil
	}
	*d, _ = Parse(s)
	return nil
}

// MarshalJSON writes the text form.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.text) }
