package deployment

import (
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the Deployment controller watches Deployments, ReplicaSets and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Deployment", "ReplicaSet", "Pod"}

// KeysFor maps a change to the Deployments to sync, as upstream's event
// handlers enqueue them: a Deployment change syncs it; a ReplicaSet change
// syncs the Deployment controlling it (and the previous one when that
// changed), or, for an orphan, the Deployments whose selector matches it;
// a deleted pod syncs a Recreate Deployment of its ReplicaSet once none of
// the Deployment's pods is left, so that the rollout notices its old pods
// are gone (upstream's deletePod; any other deletion is the ReplicaSet's
// to report, through its status).
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.Deployment:
		return []objects.Key{objects.KeyOf(obj)}
	case *objects.ReplicaSet:
		old, _ := ev.Old.(*objects.ReplicaSet)
		return replicaSetKeys(ev.Type, obj, old, r)
	case *objects.Pod:
		if ev.Type == storage.Deleted {
			return podKeys(obj, r)
		}
	}
	return nil
}

// replicaSetKeys is upstream's addReplicaSet, updateReplicaSet and deleteReplicaSet.
func replicaSetKeys(t storage.EventType, rs, old *objects.ReplicaSet, r storage.Reader) []objects.Key {
	var prev objects.Object
	if old != nil {
		prev = old
	}
	return controllers.DependentKeys(t, rs, prev, r, "Deployment", deploymentSelector)
}

// podKeys maps a deleted pod to the Deployment controlling its ReplicaSet
// when that Deployment recreates and has no pods left.
func podKeys(p *objects.Pod, r storage.Reader) []objects.Key {
	ref := p.ControllerRef()
	if ref == nil {
		return nil
	}
	rs := controllers.ResolveControllerRef(r, "ReplicaSet", p.Namespace, ref)
	if rs == nil {
		return nil
	}
	rsRef := rs.GetObjectMeta().ControllerRef()
	if rsRef == nil {
		return nil
	}
	d, _ := controllers.ResolveControllerRef(r, "Deployment", p.Namespace, rsRef).(*objects.Deployment)
	if d == nil || d.Spec.Strategy.Type != objects.RecreateDeploymentStrategyType || hasPods(r, d) {
		return nil
	}
	return []objects.Key{objects.KeyOf(d)}
}

// hasPods reports whether any pod matching d's selector is controlled by
// one of d's ReplicaSets (those it controls that its selector matches):
// upstream's count of getPodMapForDeployment over ListReplicaSets.
func hasPods(r storage.Reader, d *objects.Deployment) bool {
	sel, err := objects.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return false
	}
	found := false
	controllers.ScanControlled(r, "ReplicaSet", d.Namespace, d.UID, func(o objects.Object) bool {
		if !sel.Matches(o.GetObjectMeta().Labels) {
			return true
		}
		controllers.ScanControlled(r, "Pod", d.Namespace, o.GetObjectMeta().UID, func(p objects.Object) bool {
			found = sel.Matches(p.GetObjectMeta().Labels)
			return !found
		})
		return !found
	})
	return found
}

// deploymentSelector reads a Deployment's label selector, for the
// Deployments that may adopt an orphan ReplicaSet
// (getDeploymentsForReplicaSet).
func deploymentSelector(o objects.Object) *objects.LabelSelector {
	return o.(*objects.Deployment).Spec.Selector
}
