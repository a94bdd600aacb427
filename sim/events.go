package sim

import (
	"hash/maphash"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// eventTTL is how long the apiserver keeps an event after it was last seen
// (kube-apiserver --event-ttl, default 1h).
const eventTTL = time.Hour

// recorder turns controllers' events into Event objects, aggregating
// repeats as client-go's EventCorrelator does: an event equal to an earlier
// one (same source, object, type, reason and message) bumps that one's count
// and lastTimestamp instead of adding a row. Like the correlator, each
// process (kube-controller-manager, the scheduler, each kubelet) remembers
// the last 4,096 identities it recorded (eventCache): a repeat of an older
// one makes a new Event, as upstream's does.
type recorder struct {
	c *Cluster
	// started is when the cluster's processes started.
	started time.Time
	// caches are the processes' remembered identities, by process.
	caches map[processName]*eventCache
	// series are the events.k8s.io/v1 broadcasters of the controllers
	// that record through that API (eventseries.go), by controller name.
	series map[string]*seriesRecorder
	seq    int64
	// expiries are the events' first TTL checks, one an event, queued
	// when it was made, in the order they fall due (times only grow and
	// the TTL is fixed). An event recorded again is due an hour after its
	// last recording, as each write of an Event gives it a TTL lease of
	// its own in etcd: the recording reserves its check in later, which
	// the first check, when it falls due, moves to deferred. So the checks
	// held are at most two an event, not one a recording (a pod that no
	// node fits is recorded as FailedScheduling every few seconds for as
	// long as it waits). The clock holds a timer for the earliest check
	// only, armed in the place reserved for it, so each runs where a timer
	// of its own would have run.
	expiries expiryQueue
	later    map[objects.Key]expiry
	deferred expiryHeap
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
	return &recorder{c: c, started: c.clock.Now(), caches: map[processName]*eventCache{},
		series: map[string]*seriesRecorder{}, later: map[objects.Key]expiry{}}
}

// processName names a process that records events: a component, and for
// a kubelet its node.
type processName struct{ component, host string }

// cacheOf returns the identity cache of the process that records events
// from source.
func (r *recorder) cacheOf(source objects.EventSource, component string) *eventCache {
	p := processName{component: component}
	if component == controllers.Kubelet {
		p.host = source.Host
	}
	ec := r.caches[p]
	if ec == nil {
		ec = newEventCache(eventCacheSize)
		r.caches[p] = ec
	}
	return ec
}

// stored returns the Event stored under key, if the store holds one.
func (r *recorder) stored(key objects.Key) (*objects.Event, bool) {
	obj, err := r.c.store.Get(key)
	if err != nil {
		return nil, false
	}
	e, ok := obj.(*objects.Event)
	return e, ok
}

func (r *recorder) recordAll(ctrl controllers.Controller, evs []controllers.Event) {
	if len(evs) == 0 {
		return
	}
	source := objects.EventSource{Component: ctrl.Name()}
	if s, ok := ctrl.(controllers.EventSourcer); ok {
		source = s.EventSource()
	}
	component := controllers.ComponentOf(ctrl)
	var ec *eventCache
	for _, ev := range evs {
		if ev.Action != "" {
			r.traced(source.Component, ev)
			r.seriesOf(ctrl.Name()).record(&ev)
			continue
		}
		if ec == nil {
			ec = r.cacheOf(source, component)
		}
		r.record(ec, source, ev)
	}
}

// seriesOf returns the events.k8s.io/v1 broadcaster of controller, made
// when first asked. Its process runs on the first control-plane node, as
// kubeadm's and kind's schedulers do.
func (r *recorder) seriesOf(controller string) *seriesRecorder {
	s := r.series[controller]
	if s == nil {
		s = newSeriesRecorder(r, controller, r.c.ConsoleHost())
		r.series[controller] = s
	}
	return s
}

// traced adds the recording of ev by actor to the trace: each recording,
// whether or not it writes an Event.
func (r *recorder) traced(actor string, ev controllers.Event) {
	ref := ev.Regarding
	r.c.trace.add(traceRecord{TraceEntry: TraceEntry{At: r.c.clock.Now(), Actor: actor},
		event: r.c.trace.note(eventNote{ev.Type, ev.Reason, ref.Kind, ref.Name, ev.Message})})
}

// record stores one event of the core API and traces it.
func (r *recorder) record(ec *eventCache, source objects.EventSource, ev controllers.Event) {
	now := r.c.clock.Now()
	// The Event names the object as its recorder saw it, resourceVersion
	// included (client-go's GetReference); its identity leaves the
	// version out (getEventKey): the same object at another version is
	// the same subject, and a repeat patches only the count, times and
	// message, so the Event keeps the version of its first recording.
	ref := ev.Regarding
	subject := ref
	subject.ResourceVersion = ""
	id := eventIdentity{source: source, object: subject, eventType: ev.Type, reason: ev.Reason, message: ev.Message}
	r.traced(source.Component, ev)
	prev := r.c.actor
	r.c.actor = source.Component
	defer func() { r.c.actor = prev }()
	h := identityHash(id) // once: get and put both need it
	last, seen := ec.getHashed(&id, h)
	if seen {
		if stored, ok := r.stored(last.key); ok {
			e := new(objects.Event) // a new version; the stored one is shared and read-only
			*e = *stored
			e.Count++
			e.LastTimestamp = objects.NewTime(now)
			if _, err := r.c.store.UpdateTrusted(e); err == nil {
				r.c.dispatch() // which renews its TTL (leased)
				ec.putHashed(&id, h, last.key, e.Count, e.FirstTimestamp)
				return
			}
		}
	}
	ns := ref.Namespace
	if ns == "" {
		ns = objects.NamespaceDefault // events about cluster-scoped objects live in default
	}
	e := &objects.Event{
		TypeMeta:       objects.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta:     objects.ObjectMeta{Namespace: ns},
		InvolvedObject: ref, Reason: ev.Reason, Message: ev.Message, Source: source,
		FirstTimestamp: objects.NewTime(now), LastTimestamp: objects.NewTime(now),
		Count: 1, Type: ev.Type, ReportingController: source.Component, ReportingInstance: source.Host,
	}
	if seen && last.key.Namespace == ns {
		// The process still counts it, but its Event is gone (expired):
		// client-go's correlator patches the Event it remembers, and
		// when the patch finds none, creates it again under that name
		// with the count and first timestamp carried on.
		e.Name, e.Count, e.FirstTimestamp = last.key.Name, last.count+1, last.first
	} else {
		// Upstream names events <object>.<unix nanos in hex>; virtual
		// time repeats, so a sequence number keeps names unique.
		r.seq++
		e.Name = eventName(ref.Name, now.UnixNano()+r.seq)
	}
	created, err := r.c.store.CreateTrusted(e) // well-formed by construction
	if err != nil {
		r.c.traceNote(source.Component, "event not recorded: %v", err)
		return
	}
	r.c.dispatch() // which gives it its TTL (leased)
	ec.putHashed(&id, h, objects.KeyOf(created), e.Count, e.FirstTimestamp)
}

// leased gives an Event just written the TTL the apiserver gives every
// write of one (--event-ttl; an etcd lease per write): it is deleted
// eventTTL after its last write, so `kubectl describe` stops showing old
// events. Every Event write gets it, the recorder's and those made through
// the API (kubectl, a client-go controller under serve), as dispatch
// offers each.
func (r *recorder) leased(ev storage.WatchEvent) {
	key := objects.KeyOf(ev.Object)
	switch ev.Type {
	case storage.Added:
		r.expireLater(key)
	case storage.Modified:
		r.later[key] = r.dueFromNow(key)
	}
}

// expireLater queues the first TTL check of the new event under key.
func (r *recorder) expireLater(key objects.Key) {
	r.expiries.push(r.dueFromNow(key))
	if !r.armed {
		r.arm()
	}
}

// dueFromNow is the TTL check of key for a recording now, in a place of
// its own among the work of the instant it falls due.
func (r *recorder) dueFromNow(key objects.Key) expiry {
	clk := r.c.clock
	return expiry{key: key, at: clk.Now().Add(eventTTL), seq: clk.Reserve()}
}

// next returns the earliest pending check, first or deferred.
func (r *recorder) next() (expiry, bool) {
	switch {
	case r.expiries.len() == 0 && len(r.deferred) == 0:
		return expiry{}, false
	case r.expiries.len() == 0:
		return r.deferred[0], true
	case len(r.deferred) == 0 || !r.deferred[0].before(r.expiries.front()):
		return r.expiries.front(), true
	}
	return r.deferred[0], true
}

// arm sets the timer for the earliest pending check, if any.
func (r *recorder) arm() {
	if e, ok := r.next(); ok {
		r.c.clock.ScheduleReserved(&r.timer, e.at, e.seq, r)
		r.armed = true
	}
}

// Run takes the earliest check (the timer fell due). An event recorded
// again since the check was reserved is due at its last recording's check
// instead; any other expires. The timer is armed for the next check
// first, so that an event recorded while this one expires finds it armed.
func (r *recorder) Run() {
	e, _ := r.next()
	if r.expiries.len() > 0 && e.seq == r.expiries.front().seq {
		r.expiries.pop()
	} else {
		r.deferred.pop()
	}
	r.armed = false
	last, again := r.later[e.key]
	if again {
		delete(r.later, e.key)
		r.deferred.push(last)
	}
	r.arm()
	if !again {
		r.expire(e)
	}
}

// expire deletes the event of x, written last eventTTL ago (a later write
// would have reserved a later check), if it is still there. The processes
// that recorded it still remember it, as client-go's correlator knows
// nothing of the apiserver's TTL: a repeat makes it again (record).
func (r *recorder) expire(x expiry) {
	// Gone already (deleted by hand, with its namespace): the delete finds
	// nothing and writes nothing.
	_, _ = r.c.write("event-ttl", controllers.Action{Verb: controllers.Delete, Key: x.key})
}

// before orders expiries by time, then by their places at that time.
func (e expiry) before(o expiry) bool {
	return e.at.Before(o.at) || (e.at.Equal(o.at) && e.seq < o.seq)
}

// expiryHeap is a binary min-heap of expiries (before).
type expiryHeap []expiry

func (h *expiryHeap) push(e expiry) {
	*h = append(*h, e)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q[i].before(q[p]) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

// pop removes the earliest expiry; the heap must not be empty.
func (h *expiryHeap) pop() {
	q := *h
	n := len(q) - 1
	q[0] = q[n]
	q[n] = expiry{}
	q = q[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && q[l].before(q[m]) {
			m = l
		}
		if r := l + 1; r < n && q[r].before(q[m]) {
			m = r
		}
		if m == i {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	*h = q
}

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

// eventCacheSize is client-go's maxLruCacheEntries: how many identities an
// EventCorrelator remembers.
const eventCacheSize = 4096

// eventCache is one process's EventCorrelator cache: the keys of the
// events recorded under the last size identities, least recently used
// first out. Identities are found by a 64-bit hash (an identity is a
// dozen strings, slow to hash and compare as a map key); identities that
// share a hash, which such a hash makes all but impossible, share a chain.
type eventCache struct {
	size    int
	n       int
	entries map[uint64]*cacheEntry
	// newest and oldest end the list of entries by last use.
	newest, oldest *cacheEntry
	// spare are entries to use again, chained by sameHash.
	spare *cacheEntry
}

// cacheEntry is one remembered identity.
type cacheEntry struct {
	id           eventIdentity
	hash         uint64
	last         observation
	newer, older *cacheEntry
	sameHash     *cacheEntry
}

func newEventCache(size int) *eventCache {
	return &eventCache{size: size, entries: map[uint64]*cacheEntry{}}
}

// find returns id's entry, or nil.
func (ec *eventCache) find(id *eventIdentity, h uint64) *cacheEntry {
	for e := ec.entries[h]; e != nil; e = e.sameHash {
		if e.id == *id {
			return e
		}
	}
	return nil
}

// observation is what a process remembers of the last recording of an
// identity (client-go's eventLog): the Event's key, its count and its
// first timestamp.
type observation struct {
	key   objects.Key
	count int32
	first objects.Time
}

// get returns what is remembered for id, marking it used.
func (ec *eventCache) get(id eventIdentity) (observation, bool) {
	return ec.getHashed(&id, identityHash(id))
}

// getHashed is get for an identity whose hash h is known.
func (ec *eventCache) getHashed(id *eventIdentity, h uint64) (observation, bool) {
	e := ec.find(id, h)
	if e == nil {
		return observation{}, false
	}
	ec.unlink(e)
	ec.pushNewest(e)
	return e.last, true
}

// put remembers key for id, forgetting the least recently used identity
// when the cache is full.
func (ec *eventCache) put(id eventIdentity, key objects.Key, count int32, first objects.Time) {
	ec.putHashed(&id, identityHash(id), key, count, first)
}

// putHashed is put for an identity whose hash h is known.
func (ec *eventCache) putHashed(id *eventIdentity, h uint64, key objects.Key, count int32, first objects.Time) {
	last := observation{key: key, count: count, first: first}
	if e := ec.find(id, h); e != nil {
		e.last = last
		ec.unlink(e)
		ec.pushNewest(e)
		return
	}
	if ec.n >= ec.size {
		ec.drop(ec.oldest)
	}
	e := ec.spare
	if e == nil {
		// Entries come in blocks, and dropped ones are used again.
		block := make([]cacheEntry, entryBlock)
		for i := range block[:len(block)-1] {
			block[i].sameHash = &block[i+1]
		}
		e = &block[0]
	}
	ec.spare = e.sameHash
	e.id, e.hash, e.last = *id, h, last
	e.sameHash = ec.entries[h]
	ec.entries[h] = e
	ec.n++
	ec.pushNewest(e)
}

// drop removes e from the cache and keeps it for reuse.
func (ec *eventCache) drop(e *cacheEntry) {
	ec.unlink(e)
	if first := ec.entries[e.hash]; first == e {
		if e.sameHash != nil {
			ec.entries[e.hash] = e.sameHash
		} else {
			delete(ec.entries, e.hash)
		}
	} else {
		for p := first; p != nil; p = p.sameHash {
			if p.sameHash == e {
				p.sameHash = e.sameHash
				break
			}
		}
	}
	ec.n--
	*e = cacheEntry{sameHash: ec.spare}
	ec.spare = e
}

// entryBlock is how many cache entries are allocated at once.
const entryBlock = 64

func (ec *eventCache) unlink(e *cacheEntry) {
	if e.newer != nil {
		e.newer.older = e.older
	} else {
		ec.newest = e.older
	}
	if e.older != nil {
		e.older.newer = e.newer
	} else {
		ec.oldest = e.newer
	}
	e.newer, e.older = nil, nil
}

func (ec *eventCache) pushNewest(e *cacheEntry) {
	e.older = ec.newest
	if ec.newest != nil {
		ec.newest.newer = e
	}
	ec.newest = e
	if ec.oldest == nil {
		ec.oldest = e
	}
}

// len returns how many identities ec remembers.
func (ec *eventCache) len() int { return ec.n }

// remembered returns how many identities the processes remember.
func (r *recorder) remembered() int {
	n := 0
	for _, ec := range r.caches {
		n += ec.len()
	}
	return n
}

// identityHash is the hash caches find identities by; a variable so that
// a test can make every identity clash.
var identityHash = eventIdentity.hash

// hash is maphash over id's strings, each ended by a byte that keeps
// ("ab", "c") and ("a", "bc") apart. The seed is the process's own: a hash
// only finds entries (never orders anything), so output does not depend
// on it.
func (id eventIdentity) hash() uint64 {
	var h maphash.Hash
	h.SetSeed(identitySeed)
	for _, s := range [...]string{id.source.Component, id.source.Host, id.object.Kind, id.object.Namespace,
		id.object.Name, string(id.object.UID), id.object.APIVersion, id.object.ResourceVersion, id.object.FieldPath,
		id.eventType, id.reason, id.message} {
		h.WriteString(s)
		h.WriteByte(0xff)
	}
	return h.Sum64()
}

var identitySeed = maphash.MakeSeed()
