package replicaset

import (
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the ReplicaSet controller watches ReplicaSets and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"ReplicaSet", "Pod"}

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
	var prev objects.Object
	if old != nil {
		prev = old
	}
	return controllers.DependentKeys(t, p, prev, r, "ReplicaSet", replicaSetSelector)
}

// replicaSetSelector reads a ReplicaSet's label selector, for the
// ReplicaSets that may adopt an orphan pod (GetPodReplicaSets).
func replicaSetSelector(o objects.Object) *objects.LabelSelector {
	return o.(*objects.ReplicaSet).Spec.Selector
}
