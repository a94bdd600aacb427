package storage

import (
	"encoding/binary"
	"time"
	"unsafe"

	"github.com/kubesim/kubesim/objects"
)

// A cluster keeps its Events for an hour after they were last seen (the
// apiserver's --event-ttl): a thousand every-minute CronJobs hold half a
// million of them, nine in ten of the objects stored. As objects each is
// half a kilobyte in some fifteen allocations, every one of them a pointer
// the garbage collector follows at every cycle: a day of such CronJobs
// spent a quarter of its CPU in the collector, scanning Events no one
// would read again.
//
// So the Event table keeps its Events packed, as etcd keeps bytes rather
// than objects, once it holds more than packAbove: each new Event the
// store measured (the quota's size is known) and that carries only the
// fields the controllers' events have is written as one record of bytes
// into chunks that hold no pointers, which the collector marks without
// scanning. An Event written again (a repeat: count and lastTimestamp)
// stays an object, as it is likely to repeat again (a pod no node fits, a
// container in back-off), and each repeat of a packed one would unpack it
// and pack the new version: a scheduling storm ran 20% slower so.
//
// Reading an Event (Get, a List's tree, a write's old version) unpacks it
// into a new object whose strings share one copy of the record's bytes:
// two allocations. Every write, revision, size and watch event is what it
// was; only the memory behind the stored version differs, and a packed
// Event read twice is two equal objects rather than one. A List orders
// the table's tree, which then holds the Events it lists unpacked: a
// cluster listed often keeps less of the gain.
//
// Not packed: Events with labels, annotations, owners, finalizers or a
// deletion timestamp (a user's, through the API), any whose times carry a
// location other than UTC or a monotonic reading, and every Event while
// the store checks for mutations (CheckMutations remembers stored objects
// by identity).

// eventArena holds packed Events: records of bytes in chunks that are only
// ever appended to. When most of the bytes belong to records released
// since (expired or replaced Events), the live ones move to new chunks.
type eventArena struct {
	chunks [][]byte
	// live and dead count the bytes of records in use and released.
	live, dead int
}

// packedRef locates a record (its length, then its bytes): 1 +
// chunk*arenaChunkSize + offset; zero is no record.
type packedRef uint32

const (
	// arenaChunkSize is the most a chunk holds; a record fits in one.
	// The first chunk holds firstChunkSize, each next one twice its
	// predecessor's up to arenaChunkSize.
	arenaChunkSize = 1 << 20
	firstChunkSize = 4 << 10
	// maxRecordSize bounds a packed record: a larger Event is stored as
	// an object.
	maxRecordSize = arenaChunkSize / 16
	// maxArenaChunks keeps every ref within a uint32.
	maxArenaChunks = (1<<32 - 1) / arenaChunkSize
)

// compactAfter is how many released bytes an arena lets pile up, whatever
// its live ones, before it moves its records (a variable for tests).
var compactAfter = 4 * arenaChunkSize

// packedStrings is the number of strings a record holds, in the order
// eventStrings lists them.
const packedStrings = 21

// eventStrings returns pointers to e's strings, in record order.
func eventStrings(e *objects.Event) [packedStrings]*string {
	m, r := &e.ObjectMeta, &e.InvolvedObject
	return [packedStrings]*string{
		&e.APIVersion, &e.Kind,
		&m.Name, &m.GenerateName, &m.Namespace, &m.UID, &m.ResourceVersion,
		&r.Kind, &r.Namespace, &r.Name, &r.UID, &r.APIVersion, &r.ResourceVersion, &r.FieldPath,
		&e.Reason, &e.Message, &e.Source.Component, &e.Source.Host,
		&e.Type, &e.ReportingController, &e.Action,
	}
}

// packable reports whether e has no field a record leaves out. (Its times
// are checked as they are packed.)
func packable(e *objects.Event) bool {
	m := &e.ObjectMeta
	return m.DeletionTimestamp == nil && m.DeletionGracePeriodSeconds == nil &&
		m.Labels == nil && m.Annotations == nil && m.OwnerReferences == nil && m.Finalizers == nil &&
		e.Related == nil
}

