package controllers

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
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
