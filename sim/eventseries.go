package sim

import (
	"cmp"
	"slices"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// The scheduler records its events through the events.k8s.io/v1 API, with
// client-go's tools/events broadcaster, which aggregates repeats unlike
// the core API's correlator (recorder.record):
//
//   - The first event of a kind about an object (same type, action,
//     reason, reporting controller and instance, and the regarding object
//     at the same resourceVersion; not the message) is created, with an
//     eventTime and no count, and remembered.
//   - Its first repeat while remembered starts a series: count 2 and the
//     time it was last observed, written to the Event (a patch; a create
//     under the same name when the Event has expired meanwhile).
//   - Later repeats only count, in the broadcaster's memory: nothing is
//     written.
//   - Every 30 minutes of the process's life each series is written again
//     (refreshExistingEventSeries), which renews the Event's TTL.
//   - Every 6 minutes, a series not observed for 6 minutes is written a
//     last time and forgotten, and so is a single event made more than 6
//     minutes before (finishSeries): a repeat after that is a new Event.
//
// So a pod that no node fits for an hour costs two or three Event writes
// and a few refreshes, where the core API would write its Event on every
// attempt.
const (
	seriesFinishPeriod  = 6 * time.Minute  // client-go tools/events finishTime
	seriesRefreshPeriod = 30 * time.Minute // refreshTime
)

// seriesRecorder is one process's events.k8s.io/v1 broadcaster.
type seriesRecorder struct {
	r *recorder
	// started is when the process started: its periodic work runs at
	// started plus multiples of each period (wait.Until).
	started time.Time
	// remembered are the events the broadcaster remembers (its
	// eventCache), by identity.
	remembered map[seriesIdentity]*seriesEntry
	// made numbers entries in the order they were remembered: the
	// periodic work takes them in that order (upstream walks a map).
	made  uint64
	spare *seriesEntry
	// controller and instance are the process's reportingController and
	// reportingInstance (the controller, a dash and the host it runs on).
	controller, instance string
	finish, refresh      clock.Timer
	finishArmed          bool
	refreshArmed         bool
	finishRunner         seriesFinisher
	refreshRunner        seriesRefresher
}

// seriesIdentity is client-go's eventKey within one broadcaster: its
// reporting controller and instance are the recorder's own, the same for
// every key it holds, and no recorded event relates a second object, so
// what tells events apart is their type, action and reason and the
// regarding object at its resourceVersion. The message is not part of it.
type seriesIdentity struct {
	eventType, action, reason string
	regarding                 objects.ObjectReference
}

// seriesEntry is a remembered event: the Event as first created (shared
// with the store, read-only), its series once repeated, and when it was
// remembered.
type seriesEntry struct {
	id     seriesIdentity
	event  *objects.Event
	series *objects.EventSeries
	made   uint64
	next   *seriesEntry // in the spare list
}

// newEntry returns a cleared entry: a spare one, or one of a new block.
func (s *seriesRecorder) newEntry() *seriesEntry {
	if s.spare == nil {
		block := make([]seriesEntry, entryBlock)
		for i := range block[:len(block)-1] {
			block[i].next = &block[i+1]
		}
		s.spare = &block[0]
	}
	e := s.spare
	s.spare, e.next = e.next, nil
	return e
}

// forget drops e and keeps it for reuse.
func (s *seriesRecorder) forget(e *seriesEntry) {
	delete(s.remembered, e.id)
	*e = seriesEntry{next: s.spare}
	s.spare = e
}

func newSeriesRecorder(r *recorder, controller, host string) *seriesRecorder {
	s := &seriesRecorder{r: r, started: r.started, remembered: map[seriesIdentity]*seriesEntry{},
		controller: controller, instance: controller + "-" + host}
	s.finishRunner.s, s.refreshRunner.s = s, s
	return s
}

// record records ev as the broadcaster does.
func (s *seriesRecorder) record(ev *controllers.Event) {
	r := s.r
	prev := s.actAs()
	defer func() { r.c.actor = prev }()
	now := r.c.clock.Now()
	id := seriesIdentity{eventType: ev.Type, action: ev.Action, reason: ev.Reason, regarding: ev.Regarding}
	if e := s.remembered[id]; e != nil {
		if e.series != nil {
			e.series.Count++
			e.series.LastObservedTime = objects.NewMicroTime(now)
			return
		}
		e.series = &objects.EventSeries{Count: 2, LastObservedTime: objects.NewMicroTime(now)}
		s.write(e)
		s.armRefresh()
		return
	}
	ref := ev.Regarding
	ns := ref.Namespace
	if ns == "" {
		ns = objects.NamespaceDefault
	}
	r.seq++
	e := &objects.Event{
		TypeMeta:            objects.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta:          objects.ObjectMeta{Namespace: ns, Name: eventName(ref.Name, now.UnixNano()+r.seq)},
		InvolvedObject:      ref,
		Reason:              ev.Reason,
		Message:             ev.Message,
		Type:                ev.Type,
		EventTime:           objects.NewMicroTime(now),
		Action:              ev.Action,
		ReportingController: s.controller,
		ReportingInstance:   s.instance,
	}
	s.made++
	entry := s.newEntry()
	entry.id, entry.event, entry.made = id, e, s.made
	s.remembered[id] = entry
	s.create(e)
	s.armFinish()
}

// write writes e's series to its Event, or creates the Event again with
// it when the Event is gone (recordEvent: a patch, then a create on
// NotFound).
func (s *seriesRecorder) write(e *seriesEntry) {
	r := s.r
	series := *e.series // the Event's own: the remembered one keeps counting
	if stored, ok := r.stored(objects.KeyOf(e.event)); ok {
		updated := new(objects.Event) // a new version; the stored one is shared and read-only
		*updated = *stored
		updated.Series = &series
		if _, err := r.c.store.UpdateTrusted(updated); err == nil {
			r.c.dispatch() // which renews its TTL (leased)
			return
		}
	}
	again := new(objects.Event)
	*again = *e.event
	again.ResourceVersion = ""
	again.Series = &series
	s.create(again)
}

// create creates e, which the store takes.
func (s *seriesRecorder) create(in *objects.Event) {
	r := s.r
	if _, err := r.c.store.CreateTrusted(in); err != nil {
		r.c.traceNote(s.controller, "event not recorded: %v", err)
		return
	}
	r.c.dispatch() // which gives it its TTL (leased)
}

// nextTick returns the first time after now that a period's work runs.
func (s *seriesRecorder) nextTick(period time.Duration) time.Time {
	now := s.r.c.clock.Now()
	n := now.Sub(s.started)/period + 1
	return s.started.Add(n * period)
}

// armFinish arms the finishing pass, unless it is armed.
func (s *seriesRecorder) armFinish() {
	if !s.finishArmed {
		s.r.c.clock.Schedule(&s.finish, s.nextTick(seriesFinishPeriod), &s.finishRunner)
		s.finishArmed = true
	}
}

// armRefresh arms the refreshing pass, unless it is armed.
func (s *seriesRecorder) armRefresh() {
	if !s.refreshArmed {
		s.r.c.clock.Schedule(&s.refresh, s.nextTick(seriesRefreshPeriod), &s.refreshRunner)
		s.refreshArmed = true
	}
}

// entries returns the remembered entries in the order they were made.
func (s *seriesRecorder) entries() []*seriesEntry {
	out := make([]*seriesEntry, 0, len(s.remembered))
	for _, e := range s.remembered {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *seriesEntry) int { return cmp.Compare(a.made, b.made) })
	return out
}

