package replicaset

import (
	"reflect"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// updateStatus is calculateStatus and updateReplicaSetStatus: it writes
// the counts of the sync's pods as they were at its start (pods it just
// created or deleted count at the next sync) when they differ from the
// stored status, and requeues for the next pod to turn available.
func (s *syncer) updateStatus() {
	rs := s.rs
	next := CalculateStatus(rs, s.pods, s.now)
	if d := untilAvailable(s.pods, rs.Spec.MinReadySeconds, s.now); d > 0 {
		s.requeue = d
	}
	if reflect.DeepEqual(next, rs.Status) {
		return
	}
	upd := rs.DeepCopy()
	upd.Status = next
	s.actions = append(s.actions, controllers.Action{Verb: controllers.UpdateStatus, Object: upd, Then: s.record(nil, nil)})
}

// CalculateStatus is upstream's calculateStatus: pods counts every active
// pod the ReplicaSet controls; fully labelled ones carry every template
// label; available ones have been ready for minReadySeconds. Conditions
// are kept as they are (kubesim's writes do not fail for quota).
func CalculateStatus(rs *objects.ReplicaSet, pods []*objects.Pod, now time.Time) objects.ReplicaSetStatus {
	st := objects.ReplicaSetStatus{Replicas: int32(len(pods)), ObservedGeneration: rs.Generation,
		Conditions: rs.Status.Conditions}
	template := objects.SelectorFromSet(rs.Spec.Template.Labels)
	for _, p := range pods {
		if template.Matches(p.Labels) {
			st.FullyLabeledReplicas++
		}
		if IsPodReady(p) {
			st.ReadyReplicas++
			if IsPodAvailable(p, rs.Spec.MinReadySeconds, now) {
				st.AvailableReplicas++
			}
		}
	}
	return st
}
