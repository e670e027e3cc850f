package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SLO is one service level objective, in the shape of slok/sloth's spec: an
// objective over a rolling window, and an SLI given as the ratio of good (or
// bad) events to all events. sloGroups turns each into a rule group of its
// own, `slo:<Name>`, with the SLI at the windows its burn-rate alerts read,
// the error budget left, and the page and ticket alerts.
type SLO struct {
	// Name is the seed's key. It is the `slo` label on everything the SLO
	// records, and names its rule group unless Group does.
	Name string
	// Group names the rule group (slo:<Group>) when it is another SLO's:
	// SLOs on the same SLI are evaluated in one group, at one instant, so
	// the looser one's alerts never fire without the stricter one's, which
	// Alertmanager's inhibit rule relies on.
	Group string
	// AlertPrefix starts the alert names: <AlertPrefix>SLOFastBurn (page) and
	// <AlertPrefix>SLOSlowBurn (ticket).
	AlertPrefix string
	// Objective is the share of events that must be good, e.g. 0.999.
	Objective float64
	// Window is the rolling period the objective is measured over.
	Window time.Duration
	SLI    SLI
	// By are the labels the SLI queries aggregate by; one SLO per value set.
	By []string
	// Team receives both alerts; Severity is the page's (tickets are
	// always SeverityWarning).
	Team     string
	Severity string
	// Good describes a good event for people, as in "99.9% of <Good>".
	Good string
}

// SLI is a ratio of event rates. Exactly one of Good and Bad is set. Each is
// PromQL in which {{.window}} stands for the range, aggregated by the SLO's
// By labels.
type SLI struct {
	Good, Bad, Total string
}

// The seed's slo-definitions.yml, corrected (SLO.md says what changed and
// why). Technical SLOs are per (namespace, service), business SLOs per
// namespace, like the recording rules they sit next to.
var slos = []SLO{
	{
		Name:        "availability",
		AlertPrefix: "Availability",
		Objective:   0.999,
		Window:      30 * 24 * time.Hour,
		SLI: SLI{
			Bad:   `sum by (namespace, service) (rate(http_requests_total{status_code=~"5.."}[{{.window}}]))`,
			Total: `sum by (namespace, service) (rate(http_requests_total[{{.window}}]))`,
		},
		By:       []string{"namespace", "service"},
		Team:     TeamBackend,
		Severity: SeverityCritical,
		Good:     "requests answered without a 5xx",
	},
	{
		// The seed's "p95 < 500ms" is a threshold on a quantile, which cannot
		// be averaged or turned into a budget. Its equivalent event ratio is
		// "at least 95% of requests take at most 0.5s"; 0.5 is a declared
		// bucket bound of http_request_duration_seconds, so the ratio is
		// exact, not interpolated.
		Name:        "latency",
		AlertPrefix: "Latency",
		Objective:   0.95,
		Window:      7 * 24 * time.Hour,
		SLI: SLI{
			Good:  `sum by (namespace, service) (rate(http_request_duration_seconds_bucket{le="0.5"}[{{.window}}]))`,
			Total: `sum by (namespace, service) (rate(http_request_duration_seconds_count[{{.window}}]))`,
		},
		By:       []string{"namespace", "service"},
		Team:     TeamBackend,
		Severity: SeverityCritical,
		Good:     "requests served within 0.5s",
	},
	{
		// Same SLI as availability with a looser objective over a shorter
		// window; kept because the seed defines it (see SLO.md).
		Name:        "error_rate",
		Group:       "availability",
		AlertPrefix: "ErrorRate",
		Objective:   0.99,
		Window:      7 * 24 * time.Hour,
		SLI: SLI{
			Bad:   `sum by (namespace, service) (rate(http_requests_total{status_code=~"5.."}[{{.window}}]))`,
			Total: `sum by (namespace, service) (rate(http_requests_total[{{.window}}]))`,
		},
		By:       []string{"namespace", "service"},
		Team:     TeamBackend,
		Severity: SeverityCritical,
		Good:     "requests answered without a 5xx",
	},
	{
		// The seed divided bookings created by attempts, which is conversion:
		// a slot someone else took is not an unreliable service. Only
		// status="failed" (an error) is bad.
		Name:        "booking_success_rate",
		AlertPrefix: "BookingSuccess",
		Objective:   0.99,
		Window:      24 * time.Hour,
		SLI: SLI{
			Bad:   `sum by (namespace) (rate(booking_attempts_total{status="failed"}[{{.window}}]))`,
			Total: `sum by (namespace) (rate(booking_attempts_total[{{.window}}]))`,
		},
		By:       []string{"namespace"},
		Team:     TeamProduct,
		Severity: SeverityCritical,
		Good:     "booking attempts that did not fail with an error",
	},
	{
		// payments_completed_total does not exist: the catalog counts
		// outcomes on payment_attempts_total.
		Name:        "payment_success_rate",
		AlertPrefix: "PaymentSuccess",
		Objective:   0.98,
		Window:      24 * time.Hour,
		SLI: SLI{
			Good:  `sum by (namespace) (rate(payment_attempts_total{status="succeeded"}[{{.window}}]))`,
			Total: `sum by (namespace) (rate(payment_attempts_total[{{.window}}]))`,
		},
		By:       []string{"namespace"},
		Team:     TeamPayments,
		Severity: SeverityCritical,
		Good:     "payment attempts that succeeded",
	},
}

