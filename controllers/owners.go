package controllers

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
	"reflect"
)

// ResolveControllerRef returns the object of kind in namespace that the
// controller reference ref names, or nil when ref names another kind or no
// such object exists with ref's uid (upstream's resolveControllerRef).
func ResolveControllerRef(r storage.Reader, kind, namespace string, ref *objects.OwnerReference) objects.Object {
	if ref.Kind != kind {
		return nil
	}
	obj, err := r.Get(objects.Key{Kind: kind, Namespace: namespace, Name: ref.Name})
	if err != nil || obj.GetObjectMeta().UID != ref.UID {
		return nil
	}
	return obj
}

// KeysSelecting lists, in key order, the keys of the objects of kind in
// namespace whose label selector (as selectorOf reads it from one) is
// valid, not empty and matches labels: the controllers that may adopt an
// orphan carrying those labels (upstream's GetPodJobs, GetPodReplicaSets,
// getDeploymentsForReplicaSet). It runs on watch events, so it scans the
// objects rather than copying them.
func KeysSelecting(r storage.Reader, kind, namespace string, labels map[string]string, selectorOf func(objects.Object) *objects.LabelSelector) []objects.Key {
	var keys []objects.Key
	r.Scan(kind, namespace, func(o objects.Object) bool {
		sel, err := objects.LabelSelectorAsSelector(selectorOf(o))
		if err == nil && !sel.Empty() && sel.Matches(labels) {
			keys = append(keys, objects.KeyOf(o))
		}
		return true
	})
	return keys
}

// DependentKeys maps a change of a dependent (a pod, a ReplicaSet) to the
// owners of ownerKind to sync, as upstream's add/update/delete handlers
// for ReplicaSets and Deployments do: the owner its controller reference
// names (and the previous one when the reference changed), or, for a live
// orphan that is new, relabelled or just released, every owner whose
// selector matches it, so one can adopt it. old is nil for an add.
func DependentKeys(t storage.EventType, obj, old objects.Object, r storage.Reader, ownerKind string,
	selectorOf func(objects.Object) *objects.LabelSelector) []objects.Key {
	var keys []objects.Key
	m := obj.GetObjectMeta()
	ref := m.ControllerRef()
	if old != nil {
		if oldRef := old.GetObjectMeta().ControllerRef(); oldRef != nil && !reflect.DeepEqual(oldRef, ref) {
			if o := ResolveControllerRef(r, ownerKind, old.GetObjectMeta().Namespace, oldRef); o != nil {
				keys = append(keys, objects.KeyOf(o))
			}
		}
	}
	if ref != nil {
		if o := ResolveControllerRef(r, ownerKind, m.Namespace, ref); o != nil {
			keys = append(keys, objects.KeyOf(o))
		}
		return keys
	}
	if t == storage.Deleted || m.DeletionTimestamp != nil {
		return keys
	}
	if old == nil || !reflect.DeepEqual(old.GetObjectMeta().Labels, m.Labels) || old.GetObjectMeta().ControllerRef() != nil {
		keys = append(keys, KeysSelecting(r, ownerKind, m.Namespace, m.Labels, selectorOf)...)
	}
	return keys
}

// ScanClaimable visits, in key order, the objects of kind in namespace that
// the owner with uid controls, and the orphans (no controller at all) a
// controller may adopt: what upstream's ControllerRefManager looks at,
// found through the store's controller index instead of a scan of the
// namespace, so a sync costs what the owner has, not what the cluster has.
func ScanClaimable(r storage.Reader, kind, namespace, uid string, visit func(objects.Object) bool) {
	var owned, orphans []objects.Object
	r.ScanIndex(storage.IndexController, uid, kind, func(o objects.Object) bool {
		if o.GetObjectMeta().Namespace == namespace {
			owned = append(owned, o)
		}
		return true
	})
	r.ScanIndex(storage.IndexController, "", kind, func(o objects.Object) bool {
		if o.GetObjectMeta().Namespace == namespace {
			orphans = append(orphans, o)
		}
		return true
	})
	// Both lists are in key order; merge them so that callers see the
	// order a scan of the namespace gave.
	for len(owned) > 0 || len(orphans) > 0 {
		var next objects.Object
		if len(orphans) == 0 || (len(owned) > 0 && owned[0].GetObjectMeta().Name < orphans[0].GetObjectMeta().Name) {
			next, owned = owned[0], owned[1:]
		} else {
			next, orphans = orphans[0], orphans[1:]
		}
		if !visit(next) {
			return
		}
	}
}

// ScanControlled visits, in key order, the objects of kind in namespace
// whose controller is the owner with uid.
func ScanControlled(r storage.Reader, kind, namespace, uid string, visit func(objects.Object) bool) {
	r.ScanIndex(storage.IndexController, uid, kind, func(o objects.Object) bool {
		if o.GetObjectMeta().Namespace != namespace {
			return true
		}
		return visit(o)
	})
}
