package rules_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/rules"
)

func TestSLOs(t *testing.T) {
	groups := mustGroups(t)
	byName := map[string][]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			byName[g.Name] = append(byName[g.Name], ruleName(r))
		}
	}

	t.Run("the seed's five SLOs are there, with the seed's objectives and windows", func(t *testing.T) {
		type target struct {
			objective float64
			window    time.Duration
		}
		day := 24 * time.Hour
		got := map[string]target{}
		for _, s := range rules.SLOs() {
			got[s.Name] = target{s.Objective, s.Window}
		}
		require.Equal(t, map[string]target{
			"availability":         {0.999, 30 * day},
			"latency":              {0.95, 7 * day},
			"error_rate":           {0.99, 7 * day},
			"booking_success_rate": {0.99, day},
			"payment_success_rate": {0.98, day},
		}, got)
	})

	t.Run("every SLO's group has its page and its ticket alert", func(t *testing.T) {
		for _, s := range rules.SLOs() {
			group := s.Name
			if s.Group != "" {
				group = s.Group
			}
			rs := byName["slo:"+group]
			require.Contains(t, rs, s.AlertPrefix+"SLOFastBurn", s.Name)
			require.Contains(t, rs, s.AlertPrefix+"SLOSlowBurn", s.Name)
		}
		for _, g := range groups.Groups {
			for _, r := range g.Rules {
				switch {
				case strings.HasSuffix(r.Alert, "SLOFastBurn"):
					require.Equal(t, rules.SeverityCritical, r.Labels["severity"], r.Alert)
				case strings.HasSuffix(r.Alert, "SLOSlowBurn"):
					require.Equal(t, rules.SeverityWarning, r.Labels["severity"], r.Alert)
				}
			}
		}
	})

	t.Run("error_rate is evaluated with availability, whose SLI it shares, so it never burns alone (Alertmanager inhibits it by availability)", func(t *testing.T) {
		rs := byName["slo:availability"]
		require.Contains(t, rs, "ErrorRateSLOFastBurn")
		require.Contains(t, rs, "ErrorRateSLOSlowBurn")
		require.NotContains(t, byName, "slo:error_rate")
		for _, s := range rules.SLOs() {
			if s.Name == "error_rate" {
				for _, a := range rules.SLOs() {
					if a.Name == "availability" {
						require.Equal(t, a.SLI, s.SLI, "the same SLI")
						require.Greater(t, a.Objective, s.Objective, "availability's objective is the stricter")
						require.Equal(t, a.By, s.By)
					}
				}
			}
		}
	})

	t.Run("30d and 7d SLOs record the workbook's windows, 24h SLOs replace 3d by 1d and 2h", func(t *testing.T) {
		windows := func(slo string) []string {
			var out []string
			for _, g := range groups.Groups {
				for _, r := range g.Rules {
					if _, w, ok := strings.Cut(r.Record, ":sli_error:ratio_rate"); ok && r.Labels["slo"] == slo {
						out = append(out, w)
					}
				}
			}
			return out
		}
		require.Equal(t, []string{"5m", "30m", "1h", "6h", "3d"}, windows("availability"))
		require.Equal(t, []string{"5m", "30m", "1h", "6h", "3d"}, windows("latency"))
		require.Equal(t, []string{"5m", "30m", "1h", "6h", "3d"}, windows("error_rate"))
		require.Equal(t, []string{"5m", "30m", "1h", "2h", "6h", "1d"}, windows("booking_success_rate"))
		require.Equal(t, []string{"5m", "30m", "1h", "2h", "6h", "1d"}, windows("payment_success_rate"))
	})

	t.Run("the latency SLI counts requests within 0.5s, which is a declared bucket bound", func(t *testing.T) {
		m, ok := rules.Lookup("http_request_duration_seconds")
		require.True(t, ok)
		require.Contains(t, m.Buckets, 0.5, "the latency SLI reads le=\"0.5\"; without that bucket it would select nothing")
		for _, s := range rules.SLOs() {
			if s.Name == "latency" {
				require.Contains(t, s.SLI.Good, `http_request_duration_seconds_bucket{le="0.5"}`)
				return
			}
		}
		t.Fatal("latency SLO not found")
	})

	t.Run("the corrected business SLIs count errors, not conversion", func(t *testing.T) {
		for _, s := range rules.SLOs() {
			switch s.Name {
			case "booking_success_rate":
				require.Contains(t, s.SLI.Bad, `booking_attempts_total{status="failed"}`)
				require.NotContains(t, s.SLI.Bad+s.SLI.Total, "bookings_created_total")
			case "payment_success_rate":
				require.Contains(t, s.SLI.Good, `payment_attempts_total{status="succeeded"}`)
				require.NotContains(t, s.SLI.Good+s.SLI.Total, "payments_completed_total")
			}
		}
	})

	t.Run("SLI queries have exactly one of good and bad, and a window placeholder", func(t *testing.T) {
		for _, s := range rules.SLOs() {
			require.True(t, (s.SLI.Good == "") != (s.SLI.Bad == ""), s.Name)
			for _, q := range []string{s.SLI.Good + s.SLI.Bad, s.SLI.Total} {
				require.Contains(t, q, "[{{.window}}]", s.Name)
				require.True(t, slices.IsSorted(s.By), s.Name)
			}
		}
	})
}
