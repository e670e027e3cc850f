package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Invocation is the part of the Lambda payload the handler reads. The
// EventBridge schedule sends its event, whose "time" is when the schedule
// fired; an operator may instead invoke with {"day": "2026-11-30"}.
type Invocation struct {
	Day  string    `json:"day,omitempty"`
	Time time.Time `json:"time,omitempty"`
}

// Handle is the Lambda handler: it picks the day and runs it. The day comes
// from the event's time rather than the clock, so Lambda's asynchronous
// retries of a failed run (minutes to hours later, possibly after the next
// midnight) still publish the day the schedule meant.
func (e *Exporter) Handle(ctx context.Context, payload json.RawMessage) (*Report, error) {
	var in Invocation
	if len(bytes.TrimSpace(payload)) > 0 && !bytes.Equal(bytes.TrimSpace(payload), []byte("null")) {
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, fmt.Errorf("cost exporter: the payload is neither an EventBridge event nor {\"day\": \"YYYY-MM-DD\"}: %w", err)
		}
	}
	day, err := in.day(e.now())
	if err != nil {
		return nil, fmt.Errorf("cost exporter: %w", err)
	}
	rep, err := e.Run(ctx, day)
	if err != nil {
		return rep, fmt.Errorf("cost exporter %s: %w", day.Format(DateLayout), err)
	}
	return rep, nil
}

func (in Invocation) day(now time.Time) (time.Time, error) {
	switch {
	case in.Day != "":
		return ParseDay(in.Day)
	case !in.Time.IsZero():
		return LastCompleteDay(in.Time), nil
	default:
		return LastCompleteDay(now), nil
	}
}