// actAs makes the process the actor the trace names for writes, and
// returns the actor to restore.
func (s *seriesRecorder) actAs() (prev string) {
	prev, s.r.c.actor = s.r.c.actor, s.controller
	return prev
}

// seriesFinisher runs finishSeries when its timer falls due.
type seriesFinisher struct{ s *seriesRecorder }

// Run writes and forgets the series that ended, forgets the single events
// made long enough ago, and arms the next pass while any is remembered.
func (f *seriesFinisher) Run() {
	s := f.s
	s.finishArmed = false
	cutoff := s.r.c.clock.Now().Add(-seriesFinishPeriod)
	prev := s.actAs()
	for _, e := range s.entries() {
		if e.series != nil {
			if !e.series.LastObservedTime.Before(cutoff) {
				continue
			}
			s.write(e)
		} else if !e.event.EventTime.Before(cutoff) {
			continue
		}
		s.forget(e)
	}
	s.r.c.actor = prev
	if len(s.remembered) > 0 {
		s.armFinish()
	}
}

// seriesRefresher runs refreshExistingEventSeries when its timer falls due.
type seriesRefresher struct{ s *seriesRecorder }

// Run writes every remembered series again, and arms the next pass while
// any is remembered.
func (f *seriesRefresher) Run() {
	s := f.s
	s.refreshArmed = false
	series := false
	prev := s.actAs()
	for _, e := range s.entries() {
		if e.series != nil {
			s.write(e)
			series = true
		}
	}
	s.r.c.actor = prev
	if series {
		s.armRefresh()
	}
}
