package alertmanager

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/workload"
)

// Resources are the container's requests and limits (Kubernetes quantities).
type Resources = workload.Resources

// Args configure the Alertmanager cluster.
type Args struct {
	// Namespace the cluster runs in (required).
	Namespace pulumi.StringInput
	// Replicas of the gossip cluster; at least 1, 3 for HA.
	Replicas int
	// StorageSize of each replica's volume (silences, notification log), e.g. "2Gi".
	StorageSize string
	// StorageClassName of the volumes; empty uses the cluster default.
	StorageClassName string
	// Image defaults to DefaultImage.
	Image string
	// Resources default to a small footprint; see withDefaults.
	Resources Resources
	// ExternalURL is where people reach the UI (--web.external-url); it
	// makes the links in notifications work. Its path becomes the route prefix.
	ExternalURL string

	// Routing decides the route tree and receivers.
	Routing Routing

	// Credentials, as secret Outputs. Each is required when its integration
	// is enabled and left out of the Secret when it is not.
	SlackWebhookURL pulumi.StringInput
	SMTPPassword    pulumi.StringInput
	// DefaultRoutingKey pages critical alerts of teams without their own key.
	DefaultRoutingKey pulumi.StringInput
	// RoutingKeys are PagerDuty Events v2 routing keys by team. When
	// Routing.PagerDuty.Teams is empty it is filled from these keys.
	RoutingKeys map[string]pulumi.StringInput
	// HeartbeatURL is where the dead man's switch pings (secret); required
	// when Routing.DeadMansSwitch is enabled.
	HeartbeatURL pulumi.StringInput
}

// Sizing is what a stack decides about the cluster. The stack
// configuration uses it as its `alertmanager` key, and New checks the same
// values from Args, so these rules exist once (Check).
type Sizing struct {
	Replicas    int    `json:"replicas" doc:"Alertmanager pods; more than 1 form a gossip cluster that sends each notification once."`
	StorageSize string `json:"storageSize" doc:"Volume of each pod (silences, notification log)."`
}

// Check states the sizing rules; fields are named as the json tags.
func (s Sizing) Check() check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "replicas", s.Replicas, 1)
	check.Quantity(&ps, "storageSize", s.StorageSize)
	return ps
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	if a.Namespace == nil {
		ps.Add("namespace", "is required", "pass the namespace the platform created")
	}
	ps.Merge("", Sizing{Replicas: a.Replicas, StorageSize: a.StorageSize}.Check(), nil)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	r := &a.Resources
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "50m"},
		{"resources.requestsMemory", &r.RequestsMemory, "64Mi"},
		{"resources.limitsCpu", &r.LimitsCPU, "200m"},
		{"resources.limitsMemory", &r.LimitsMemory, "256Mi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		check.Quantity(&ps, f.key, *f.v)
	}
	if a.ExternalURL != "" {
		check.HTTPURL(&ps, "externalURL", a.ExternalURL, "https://alertmanager.example.com", "or leave it empty")
	}
	a.Routing.Timings = a.Routing.Timings.orDefault()
	ps.Merge("routing.timings", a.Routing.Timings.Check(a.Replicas), nil)
	errs := []error{ps.Err()}
	errs = append(errs, a.checkCredentials()...)
	errs = append(errs, a.checkHeartbeat())
	if err := a.Routing.withDefaults(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkCredentials refuses a route to an integration whose credential is
// missing, and fills the PagerDuty teams from the routing keys.
func (a *Args) checkCredentials() []error {
	var errs []error
	if a.Routing.Slack.Enabled && a.SlackWebhookURL == nil {
		errs = append(errs, errors.New("SlackWebhookURL is not set but Slack is enabled: pass the slackWebhookUrl secret, or disable Slack"))
	}
	if a.Routing.Email.Enabled && a.SMTPPassword == nil {
		errs = append(errs, errors.New("email is enabled but SMTPPassword is not set: pass the smtpPassword secret, or disable email"))
	}
	pd := &a.Routing.PagerDuty
	if !pd.Enabled {
		if a.DefaultRoutingKey != nil || len(a.RoutingKeys) > 0 {
			errs = append(errs, errors.New("PagerDuty routing keys are set but PagerDuty is disabled: enable PagerDuty, or pass no keys"))
		}
		return errs
	}
	if a.DefaultRoutingKey == nil {
		errs = append(errs, errors.New("PagerDuty is enabled but DefaultRoutingKey is not set: pass the routing key that pages critical alerts of teams without their own"))
	}
	if pd.Teams == nil {
		pd.Teams = slices.Sorted(maps.Keys(a.RoutingKeys))
	}
	for _, team := range pd.Teams {
		if a.RoutingKeys[team] == nil {
			errs = append(errs, fmt.Errorf("team %q is in routing.pagerDuty.teams but has no entry in RoutingKeys: pass its routing key, or remove the team", team))
		}
	}
	for _, team := range slices.Sorted(maps.Keys(a.RoutingKeys)) {
		if !slices.Contains(pd.Teams, team) {
			errs = append(errs, fmt.Errorf("RoutingKeys has a key for team %q that no route uses: add the team to routing.pagerDuty.teams, or drop the key", team))
		}
	}
	return errs
}

// secrets are the credentials the configuration references, by secret key.
func (a *Args) secrets() pulumi.StringMap {
	m := pulumi.StringMap{}
	put := func(key string, v pulumi.StringInput) {
		m[key] = pulumi.ToSecret(v.ToStringOutput()).(pulumi.StringOutput)
	}
	if a.Routing.Slack.Enabled {
		put(SecretKeySlackWebhookURL, a.SlackWebhookURL)
	}
	if a.Routing.Email.Enabled {
		put(SecretKeySMTPPassword, a.SMTPPassword)
	}
	if a.Routing.DeadMansSwitch.Enabled {
		put(SecretKeyHeartbeatURL, a.HeartbeatURL)
	}
	if a.Routing.PagerDuty.Enabled {
		put(SecretKeyDefaultRoutingKey, a.DefaultRoutingKey)
		for _, team := range a.Routing.PagerDuty.Teams {
			put(SecretKeyRoutingKey(team), a.RoutingKeys[team])
		}
	}
	return m
}
