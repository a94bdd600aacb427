package replicaset

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// PodDeletionCostAnnotation ranks a ReplicaSet's pods for scale-down:
// lower costs go first (core/v1 annotation_key_constants.go).
const PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// claimPods is upstream's claimPods over the namespace's active pods: the
// pods the ReplicaSet controls that its selector matches, plus matching
// orphans it adopts. Owned pods that no longer match are released. A
// ReplicaSet being deleted adopts and releases nothing. The pods it keeps
// are the stored ones (the sync only reads them); an adopted pod is a copy
// carrying the new controller reference.
func (s *syncer) claimPods(r storage.Reader, sel objects.Selector) []*objects.Pod {
	rs := s.rs
	var out []*objects.Pod
	controllers.ScanClaimable(r, "Pod", rs.Namespace, rs.UID, func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if !IsPodActive(p) {
			return true
		}
		matches := sel.Matches(p.Labels)
		ref := p.ControllerRef()
		switch {
		case ref != nil && ref.UID == rs.UID && matches:
			out = append(out, p)
		case ref != nil && ref.UID == rs.UID:
			if rs.DeletionTimestamp == nil {
				s.actions = append(s.actions, s.ownerAction(p, false))
			}
		case ref == nil && matches && rs.DeletionTimestamp == nil:
			s.actions = append(s.actions, s.ownerAction(p, true))
			adopted := p.DeepCopy()
			adopted.OwnerReferences = append(adopted.OwnerReferences, controllerRefTo(rs))
			out = append(out, adopted)
		}
		return true
	})
	return out
}

// ownerAction adopts (adds the controller reference) or releases (removes
// it from) p, as the ControllerRefManager's patches do for the same pod
// (uid precondition). An update here rewrites the whole pod, so it is
// conditional on the resourceVersion read (it is the sync's only write of
// the pod; deletions carry no version): a sync working from a stale view
// gets a Conflict, and retries with a fresher one, rather than overwrite
// an owner reference or labels written meanwhile.
func (s *syncer) ownerAction(p *objects.Pod, adopt bool) controllers.Action {
	upd := p.DeepCopy()
	if adopt {
		upd.OwnerReferences = append(upd.OwnerReferences, controllerRefTo(s.rs))
	} else {
		var kept []objects.OwnerReference
		for _, ref := range upd.OwnerReferences {
			if ref.UID != s.rs.UID {
				kept = append(kept, ref)
			}
		}
		upd.OwnerReferences = kept
	}
	return controllers.Action{Verb: controllers.Update, Object: upd, Then: s.record(nil, nil)}
}

// relatedPods is getIndirectlyRelatedPods: the pods controlled by the
// ReplicaSet or by the ReplicaSets that share its controller (a
// Deployment's other revisions). They are the stored pods, only read.
func relatedPods(r storage.Reader, rs *objects.ReplicaSet) []*objects.Pod {
	owners := []string{rs.UID}
	if ref := rs.ControllerRef(); ref != nil {
		controllers.ScanControlled(r, "ReplicaSet", rs.Namespace, ref.UID, func(o objects.Object) bool {
			if uid := o.GetObjectMeta().UID; uid != rs.UID {
				owners = append(owners, uid)
			}
			return true
		})
	}
	var out []*objects.Pod
	for _, uid := range owners {
		controllers.ScanControlled(r, "Pod", rs.Namespace, uid, func(o objects.Object) bool {
			out = append(out, o.(*objects.Pod))
			return true
		})
	}
	// in key order, as a scan of the namespace gave them
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PodsToDelete is upstream's getPodsToDelete: the first n of pods in the
// order ActivePodsWithRanks sorts them, ranked by how many active related
// pods share their node.
func PodsToDelete(pods, related []*objects.Pod, n int, now time.Time) []*objects.Pod {
	if n >= len(pods) {
		return pods
	}
	onNode := map[string]int{}
	for _, p := range related {
		if IsPodActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranked := make([]rankedPod, len(pods))
	for i, p := range pods {
		ranked[i] = rankedPod{pod: p, rank: onNode[p.Spec.NodeName]}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return deleteBefore(ranked[i], ranked[j], now) })
	out := make([]*objects.Pod, n)
	for i := range out {
		out[i] = ranked[i].pod
	}
	return out
}

// rankedPod is a pod with the number of related active pods on its node.
type rankedPod struct {
	pod  *objects.Pod
	rank int
}

// phaseOrdinal orders the active phases for deletion: Pending first.
var phaseOrdinal = map[string]int{objects.PodPending: 0, objects.PodUnknown: 1, objects.PodRunning: 2}

// deleteBefore is ActivePodsWithRanks.Less with the PodDeletionCost and
// LogarithmicScaleDown features on (their defaults).
func deleteBefore(a, b rankedPod, now time.Time) bool {
	pa, pb := a.pod, b.pod
	if pa.Spec.NodeName != pb.Spec.NodeName && (pa.Spec.NodeName == "" || pb.Spec.NodeName == "") {
		return pa.Spec.NodeName == ""
	}
	if oa, ob := phaseOrdinal[pa.Status.Phase], phaseOrdinal[pb.Status.Phase]; oa != ob {
		return oa < ob
	}
	ra, rb := IsPodReady(pa), IsPodReady(pb)
	if ra != rb {
		return !ra
	}
	if ca, cb := deletionCost(pa), deletionCost(pb); ca != cb {
		return ca < cb
	}
	if a.rank != b.rank {
		return a.rank > b.rank
	}
	if ra && rb {
		if ta, tb := readyTime(pa), readyTime(pb); !ta.Equal(tb) {
			return newerFirst(ta, tb, pa, pb, now)
		}
	}
	if ma, mb := maxRestarts(pa), maxRestarts(pb); ma != mb {
		return ma > mb
	}
	if ta, tb := pa.CreationTimestamp.Time, pb.CreationTimestamp.Time; !ta.Equal(tb) {
		return newerFirst(ta, tb, pa, pb, now)
	}
	return false
}

// newerFirst orders two different times for deletion: a zero time first,
// then by the base-2 logarithm of their age, ties broken by uid.
func newerFirst(ta, tb time.Time, pa, pb *objects.Pod, now time.Time) bool {
	if now.IsZero() || ta.IsZero() || tb.IsZero() {
		return afterOrZero(ta, tb)
	}
	if d := logRank(now.Sub(ta)) - logRank(now.Sub(tb)); d != 0 {
		return d < 0
	}
	return pa.UID < pb.UID
}

// afterOrZero reports whether a is zero or later than b (a non-zero b).
func afterOrZero(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero()
	}
	return a.After(b)
}

