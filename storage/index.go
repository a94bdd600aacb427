package storage

import (
	"slices"
	"strings"

	"github.com/google/btree"

	"github.com/kubesim/kubesim/objects"
)

// Secondary indexes, so that a controller finds the objects it cares about
// at a cost that follows how many there are, not how many objects the
// store holds: the pods a Job controls, the pods bound to a node.
//
// Each (index, value) pair has a bucket of the keys filed under it, and
// the live store finds a bucket in a hash map. As one btree of (index,
// value, key) entries, every write that filed an object and every scan
// descended a tree of all the filed objects with string comparisons at
// each step: a tenth of a day of CronJobs. Now a write is a hash probe and
// a change to a bucket of a few keys.
//
// Snapshots and checkpoints share the buckets copy-on-write, as the
// tables share their trees (tables.go): a clone reads a tree of the
// buckets by (index, value), which catches up with the map only when a
// clone is taken (the values whose bucket was made, replaced or dropped
// since are noted, or, past a bound, the tree is built anew), and a
// bucket the live store may share with a clone (one older than the last
// clone: its epoch) is copied before it is written. A clone costs at most
// the values noted since the last one, and without clones the tree is
// dropped once and never touched again.

// Index names for ScanIndex.
const (
	// IndexController maps an owner's UID to the objects whose controller
	// reference (the owner reference marked controller) names it, and ""
	// to the pods and ReplicaSets without a controller: the orphans a
	// controller may adopt.
	IndexController = "controller"
	// IndexOwner maps an owner's UID to every object with an owner
	// reference to it, controller or not (the garbage collector's graph).
	IndexOwner = "owner"
	// IndexNode maps a node's name to the pods bound to it.
	IndexNode = "node"
)

// adoptable are the kinds whose orphans a controller adopts (ReplicaSets,
// Jobs and StatefulSets adopt pods; Deployments adopt ReplicaSets): only
// their orphans are filed under IndexController "", so that every other
// object (events, namespaces) costs the index nothing.
var adoptable = map[string]bool{"Pod": true, "ReplicaSet": true}

// indexValue is one (index, value) pair an object is filed under.
type indexValue struct{ index, value string }

// index holds the buckets of every (index, value) pair with objects filed
// under it.
type index struct {
	// buckets finds the live store's buckets; nil in a frozen clone.
	buckets map[indexValue]*bucket
	// tree holds the buckets by value: up to date but for the values in
	// noted (in a clone: up to date), or nil until the next clone builds
	// it.
	tree  *btree.BTreeG[filed]
	noted []indexValue
	// epoch counts clones: a bucket of an earlier epoch may be shared
	// with a clone, and is copied before it is written.
	epoch  int
	frozen bool
}

// filed is a bucket in the index's tree.
type filed struct {
	indexValue
	b *bucket
}

func filedLess(a, b filed) bool {
	if a.index != b.index {
		return a.index < b.index
	}
	return a.value < b.value
}

func newIndex() *index {
	return &index{buckets: map[indexValue]*bucket{}, tree: btree.NewG(btreeDegree, filedLess)}
}

// find returns the bucket of v, or nil if nothing is filed under it.
func (x *index) find(v indexValue) *bucket {
	if !x.frozen {
		return x.buckets[v]
	}
	f, _ := x.tree.Get(filed{indexValue: v})
	return f.b
}

// add files key under v.
func (x *index) add(v indexValue, key objects.Key) {
	b := x.buckets[v]
	switch {
	case b == nil:
		b = newBucket(x.epoch)
		x.buckets[v] = b
		x.note(v)
	case b.epoch != x.epoch:
		b = b.copy(x.epoch)
		x.buckets[v] = b
		x.note(v)
	}
	b.add(key)
}

