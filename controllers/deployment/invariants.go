package deployment

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckInvariants returns one error per Deployment whose rollout exceeds
// its surge bound: the ReplicaSets it controls ask for, and run as active
// pods, at most spec.replicas + maxSurge. The bound is checked once the
// Deployment controller has observed the Deployment's generation and the
// ReplicaSet controller every ReplicaSet's, because a user's scale-down
// leaves the old sizes in place until both have acted. Active pods are
// those neither finished nor terminating: like upstream, the controllers
// replace a terminating pod without waiting for it to go, so terminating
// pods may briefly exceed the bound.
func CheckInvariants(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("Deployment", "", nil) {
		d := o.(*objects.Deployment)
		if d.DeletionTimestamp != nil || d.Status.ObservedGeneration < d.Generation {
			continue
		}
		rsList, settled := ownedReplicaSets(r, d)
		if !settled {
			continue
		}
		bound := replicas(d) + MaxSurge(d)
		if n := specReplicas(rsList); n > bound {
			errs = append(errs, fmt.Errorf("deployment %s: its ReplicaSets want %d replicas, more than replicas+maxSurge=%d", objects.KeyOf(d), n, bound))
		}
		if n := activePodCount(r, d, rsList); n > int(bound) {
			errs = append(errs, fmt.Errorf("deployment %s: %d active pods, more than replicas+maxSurge=%d", objects.KeyOf(d), n, bound))
		}
	}
	return errs
}

// ownedReplicaSets lists the ReplicaSets the Deployment controls, and
// whether the ReplicaSet controller has observed each one's generation.
func ownedReplicaSets(r storage.Reader, d *objects.Deployment) ([]*objects.ReplicaSet, bool) {
	var out []*objects.ReplicaSet
	settled := true
	for _, o := range r.List("ReplicaSet", d.Namespace, nil) {
		rs := o.(*objects.ReplicaSet)
		if ref := rs.ControllerRef(); ref == nil || ref.UID != d.UID {
			continue
		}
		out = append(out, rs)
		if rs.Status.ObservedGeneration < rs.Generation {
			settled = false
		}
	}
	return out, settled
}

// activePodCount counts the active pods the ReplicaSets control.
func activePodCount(r storage.Reader, d *objects.Deployment, rsList []*objects.ReplicaSet) int {
	owners := map[string]bool{}
	for _, rs := range rsList {
		owners[rs.UID] = true
	}
	n := 0
	for _, o := range r.List("Pod", d.Namespace, nil) {
		p := o.(*objects.Pod)
		ref := p.ControllerRef()
		if ref == nil || !owners[ref.UID] || p.DeletionTimestamp != nil ||
			p.Status.Phase == objects.PodSucceeded || p.Status.Phase == objects.PodFailed {
			continue
		}
		n++
	}
	return n
}