// logRank is the integer base-2 logarithm of an age in nanoseconds, -1
// for a non-positive age (logarithmicRankDiff).
func logRank(d time.Duration) int64 {
	if d <= 0 {
		return -1
	}
	return int64(math.Log2(float64(d)))
}

// deletionCost reads the pod-deletion-cost annotation, 0 when absent or malformed.
func deletionCost(p *objects.Pod) int32 {
	v, ok := p.Annotations[PodDeletionCostAnnotation]
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

// maxRestarts is the highest restart count of the pod's containers.
func maxRestarts(p *objects.Pod) int32 {
	var m int32
	for _, cs := range p.Status.ContainerStatuses {
		m = max(m, cs.RestartCount)
	}
	return m
}

// IsPodActive reports whether the pod is neither finished nor being deleted.
func IsPodActive(p *objects.Pod) bool {
	return p.Status.Phase != objects.PodSucceeded && p.Status.Phase != objects.PodFailed && p.DeletionTimestamp == nil
}

// readyCondition returns the pod's Ready condition, or nil.
func readyCondition(p *objects.Pod) *objects.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == objects.PodReady {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// IsPodReady reports whether the pod's Ready condition is True.
func IsPodReady(p *objects.Pod) bool {
	c := readyCondition(p)
	return c != nil && c.Status == objects.ConditionTrue
}

// readyTime is when a ready pod last became ready (zero when unknown).
func readyTime(p *objects.Pod) time.Time {
	if c := readyCondition(p); c != nil && c.Status == objects.ConditionTrue {
		return c.LastTransitionTime.Time
	}
	return time.Time{}
}

// IsPodAvailable is upstream's IsPodAvailable: ready, and, with a
// minReadySeconds, ready since strictly more than that long before now.
func IsPodAvailable(p *objects.Pod, minReadySeconds int32, now time.Time) bool {
	if !IsPodReady(p) {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	t := readyTime(p)
	return !t.IsZero() && t.Add(time.Duration(minReadySeconds)*time.Second).Before(now)
}

// untilAvailable is how long until a ready but not yet available pod
// becomes available, or 0 when none will by waiting.
func untilAvailable(pods []*objects.Pod, minReadySeconds int32, now time.Time) time.Duration {
	var soonest time.Duration
	for _, p := range pods {
		if !IsPodReady(p) || IsPodAvailable(p, minReadySeconds, now) || readyTime(p).IsZero() {
			continue
		}
		d := readyTime(p).Add(time.Duration(minReadySeconds)*time.Second).Sub(now) + availabilityEpsilon
		if soonest == 0 || d < soonest {
			soonest = d
		}
	}
	return soonest
}