// pack appends e to the arena and returns its record, or false when e
// cannot be packed exactly (or the arena is full).
func (a *eventArena) pack(e *objects.Event) (packedRef, bool) {
	if !packable(e) {
		return 0, false
	}
	var buf [512]byte
	rec := buf[:0]
	for _, s := range eventStrings(e) {
		rec = binary.AppendUvarint(rec, uint64(len(*s)))
		rec = append(rec, *s...)
	}
	// The reporting instance is the source's host for the core API's
	// events; an events.k8s.io/v1 one has its own (and no source).
	if e.ReportingInstance == e.Source.Host {
		rec = append(rec, 0)
	} else {
		rec = append(rec, 1)
		rec = binary.AppendUvarint(rec, uint64(len(e.ReportingInstance)))
		rec = append(rec, e.ReportingInstance...)
	}
	rec = binary.AppendVarint(rec, e.Generation)
	rec = binary.AppendVarint(rec, int64(e.Count))
	var series objects.EventSeries
	if e.Series != nil {
		series = *e.Series
		rec = append(rec, 1)
		rec = binary.AppendVarint(rec, int64(series.Count))
	} else {
		rec = append(rec, 0)
	}
	for _, t := range []objects.Time{e.CreationTimestamp, e.FirstTimestamp, e.LastTimestamp,
		{Time: e.EventTime.Time}, {Time: series.LastObservedTime.Time}} {
		var ok bool
		if rec, ok = appendTime(rec, t); !ok {
			return 0, false
		}
	}
	if len(rec) > maxRecordSize {
		return 0, false
	}
	return a.append(rec)
}

// appendTime appends t as a zero flag or its seconds and nanoseconds, if
// unpacking them gives t back exactly (UTC, no monotonic reading).
func appendTime(rec []byte, t objects.Time) ([]byte, bool) {
	if t.IsZero() {
		if t != (objects.Time{}) {
			return rec, false
		}
		return append(rec, 0), true
	}
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if unpackTime(sec, nsec) != t {
		return rec, false
	}
	rec = append(rec, 1)
	rec = binary.AppendVarint(rec, sec)
	return binary.AppendVarint(rec, nsec), true
}

func unpackTime(sec, nsec int64) objects.Time {
	return objects.Time{Time: time.Unix(sec, nsec).UTC()}
}

