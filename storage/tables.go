package storage

import (
	"maps"
	"slices"

	"github.com/google/btree"

	"github.com/kubesim/kubesim/objects"
)

// tables holds the stored objects one table per kind, as the apiserver
// keeps one storage (one etcd prefix, one watch cache) per resource. A
// cluster's Events outnumber its pods several times over; in one tree and
// one map with everything else they made every pod's lookup and write walk
// a structure five times the size it needs (BenchmarkJobsScaling: CPU per
// pod grew 1.37x from 1,000 to 10,000 Jobs, most of it in map and tree
// descents). A table per kind keeps each kind's cost to its own numbers.
//
// A table orders its objects lazily. A write goes to its hash map and
// notes the key; the tree catches up with the noted keys only when
// something needs the order (a List or Scan of the kind, every object in
// key order) or a frozen view (a snapshot or checkpoint). Most writes are
// never listed in between: the kubelet's status writes, the Events nobody
// lists, made a btree descent each (5-8% of BenchmarkJobs) for an order no
// one read before the next write replaced it.
//
// A snapshot or checkpoint shares the tables themselves, copy-on-write: a
// clone costs a map of a few dozen kinds (and the catching up of trees),
// and the store copies a table (an O(1) btree Clone, its tree's nodes then
// copied as writes reach them) only when it first writes to it afterwards.
// A clone reads its trees only; the live store reads the hash maps.
type tables struct {
	byKind map[string]*table
	// kinds are the kinds with a table, sorted: the order of ascend, so
	// that every object is visited in key order (kind, namespace, name).
	kinds []string
	n     int
	// epoch counts clones: a table of an earlier epoch may be shared with
	// a clone, and is copied before it is written.
	epoch int
	// frozen is set on a clone: it reads its trees, which are up to date.
	frozen bool
	// unpacked turns packing off (packedevents.go): every Event is
	// stored as the object it was given.
	unpacked bool
	// undo logs the changes while a transaction is open
	// (transaction.go); nil otherwise, and in a clone.
	undo *undoLog
}

// table is one kind's objects: hashed by namespace and name for the live
// store, and ordered by key in a tree that is up to date but for the keys
// in dirty.
type table struct {
	kind string
	tree *btree.BTreeG[entry]
	objs map[nsName]slot
	// dirty are the keys written since the tree last caught up (some
	// since removed again), gone the keys removed that the tree holds.
	dirty []nsName
	gone  []nsName
	epoch int
	// arena holds the table's packed objects (the Event table's only,
	// packedevents.go); nil in other tables.
	arena *eventArena
}

// slot is one stored object in a table's hash map: the object, its size
// as the quota counts it and the sizes of its parts known so far
// (partsize.go), and whether its key waits in dirty.
type slot struct {
	obj   objects.Object
	size  int64
	parts partSizes
	dirty bool
	// inTree says the tree holds the key (perhaps with an older version).
	inTree bool
	// packed is the record of a packed Event, whose obj is nil
	// (packedevents.go); read a slot's object with table.object.
	packed packedRef
}

// nsName is an object's key within its kind's table.
type nsName struct{ namespace, name string }

func newTables() *tables { return &tables{byKind: map[string]*table{}} }

// len returns the number of objects stored.
func (t *tables) len() int { return t.n }

// lookup returns the object stored under key, or nil; live tables only.
func (t *tables) lookup(key objects.Key) objects.Object {
	if tb := t.byKind[key.Kind]; tb != nil {
		return tb.object(tb.objs[nsName{key.Namespace, key.Name}])
	}
	return nil
}

// object returns the object s holds: its obj, or its packed Event
// unpacked.
func (tb *table) object(s slot) objects.Object {
	if s.packed != 0 {
		return tb.arena.unpack(s.packed)
	}
	return s.obj
}

// get returns the entry stored under key.
func (t *tables) get(key objects.Key) (entry, bool) {
	tb := t.byKind[key.Kind]
	switch {
	case tb == nil:
		return entry{}, false
	case t.frozen:
		return tb.tree.Get(entry{key: key})
	}
	s, ok := tb.objs[nsName{key.Namespace, key.Name}]
	return entry{key: key, obj: tb.object(s), size: s.size}, ok
}

