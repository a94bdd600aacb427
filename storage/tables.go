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
// A snapshot or checkpoint shares the tables themselves, copy-on-write: a
// clone costs a map of a few dozen kinds, and the store copies a table (an
// O(1) btree Clone, its tree's nodes then copied as writes reach them) only
// when it first writes to it afterwards. Only the live store reads the
// hash maps.
type tables struct {
	byKind map[string]*table
	// kinds are the kinds with a table, sorted: the order of ascend, so
	// that every object is visited in key order (kind, namespace, name).
	kinds []string
	n     int
	// epoch counts clones: a table of an earlier epoch may be shared with
	// a clone, and is copied before it is written.
	epoch int
}

// table is one kind's objects: ordered by namespace and name, and hashed by
// namespace and name for the live store's lookups.
type table struct {
	tree  *btree.BTreeG[entry]
	objs  map[nsName]objects.Object
	epoch int
}

// nsName is an object's key within its kind's table.
type nsName struct{ namespace, name string }

func newTables() *tables { return &tables{byKind: map[string]*table{}} }

// len returns the number of objects stored.
func (t *tables) len() int { return t.n }

// lookup returns the object stored under key, or nil; live tables only.
func (t *tables) lookup(key objects.Key) objects.Object {
	if tb := t.byKind[key.Kind]; tb != nil {
		return tb.objs[nsName{key.Namespace, key.Name}]
	}
	return nil
}

// get returns the entry stored under key.
func (t *tables) get(key objects.Key) (entry, bool) {
	if tb := t.byKind[key.Kind]; tb != nil {
		return tb.tree.Get(entry{key: key})
	}
	return entry{}, false
}

// writable returns kind's table, made if missing, private to t: a table
// a clone may share is replaced by a copy first. Its hash map goes along:
// a clone never reads it (Rollback builds new ones).
func (t *tables) writable(kind string) *table {
	tb := t.byKind[kind]
	switch {
	case tb == nil:
		tb = &table{tree: btree.NewG(btreeDegree, entryLess), objs: map[nsName]objects.Object{}, epoch: t.epoch}
		t.byKind[kind] = tb
		i, _ := slices.BinarySearch(t.kinds, kind)
		t.kinds = slices.Insert(t.kinds, i, kind)
	case tb.epoch != t.epoch:
		tb = &table{tree: tb.tree.Clone(), objs: tb.objs, epoch: t.epoch}
		t.byKind[kind] = tb
	}
	return tb
}

// put stores e, replacing and returning the entry under its key, if any.
func (t *tables) put(e entry) (entry, bool) {
	tb := t.writable(e.key.Kind)
	old, replaced := tb.tree.ReplaceOrInsert(e)
	tb.objs[nsName{e.key.Namespace, e.key.Name}] = e.obj
	if !replaced {
		t.n++
	}
	return old, replaced
}

// resize records e's measured size without touching anything else: e is
// stored already.
func (t *tables) resize(e entry) entry {
	old, _ := t.writable(e.key.Kind).tree.ReplaceOrInsert(e)
	return old
}

// remove deletes and returns the entry under key, if any.
func (t *tables) remove(key objects.Key) (entry, bool) {
	if t.byKind[key.Kind] == nil {
		return entry{}, false
	}
	tb := t.writable(key.Kind)
	gone, ok := tb.tree.Delete(entry{key: key})
	if ok {
		delete(tb.objs, nsName{key.Namespace, key.Name})
		t.n--
	}
	return gone, ok
}

// ascend visits every entry in key order until visit returns false.
func (t *tables) ascend(visit func(entry) bool) {
	for _, kind := range t.kinds {
		more := true
		t.byKind[kind].tree.Ascend(func(e entry) bool {
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
		tb.tree.AscendGreaterOrEqual(start, visit)
	}
}

// clone returns tables sharing t's tables copy-on-write: a frozen view
// for snapshots and checkpoints. Neither t nor the clone writes to a
// table they share (see writable).
func (t *tables) clone() *tables {
	t.epoch++
	return &tables{byKind: maps.Clone(t.byKind), kinds: slices.Clone(t.kinds), n: t.n, epoch: t.epoch}
}

// live makes a clone the live store's tables again (Rollback): each table
// is replaced by a private copy whose hash map is built anew from its
// tree, as the map the clone shared went on with the store's later writes.
func (t *tables) live() *tables {
	t.epoch++
	for _, kind := range t.kinds {
		tb := &table{tree: t.byKind[kind].tree.Clone(), epoch: t.epoch}
		tb.objs = make(map[nsName]objects.Object, tb.tree.Len())
		tb.tree.Ascend(func(e entry) bool {
			tb.objs[nsName{e.key.Namespace, e.key.Name}] = e.obj
			return true
		})
		t.byKind[kind] = tb
	}
	return t
}
