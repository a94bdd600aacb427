package job

import (
	"sort"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Pod predicates and orderings, after upstream's controller_utils.go
// (IsPodActive, IsPodTerminating, ActivePods) and backoff_utils.go
// (getFinishedTime).

// isTerminal reports whether the pod's phase is Succeeded or Failed.
func isTerminal(p *objects.Pod) bool {
	return p.Status.Phase == objects.PodSucceeded || p.Status.Phase == objects.PodFailed
}

// isActive reports whether the pod runs or will: not terminal, not being deleted.
func isActive(p *objects.Pod) bool { return !isTerminal(p) && p.DeletionTimestamp == nil }

// isTerminating reports whether the pod is being deleted and not yet terminal.
func isTerminating(p *objects.Pod) bool { return !isTerminal(p) && p.DeletionTimestamp != nil }

// isReady reports whether the pod's Ready condition is True.
func isReady(p *objects.Pod) bool {
	c := podCondition(p, objects.PodReady)
	return c != nil && c.Status == objects.ConditionTrue
}

// podCondition returns the pod's first condition of type t, or nil.
func podCondition(p *objects.Pod, t string) *objects.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// hasTrackingFinalizer reports whether the pod carries batch.kubernetes.io/job-tracking.
func hasTrackingFinalizer(p *objects.Pod) bool { return p.HasFinalizer(objects.JobTrackingFinalizer) }

// activePods filters the active pods, keeping their order.
func activePods(pods []*objects.Pod) []*objects.Pod {
	var out []*objects.Pod
	for _, p := range pods {
		if isActive(p) {
			out = append(out, p)
		}
	}
	return out
}

// terminatingPods filters the terminating pods, keeping their order.
func terminatingPods(pods []*objects.Pod) []*objects.Pod {
	var out []*objects.Pod
	for _, p := range pods {
		if isTerminating(p) {
			out = append(out, p)
		}
	}
	return out
}

// countReady counts the ready pods.
func countReady(pods []*objects.Pod) int32 {
	var n int32
	for _, p := range pods {
		if isReady(p) {
			n++
		}
	}
	return n
}

// isPodFailed is upstream's isPodFailed: phase Failed, or, unless only
// failed pods are replaced, deleted before it succeeded.
func isPodFailed(p *objects.Pod, job *objects.Job) bool {
	if p.Status.Phase == objects.PodFailed {
		return true
	}
	if onlyReplaceFailedPods(job) {
		return false
	}
	return p.DeletionTimestamp != nil && p.Status.Phase != objects.PodSucceeded
}

// phaseOrdinal orders phases for deletion: Pending, Unknown, then Running.
var phaseOrdinal = map[string]int{objects.PodPending: 0, objects.PodUnknown: 1, objects.PodRunning: 2}

// sortActivePods orders pods as upstream's ActivePods does, those to delete
// first: unscheduled, earlier phase, not ready, ready more recently, more
// restarts, newer. The sort is stable, so ties keep the store's name order.
func sortActivePods(pods []*objects.Pod) {
	sort.SliceStable(pods, func(i, j int) bool { return deleteBefore(pods[i], pods[j]) })
}

// deleteBefore is ActivePods.Less.
func deleteBefore(a, b *objects.Pod) bool {
	if a.Spec.NodeName != b.Spec.NodeName && (a.Spec.NodeName == "" || b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	if pa, pb := phaseOrdinal[a.Status.Phase], phaseOrdinal[b.Status.Phase]; pa != pb {
		return pa < pb
	}
	if isReady(a) != isReady(b) {
		return !isReady(a)
	}
	if isReady(a) && isReady(b) {
		if ta, tb := readyTime(a), readyTime(b); !ta.Equal(tb) {
			return afterOrZero(ta, tb)
		}
	}
	if ra, rb := maxRestarts(a), maxRestarts(b); ra != rb {
		return ra > rb
	}
	if ta, tb := a.CreationTimestamp.Time, b.CreationTimestamp.Time; !ta.Equal(tb) {
		return afterOrZero(ta, tb)
	}
	return false
}

// afterOrZero reports whether a is zero, or b is not and a is later.
func afterOrZero(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero()
	}
	return a.After(b)
}

// readyTime is when the pod's Ready condition last became True.
func readyTime(p *objects.Pod) time.Time {
	if c := podCondition(p, objects.PodReady); c != nil && c.Status == objects.ConditionTrue {
		return c.LastTransitionTime.Time
	}
	return time.Time{}
}

// maxRestarts is the highest restart count among the pod's containers.
func maxRestarts(p *objects.Pod) int32 {
	var n int32
	for _, c := range p.Status.ContainerStatuses {
		n = max(n, c.RestartCount)
	}
	return n
}

// finishedTime estimates when a pod finished, as upstream's getFinishedTime
// does: the last container to terminate, else the Ready=False transition,
// else the deletion time less the grace period, else the creation time.
func finishedTime(p *objects.Pod) time.Time {
	if t, ok := containersFinishedAt(p); ok {
		return t
	}
	if c := podCondition(p, objects.PodReady); c != nil && c.Status == objects.ConditionFalse && !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime.Time
	}
	if p.DeletionTimestamp != nil {
		grace := int64(0)
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		return p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	}
	return p.CreationTimestamp.Time
}

// containersFinishedAt is the latest finishedAt of the pod's containers,
// when every one of them has terminated with a time.
func containersFinishedAt(p *objects.Pod) (time.Time, bool) {
	var latest time.Time
	for _, c := range p.Status.ContainerStatuses {
		t := c.State.Terminated
		if t == nil || t.FinishedAt.IsZero() {
			return time.Time{}, false
		}
		if t.FinishedAt.After(latest) {
			latest = t.FinishedAt.Time
		}
	}
	return latest, !latest.IsZero()
}

// sortByFinishedTime orders pods by finishedTime, stably.
func sortByFinishedTime(pods []*objects.Pod) {
	sort.SliceStable(pods, func(i, j int) bool { return finishedTime(pods[i]).Before(finishedTime(pods[j])) })
}

// pastBackoffLimitOnFailure is upstream's check for OnFailure Jobs: the
// restarts of the containers of running and pending pods reach the
// backoff limit (any restart when the limit is 0).
func pastBackoffLimitOnFailure(job *objects.Job, pods []*objects.Pod) bool {
	if job.Spec.Template.Spec.RestartPolicy != objects.RestartPolicyOnFailure {
		return false
	}
	var sum int32
	for _, p := range pods {
		if p.Status.Phase != objects.PodRunning && p.Status.Phase != objects.PodPending {
			continue
		}
		for _, c := range p.Status.InitContainerStatuses {
			sum += c.RestartCount
		}
		for _, c := range p.Status.ContainerStatuses {
			sum += c.RestartCount
		}
	}
	limit := backoffLimitOf(job)
	if limit == 0 {
		return sum > 0
	}
	return sum >= limit
}