// SLOs returns the SLO definitions the rules are generated from (a copy).
func SLOs() []SLO {
	out := slices.Clone(slos)
	for i := range out {
		out[i].By = slices.Clone(out[i].By)
	}
	return out
}

// burnWindow is one multiwindow condition: the error ratio exceeds
// factor × budget over both the long and the short window. The short window
// makes the alert resolve soon after the burn stops.
type burnWindow struct {
	long, short time.Duration
	factor      float64
}

// Page and ticket conditions from the Google SRE workbook (chapter 5,
// "Alerting on SLOs"), written for a 30-day window: 14.4x over 1h spends 2%
// of the budget, 6x over 6h 5%, 1x over 3d 10%.
var (
	pageWindows = []burnWindow{
		{long: time.Hour, short: 5 * time.Minute, factor: 14.4},
		{long: 6 * time.Hour, short: 30 * time.Minute, factor: 6},
	}
	ticketWindow = burnWindow{long: 3 * 24 * time.Hour, short: 6 * time.Hour, factor: 1}
)

// ticket is the slow-burn condition. A 3-day window is longer than a 24h
// SLO's whole window, so there the long window is the SLO window and the
// short one a twelfth of it, the workbook's 3d:6h proportion (24h: 1d and 2h).
func (s SLO) ticket() burnWindow {
	if ticketWindow.long <= s.Window {
		return ticketWindow
	}
	return burnWindow{long: s.Window, short: s.Window / 12, factor: ticketWindow.factor}
}