// remove unfiles key from v.
func (x *index) remove(v indexValue, key objects.Key) {
	b := x.buckets[v]
	switch {
	case b == nil:
		return // cannot happen: the index follows the tables
	case b.len() == 1:
		if b.has(key) {
			delete(x.buckets, v)
			x.note(v)
		}
		return
	case b.epoch != x.epoch:
		if !b.has(key) {
			return
		}
		b = b.copy(x.epoch)
		x.buckets[v] = b
		x.note(v)
	}
	b.remove(key)
}

// note notes v for the tree. Once the notes outnumber twice the buckets
// (plus a slack), the tree is dropped instead, and built anew from the
// map by the next clone: a cluster never snapshotted would otherwise keep
// a tree for no one, or note every owner it ever saw.
func (x *index) note(v indexValue) {
	if x.tree == nil {
		return
	}
	x.noted = append(x.noted, v)
	if len(x.noted) > 2*len(x.buckets)+maxUnorderedSlack {
		x.tree, x.noted = nil, nil
	}
}

// catchUp brings the tree up to date with the map, building it if it was
// dropped.
func (x *index) catchUp() {
	if x.tree == nil {
		x.tree = btree.NewG(btreeDegree, filedLess)
		for v, b := range x.buckets { // the tree orders them
			x.tree.ReplaceOrInsert(filed{indexValue: v, b: b})
		}
		return
	}
	for i, v := range x.noted {
		x.noted[i] = indexValue{}
		if b := x.buckets[v]; b != nil {
			x.tree.ReplaceOrInsert(filed{indexValue: v, b: b})
		} else {
			x.tree.Delete(filed{indexValue: v})
		}
	}
	x.noted = x.noted[:0]
}

// clone returns a frozen index sharing x's buckets copy-on-write.
func (x *index) clone() *index {
	x.catchUp()
	x.epoch++
	return &index{tree: x.tree.Clone(), epoch: x.epoch, frozen: true}
}

// live makes a clone the live store's index again (Rollback): its map is
// built anew from its tree, and every bucket it holds counts as shared.
func (x *index) live() *index {
	x.frozen = false
	x.epoch++
	x.buckets = make(map[indexValue]*bucket, x.tree.Len())
	x.tree.Ascend(func(f filed) bool {
		x.buckets[f.indexValue] = f.b
		return true
	})
	return x
}

// bucket is the keys filed under one value, in key order: a sorted slice
// while there are few (the pods of one Job), a btree once there are more
// than bigBucket (the pods of one node).
type bucket struct {
	epoch int
	keys  []objects.Key
	big   *btree.BTreeG[objects.Key]
	// room holds the keys of a small bucket in the bucket's own
	// allocation: most owners have a few dependents.
	room [4]objects.Key
}

// newBucket returns an empty bucket of epoch.
func newBucket(epoch int) *bucket {
	b := &bucket{epoch: epoch}
	b.keys = b.room[:0]
	return b
}

// bigBucket is the most keys a bucket keeps in a slice (a variable for
// tests).
var bigBucket = 64

func keyLess(a, b objects.Key) bool { return a.Less(b) }

func (b *bucket) len() int {
	if b.big != nil {
		return b.big.Len()
	}
	return len(b.keys)
}

func (b *bucket) has(k objects.Key) bool {
	if b.big != nil {
		return b.big.Has(k)
	}
	_, found := slices.BinarySearchFunc(b.keys, k, objects.Key.Compare)
	return found
}

func (b *bucket) add(k objects.Key) {
	if b.big != nil {
		b.big.ReplaceOrInsert(k)
		return
	}
	i, found := slices.BinarySearchFunc(b.keys, k, objects.Key.Compare)
	if found {
		return
	}
	if len(b.keys) == bigBucket {
		b.big = btree.NewG(btreeDegree, keyLess)
		for _, x := range b.keys {
			b.big.ReplaceOrInsert(x)
		}
		b.big.ReplaceOrInsert(k)
		b.keys = nil
		return
	}
	b.keys = slices.Insert(b.keys, i, k)
}

