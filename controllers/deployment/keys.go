package deployment

import (
	"reflect"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// KeysFor maps a change to the Deployments to sync, as upstream's event
// handlers enqueue them: a Deployment change syncs it; a ReplicaSet change
// syncs the Deployment controlling it (and the previous one when that
// changed), or, for an orphan, the Deployments whose selector matches it;
// a deleted pod syncs the Deployment of its ReplicaSet, so that a Recreate
// rollout notices its old pods are gone.
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
	var keys []objects.Key
	ref := rs.ControllerRef()
	if old != nil {
		if oldRef := old.ControllerRef(); oldRef != nil && !reflect.DeepEqual(oldRef, ref) {
			if d := resolveDeployment(r, old.Namespace, oldRef); d != nil {
				keys = append(keys, objects.KeyOf(d))
			}
		}
	}
	if ref != nil {
		if d := resolveDeployment(r, rs.Namespace, ref); d != nil {
			keys = append(keys, objects.KeyOf(d))
		}
		return keys
	}
	if t == storage.Deleted || rs.DeletionTimestamp != nil {
		return keys
	}
	if old == nil || !reflect.DeepEqual(old.Labels, rs.Labels) || old.ControllerRef() != nil {
		keys = append(keys, matchingDeploymentKeys(r, rs)...)
	}
	return keys
}

// podKeys maps a deleted pod to the Deployment controlling its ReplicaSet.
func podKeys(p *objects.Pod, r storage.Reader) []objects.Key {
	ref := p.ControllerRef()
	if ref == nil || ref.Kind != "ReplicaSet" {
		return nil
	}
	obj, err := r.Get(objects.Key{Kind: "ReplicaSet", Namespace: p.Namespace, Name: ref.Name})
	if err != nil || obj.GetObjectMeta().UID != ref.UID {
		return nil
	}
	rsRef := obj.GetObjectMeta().ControllerRef()
	if rsRef == nil {
		return nil
	}
	if d := resolveDeployment(r, p.Namespace, rsRef); d != nil {
		return []objects.Key{objects.KeyOf(d)}
	}
	return nil
}

// resolveDeployment returns the Deployment a controller reference names,
// if it exists with that uid.
func resolveDeployment(r storage.Reader, ns string, ref *objects.OwnerReference) *objects.Deployment {
	if ref.Kind != "Deployment" {
		return nil
	}
	obj, err := r.Get(objects.Key{Kind: "Deployment", Namespace: ns, Name: ref.Name})
	if err != nil {
		return nil
	}
	d := obj.(*objects.Deployment)
	if d.UID != ref.UID {
		return nil
	}
	return d
}

// matchingDeploymentKeys lists the Deployments of the namespace whose
// selector matches the ReplicaSet's labels (getDeploymentsForReplicaSet).
func matchingDeploymentKeys(r storage.Reader, rs *objects.ReplicaSet) []objects.Key {
	var keys []objects.Key
	for _, o := range r.List("Deployment", rs.Namespace, nil) {
		d := o.(*objects.Deployment)
		sel, err := objects.LabelSelectorAsSelector(d.Spec.Selector)
		if err == nil && !sel.Empty() && sel.Matches(rs.Labels) {
			keys = append(keys, objects.KeyOf(d))
		}
	}
	return keys
}
