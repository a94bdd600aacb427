package storage

import (
	"reflect"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
)

// Reader is the read side of the store, what controllers get. The objects it
// returns are the stored ones, shared by every reader and never changed by
// the store: a caller must not change them either, and DeepCopyObject one
// it wants to change (to write it back, say). Sharing is what makes a read
// cost nothing; a simulation run with Config.CheckMutations (or a store
// with CheckMutations) fails loudly when a careless caller breaks the rule.
type Reader interface {
	// Get returns the object stored under key, or a NotFound error.
	Get(key objects.Key) (objects.Object, error)
	// List returns the objects of kind in namespace ("" for all namespaces;
	// ignored for cluster-scoped kinds) whose labels match sel (nil for
	// everything), ordered by namespace then name.
	List(kind, namespace string, sel objects.Selector) []objects.Object
	// Scan visits the stored objects of kind in namespace (as List, without
	// a selector) in key order until visit returns false.
	Scan(kind, namespace string, visit func(objects.Object) bool)
	// ScanIndex visits the stored objects of kind filed under value in one
	// of the store's indexes (IndexController, IndexOwner, IndexNode), in
	// key order, until visit returns false: the pods a Job controls, the
	// pods bound to a node, at a cost that follows their number.
	ScanIndex(index, value, kind string, visit func(objects.Object) bool)
	// ResourceVersion returns the revision the reader reflects.
	ResourceVersion() int64
}

// entry is one stored object under its key. The object is never mutated
// once stored: a write stores a new object, which is what lets snapshots
// share the tree.
type entry struct {
	key objects.Key
	obj objects.Object
	// size is obj's size as the quota counts it (see objectSize), or
	// unknownSize until it is measured.
	size int64
}

// entryLess orders entries by key: kind, namespace, name.
func entryLess(a, b entry) bool { return a.key.Less(b.key) }

// btreeDegree is the fan-out of the index; 32 is google/btree's usual choice
// for in-memory trees of small items.
const btreeDegree = 32

// Store is the simulation's apiserver and etcd in one: a versioned object
// store applying the apiserver's create, update and delete rules. It is not
// safe for concurrent use and starts no goroutines.
type Store struct {
	clk    clock.PassiveClock
	rnd    Rand
	tables *tables
	idx    *index // secondary indexes (index.go)
	rev    int64
	events []WatchEvent
	// size is the total size of the measured stored objects and quota the
	// most it may reach (0: no quota), in bytes; see SetQuota. unmeasured
	// counts the stored objects not measured yet (quota.go).
	size, quota int64
	unmeasured  int
	// unmeasuredObjs are the objects stored unmeasured since the last
	// measureAll, with their keys, some since replaced or removed.
	unmeasuredObjs []stored
	// kindsByType maps the Go type of each modelled kind to its description,
	// so that a typed object created without apiVersion and kind (as
	// client-go callers leave them) is still recognised.
	kindsByType map[reflect.Type]objects.KindInfo
	// shadows are private copies of the stored objects, in the test mode
	// that catches callers changing shared objects (CheckMutations).
	shadows map[objects.Object]objects.Object
	// trusted is set during CreateTrusted: validation is skipped.
	trusted bool
}

var (
	_ Reader = (*Store)(nil)
	_ Reader = (*snapshot)(nil)
)

// New returns an empty store at revision 0 that reads the time from clk and
// draws generated names and UIDs from rnd. Both must be non-nil.
func New(clk clock.PassiveClock, rnd Rand) *Store {
	s := &Store{clk: clk, rnd: rnd, tables: newTables(), idx: newIndex(),
		kindsByType: map[reflect.Type]objects.KindInfo{}}
	for _, k := range objects.Kinds() {
		if k.New != nil {
			s.kindsByType[reflect.TypeOf(k.New())] = k
		}
	}
	return s
}

// Get returns the object stored under key (shared, read-only).
func (s *Store) Get(key objects.Key) (objects.Object, error) {
	key, info := normalizeKey(key)
	if obj := s.tables.lookup(key); obj != nil {
		return obj, nil
	}
	return nil, newNotFound(info, key.Name)
}

// List returns the matching objects (shared, read-only); see Reader.
func (s *Store) List(kind, namespace string, sel objects.Selector) []objects.Object {
	return listFrom(s.tables, kind, namespace, sel)
}

// ScanAll visits every stored object, of every kind, in key order, without
// copying them; visit must not change them. A reflector's relist uses it.
func (s *Store) ScanAll(visit func(objects.Object) bool) {
	s.tables.ascend(func(e entry) bool { return visit(e.obj) })
}

// Scan visits the stored objects of kind in namespace without copying them
// (see Reader).
func (s *Store) Scan(kind, namespace string, visit func(objects.Object) bool) {
	scanFrom(s.tables, kind, namespace, visit)
}