// slot returns the slot stored under key; live tables only. Its obj is nil
// for a packed Event (packed only once measured, so never one the quota
// still has to measure).
func (t *tables) slot(key objects.Key) (slot, bool) {
	if tb := t.byKind[key.Kind]; tb != nil {
		s, ok := tb.objs[nsName{key.Namespace, key.Name}]
		return s, ok
	}
	return slot{}, false
}

// writable returns kind's table, made if missing, private to t: a table
// a clone may share is replaced by a copy first (its tree is up to date:
// clone brought it up). Its hash map goes along: a clone never reads it,
// and Rollback builds new ones.
func (t *tables) writable(kind string) *table {
	tb := t.byKind[kind]
	switch {
	case tb == nil:
		tb = &table{kind: kind, tree: btree.NewG(btreeDegree, entryLess), objs: map[nsName]slot{}, epoch: t.epoch}
		tb.arena = newArenaFor(kind)
		t.byKind[kind] = tb
		i, _ := slices.BinarySearch(t.kinds, kind)
		t.kinds = slices.Insert(t.kinds, i, kind)
	case tb.epoch != t.epoch:
		tb = &table{kind: kind, tree: tb.tree.Clone(), objs: tb.objs, epoch: t.epoch, arena: tb.arena}
		t.byKind[kind] = tb
	}
	return tb
}

// put stores e, whose parts measure parts, replacing and returning the
// entry under its key, if any (with no object if it was a packed Event:
// the caller has it).
func (t *tables) put(e entry, parts partSizes) (entry, bool) {
	tb := t.writable(e.key.Kind)
	k := nsName{e.key.Namespace, e.key.Name}
	old, replaced := tb.objs[k]
	t.logUndo(tb, e.key, old, replaced)
	s := slot{obj: e.obj, size: e.size, parts: parts, dirty: old.dirty, inTree: old.inTree}
	if !replaced && !t.unpacked {
		tb.pack(&s) // a new Event; one written again (a repeat) stays an object
	}
	tb.set(k, s)
	if !replaced {
		t.n++
	}
	tb.release(old)
	return entry{key: e.key, obj: old.obj, size: old.size}, replaced
}

// release lets go of the record of s, a slot no longer stored, if it has
// one; the table's records move once most of its arena is let go.
func (tb *table) release(s slot) {
	if s.packed == 0 {
		return
	}
	tb.arena.release(s.packed)
	if tb.arena.shouldCompact() {
		tb.compact()
	}
}

// set stores s under k, noting k for the tree unless it is noted already.
func (tb *table) set(k nsName, s slot) {
	noted := s.dirty
	s.dirty = true
	tb.objs[k] = s
	if !noted {
		tb.note(k)
	}
}

// note notes k for the tree.
func (tb *table) note(k nsName) {
	tb.dirty = append(tb.dirty, k)
	tb.boundNotes()
}

// boundNotes keeps a table's notes within twice its size (plus a slack):
// the notes of a kind nothing lists would otherwise grow with every object
// ever made and removed (a day of CronJobs makes millions of Events). The
// notes of objects made and removed since the tree last caught up go
// first, which costs a hash lookup each: the tree never held them. Only
// if that is not enough does the tree catch up.
func (tb *table) boundNotes() {
	limit := 2*len(tb.objs) + maxUnorderedSlack
	if len(tb.dirty)+len(tb.gone) <= limit {
		return
	}
	tb.dirty = slices.DeleteFunc(tb.dirty, func(k nsName) bool {
		s, ok := tb.objs[k]
		return !ok || !s.dirty
	})
	if len(tb.dirty)+len(tb.gone) > limit/2 {
		tb.order()
	}
}

// maxUnorderedSlack is how many notes beyond twice its size a table keeps
// before its tree catches up (a variable for tests).
var maxUnorderedSlack = 1024