// windows are the ranges the SLI is recorded at, shortest first.
func (s SLO) windows() []time.Duration {
	var ws []time.Duration
	for _, w := range append(slices.Clone(pageWindows), s.ticket()) {
		ws = append(ws, w.long, w.short)
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

func (s SLO) level() string { return strings.Join(append(slices.Clone(s.By), "slo"), "_") }

func (s SLO) errorRatioRecord(w time.Duration) string {
	return s.level() + ":sli_error:ratio_rate" + promDuration(w)
}

func (s SLO) budget() float64 { return round(1 - s.Objective) }

// errorRatio is the share of bad events over w. As in the recording rules, a
// window without events gives no sample instead of 0/0 = NaN, and one with
// events but no bad (or no good) series yet gives 0 (or 1) instead of none.
func (s SLO) errorRatio(w time.Duration) string {
	at := func(q string) string { return strings.ReplaceAll(q, "{{.window}}", promDuration(w)) }
	total := at(s.SLI.Total)
	if s.SLI.Bad != "" {
		return lines(
			`(`,
			`  `+at(s.SLI.Bad),
			`    or`,
			`  `+total+` * 0`,
			`)`,
			`  /`,
			`(`+total+` > 0)`,
		)
	}
	return lines(
		`1 - (`,
		`  (`,
		`    `+at(s.SLI.Good),
		`      or`,
		`    `+total+` * 0`,
		`  )`,
		`    /`,
		`  (`+total+` > 0)`,
		`)`,
	)
}

func (s SLO) group() ruleGroup {
	sel := func(w time.Duration) string { return fmt.Sprintf(`%s{slo=%q}`, s.errorRatioRecord(w), s.Name) }
	budget := num(s.budget())
	g := ruleGroup{name: "slo:" + s.groupName()}
	for _, w := range s.windows() {
		g.records = append(g.records, recordingRule{
			record: s.errorRatioRecord(w),
			expr:   s.errorRatio(w),
			labels: map[string]string{"slo": s.Name},
			by:     slices.Clone(s.By),
			help:   fmt.Sprintf("Share of the SLO's events (label slo) that were bad, over %s; absent without events.", promDuration(w)),
		})
	}
	// The 5m ratio averaged over the SLO window, as sloth does: a 30d rate of
	// the raw counters would read a month of samples every evaluation. It
	// weighs time, not events, so a quiet night counts as much as a busy day.
	g.records = append(g.records, recordingRule{
		record: s.level() + ":error_budget_remaining:ratio",
		expr:   fmt.Sprintf(`1 - avg_over_time(%s[%s]) / %s`, sel(5*time.Minute), promDuration(s.Window), budget),
		labels: map[string]string{"slo": s.Name},
		by:     slices.Clone(s.By),
		help:   "Share of the SLO's error budget (label slo) left over its window, from the 5m error ratio averaged over the window; negative once spent.",
	})

	condition := func(b burnWindow) string {
		return lines(
			`(`,
			fmt.Sprintf(`  %s / %s > %s`, sel(b.long), budget, num(b.factor)),
			`    and`,
			fmt.Sprintf(`  %s / %s > %s`, sel(b.short), budget, num(b.factor)),
			`)`,
		)
	}
	var page []string
	var pageText []string
	for i, b := range pageWindows {
		if i > 0 {
			page = append(page, `  or`)
		}
		page = append(page, condition(b))
		pageText = append(pageText, fmt.Sprintf("%sx over %s and %s", num(b.factor), promDuration(b.long), promDuration(b.short)))
	}
	t := s.ticket()
	who := "{{ $labels.namespace }}"
	if slices.Contains(s.By, "service") {
		who = "{{ $labels.service }} in {{ $labels.namespace }}"
	}
	objective := fmt.Sprintf("%s%% of %s over %s", num(s.Objective*100), s.Good, promDuration(s.Window))
	g.alerts = []alertingRule{
		{
			alert:       s.AlertPrefix + "SLOFastBurn",
			expr:        lines(page...),
			severity:    s.Severity,
			team:        s.Team,
			summary:     fmt.Sprintf("%s SLO error budget burning fast", s.Name),
			description: fmt.Sprintf("%s spends the error budget of the %s SLO (%s) {{ $value | humanize }} times as fast as the objective allows (page at %s); at this rate it is gone long before the window ends.", who, s.Name, objective, strings.Join(pageText, ", or ")),
		},
		{
			alert:       s.AlertPrefix + "SLOSlowBurn",
			expr:        condition(t),
			severity:    SeverityWarning,
			team:        s.Team,
			summary:     fmt.Sprintf("%s SLO error budget burning", s.Name),
			description: fmt.Sprintf("%s spends the error budget of the %s SLO (%s) {{ $value | humanize }} times as fast as the objective allows (ticket at %sx over %s and %s); at this rate it runs out before the window ends.", who, s.Name, objective, num(t.factor), promDuration(t.long), promDuration(t.short)),
		},
	}
	return g
}

// sloGroups are the generated SLO rule groups, one per SLO or per SLI its
// SLOs share (SLO.Group), in the order the SLOs are declared.
func sloGroups() []ruleGroup {
	out := make([]ruleGroup, 0, len(slos))
	index := map[string]int{}
	for _, s := range slos {
		g := s.group()
		if i, ok := index[g.name]; ok {
			out[i].records = append(out[i].records, g.records...)
			out[i].alerts = append(out[i].alerts, g.alerts...)
			continue
		}
		index[g.name] = len(out)
		out = append(out, g)
	}
	return out
}

// groupName is the name of the rule group the SLO is evaluated in.
func (s SLO) groupName() string {
	if s.Group != "" {
		return s.Group
	}
	return s.Name
}

// promDuration writes whole days as days (model.Duration would write 7d as
// 1w), so names and texts match the seed's windows.
func promDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	if d%time.Hour == 0 {
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/time.Minute)) + "m"
}

// round drops the float noise of 1 - 0.999 = 0.0010000000000000009.
func round(x float64) float64 { return math.Round(x*1e9) / 1e9 }

func num(x float64) string { return strconv.FormatFloat(round(x), 'f', -1, 64) }