// ScanIndex visits the objects of kind filed under value in index (see
// Reader).
func (s *Store) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
	scanIndex(s.tables, s.idx, index, value, kind, visit)
}

// ResourceVersion returns the current revision: the resourceVersion of the
// latest write, or 0 for a store never written.
func (s *Store) ResourceVersion() int64 { return s.rev }

// Len returns the number of objects stored.
func (s *Store) Len() int { return s.tables.len() }

// Snapshot returns a read-only view frozen at the current revision. It costs
// O(kinds): the trees are shared copy-on-write (btree Clone) and stored
// objects are never mutated, so later writes to the store do not show in
// the snapshot.
func (s *Store) Snapshot() Reader {
	return &snapshot{tables: s.tables.clone(), idx: s.idx.clone(), rev: s.rev}
}

// snapshot is a frozen Reader.
type snapshot struct {
	tables *tables
	idx    *index
	rev    int64
}

// ScanIndex visits the objects filed under value in index at the snapshot.
func (v *snapshot) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
	scanIndex(v.tables, v.idx, index, value, kind, visit)
}

// Get returns the object stored under key at the snapshot.
func (v *snapshot) Get(key objects.Key) (objects.Object, error) { return getFrom(v.tables, key) }

// List returns the matching objects at the snapshot.
func (v *snapshot) List(kind, namespace string, sel objects.Selector) []objects.Object {
	return listFrom(v.tables, kind, namespace, sel)
}

// ScanAll visits every object at the snapshot without copying them.
func (v *snapshot) ScanAll(visit func(objects.Object) bool) {
	v.tables.ascend(func(e entry) bool { return visit(e.obj) })
}

// Scan visits the stored objects at the snapshot without copying them.
func (v *snapshot) Scan(kind, namespace string, visit func(objects.Object) bool) {
	scanFrom(v.tables, kind, namespace, visit)
}

// ResourceVersion returns the revision the snapshot was taken at.
func (v *snapshot) ResourceVersion() int64 { return v.rev }

// normalizeKey clears the namespace of a key of a cluster-scoped kind, so
// that Get(Node, "default", "n1") finds node n1 as kubectl -n default would.
func normalizeKey(key objects.Key) (objects.Key, objects.KindInfo) {
	info := objects.KindInfoFor(key.Kind, "")
	if !info.Namespaced {
		key.Namespace = ""
	}
	return key, info
}

// getFrom looks key up in t.
func getFrom(t *tables, key objects.Key) (objects.Object, error) {
	key, info := normalizeKey(key)
	e, ok := t.get(key)
	if !ok {
		return nil, newNotFound(info, key.Name)
	}
	return e.obj, nil
}

// listFrom returns the objects of kind (and namespace) that sel matches,
// in key order.
func listFrom(t *tables, kind, namespace string, sel objects.Selector) []objects.Object {
	matchAll := sel == nil || sel.Empty()
	var out []objects.Object
	scanFrom(t, kind, namespace, func(obj objects.Object) bool {
		if matchAll || sel.Matches(obj.GetObjectMeta().Labels) {
			out = append(out, obj)
		}
		return true
	})
	return out
}

// scanFrom walks the range of kind (and namespace) in key order, so its
// cost follows the size of the range, not of the table.
func scanFrom(t *tables, kind, namespace string, visit func(objects.Object) bool) {
	if !objects.KindInfoFor(kind, "").Namespaced {
		namespace = ""
	}
	start := entry{key: objects.Key{Kind: kind, Namespace: namespace}}
	t.ascendFrom(kind, start, func(e entry) bool {
		if namespace != "" && e.key.Namespace != namespace {
			return false
		}
		return visit(e.obj)
	})
}

// lookup returns the stored object under key (not a copy), or nil.
func (s *Store) lookup(key objects.Key) objects.Object { return s.tables.lookup(key) }

// put stores obj, of sz's size, under its key, replacing old, the object
// stored there (nil for a create).
func (s *Store) put(obj, old objects.Object, sz sized) {
	key := objects.KeyOf(obj)
	gone, replaced := s.tables.put(entry{key: key, obj: obj, size: sz.size}, sz.parts)
	var before objects.Object
	if replaced {
		s.forgetSize(gone.size)
		before = old
		if before == nil {
			before = gone.obj // not for a packed Event, which has no index values
		}
		s.unshadow(before)
	}
	s.countSize(key, obj, sz.size)
	s.shadow(obj)
	reindex(s.idx, before, obj)
}

// nextRevision advances the global revision counter and returns the new value.
func (s *Store) nextRevision() int64 {
	s.rev++
	return s.rev
}
