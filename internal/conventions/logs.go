package conventions

// The log schema every writer (Fluentd, Logstash) and reader (Kibana,
// Grafana) of Elasticsearch agrees on. Data stream names follow
// Elasticsearch's "type-dataset-namespace" scheme, so Kibana's log views
// find them; the index templates win over the built-in logs-*-* template
// by priority.
const (
	ApplicationDataStream   = "logs-klearkarma.app-default"
	AuditDataStream         = "logs-klearkarma.audit-default"
	ApplicationIndexPattern = "logs-klearkarma.app-*"
	AuditIndexPattern       = "logs-klearkarma.audit-*"
	ApplicationILMPolicy    = "klearkarma-logs-app"
	AuditILMPolicy          = "klearkarma-logs-audit"
	ApplicationTemplate     = "klearkarma-logs-app"
	AuditTemplate           = "klearkarma-logs-audit"
)

// The audit marker: a log record whose JSON has AuditField equal to
// AuditValue (winston: logger.info('...', { log_type: 'audit' })) is an
// audit event, kept for the audit retention; everything else is an
// application log.
const (
	AuditField = "log_type"
	AuditValue = "audit"
)
