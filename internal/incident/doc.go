// Package incident opens an incident the way the monitoring strategy's
// Incident Response Playbook says: it names the incident, pages PagerDuty
// (SEV-1), creates the incident's Slack channel, announces it (SEV-1 and
// SEV-2), and gathers the first data (pods, events and recent logs of the
// application namespaces, a Prometheus snapshot, links to logs and traces
// for the time window) into one folder with a summary.
//
// The package owns the incident's name, the order of the steps and the
// partial-failure policy, the Slack Web API and PagerDuty Events API v2
// requests it sends, and the layout of the incident folder. It must not read
// stack configuration or import the Pulumi program (package stacks or the
// components): the caller fills a plain Config, so the same code serves the
// command, tests against local fakes and a live test against a real API
// server.
//
// # Names
//
// An incident is named incident-YYYYMMDD-HHMM from the UTC time it is opened
// (ID). The same name is the Slack channel, the PagerDuty dedup_key and the
// folder. The playbook writes the channel as #incident-YYYY-MM-DD-HH-MM; we
// keep the playbook script's shorter form: both are valid Slack channel
// names (lower case, digits, hyphens, at most 80 characters), and one name
// everywhere is easier to search for. Two incidents opened in the same
// minute share a name: PagerDuty folds the second page into the first
// (that is what dedup_key is for) and Slack refuses the second channel
// (name_taken); the step reports it and says which channel to join.
//
// # Order and partial failure
//
// Open validates the whole Config and Request first and returns a
// *ValidationError listing every problem with its fix; nothing is sent and
// nothing is written then. After that it creates the folder (a failure
// there stops before anything is sent), and runs the steps in order of
// importance: page (SEV-1), create the channel, announce (SEV-1, SEV-2),
// post the opening message into the channel, gather data, write the
// summary. A failed step does not stop the later ones (the data is useful
// even when Slack is down, and the page must not wait for anything) and
// nothing done is undone (an on-call engineer who was paged stays paged).
// Open then returns the Result with every step's outcome and a
// *PartialError naming the failed steps.
package incident
