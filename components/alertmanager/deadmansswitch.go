package alertmanager

import (
	"errors"
	"time"

	"github.com/prometheus/alertmanager/config"
	amcommoncfg "github.com/prometheus/alertmanager/config/common"
	"github.com/prometheus/alertmanager/notify/webhook"
	"github.com/prometheus/common/model"

	"github.com/klearkarma/observability/rules"
)

// ReceiverDeadMansSwitch receives the Watchdog alert and nothing else.
const ReceiverDeadMansSwitch = "dead-mans-switch"

// SecretKeyHeartbeatURL is the secret key of the heartbeat URL: a
// healthchecks-style or PagerDuty heartbeat URL carries its token in the
// URL itself, so the whole URL is a credential.
const SecretKeyHeartbeatURL = "heartbeat-url"

// The Watchdog is re-sent every minute, so the switch (configured to expect
// a ping every minute, with a few minutes' grace) notices a silence in
// minutes; group_wait 0 sends the first ping as soon as Alertmanager starts.
var (
	heartbeatGroupWait      = model.Duration(0)
	heartbeatGroupInterval  = model.Duration(time.Minute)
	heartbeatRepeatInterval = model.Duration(time.Minute)
)

// DeadMansSwitchRouting sends the always-firing Watchdog alert to a
// heartbeat URL, whose service pages when the pings stop: the one alert
// that reports that the alerting pipeline itself is broken.
type DeadMansSwitchRouting struct {
	// Enabled posts the Watchdog to the HeartbeatURL secret. Disabled, the
	// Watchdog is still routed to the dead man's switch receiver, which
	// then delivers nowhere, so it never reaches a team's channel.
	Enabled bool
}

// deadMansSwitch is the first route of the tree: the Watchdog goes there
// and stops, never to PagerDuty, Slack or email.
func (r Routing) deadMansSwitch(secretFile func(string) string) (*config.Route, config.Receiver) {
	route := &config.Route{
		Receiver:       ReceiverDeadMansSwitch,
		Matchers:       matchers(model.AlertNameLabel, rules.WatchdogAlert),
		GroupByStr:     []string{model.AlertNameLabel, "cluster"},
		GroupWait:      ptr(heartbeatGroupWait),
		GroupInterval:  ptr(heartbeatGroupInterval),
		RepeatInterval: ptr(heartbeatRepeatInterval),
	}
	receiver := config.Receiver{Name: ReceiverDeadMansSwitch}
	if r.DeadMansSwitch.Enabled {
		receiver.WebhookConfigs = []*webhook.WebhookConfig{{
			// A resolved Watchdog means Prometheus stopped sending it;
			// the missing pings already say so.
			NotifierConfig: amcommoncfg.NotifierConfig{VSendResolved: false},
			URLFile:        secretFile(SecretKeyHeartbeatURL),
			MaxAlerts:      1,
			Timeout:        10 * time.Second,
		}}
	}
	return route, receiver
}

// checkHeartbeat refuses a dead man's switch without its URL, and a URL
// without the switch (it would be stored and never used).
func (a *Args) checkHeartbeat() error {
	switch {
	case a.Routing.DeadMansSwitch.Enabled && a.HeartbeatURL == nil:
		return errors.New("the dead man's switch is enabled but HeartbeatURL is not set: pass the alertmanagerHeartbeatUrl secret, or disable the switch")
	case !a.Routing.DeadMansSwitch.Enabled && a.HeartbeatURL != nil:
		return errors.New("HeartbeatURL is set but the dead man's switch is disabled: enable it, or pass no URL")
	}
	return nil
}
