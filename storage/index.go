package storage

import (
	"github.com/google/btree"

	"github.com/kubesim/kubesim/objects"
)

// Secondary indexes, so that a controller finds the objects it cares about
// at a cost that follows how many there are, not how many objects the
// store holds: the pods a Job controls, the pods bound to a node. Like the
// objects, an index is a google/btree, cloned copy-on-write with them for
// snapshots and checkpoints.

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

// indexEntry is one object under one value of one index. Entries are
// ordered by index, value, then the object's key (kind, namespace, name),
// so one kind's objects under a value are a contiguous range.
type indexEntry struct {
	index, value string
	key          objects.Key
}

func indexLess(a, b indexEntry) bool {
	if a.index != b.index {
		return a.index < b.index
	}
	if a.value != b.value {
		return a.value < b.value
	}
	return a.key.Less(b.key)
}

// adoptable are the kinds whose orphans a controller adopts (ReplicaSets,
// Jobs and StatefulSets adopt pods; Deployments adopt ReplicaSets): only
// their orphans are filed under IndexController "", so that every other
// object (events, namespaces) costs the index nothing.
var adoptable = map[string]bool{"Pod": true, "ReplicaSet": true}

// indexValue is one (index, value) pair an object is filed under.
type indexValue struct{ index, value string }

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
func reindex(idx *btree.BTreeG[indexEntry], old, obj objects.Object) {
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
			idx.Delete(indexEntry{index: v.index, value: v.value, key: key})
		}
	}
	for _, v := range after {
		if !containsValue(before, v) {
			idx.ReplaceOrInsert(indexEntry{index: v.index, value: v.value, key: key})
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
func scanIndex(t *tables, idx *btree.BTreeG[indexEntry], index, value, kind string,
	visit func(objects.Object) bool) {
	start := indexEntry{index: index, value: value, key: objects.Key{Kind: kind}}
	idx.AscendGreaterOrEqual(start, func(e indexEntry) bool {
		if e.index != index || e.value != value || e.key.Kind != kind {
			return false
		}
		stored, ok := t.get(e.key)
		if !ok {
			return true // cannot happen: the index follows the tree
		}
		return visit(stored.obj)
	})
}
