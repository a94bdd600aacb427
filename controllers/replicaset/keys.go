package replicaset

import (
	"reflect"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// KeysFor maps a change to the ReplicaSets to sync, as upstream's event
// handlers enqueue them: a ReplicaSet change syncs it; a pod change syncs
// the ReplicaSet controlling it (and the one that controlled it before,
// when that changed), or, for a live orphan whose labels changed, the
// ReplicaSets whose selector matches it, to adopt it.
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.ReplicaSet:
		return []objects.Key{objects.KeyOf(obj)}
	case *objects.Pod:
		old, _ := ev.Old.(*objects.Pod)
		return podKeys(ev.Type, obj, old, r)
	}
	return nil
}

// podKeys is upstream's addPod, updatePod and deletePod.
func podKeys(t storage.EventType, p, old *objects.Pod, r storage.Reader) []objects.Key {
	var keys []objects.Key
	ref := p.ControllerRef()
	if old != nil {
		if oldRef := old.ControllerRef(); oldRef != nil && !reflect.DeepEqual(oldRef, ref) {
			if rs := resolveReplicaSet(r, old.Namespace, oldRef); rs != nil {
				keys = append(keys, objects.KeyOf(rs))
			}
		}
	}
	if ref != nil {
		if rs := resolveReplicaSet(r, p.Namespace, ref); rs != nil {
			keys = append(keys, objects.KeyOf(rs))
		}
		return keys
	}
	if t == storage.Deleted || p.DeletionTimestamp != nil {
		return keys
	}
	if old == nil || !reflect.DeepEqual(old.Labels, p.Labels) || old.ControllerRef() != nil {
		keys = append(keys, matchingReplicaSetKeys(r, p)...)
	}
	return keys
}

// resolveReplicaSet returns the ReplicaSet a controller reference names,
// if it exists with that uid.
func resolveReplicaSet(r storage.Reader, ns string, ref *objects.OwnerReference) *objects.ReplicaSet {
	if ref.Kind != "ReplicaSet" {
		return nil
	}
	obj, err := r.Get(objects.Key{Kind: "ReplicaSet", Namespace: ns, Name: ref.Name})
	if err != nil {
		return nil
	}
	rs := obj.(*objects.ReplicaSet)
	if rs.UID != ref.UID {
		return nil
	}
	return rs
}

// matchingReplicaSetKeys lists the ReplicaSets of the pod's namespace
// whose selector matches its labels (GetPodReplicaSets).
func matchingReplicaSetKeys(r storage.Reader, p *objects.Pod) []objects.Key {
	var keys []objects.Key
	for _, o := range r.List("ReplicaSet", p.Namespace, nil) {
		rs := o.(*objects.ReplicaSet)
		sel, err := objects.LabelSelectorAsSelector(rs.Spec.Selector)
		if err == nil && !sel.Empty() && sel.Matches(p.Labels) {
			keys = append(keys, objects.KeyOf(rs))
		}
	}
	return keys
}
