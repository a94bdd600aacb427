package statefulset

import (
	"slices"
	"sort"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// syncer holds one sync's inputs and decisions.
type syncer struct {
	c         *Controller
	now       time.Time
	key       objects.Key
	set       *objects.StatefulSet
	monotonic bool
	// currentRev and updateRev name the set's current and update revisions.
	currentRev, updateRev string
	// replicas holds the in-range pods by ordinal-start; nil for a missing one.
	replicas []*objects.Pod
	// condemned are the out-of-range pods, highest ordinal first.
	condemned []*objects.Pod
	// claims are the namespace's claims, by name.
	claims  map[string]*objects.PersistentVolumeClaim
	actions []controllers.Action
	events  []controllers.Event
	requeue time.Duration
}

// newSyncer reads what a sync of set needs from r.
func (c *Controller) newSyncer(now time.Time, r storage.Reader, key objects.Key, set *objects.StatefulSet) *syncer {
	s := &syncer{c: c, now: now, key: key, set: set,
		monotonic: set.Spec.PodManagementPolicy != objects.ParallelPodManagement}
	s.updateRev = RevisionName(set, &set.Spec.Template)
	c.rememberRevision(set.Namespace, s.updateRev, &set.Spec.Template)
	s.currentRev = set.Status.CurrentRevision
	if s.currentRev == "" {
		s.currentRev = s.updateRev
	}
	s.classifyPods(ownedPods(r, set))
	s.claims = claimsByName(r, set.Namespace)
	return s
}

// ownedPods lists the pods the set controls whose names make them
// members of it (isMemberOf), in ordinal order.
func ownedPods(r storage.Reader, set *objects.StatefulSet) []*objects.Pod {
	var out []*objects.Pod
	controllers.ScanControlled(r, "Pod", set.Namespace, set.UID, func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil && ref.UID == set.UID && OrdinalOf(set, p) >= 0 {
			out = append(out, p)
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return OrdinalOf(set, out[i]) < OrdinalOf(set, out[j]) })
	return out
}

// claimsByName indexes the namespace's claims by name.
func claimsByName(r storage.Reader, ns string) map[string]*objects.PersistentVolumeClaim {
	out := map[string]*objects.PersistentVolumeClaim{}
	r.Scan("PersistentVolumeClaim", ns, func(o objects.Object) bool {
		if c, ok := o.(*objects.PersistentVolumeClaim); ok {
			out[c.Name] = c
		}
		return true
	})
	return out
}

// classifyPods sorts pods into in-range replicas and condemned ones (step 3).
func (s *syncer) classifyPods(pods []*objects.Pod) {
	start := startOrdinal(s.set)
	s.replicas = make([]*objects.Pod, replicasOf(s.set))
	for _, p := range pods {
		ord := OrdinalOf(s.set, p)
		if inRange(s.set, ord) {
			s.replicas[ord-start] = p
		} else {
			s.condemned = append(s.condemned, p)
		}
	}
	sort.SliceStable(s.condemned, func(i, j int) bool {
		return OrdinalOf(s.set, s.condemned[i]) > OrdinalOf(s.set, s.condemned[j])
	})
	if mutant.On("statefulset-scale-down-lowest-first") { // breaks the guarantee: terminated in order {N-1..0}
		slices.Reverse(s.condemned)
	}
}

// sync is UpdateStatefulSet: replicas, then condemned pods, then the
// rolling update, each only once the previous step finished, then status.
func (s *syncer) sync() {
	if s.set.DeletionTimestamp == nil && s.processReplicas() && s.processCondemned() {
		s.rollingUpdate()
	}
	s.updateStatus()
}

// processReplicas walks the in-range ordinals upward (step 7) and reports
// whether the walk finished; under OrderedReady it stops at the first
// pod it creates, deletes or must wait for.
func (s *syncer) processReplicas() bool {
	start := startOrdinal(s.set)
	for i, pod := range s.replicas {
		if !s.processReplica(start+i, pod) && s.monotonic && !mutant.On("statefulset-ordered-ready-broken") { // #38418: n+1 before n is Ready
			return false
		}
	}
	return true
}

// processReplica is processReplica for one ordinal; false means "exit".
func (s *syncer) processReplica(ordinal int, pod *objects.Pod) bool {
	switch {
	case pod == nil:
		s.createPod(ordinal)
		return false
	case isFailed(pod) || isSucceeded(pod):
		// Upstream since 1.31: delete now, recreate once it is gone.
		if !isTerminating(pod) {
			s.deletePod(pod)
		}
		return false
	}
	if pod.Status.Phase == objects.PodPending {
		s.createMissingClaims(ordinal, pod.Name)
	}
	if isTerminating(pod) || !isRunningAndReady(pod) {
		return false
	}
	if !isAvailable(pod, s.set.Spec.MinReadySeconds, s.now) {
		s.requeueForAvailability(pod)
		return false
	}
	return true
}

// processCondemned deletes out-of-range pods from the highest ordinal
// (steps 8 and 9) and reports whether every one was handled; under
// OrderedReady it deletes one a sync, waiting for unhealthy ones unless it
// is the first unavailable pod.
func (s *syncer) processCondemned() bool {
	first := s.firstUnavailablePod()
	for _, pod := range s.condemned {
		s.retainClaimsOfCondemned(pod)
		if isTerminating(pod) {
			if s.monotonic {
				return false
			}
			continue
		}
		if s.monotonic && !isHealthy(pod, s.set.Spec.MinReadySeconds, s.now) && pod != first {
			return false
		}
		s.deletePod(pod)
		if s.monotonic {
			return false
		}
	}
	return true
}

// firstUnavailablePod is step 4: the lowest in-range pod that is
// unavailable or terminating, else the lowest-ordinal such condemned pod,
// else nil.
func (s *syncer) firstUnavailablePod() *objects.Pod {
	for _, p := range s.replicas {
		if p != nil && !isHealthy(p, s.set.Spec.MinReadySeconds, s.now) {
			return p
		}
	}
	for i := len(s.condemned) - 1; i >= 0; i-- {
		if p := s.condemned[i]; !isHealthy(p, s.set.Spec.MinReadySeconds, s.now) {
			return p
		}
	}
	return nil
}

// rollingUpdate is step 11 (updateStatefulSetAfterInvariantEstablished):
// with fewer than maxUnavailable unhealthy replicas, delete old-revision
// pods from the highest ordinal down to the partition, up to the budget.
func (s *syncer) rollingUpdate() {
	u := s.set.Spec.UpdateStrategy
	if u.Type != objects.RollingUpdateStatefulSetStrategyType {
		return
	}
	budget := maxUnavailable(s.set) - s.unhealthyReplicas()
	if budget <= 0 {
		return
	}
	for i := len(s.replicas) - 1; i >= partition(s.set) && budget > 0; i-- {
		p := s.replicas[i]
		if p != nil && revisionOf(p) != s.updateRev && !isTerminating(p) {
			s.deletePod(p)
			budget--
		}
	}
}

// unhealthyReplicas counts the in-range slots without a healthy pod.
func (s *syncer) unhealthyReplicas() int {
	n := 0
	for _, p := range s.replicas {
		if p == nil || !isHealthy(p, s.set.Spec.MinReadySeconds, s.now) {
			n++
		}
	}
	return n
}

// maxUnavailable is spec.updateStrategy.rollingUpdate.maxUnavailable as a
// number of pods, a percentage of replicas rounded down, at least 1.
func maxUnavailable(set *objects.StatefulSet) int {
	ru := set.Spec.UpdateStrategy.RollingUpdate
	if ru == nil || ru.MaxUnavailable == nil {
		return 1
	}
	n, err := objects.ScaledValueFromIntOrPercent(ru.MaxUnavailable, replicasOf(set), false)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// partition is spec.updateStrategy.rollingUpdate.partition, 0 when unset.
func partition(set *objects.StatefulSet) int {
	ru := set.Spec.UpdateStrategy.RollingUpdate
	if ru == nil || ru.Partition == nil {
		return 0
	}
	return int(*ru.Partition)
}

// requeueForAvailability asks to run again just after pod turns available.
func (s *syncer) requeueForAvailability(pod *objects.Pod) {
	t := readyTime(pod)
	if t.IsZero() {
		return
	}
	d := t.Add(time.Duration(s.set.Spec.MinReadySeconds)*time.Second).Sub(s.now) + availabilityEpsilon
	if d > 0 && (s.requeue == 0 || d < s.requeue) {
		s.requeue = d
	}
}
