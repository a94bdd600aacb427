package cronjob

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// plan collects one sync's writes and events in the order upstream makes
// them. An event recorded before a write is handed out by that write's
// Then, so that, as upstream's recorder does, it comes before the events
// the write itself causes (a TooManyMissedTimes warning before the
// "Created job" it precedes).
type plan struct {
	actions []controllers.Action
	pending []controllers.Event
}

// event records e after everything planned so far.
func (p *plan) event(e controllers.Event) { p.pending = append(p.pending, e) }

// act plans a write; the events recorded so far come out with it.
func (p *plan) act(a controllers.Action) {
	before, then := p.pending, a.Then
	p.pending = nil
	if len(before) > 0 || then != nil {
		a.Then = func(written objects.Object, err error) []controllers.Event {
			out := append([]controllers.Event(nil), before...)
			if then != nil {
				out = append(out, then(written, err)...)
			}
			return out
		}
	}
	p.actions = append(p.actions, a)
}

// result returns the plan as a Result asking to look again after requeue
// (none when zero).
func (p *plan) result(requeue time.Duration) controllers.Result {
	return controllers.Result{Actions: p.actions, Events: p.pending, RequeueAfter: requeue}
}
