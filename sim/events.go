package sim

import (
	"strconv"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// eventTTL is how long the apiserver keeps an event after it was last seen
// (kube-apiserver --event-ttl, default 1h).
const eventTTL = time.Hour

// recorder turns controllers' events into Event objects, aggregating
// repeats as client-go's EventCorrelator does: an event equal to an earlier
// one (same source, object, type, reason and message) bumps that one's count
// and lastTimestamp instead of adding a row.
type recorder struct {
	c    *Cluster
	seen map[eventIdentity]objects.Key
	seq  int64
	// expiries are the events' TTL checks in the order they fall due
	// (times only grow and the TTL is fixed), from next on; the clock
	// holds a timer for the first one only, armed in the place reserved
	// for it when it was queued, so each runs where a timer of its own
	// would have run.
	expiries []expiry
	next     int
	timer    clock.Timer
	armed    bool
}

// expiry is one event's TTL check: its key, when it falls due and its
// reserved place among the clock's work for that instant.
type expiry struct {
	key objects.Key
	at  time.Time
	seq uint64
}

type eventIdentity struct {
	source                     objects.EventSource
	object                     objects.ObjectReference
	eventType, reason, message string
}

func newRecorder(c *Cluster) *recorder {
	return &recorder{c: c, seen: map[eventIdentity]objects.Key{}}
}

func (r *recorder) recordAll(ctrl controllers.Controller, evs []controllers.Event) {
	source := objects.EventSource{Component: ctrl.Name()}
	if s, ok := ctrl.(controllers.EventSourcer); ok {
		source = s.EventSource()
	}
	for _, ev := range evs {
		r.record(source, ev)
	}
}

// record stores one event and traces it.
func (r *recorder) record(source objects.EventSource, ev controllers.Event) {
	now := r.c.clock.Now()
	ref := ev.Regarding
	ref.ResourceVersion = "" // the same object at another version is the same subject
	id := eventIdentity{source: source, object: ref, eventType: ev.Type, reason: ev.Reason, message: ev.Message}
	r.c.trace.add(traceRecord{TraceEntry: TraceEntry{At: now, Actor: source.Component},
		event: &eventNote{ev.Type, ev.Reason, ref.Kind, ref.Name, ev.Message}})
	prev := r.c.actor
	r.c.actor = source.Component
	defer func() { r.c.actor = prev }()
	if key, ok := r.seen[id]; ok {
		if obj, err := r.c.store.Get(key); err == nil {
			e := new(objects.Event) // a new version; the stored one is shared and read-only
			*e = *obj.(*objects.Event)
			e.Count++
			e.LastTimestamp = objects.NewTime(now)
			if _, err := r.c.store.UpdateTrusted(e); err == nil {
				r.c.dispatch()
				r.expireLater(key)
				return
			}
		}
	}
	ns := ref.Namespace
	if ns == "" {
		ns = objects.NamespaceDefault // events about cluster-scoped objects live in default
	}
	r.seq++
	e := &objects.Event{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta: objects.ObjectMeta{
			// Upstream names events <object>.<unix nanos in hex>; virtual
			// time repeats, so a sequence number keeps names unique.
			Name:      eventName(ref.Name, now.UnixNano()+r.seq),
			Namespace: ns,
		},
		InvolvedObject: ref, Reason: ev.Reason, Message: ev.Message, Source: source,
		FirstTimestamp: objects.NewTime(now), LastTimestamp: objects.NewTime(now),
		Count: 1, Type: ev.Type, ReportingController: source.Component, ReportingInstance: source.Host,
	}
	created, err := r.c.store.CreateTrusted(e) // well-formed by construction
	if err != nil {
		r.c.traceNote(source.Component, "event not recorded: %v", err)
		return
	}
	r.c.dispatch()
	key := objects.KeyOf(created)
	r.seen[id] = key
	r.expireLater(key)
}

// expireLater deletes the event eventTTL after it was last seen, as the
// apiserver's TTL does, so `kubectl describe` stops showing old events.
func (r *recorder) expireLater(key objects.Key) {
	clk := r.c.clock
	r.expiries = append(r.expiries, expiry{key: key, at: clk.Now().Add(eventTTL), seq: clk.Reserve()})
	if !r.armed {
		r.arm()
	}
}

// arm sets the timer for the first pending expiry.
func (r *recorder) arm() {
	e := r.expiries[r.next]
	r.c.clock.ScheduleReserved(&r.timer, e.at, e.seq, r)
	r.armed = true
}

// Run checks the first pending expiry (the timer fell due), after arming
// the timer for the next one.
func (r *recorder) Run() {
	e := r.expiries[r.next]
	r.expiries[r.next] = expiry{}
	r.next++
	if r.next == len(r.expiries) {
		r.expiries, r.next = r.expiries[:0], 0
	} else if r.next >= 1024 && 2*r.next >= len(r.expiries) {
		r.expiries, r.next = append(r.expiries[:0], r.expiries[r.next:]...), 0
	}
	r.armed = false
	if r.next < len(r.expiries) {
		r.arm()
	}
	r.expire(e)
}

// expire deletes the event of x unless it was seen again within the TTL.
func (r *recorder) expire(x expiry) {
	key := x.key
	obj, err := r.c.store.Get(key)
	if err != nil {
		return
	}
	e := obj.(*objects.Event)
	if r.c.clock.Now().Sub(e.LastTimestamp.Time) < eventTTL {
		return // seen again since; a later expiry handles it
	}
	r.c.write("event-ttl", controllers.Action{Verb: controllers.Delete, Key: key})
	// The event names what it was recorded as: its identity.
	if id := identityOf(e); r.seen[id] == key {
		delete(r.seen, id)
	}
}

// identityOf is the identity e was recorded under.
func identityOf(e *objects.Event) eventIdentity {
	return eventIdentity{source: e.Source, object: e.InvolvedObject, eventType: e.Type, reason: e.Reason, message: e.Message}
}

// eventName is "<name>.<n in hex>", built in one allocation.
func eventName(name string, n int64) string {
	var buf [80]byte
	b := append(buf[:0], name...)
	b = append(b, '.')
	return string(strconv.AppendInt(b, n, 16))
}
