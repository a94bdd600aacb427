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
	c *Cluster
	// seen finds the event recorded under an identity: by the identity's
	// hash, the event itself telling whether it is the one (an identity is
	// a dozen strings; a map keyed by them took a quarter of a kilobyte an
	// event and hashed them all twice); clashes, which a 64-bit hash
	// makes all but impossible, go to seenClash.
	seen      map[uint64]objects.Key
	seenClash map[eventIdentity]objects.Key
	seq       int64
	// expiries are the events' TTL checks in the order they fall due
	// (times only grow and the TTL is fixed); the clock holds a timer for
	// the first one only, armed in the place reserved for it when it was
	// queued, so each runs where a timer of its own would have run.
	expiries expiryQueue
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
	return &recorder{c: c, seen: map[uint64]objects.Key{}, seenClash: map[eventIdentity]objects.Key{}}
}

// lookup returns the key of the stored event recorded under id.
func (r *recorder) lookup(id eventIdentity) (*objects.Event, objects.Key, bool) {
	if key, ok := r.seen[identityHash(id)]; ok {
		if e, found := r.storedEvent(key); found && identityOf(e) == id {
			return e, key, true
		}
	}
	if len(r.seenClash) == 0 {
		return nil, objects.Key{}, false
	}
	if key, ok := r.seenClash[id]; ok {
		if e, found := r.storedEvent(key); found {
			return e, key, true
		}
	}
	return nil, objects.Key{}, false
}

// remember files the event stored under key as the one recorded under id.
func (r *recorder) remember(id eventIdentity, key objects.Key) {
	h := identityHash(id)
	if old, ok := r.seen[h]; ok && old != key {
		if e, found := r.storedEvent(old); found && identityOf(e) != id {
			r.seenClash[id] = key // another identity's, still stored
			return
		}
	}
	r.seen[h] = key
	delete(r.seenClash, id)
}

// forget drops id's entry if it still names key.
func (r *recorder) forget(id eventIdentity, key objects.Key) {
	h := identityHash(id)
	if r.seen[h] == key {
		delete(r.seen, h)
	}
	if r.seenClash[id] == key {
		delete(r.seenClash, id)
	}
}

// storedEvent returns the Event stored under key.
func (r *recorder) storedEvent(key objects.Key) (*objects.Event, bool) {
	obj, err := r.c.store.Get(key)
	if err != nil {
		return nil, false
	}
	e, ok := obj.(*objects.Event)
	return e, ok
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
	if stored, key, ok := r.lookup(id); ok {
		e := new(objects.Event) // a new version; the stored one is shared and read-only
		*e = *stored
		e.Count++
		e.LastTimestamp = objects.NewTime(now)
		if _, err := r.c.store.UpdateTrusted(e); err == nil {
			r.c.dispatch()
			r.expireLater(key)
			return
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
	r.remember(id, key)
	r.expireLater(key)
}

// expireLater deletes the event eventTTL after it was last seen, as the
// apiserver's TTL does, so `kubectl describe` stops showing old events.
func (r *recorder) expireLater(key objects.Key) {
	clk := r.c.clock
	r.expiries.push(expiry{key: key, at: clk.Now().Add(eventTTL), seq: clk.Reserve()})
	if !r.armed {
		r.arm()
	}
}

// arm sets the timer for the first pending expiry.
func (r *recorder) arm() {
	e := r.expiries.front()
	r.c.clock.ScheduleReserved(&r.timer, e.at, e.seq, r)
	r.armed = true
}

// Run checks the first pending expiry (the timer fell due), after arming
// the timer for the next one.
func (r *recorder) Run() {
	e := r.expiries.pop()
	r.armed = false
	if r.expiries.len() > 0 {
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
	r.forget(identityOf(e), key)
}

// identityOf is the identity e was recorded under.
func identityOf(e *objects.Event) eventIdentity {
	return eventIdentity{source: e.Source, object: e.InvolvedObject, eventType: e.Type, reason: e.Reason, message: e.Message}
}

// hash is FNV-1a over id's strings, each ended by a byte no string of
// theirs holds where it matters: equal identities hash alike, which is all
// seen needs (lookup compares the identities themselves).
func (id eventIdentity) hash() uint64 {
	h := uint64(14695981039346656037)
	for _, s := range [...]string{id.source.Component, id.source.Host, id.object.Kind, id.object.Namespace,
		id.object.Name, string(id.object.UID), id.object.APIVersion, id.object.ResourceVersion, id.object.FieldPath,
		id.eventType, id.reason, id.message} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
	}
	return h
}

// identityHash is the hash seen files identities under; a variable so a
// test can make every identity clash.
var identityHash = eventIdentity.hash

// expiryQueue is a first-in, first-out queue of expiries in blocks, reused
// once emptied: growing it never copies what it holds.
type expiryQueue struct {
	blocks [][]expiry // blocks[0][head:] onwards are queued
	head   int
	n      int
	spare  [][]expiry
}

const expiryBlock = 256

func (q *expiryQueue) len() int { return q.n }

func (q *expiryQueue) push(e expiry) {
	last := len(q.blocks) - 1
	if last < 0 || len(q.blocks[last]) == expiryBlock {
		var b []expiry
		if n := len(q.spare); n > 0 {
			b, q.spare = q.spare[n-1][:0], q.spare[:n-1]
		} else {
			b = make([]expiry, 0, expiryBlock)
		}
		q.blocks = append(q.blocks, b)
		last++
	}
	q.blocks[last] = append(q.blocks[last], e)
	q.n++
}

// front returns the first expiry; the queue must not be empty.
func (q *expiryQueue) front() expiry { return q.blocks[0][q.head] }

// pop removes and returns the first expiry; the queue must not be empty.
func (q *expiryQueue) pop() expiry {
	b := q.blocks[0]
	e := b[q.head]
	b[q.head] = expiry{}
	q.head++
	q.n--
	if q.head == len(b) && (len(b) == expiryBlock || q.n == 0) {
		q.spare = append(q.spare, b)
		q.blocks[0] = nil
		q.blocks = q.blocks[1:]
		q.head = 0
	}
	return e
}

// eventName is "<name>.<n in hex>", built in one allocation.
func eventName(name string, n int64) string {
	var buf [80]byte
	b := append(buf[:0], name...)
	b = append(b, '.')
	return string(strconv.AppendInt(b, n, 16))
}
