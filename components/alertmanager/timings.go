package alertmanager

import (
	"fmt"
	"time"

	"github.com/klearkarma/observability/internal/check"
)

// Timings are when the route tree notifies and how long a node of the
// cluster waits for its peers. They are chosen together, because together
// they decide whether a resolved incident can be re-opened.
//
// Every node receives every alert and flushes each alert group on its own
// timer, all in step (the alerts reach every node at once). At a flush the
// node takes the group's alerts as they are, waits its position in the
// cluster times PeerTimeout, then sends unless the notification log, which
// the nodes gossip, shows that an earlier node sent that state. A resolve
// that lands during that wait is not in the waiting node's copy; if the
// first node's next flush (GroupInterval later) sends the resolve before
// the waiting node checks, the waiting node sees a resolved group, takes
// its stale firing copy for news and sends a trigger, which opens a second
// incident. So the last node (position replicas-1) must check before the
// next flush, with one peer timeout to spare for the sender's delivery and
// for timer skew: GroupInterval >= replicas x PeerTimeout.
type Timings struct {
	// GroupWait, GroupInterval and RepeatInterval are the root route's
	// (warnings and everything no other route takes).
	GroupWait, GroupInterval, RepeatInterval time.Duration
	// CriticalGroupWait and CriticalRepeatInterval are the critical route's;
	// it keeps the root's GroupInterval.
	CriticalGroupWait, CriticalRepeatInterval time.Duration
	// PeerTimeout is --cluster.peer-timeout: how long each position waits
	// after the one before it.
	PeerTimeout time.Duration
}

// DefaultTimings are the platform's: the seed's warning wait and repeats,
// a group interval of one minute (the seed's 10 s is shorter than a
// three-node cluster's 30 s wait) and Alertmanager's own 15 s peer timeout,
// which leaves a sender 15 s to deliver to PagerDuty before a peer sends
// too. A page waits 30 s, one rule evaluation interval, instead of the
// seed's 0 s: the rule groups and the two Prometheus replicas evaluate at
// different moments of the interval, and without the wait the first
// notification carried whichever alert of the incident came first, before
// the alert that inhibits it (seen live: the error_rate page went out
// alone, availability's joined a minute later).
func DefaultTimings() Timings {
	return Timings{
		GroupWait: 10 * time.Second, GroupInterval: time.Minute, RepeatInterval: time.Hour,
		CriticalGroupWait: 30 * time.Second, CriticalRepeatInterval: 5 * time.Minute,
		PeerTimeout: 15 * time.Second,
	}
}

// Check states the rule the timings and the cluster size keep together,
// and that each repeat comes at a flush; fields are named as the struct's
// fields in lower camel case (groupInterval, peerTimeout, ...).
func (t Timings) Check(replicas int) check.Problems {
	var ps check.Problems
	for _, f := range []struct {
		field string
		d     time.Duration
		min   time.Duration
	}{
		{"groupWait", t.GroupWait, 0}, {"criticalGroupWait", t.CriticalGroupWait, 0},
		{"groupInterval", t.GroupInterval, time.Second}, {"peerTimeout", t.PeerTimeout, time.Second},
	} {
		if f.d < f.min {
			ps.Add(f.field, fmt.Sprintf("%s is below %s", f.d, f.min), "use a positive duration")
		}
	}
	for _, f := range []struct {
		field string
		d     time.Duration
	}{{"repeatInterval", t.RepeatInterval}, {"criticalRepeatInterval", t.CriticalRepeatInterval}} {
		if f.d < t.GroupInterval {
			ps.Add(f.field, fmt.Sprintf("%s is shorter than the group interval (%s)", f.d, t.GroupInterval),
				"repeat at most once per flush: use at least the group interval")
		}
	}
	if need := time.Duration(replicas) * t.PeerTimeout; replicas > 1 && t.GroupInterval < need {
		ps.Add("groupInterval", fmt.Sprintf("%s is shorter than %d nodes x the %s peer timeout (%s): the last node checks %s after a flush, so a resolve landing in that wait reaches PagerDuty before that node's stale copy, which re-opens the incident",
			t.GroupInterval, replicas, t.PeerTimeout, need, time.Duration(replicas-1)*t.PeerTimeout),
			fmt.Sprintf("raise the group interval to at least %s, lower the peer timeout, or run fewer nodes", need))
	}
	return ps
}

// orDefault is DefaultTimings for the zero value.
func (t Timings) orDefault() Timings {
	if t == (Timings{}) {
		return DefaultTimings()
	}
	return t
}