// append copies rec into the arena, after its length.
func (a *eventArena) append(rec []byte) (packedRef, bool) {
	var head [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(head[:], uint64(len(rec)))
	size := h + len(rec)
	n := len(a.chunks)
	if n == 0 || len(a.chunks[n-1])+size > cap(a.chunks[n-1]) {
		if n >= maxArenaChunks {
			return 0, false
		}
		// A small cluster's few Events take a small chunk; chunks double
		// up to arenaChunkSize as they fill.
		c := firstChunkSize
		if n > 0 {
			c = min(2*cap(a.chunks[n-1]), arenaChunkSize)
		}
		a.chunks = append(a.chunks, make([]byte, 0, max(c, size)))
		n++
	}
	c := a.chunks[n-1]
	off := len(c)
	c = append(c, head[:h]...)
	a.chunks[n-1] = append(c, rec...)
	a.live += size
	return packedRef(1 + (n-1)*arenaChunkSize + off), true
}

// record returns ref's record (without its length) and the bytes it
// takes in its chunk.
func (a *eventArena) record(ref packedRef) (rec []byte, size int) {
	at := int(ref) - 1
	c := a.chunks[at/arenaChunkSize][at%arenaChunkSize:]
	n, h := binary.Uvarint(c)
	return c[h : h+int(n) : h+int(n)], h + int(n)
}

// unpack returns the Event of ref's record: a new object whose strings
// share one copy of the record's bytes. Not the chunk's own: an Event
// someone keeps (a trace entry, a watcher) would keep its whole chunk
// alive, and a chunk's worth for every Event kept.
func (a *eventArena) unpack(ref packedRef) *objects.Event {
	rec, _ := a.record(ref)
	rec = append([]byte(nil), rec...)
	e := &objects.Event{}
	at := 0
	for _, s := range eventStrings(e) {
		n, w := binary.Uvarint(rec[at:])
		at += w
		if n > 0 {
			*s = unsafe.String(&rec[at], int(n))
		}
		at += int(n)
	}
	e.ReportingInstance = e.Source.Host
	ownInstance := rec[at] == 1
	at++
	if ownInstance {
		n, w := binary.Uvarint(rec[at:])
		at += w
		if n > 0 {
			e.ReportingInstance = unsafe.String(&rec[at], int(n))
		}
		at += int(n)
	}
	varint := func() int64 {
		v, w := binary.Varint(rec[at:])
		at += w
		return v
	}
	e.Generation = varint()
	e.Count = int32(varint())
	var seriesCount int32
	hasSeries := rec[at] == 1
	at++
	if hasSeries {
		seriesCount = int32(varint())
	}
	var eventTime, lastObserved objects.Time
	for _, t := range []*objects.Time{&e.CreationTimestamp, &e.FirstTimestamp, &e.LastTimestamp, &eventTime, &lastObserved} {
		set := rec[at]
		at++
		if set == 1 {
			sec := varint()
			*t = unpackTime(sec, varint())
		}
	}
	e.EventTime = objects.MicroTime{Time: eventTime.Time}
	if hasSeries {
		// Made here only: a variable whose address an Event may keep
		// would be made on the heap for every record.
		e.Series = &objects.EventSeries{Count: seriesCount, LastObservedTime: objects.MicroTime{Time: lastObserved.Time}}
	}
	return e
}

// release marks ref's record as unused.
func (a *eventArena) release(ref packedRef) {
	_, size := a.record(ref)
	a.live -= size
	a.dead += size
}

// shouldCompact reports whether the released bytes outweigh the live ones
// by enough to move the records.
func (a *eventArena) shouldCompact() bool {
	return a.dead > compactAfter && a.dead > a.live
}

// compact moves the records of tb's packed slots into new chunks.
func (tb *table) compact() {
	old := tb.arena
	fresh := &eventArena{}
	for k, s := range tb.objs {
		if s.packed == 0 {
			continue
		}
		rec, _ := old.record(s.packed)
		ref, _ := fresh.append(rec) // fewer bytes than before: it fits
		s.packed = ref
		tb.objs[k] = s
	}
	tb.arena = fresh
}

// pack packs the Event s holds into tb's arena, if tb packs and holds
// packAbove Events, the Event's size is known (measureAll tells an
// unmeasured object's version by its identity) and a record holds it
// exactly.
func (tb *table) pack(s *slot) {
	ev, ok := s.obj.(*objects.Event)
	if !ok || tb.arena == nil || s.size == unknownSize || len(tb.objs) < packAbove {
		return
	}
	if s.packed, ok = tb.arena.pack(ev); ok {
		s.obj = nil
	}
}

// packAbove is how many Events a table holds before it packs any (a
// variable for tests): below it the collector's work for them is small,
// while each read of a packed Event unpacks it (kubesim check's clusters
// hold a few hundred).
var packAbove = 16384

// newArenaFor returns the arena of a new table of kind: the Event table
// packs its objects, no other does.
func newArenaFor(kind string) *eventArena {
	if kind == eventKind {
		return &eventArena{}
	}
	return nil
}

const eventKind = "Event"

// setPacking turns packing on or off. Turning it off unpacks every packed
// Event into the object stored from then on, which the tree takes up too,
// so that the objects handed out afterwards are the stored ones.
func (t *tables) setPacking(on bool) {
	t.unpacked = !on
	if on {
		return
	}
	for _, kind := range t.kinds {
		tb := t.byKind[kind]
		if tb.arena == nil {
			continue
		}
		var packed []nsName
		for k, s := range tb.objs {
			if s.packed != 0 {
				packed = append(packed, k)
			}
		}
		if len(packed) == 0 {
			continue
		}
		tb = t.writable(kind)
		for _, k := range packed {
			s := tb.objs[k]
			s.obj, s.packed = tb.arena.unpack(s.packed), 0
			tb.set(k, s)
		}
		tb.arena = &eventArena{}
	}
}
