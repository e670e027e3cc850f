// Package pagerduty is a stand-in for the Go SDK of the PagerDuty provider,
// github.com/pulumi/pulumi-pagerduty/sdk/v4/go/pagerduty, which is not served
// to this build. It mirrors that SDK at v4.34.0 (see shared/provider-facts.md,
// section B) for the parts the program uses: Provider, Team, TeamMembership,
// EscalationPolicy, Service, ServiceIntegration, and the invokes GetVendor
// (getVendor) and LookupUser (getUser), each with its Output form. Of the
// nested blocks, only escalation rules and targets and the service's incident
// urgency rule are here (pulumiTypes.go).
//
// What it keeps from the SDK: type tokens (pulumi:providers:pagerduty,
// pagerduty:index/...), camelCase property names, Go names and types
// (NewService(ctx, name, &ServiceArgs{...}) returning *Service with Output
// fields; nested blocks as typed Args/Array/Ptr inputs, single objects where
// the schema has them), required-argument errors, the schema defaults the SDK
// fills in (description "Managed by Pulumi", skipCredentialsValidation false),
// and pulumi.Version(pins.PagerDuty) on every resource and invoke (see package
// internal). The plugin comes from the default plugin server, so there is no
// download URL.
//
// Where it deliberately differs, because the schema marks no PagerDuty value
// secret: the Provider wraps token and userToken in pulumi.ToSecret, and
// ServiceIntegration sets AdditionalSecretOutputs{"integrationKey"} and returns
// IntegrationKey as a secret Output. The official SDK does neither, so a swap
// must keep that behaviour at the call sites: pass the token as a secret (a
// config.RequireSecret value already is), and give NewServiceIntegration
// pulumi.AdditionalSecretOutputs([]string{"integrationKey"}).
//
// What it leaves out, because the program does not use it: the other
// resources (Schedule among them) and functions, GetX/XState, the Array/Map
// forms of the resource types, the escalation rules' assignment strategy, the
// Service's support hours, scheduled actions and auto-pause, the deprecated
// inputs (Service alert-grouping fields and responsePlay,
// ServiceIntegration.integrationKey), the ServiceIntegration email
// filter/parser blocks, and the provider's useAppOauthScopedToken block. Add
// a part here only with its caller; better, swap in the official SDK.
//
// To swap in the official SDK: require github.com/pulumi/pulumi-pagerduty/sdk/v4
// at v4.34.0, change the import to .../sdk/v4/go/pagerduty, apply the two
// call-site changes above, and delete this directory.
//
// This package owns only the bindings: it reads no stack config and creates
// nothing on its own.
package pagerduty