func (b *bucket) remove(k objects.Key) {
	if b.big != nil {
		b.big.Delete(k)
		return
	}
	if i, found := slices.BinarySearchFunc(b.keys, k, objects.Key.Compare); found {
		b.keys = slices.Delete(b.keys, i, i+1)
	}
}

// copy returns a private copy of b for epoch.
func (b *bucket) copy(epoch int) *bucket {
	c := newBucket(epoch)
	if b.big != nil {
		c.big = b.big.Clone()
	} else {
		c.keys = append(c.keys, b.keys...)
	}
	return c
}

// ascendKind visits the keys of kind in order until visit returns false.
func (b *bucket) ascendKind(kind string, visit func(objects.Key) bool) {
	if b.big != nil {
		b.big.AscendGreaterOrEqual(objects.Key{Kind: kind}, func(k objects.Key) bool {
			return k.Kind == kind && visit(k)
		})
		return
	}
	i, _ := slices.BinarySearchFunc(b.keys, kind, func(k objects.Key, kind string) int {
		return strings.Compare(k.Kind, kind)
	})
	for ; i < len(b.keys) && b.keys[i].Kind == kind; i++ {
		if !visit(b.keys[i]) {
			return
		}
	}
}

// indexValuesOf appends the index values obj is filed under to out.
func indexValuesOf(obj objects.Object, out []indexValue) []indexValue {
	m := obj.GetObjectMeta()
	controlled := false
	for i := range m.OwnerReferences {
		ref := &m.OwnerReferences[i]
		out = append(out, indexValue{IndexOwner, ref.UID})
		if ref.Controller != nil && *ref.Controller && !controlled {
			out = append(out, indexValue{IndexController, ref.UID})
			controlled = true
		}
	}
	if !controlled && adoptable[objects.KeyOf(obj).Kind] {
		out = append(out, indexValue{IndexController, ""})
	}
	if p, ok := obj.(*objects.Pod); ok && p.Spec.NodeName != "" {
		out = append(out, indexValue{IndexNode, p.Spec.NodeName})
	}
	return out
}

// reindex files obj in place of old (either may be nil) in the indexes.
func reindex(x *index, old, obj objects.Object) {
	if old != nil && obj != nil && sameIndexValues(old, obj) {
		return // most updates: a status, a label
	}
	// Room on the stack for the values of an object with an owner or two.
	var beforeBuf, afterBuf [4]indexValue
	var before, after []indexValue
	var key objects.Key
	if old != nil {
		before, key = indexValuesOf(old, beforeBuf[:0]), objects.KeyOf(old)
	}
	if obj != nil {
		after, key = indexValuesOf(obj, afterBuf[:0]), objects.KeyOf(obj)
	}
	for _, v := range before {
		if !containsValue(after, v) {
			x.remove(v, key)
		}
	}
	for _, v := range after {
		if !containsValue(before, v) {
			x.add(v, key)
		}
	}
}

// sameIndexValues reports, cheaply, that two versions of one object are
// filed under the same values: they share their owner references (the
// same stored slice, which nobody changes) and, for a pod, its node.
func sameIndexValues(old, obj objects.Object) bool {
	refs, was := obj.GetObjectMeta().OwnerReferences, old.GetObjectMeta().OwnerReferences
	if len(refs) != len(was) || len(refs) > 0 && &refs[0] != &was[0] {
		return false
	}
	p, isPod := obj.(*objects.Pod)
	if !isPod {
		return true
	}
	q, wasPod := old.(*objects.Pod)
	return wasPod && p.Spec.NodeName == q.Spec.NodeName
}

func containsValue(list []indexValue, v indexValue) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// scanIndex visits the objects of kind filed under value in index, in key
// order, until visit returns false.
func scanIndex(t *tables, x *index, index, value, kind string, visit func(objects.Object) bool) {
	b := x.find(indexValue{index, value})
	if b == nil {
		return
	}
	b.ascendKind(kind, func(k objects.Key) bool {
		stored, ok := t.get(k)
		if !ok {
			return true // cannot happen: the index follows the tables
		}
		return visit(stored.obj)
	})
}
