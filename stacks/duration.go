package stacks

import "github.com/klearkarma/observability/internal/duration"

// Duration is a Prometheus-style duration ("90d", "456d", "5y") that keeps
// the text it was written as, so generated flags read like the stack file.
type Duration = duration.Duration

// MustDuration is duration.Must, for the defaults.
func MustDuration(s string) Duration { return duration.Must(s) }
