package statefulset

import (
	"reflect"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// updateStatus is updateStatefulSetStatus: it writes the status of the
// sync's pods as they were at its start (pods it just created or deleted
// count at the next sync), completing a finished rolling update, when it
// differs from the stored one.
func (s *syncer) updateStatus() {
	next := s.computeStatus()
	if reflect.DeepEqual(next, s.set.Status) {
		return
	}
	upd := s.set.DeepCopy()
	upd.Status = next
	s.actions = append(s.actions, controllers.Action{Verb: controllers.UpdateStatus, Object: upd,
		Then: s.c.written.Record(s.key, nil, nil)})
}

// computeStatus is computeReplicaStatus over replicas and condemned pods,
// then completeRollingUpdate.
func (s *syncer) computeStatus() objects.StatefulSetStatus {
	set := s.set
	zero := int32(0)
	st := objects.StatefulSetStatus{ObservedGeneration: set.Generation, CurrentRevision: s.currentRev,
		UpdateRevision: s.updateRev, CollisionCount: &zero, Conditions: set.Status.Conditions}
	if set.Status.CollisionCount != nil {
		st.CollisionCount = set.Status.CollisionCount
	}
	for _, p := range s.pods() {
		countPod(&st, p, set.Spec.MinReadySeconds, s)
	}
	if set.Spec.UpdateStrategy.Type == objects.RollingUpdateStatefulSetStrategyType &&
		st.UpdatedReplicas == st.Replicas && st.ReadyReplicas == st.Replicas && int(st.Replicas) == replicasOf(set) {
		st.CurrentReplicas = st.UpdatedReplicas
		st.CurrentRevision = st.UpdateRevision
	}
	return st
}

// countPod adds one pod to the status counts.
func countPod(st *objects.StatefulSetStatus, p *objects.Pod, minReadySeconds int32, s *syncer) {
	if isCreated(p) {
		st.Replicas++
	}
	if isRunningAndReady(p) {
		st.ReadyReplicas++
		if isAvailable(p, minReadySeconds, s.now) {
			st.AvailableReplicas++
		} else {
			s.requeueForAvailability(p)
		}
	}
	if isCreated(p) && !isTerminating(p) {
		if rev := revisionOf(p); rev == s.currentRev {
			st.CurrentReplicas++
		}
		if rev := revisionOf(p); rev == s.updateRev {
			st.UpdatedReplicas++
		}
	}
}

// pods lists the sync's existing pods: replicas, then condemned ones.
func (s *syncer) pods() []*objects.Pod {
	var out []*objects.Pod
	for _, p := range s.replicas {
		if p != nil {
			out = append(out, p)
		}
	}
	return append(out, s.condemned...)
}