// resize records the measured size (and parts) of the object stored
// under key without touching anything else.
func (t *tables) resize(key objects.Key, sz sized) {
	tb := t.writable(key.Kind)
	k := nsName{key.Namespace, key.Name}
	s := tb.objs[k]
	t.logUndo(tb, key, s, true)
	s.size, s.parts = sz.size, sz.parts
	tb.set(k, s)
}

// remove deletes and returns the entry under key, if any (with no object
// if it was a packed Event: the caller has it).
func (t *tables) remove(key objects.Key) (entry, bool) {
	if t.byKind[key.Kind] == nil {
		return entry{}, false
	}
	tb := t.writable(key.Kind)
	k := nsName{key.Namespace, key.Name}
	gone, ok := tb.objs[k]
	if !ok {
		return entry{}, false
	}
	t.logUndo(tb, key, gone, true)
	delete(tb.objs, k)
	if gone.inTree {
		tb.gone = append(tb.gone, k) // for the tree to forget it
		tb.boundNotes()
	}
	t.n--
	tb.release(gone)
	return entry{key: key, obj: gone.obj, size: gone.size}, true
}

// order brings tb's tree up to date: the keys removed since it last was
// leave it, then the keys written since go in with their current object
// and size (a key removed and made again does both, in that order).
func (tb *table) order() {
	for i, k := range tb.gone {
		tb.gone[i] = nsName{}
		tb.tree.Delete(entry{key: objects.Key{Kind: tb.kind, Namespace: k.namespace, Name: k.name}})
	}
	tb.gone = tb.gone[:0]
	for i, k := range tb.dirty {
		tb.dirty[i] = nsName{}
		s, ok := tb.objs[k]
		if !ok || !s.dirty {
			continue // removed since, or put in already
		}
		key := objects.Key{Kind: tb.kind, Namespace: k.namespace, Name: k.name}
		tb.tree.ReplaceOrInsert(entry{key: key, obj: tb.object(s), size: s.size})
		s.dirty, s.inTree = false, true
		tb.objs[k] = s
	}
	tb.dirty = tb.dirty[:0]
}

// ascend visits every entry in key order until visit returns false.
func (t *tables) ascend(visit func(entry) bool) {
	for _, kind := range t.kinds {
		tb := t.byKind[kind]
		if !t.frozen {
			tb.order()
		}
		more := true
		tb.tree.Ascend(func(e entry) bool {
			more = visit(e)
			return more
		})
		if !more {
			return
		}
	}
}

// ascendFrom visits kind's entries from start on, in key order, until
// visit returns false.
func (t *tables) ascendFrom(kind string, start entry, visit func(entry) bool) {
	if tb := t.byKind[kind]; tb != nil {
		if !t.frozen {
			tb.order()
		}
		tb.tree.AscendGreaterOrEqual(start, visit)
	}
}

// clone returns tables sharing t's tables copy-on-write: a frozen view
// for snapshots and checkpoints, every tree brought up to date first.
// Neither t nor the clone writes to a table they share (see writable).
func (t *tables) clone() *tables {
	for _, tb := range t.byKind {
		tb.order()
	}
	t.epoch++
	return &tables{byKind: maps.Clone(t.byKind), kinds: slices.Clone(t.kinds), n: t.n, epoch: t.epoch, frozen: true, unpacked: t.unpacked}
}

// live makes a clone the live store's tables again (Rollback): each table
// is replaced by a private copy whose hash map is built anew from its
// tree, as the map the clone shared went on with the store's later writes.
func (t *tables) live() *tables {
	t.epoch++
	t.frozen = false
	for _, kind := range t.kinds {
		tb := &table{kind: kind, tree: t.byKind[kind].tree.Clone(), epoch: t.epoch, arena: newArenaFor(kind)}
		tb.objs = make(map[nsName]slot, tb.tree.Len())
		tb.tree.Ascend(func(e entry) bool {
			s := slot{obj: e.obj, size: e.size, inTree: true}
			if !t.unpacked {
				tb.pack(&s)
			}
			tb.objs[nsName{e.key.Namespace, e.key.Name}] = s
			return true
		})
		t.byKind[kind] = tb
	}
	return t
}
