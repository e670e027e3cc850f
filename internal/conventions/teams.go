package conventions

import "strings"

// Team is a team alerts route to: the `team` label of every alert, a
// PagerDuty service with its escalation, a Grafana folder.
type Team string

// The teams of the monitoring strategy.
const (
	TeamBackend        Team = "backend"
	TeamInfrastructure Team = "infrastructure"
	TeamPayments       Team = "payments"
	TeamProduct        Team = "product"
)

// Teams lists every team in a stable order.
var Teams = []Team{TeamBackend, TeamInfrastructure, TeamPayments, TeamProduct}

// TeamNames lists the teams as strings, in Teams' order.
func TeamNames() []string {
	out := make([]string, len(Teams))
	for i, t := range Teams {
		out[i] = string(t)
	}
	return out
}

// Title is the team's display name ("backend" gives "Backend").
func (t Team) Title() string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(string(t[:1])) + string(t[1:])
}

// Dashboard uids: alerts link to them (runbooks, product emails), so they
// are stable contracts, not just titles.
const (
	DashboardApplicationOverview = "application-overview"
	DashboardBusinessMetrics     = "business-metrics"
	DashboardClusterOverview     = "cluster-overview"
	DashboardMetricsPipeline     = "metrics-pipeline"
	DashboardAlertingPipeline    = "alerting-pipeline"
	DashboardLoggingPipeline     = "logging-pipeline"
	DashboardTracingPipeline     = "tracing-pipeline"
)
