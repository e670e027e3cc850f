package rules

import "time"

// What dashboards read of an SLO's group: the names of its recording rules
// and the burn-rate thresholds of its alerts. They are derived from the same
// helpers the group is generated with, and a dashboard query on a name that
// drifted fails CheckQuery.

// BurnThreshold is one burn-rate condition of an SLO's alerts, by its long
// window: the error budget is spent Factor times as fast as the objective
// allows, over Window (and over the condition's short window).
type BurnThreshold struct {
	Window time.Duration
	Factor float64
	// Page is true for the fast-burn page, false for the slow-burn ticket.
	Page bool
}

// Budget is the share of events that may be bad: 1 - Objective.
func (s SLO) Budget() float64 { return s.budget() }

// ErrorRatioRecord is the recording rule of the SLI's error ratio over w, one
// of BurnThresholds' windows or 5m. Its series carry the SLO's By labels
// and slo=<Name>.
func (s SLO) ErrorRatioRecord(w time.Duration) string { return s.errorRatioRecord(w) }

// BudgetRemainingRecord is the recording rule of the share of the error
// budget left over the SLO's window (negative once spent).
func (s SLO) BudgetRemainingRecord() string { return s.level() + ":error_budget_remaining:ratio" }

// BurnThresholds are the long windows and factors of the page and the
// ticket, in that order.
func (s SLO) BurnThresholds() []BurnThreshold {
	var out []BurnThreshold
	for _, w := range pageWindows {
		out = append(out, BurnThreshold{Window: w.long, Factor: w.factor, Page: true})
	}
	t := s.ticket()
	return append(out, BurnThreshold{Window: t.long, Factor: t.factor})
}

// PromDuration writes d as the SLO rules name windows: 1h, 6h, 3d.
func PromDuration(d time.Duration) string { return promDuration(d) }
