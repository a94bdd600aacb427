package deployment

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// calculateStatus is upstream's calculateStatus: counts summed over the
// ReplicaSets' status (unavailable from their spec), conditions kept, and
// Available set from whether enough replicas are available.
func calculateStatus(all []*objects.ReplicaSet, newRS *objects.ReplicaSet, d *objects.Deployment) objects.DeploymentStatus {
	available := statusSum(all, func(st *objects.ReplicaSetStatus) int32 { return st.AvailableReplicas })
	st := objects.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            statusSum(all, func(st *objects.ReplicaSetStatus) int32 { return st.Replicas }),
		UpdatedReplicas:     statusSum([]*objects.ReplicaSet{newRS}, func(st *objects.ReplicaSetStatus) int32 { return st.Replicas }),
		ReadyReplicas:       statusSum(all, func(st *objects.ReplicaSetStatus) int32 { return st.ReadyReplicas }),
		AvailableReplicas:   available,
		UnavailableReplicas: max(specReplicas(all)-available, 0),
		CollisionCount:      d.Status.CollisionCount,
		Conditions:          append([]objects.DeploymentCondition(nil), d.Status.Conditions...),
	}
	return st
}

// withAvailability sets the Available condition of st for d at now.
func withAvailability(st objects.DeploymentStatus, d *objects.Deployment, now time.Time) objects.DeploymentStatus {
	if st.AvailableReplicas >= replicas(d)-MaxUnavailable(d) {
		setCondition(&st, newCondition(objects.DeploymentAvailable, objects.ConditionTrue, ReasonMinimumReplicasAvailable, msgMinimumAvailable, now))
	} else {
		setCondition(&st, newCondition(objects.DeploymentAvailable, objects.ConditionFalse, ReasonMinimumReplicasUnavailable, msgMinimumUnavailable, now))
	}
	return st
}

// syncRolloutStatus is upstream's syncRolloutStatus: the new status with
// the Progressing condition brought up to date (complete, progressing,
// or past the progress deadline), and a requeue for the deadline.
func (s *syncer) syncRolloutStatus(all []*objects.ReplicaSet, newRS *objects.ReplicaSet) {
	d := s.d
	next := withAvailability(calculateStatus(all, newRS, d), d, s.now)
	if !hasProgressDeadline(d) {
		removeCondition(&next, objects.DeploymentProgressing)
	}
	cur := objects.FindDeploymentCondition(d.Status.Conditions, objects.DeploymentProgressing)
	complete := next.Replicas == next.UpdatedReplicas && cur != nil && cur.Reason == ReasonNewReplicaSetAvailable
	if hasProgressDeadline(d) && !complete {
		s.updateProgressing(&next, cur, newRS)
	}
	removeCondition(&next, objects.DeploymentReplicaFailure)
	s.requeueStuck(&next)
	d.Status = next
}

// updateProgressing sets the Progressing condition of next.
func (s *syncer) updateProgressing(next *objects.DeploymentStatus, cur *objects.DeploymentCondition, newRS *objects.ReplicaSet) {
	d := s.d
	rsOrDeployment := func(rsMsg, dMsg string) string {
		if newRS != nil {
			return fmt.Sprintf(rsMsg, newRS.Name)
		}
		return fmt.Sprintf(dMsg, d.Name)
	}
	switch {
	case deploymentComplete(d, next):
		setCondition(next, newCondition(objects.DeploymentProgressing, objects.ConditionTrue, ReasonNewReplicaSetAvailable,
			rsOrDeployment(msgRSProgressed, msgDeploymentProgressed), s.now))
	case deploymentProgressing(d, next):
		c := newCondition(objects.DeploymentProgressing, objects.ConditionTrue, ReasonReplicaSetUpdated,
			rsOrDeployment(msgRSProgressing, msgDeploymentProgressing), s.now)
		if cur != nil {
			if cur.Status == objects.ConditionTrue {
				c.LastTransitionTime = cur.LastTransitionTime
			}
			removeCondition(next, objects.DeploymentProgressing)
		}
		setCondition(next, c)
	case deploymentTimedOut(d, next, s.now):
		setCondition(next, newCondition(objects.DeploymentProgressing, objects.ConditionFalse, ReasonProgressDeadlineExceeded,
			rsOrDeployment(msgRSTimedOut, msgDeploymentTimedOut), s.now))
	}
}

// requeueStuck is requeueStuckDeployment: a rollout that is neither
// complete nor timed out is looked at again once its deadline has passed.
func (s *syncer) requeueStuck(next *objects.DeploymentStatus) {
	d := s.d
	cur := objects.FindDeploymentCondition(d.Status.Conditions, objects.DeploymentProgressing)
	if !hasProgressDeadline(d) || cur == nil || deploymentComplete(d, next) || cur.Reason == ReasonProgressDeadlineExceeded {
		return
	}
	after := cur.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second).Sub(s.now)
	if after < time.Second {
		s.requeueAfter(time.Second)
		return
	}
	s.requeueAfter(after + time.Second)
}

// deploymentComplete is DeploymentComplete: every replica updated and
// available, and the latest generation observed.
func deploymentComplete(d *objects.Deployment, st *objects.DeploymentStatus) bool {
	n := replicas(d)
	return st.UpdatedReplicas == n && st.Replicas == n && st.AvailableReplicas == n && st.ObservedGeneration >= d.Generation
}

// deploymentProgressing is DeploymentProgressing: more updated, ready or
// available replicas than the stored status says, or fewer old ones.
func deploymentProgressing(d *objects.Deployment, st *objects.DeploymentStatus) bool {
	old := d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas ||
		st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas || st.AvailableReplicas > old.AvailableReplicas
}

// deploymentTimedOut is DeploymentTimedOut: the Progressing condition was
// last updated more than progressDeadlineSeconds ago.
func deploymentTimedOut(d *objects.Deployment, st *objects.DeploymentStatus, now time.Time) bool {
	if !hasProgressDeadline(d) {
		return false
	}
	c := objects.FindDeploymentCondition(st.Conditions, objects.DeploymentProgressing)
	switch {
	case c == nil || c.Reason == ReasonNewReplicaSetAvailable:
		return false
	case c.Reason == ReasonProgressDeadlineExceeded:
		return true
	}
	return c.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second).Before(now)
}

// newCondition is NewDeploymentCondition: updated and transitioned now.
func newCondition(t, status, reason, message string, now time.Time) objects.DeploymentCondition {
	return objects.DeploymentCondition{Type: t, Status: status, Reason: reason, Message: message,
		LastUpdateTime: objects.NewTime(now), LastTransitionTime: objects.NewTime(now)}
}

// setCondition is SetDeploymentCondition: nothing when the status and
// reason are unchanged; otherwise the condition moves to the end of the
// list, keeping its transition time when its status is unchanged.
func setCondition(st *objects.DeploymentStatus, c objects.DeploymentCondition) {
	cur := objects.FindDeploymentCondition(st.Conditions, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	removeCondition(st, c.Type)
	st.Conditions = append(st.Conditions, c)
}

// removeCondition drops the conditions of type t.
func removeCondition(st *objects.DeploymentStatus, t string) {
	var kept []objects.DeploymentCondition
	for _, c := range st.Conditions {
		if c.Type != t {
			kept = append(kept, c)
		}
	}
	st.Conditions = kept
}
