package dashboards

//lint:file-ignore SA1019 the dashboards are the classic (v1) model on purpose: Grafana 12.x, which components/grafana pins, provisions it; dashboardv2 waits for Grafana 13

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/klearkarma/observability/internal/conventions"
)

// businessMetrics is the seed's "Klear Karma - Business Metrics", with the
// ids, units and grid positions the seed left out. Its uid is in the product
// team's alert emails (https://grafana.klearkarma.com/d/business-metrics):
// never change it.
func businessMetrics(o Options) (dashboard.Dashboard, error) {
	return newDashboard(conventions.DashboardBusinessMetrics, "Klear Karma - Business Metrics", "business").
		Description("Daily active users, bookings, revenue and the conversion funnel. Owned by the product team; LowBookingRate and HighPaymentFailureRate link here.").
		Time("now-24h", "now").
		Refresh(refreshBusiness).
		// The seed counted distinct user_id label values, one series per user
		// for ever; the application exposes the estimate instead, the same on
		// every replica.
		WithPanel(valueStat(o, 1, "Daily Active Users",
			"Distinct users with a session in the trailing 24 hours, estimated in the session store (max across replicas, which all report the same value).",
			grid(0, 0, 6, 8), unitShort,
			series(`max by (namespace) (daily_active_users)`, "DAU {{namespace}}")).
			Decimals(0)).
		WithPanel(countPanel(o, 2, "Bookings Created",
			"Bookings created in the trailing hour, per service type (recording rule namespace_service_type:bookings_created:increase1h, which LowBookingRate reads).",
			grid(6, 0, 18, 8),
			series(`sum by (service_type) (namespace_service_type:bookings_created:increase1h)`, "{{service_type}}"))).
		// Amounts in different currencies never add up, so the seed's single
		// sum became one series per currency; Grafana has no unit that
		// follows a label, hence "short" with the currency in the legend.
		WithPanel(seriesPanel(o, 3, "Revenue",
			"Revenue in the trailing hour, per currency, in the currency's major unit (recording rule namespace_currency:revenue:increase1h).",
			grid(0, 8, 12, 8), unitShort,
			series(`sum by (currency) (namespace_currency:revenue:increase1h)`, "Hourly Revenue ({{currency}})")).
			Decimals(2).
			Min(0)).
		// Instant queries: each bar is the trailing 24 hours now, in the
		// funnel's order. Payments are succeeded attempts: the seed's
		// payments_completed_total would have been a second counter of the
		// same event.
		WithPanel(withQueries(o, barGaugePanel(o, 4, "Conversion Funnel",
			"Trailing 24 hours: registrations, practitioner profile views, bookings created, payments succeeded.",
			grid(12, 8, 12, 8)).
			Unit(unitShort).
			Decimals(0).
			Min(0).
			ColorScheme(colorMode(dashboard.FieldColorModeIdPaletteClassic)),
			instant(`sum(increase(user_registrations_total[24h]))`, "Registrations"),
			instant(`sum(increase(practitioner_views_total[24h]))`, "Practitioner Views"),
			instant(`sum(increase(bookings_created_total[24h]))`, "Bookings"),
			instant(`sum(increase(payment_attempts_total{status="succeeded"}[24h]))`, "Payments"))).
		Build()
}
