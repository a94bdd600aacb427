package deployment

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckMaxSurge returns one error per Deployment whose rollout exceeds
// its surge bound: the ReplicaSets it controls ask for, and run as active
// pods, at most spec.replicas + maxSurge. The bound is checked once the
// Deployment controller has observed the Deployment's generation and the
// ReplicaSet controller every ReplicaSet's, because a user's scale-down
// leaves the old sizes in place until both have acted. Active pods are
// those neither finished nor terminating: upstream's RollingUpdate counts
// the ReplicaSets' replicas, and the ReplicaSet controller replaces a
// terminating pod without waiting for it to go (KEP-3973: only a
// Deployment that opts into podReplacementPolicy TerminationComplete
// waits), so terminating pods may briefly exceed the bound. Recreate's
// stronger rule, no new pod while an old one runs, is a trace invariant
// of the property checker.
//
// A Deployment that adopted a ReplicaSet it did not make (another
// Deployment's, orphaned, whose selector its own overlaps) is left out:
// upstream treats the adoption as a scaling event, and scales the adopted
// ReplicaSet down only once the new one is saturated (its scale: "This
// case handles replica set adoption during a saturated new replica
// set"), so until then its pods run beside a full new ReplicaSet. Pods a
// ReplicaSet adopted (bare pods its selector matches, not named after it)
// are not counted either, for the same reason.
func CheckMaxSurge(r storage.Reader) []error {
	var errs []error
	var rsByOwner map[string][]*objects.ReplicaSet
	var podsByOwner map[string][]*objects.Pod
	r.Scan("Deployment", "", func(o objects.Object) bool {
		d := o.(*objects.Deployment)
		if d.DeletionTimestamp != nil || d.Status.ObservedGeneration < d.Generation {
			return true
		}
		if rsByOwner == nil {
			rsByOwner, podsByOwner = controlledReplicaSets(r), controlledPods(r)
		}
		rsList := rsByOwner[d.UID]
		if !observed(rsList) || AdoptedAny(d, rsList) {
			return true
		}
		bound := replicas(d) + MaxSurge(d)
		if n := specReplicas(rsList); n > bound {
			errs = append(errs, fmt.Errorf("deployment %s: its ReplicaSets want %d replicas, more than replicas+maxSurge=%d", objects.KeyOf(d), n, bound))
		}
		n := 0
		for _, rs := range rsList {
			n += countActive(rs, podsByOwner[rs.UID])
		}
		if n > int(bound) {
			errs = append(errs, fmt.Errorf("deployment %s: %d active pods, more than replicas+maxSurge=%d", objects.KeyOf(d), n, bound))
		}
		return true
	})
	return errs
}

// AdoptedAny reports whether a Deployment controls a ReplicaSet it did
// not make: one not named <deployment>-<hash>.
func AdoptedAny(d *objects.Deployment, rsList []*objects.ReplicaSet) bool {
	for _, rs := range rsList {
		if !strings.HasPrefix(rs.Name, d.Name+"-") || strings.Contains(rs.Name[len(d.Name)+1:], "-") {
			return true
		}
	}
	return false
}

// controlledReplicaSets indexes the ReplicaSets by their controller's uid,
// as stored (not to be changed).
func controlledReplicaSets(r storage.Reader) map[string][]*objects.ReplicaSet {
	out := map[string][]*objects.ReplicaSet{}
	r.Scan("ReplicaSet", "", func(o objects.Object) bool {
		rs := o.(*objects.ReplicaSet)
		if ref := rs.ControllerRef(); ref != nil {
			out[ref.UID] = append(out[ref.UID], rs)
		}
		return true
	})
	return out
}

// controlledPods indexes the pods by their controller's uid, as stored.
func controlledPods(r storage.Reader) map[string][]*objects.Pod {
	out := map[string][]*objects.Pod{}
	r.Scan("Pod", "", func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil {
			out[ref.UID] = append(out[ref.UID], p)
		}
		return true
	})
	return out
}

// observed reports whether the ReplicaSet controller has observed every
// ReplicaSet's generation.
func observed(rsList []*objects.ReplicaSet) bool {
	for _, rs := range rsList {
		if rs.Status.ObservedGeneration < rs.Generation {
			return false
		}
	}
	return true
}

// countActive counts the pods rs created that are neither finished nor
// terminating.
func countActive(rs *objects.ReplicaSet, pods []*objects.Pod) int {
	n := 0
	for _, p := range pods {
		if !strings.HasPrefix(p.Name, rs.Name+"-") {
			// Adopted, not created: a bare pod whose labels match the
			// ReplicaSet's selector. Upstream's ReplicaSet adopts it and
			// then deletes what exceeds its replicas; while its view lags
			// behind its own adoption, the surplus runs on.
			continue
		}
		if p.DeletionTimestamp == nil && p.Status.Phase != objects.PodSucceeded && p.Status.Phase != objects.PodFailed {
			n++
		}
	}
	return n
}

// CheckInvariants runs every check that holds after every step.
func CheckInvariants(r storage.Reader) []error { return CheckMaxSurge(r) }
