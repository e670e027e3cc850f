package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
)

// ErrUnexpectedChanges says a drift check found changes: a preview or
// refresh that was expected to change nothing would change something.
var ErrUnexpectedChanges = errors.New("changes were found where none were expected")

// PreviewOptions say how to run a preview.
type PreviewOptions struct {
	// ExpectNoChanges makes any change an error wrapping
	// ErrUnexpectedChanges (the plan is still returned): a drift check.
	ExpectNoChanges bool
	// EventLog, when set, receives every engine event as one JSON line
	// (recording fixtures, debugging). Events carry resource inputs and
	// outputs with secrets masked by the engine; do not publish the log.
	EventLog io.Writer
}

// RefreshOptions say how to run a refresh.
type RefreshOptions struct {
	// PreviewOnly reads every resource from its provider and reports what
	// differs from the state, without writing the state.
	PreviewOnly bool
	// ExpectNoChanges makes any difference an error wrapping
	// ErrUnexpectedChanges (the plan is still returned).
	ExpectNoChanges bool
	// EventLog is as in PreviewOptions.
	EventLog io.Writer
}

// Preview runs `pulumi preview` and returns the counts by operation. With
// expectNoChanges, any change is an error wrapping ErrUnexpectedChanges.
func (s *Session) Preview(ctx context.Context, expectNoChanges bool) (Changes, error) {
	p, err := s.PreviewPlan(ctx, PreviewOptions{ExpectNoChanges: expectNoChanges})
	return p.Changes, err
}

// PreviewPlan runs `pulumi preview` and returns the counts and every
// resource step, with replacements and deletions of data-holding resources
// flagged (Step.Warning).
func (s *Session) PreviewPlan(ctx context.Context, o PreviewOptions) (Plan, error) {
	rec := newEventSink(o.EventLog)
	res, err := s.Stack.Preview(ctx, optpreview.ProgressStreams(s.progress()), optpreview.ErrorProgressStreams(s.progress()),
		optpreview.Diff(), optpreview.EventStreams(rec.ch))
	plan := rec.plan(err == nil)
	for op, n := range res.ChangeSummary {
		plan.Changes[string(op)] = n
	}
	if err != nil {
		return plan, fmt.Errorf("preview %s: %w", s.opts.Stack, err)
	}
	if o.ExpectNoChanges {
		return plan, unexpected("preview", s.opts.Stack, plan)
	}
	return plan, nil
}

// Refresh runs `pulumi refresh`: with PreviewOnly, `refresh
// --preview-only`, which writes nothing and shows what the providers read
// differently from the state (drift made outside this stack).
func (s *Session) Refresh(ctx context.Context, o RefreshOptions) (Plan, error) {
	rec := newEventSink(o.EventLog)
	opts := []optrefresh.Option{optrefresh.ProgressStreams(s.progress()), optrefresh.ErrorProgressStreams(s.progress()), optrefresh.EventStreams(rec.ch)}
	var err error
	changes := Changes{}
	if o.PreviewOnly {
		var res auto.PreviewResult
		res, err = s.Stack.PreviewRefresh(ctx, opts...)
		for op, n := range res.ChangeSummary {
			changes[string(op)] = n
		}
	} else {
		var res auto.RefreshResult
		res, err = s.Stack.Refresh(ctx, opts...)
		changes = summary(res.Summary)
	}
	plan := rec.plan(err == nil)
	for op, n := range changes {
		plan.Changes[op] = n
	}
	if err != nil {
		return plan, fmt.Errorf("refresh %s: %w", s.opts.Stack, err)
	}
	if o.ExpectNoChanges {
		return plan, unexpected("refresh", s.opts.Stack, plan)
	}
	return plan, nil
}

// unexpected is the drift-check verdict: nil when the engine's counts show
// no change (what `--expect-no-changes` decides on), else an error naming
// up to ten changed resources.
func unexpected(what, stack string, p Plan) error {
	if p.Changes.Total() == 0 {
		return nil
	}
	changed := p.Changed()
	n := p.Changes.Total()
	var names []string
	for i, s := range changed {
		if i == 10 {
			names = append(names, fmt.Sprintf("and %d more", len(changed)-10))
			break
		}
		names = append(names, s.Op+" "+s.Type+" "+s.Name)
	}
	return fmt.Errorf("%s %s: %w: %d resource operation(s) (%s)%s; the stack differs from what this revision deploys: review the drift, then run `stackctl up %s` (or fix the resource by hand)",
		what, stack, ErrUnexpectedChanges, n, p.Changes, listed(names), stack)
}

func listed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ": " + strings.Join(names, "; ")
}

// eventSink records the steps of one operation from its event stream and
// copies the events to an optional log.
type eventSink struct {
	ch   chan events.EngineEvent
	done chan struct{}
	rec  *stepRecorder
	err  error
}

func newEventSink(log io.Writer) *eventSink {
	s := &eventSink{ch: make(chan events.EngineEvent), done: make(chan struct{}), rec: newStepRecorder()}
	go func() {
		defer close(s.done)
		var enc *json.Encoder
		if log != nil {
			enc = json.NewEncoder(log)
		}
		for e := range s.ch {
			if e.Error != nil {
				s.err = e.Error
				continue
			}
			s.rec.add(e.EngineEvent)
			if enc != nil && s.err == nil {
				s.err = enc.Encode(e.EngineEvent)
			}
		}
	}()
	return s
}

// plan returns the steps seen. After a successful operation the Automation
// API has closed the stream, so every event is in; after a failed one the
// stream may never be closed, so it waits only briefly.
func (s *eventSink) plan(succeeded bool) Plan {
	wait := 5 * time.Second
	if succeeded {
		wait = time.Minute
	}
	select {
	case <-s.done:
	case <-time.After(wait):
	}
	return Plan{Changes: Changes{}, Steps: s.rec.list()}
}
