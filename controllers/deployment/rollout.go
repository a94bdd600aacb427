package deployment

import (
	"fmt"
	"math"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
)

// rolloutRolling is upstream's rolloutRolling: scale the new ReplicaSet
// up as far as the surge allows, else scale old ones down as far as
// availability allows, else clean up history once complete.
func (s *syncer) rolloutRolling() {
	newRS, oldRSs := s.newAndOld(true)
	if s.stop {
		return
	}
	all := append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)
	if s.reconcileNewReplicaSet(all, newRS) {
		s.syncRolloutStatus(all, newRS)
		return
	}
	if s.reconcileOldReplicaSets(all, activeReplicaSets(oldRSs), newRS) {
		s.syncRolloutStatus(all, newRS)
		return
	}
	if deploymentComplete(s.d, &s.d.Status) {
		s.cleanupDeployment(oldRSs)
	}
	s.syncRolloutStatus(all, newRS)
}

// rolloutRecreate is upstream's rolloutRecreate: scale old ReplicaSets to
// zero, wait until none of their pods runs, then create and scale up the
// new one.
func (s *syncer) rolloutRecreate() {
	newRS, oldRSs := s.newAndOld(false)
	all := append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)
	if s.scaleDownOldForRecreate(activeReplicaSets(oldRSs)) || s.oldPodsRunning(newRS, oldRSs) {
		s.syncRolloutStatus(all, newRS)
		return
	}
	if newRS == nil {
		newRS, oldRSs = s.newAndOld(true)
		if s.stop {
			return
		}
		all = append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)
	}
	s.scaleAndRecord(newRS, replicas(s.d))
	if deploymentComplete(s.d, &s.d.Status) {
		s.cleanupDeployment(oldRSs)
	}
	s.syncRolloutStatus(all, newRS)
}

// scaleDownOldForRecreate scales every active old ReplicaSet to zero.
func (s *syncer) scaleDownOldForRecreate(active []*objects.ReplicaSet) bool {
	scaled := false
	for _, rs := range active {
		if s.scaleAndRecord(rs, 0) {
			scaled = true
		}
	}
	return scaled
}

// oldPodsRunning is upstream's oldPodsRunning: an old ReplicaSet still
// reports replicas, or one of its pods is not Succeeded or Failed.
func (s *syncer) oldPodsRunning(newRS *objects.ReplicaSet, oldRSs []*objects.ReplicaSet) bool {
	if statusSum(oldRSs, func(st *objects.ReplicaSetStatus) int32 { return st.Replicas }) > 0 {
		return true
	}
	for _, rs := range s.rsList {
		if newRS != nil && rs.UID == newRS.UID {
			continue
		}
		for _, p := range s.pods[rs.UID] {
			if p.Status.Phase != objects.PodSucceeded && p.Status.Phase != objects.PodFailed {
				return true
			}
		}
	}
	return false
}

// reconcileNewReplicaSet is upstream's reconcileNewReplicaSet.
func (s *syncer) reconcileNewReplicaSet(all []*objects.ReplicaSet, newRS *objects.ReplicaSet) bool {
	want := replicas(s.d)
	switch have := rsReplicas(newRS); {
	case have == want:
		return false
	case have > want:
		return s.scaleAndRecord(newRS, want)
	}
	return s.scaleAndRecord(newRS, newRSNewReplicas(s.d, all, newRS))
}

// reconcileOldReplicaSets is upstream's reconcileOldReplicaSets: scale
// old ReplicaSets down by what availability allows, unhealthy replicas first.
func (s *syncer) reconcileOldReplicaSets(all, oldRSs []*objects.ReplicaSet, newRS *objects.ReplicaSet) bool {
	if specReplicas(oldRSs) == 0 {
		return false
	}
	minAvailable := minAvailable(s.d)
	newUnavailable := rsReplicas(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := specReplicas(all) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false
	}
	cleaned := s.cleanupUnhealthyReplicas(oldRSs, maxScaledDown)
	all = append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)
	return cleaned+s.scaleDownOldForRollingUpdate(all, oldRSs) > 0
}

// minAvailable is how many pods a rolling update keeps available:
// spec.replicas less maxUnavailable.
func minAvailable(d *objects.Deployment) int32 {
	if mutant.On("deployment-ignores-max-unavailable") { // #22719: old pods go before new ones are available
		return 0
	}
	return replicas(d) - MaxUnavailable(d)
}

// cleanupUnhealthyReplicas scales old ReplicaSets down by their
// unavailable replicas, oldest first, at most maxCleanup in all.
func (s *syncer) cleanupUnhealthyReplicas(oldRSs []*objects.ReplicaSet, maxCleanup int32) int32 {
	byCreation(oldRSs)
	var total int32
	for _, rs := range oldRSs {
		if total >= maxCleanup {
			break
		}
		have := rsReplicas(rs)
		if have == 0 || have == rs.Status.AvailableReplicas {
			continue
		}
		n := min(maxCleanup-total, have-rs.Status.AvailableReplicas)
		s.scaleAndRecord(rs, have-n)
		total += n
	}
	return total
}

// scaleDownOldForRollingUpdate scales old ReplicaSets down, oldest first,
// by the available pods beyond the minimum availability.
func (s *syncer) scaleDownOldForRollingUpdate(all, oldRSs []*objects.ReplicaSet) int32 {
	minAvailable := minAvailable(s.d)
	available := statusSum(all, func(st *objects.ReplicaSetStatus) int32 { return st.AvailableReplicas })
	if available <= minAvailable {
		return 0
	}
	byCreation(oldRSs)
	want := available - minAvailable
	var total int32
	for _, rs := range oldRSs {
		if total >= want {
			break
		}
		have := rsReplicas(rs)
		if have == 0 {
			continue
		}
		n := min(have, want-total)
		s.scaleAndRecord(rs, have-n)
		total += n
	}
	return total
}

// scaleAndRecord is scaleReplicaSetAndRecordEvent: nothing when rs
// already has n replicas, otherwise a scale up or down.
func (s *syncer) scaleAndRecord(rs *objects.ReplicaSet, n int32) bool {
	if rs == nil || rsReplicas(rs) == n {
		return false
	}
	op := "down"
	if rsReplicas(rs) < n {
		op = "up"
	}
	return s.scaleReplicaSet(rs, n, op)
}

// scaleReplicaSet is upstream's scaleReplicaSet: set the replicas and the
// replicas annotations; a size change is recorded as ScalingReplicaSet.
func (s *syncer) scaleReplicaSet(rs *objects.ReplicaSet, n int32, op string) bool {
	d := s.d
	sizeChange := rsReplicas(rs) != n
	maxReplicas := replicas(d) + MaxSurge(d)
	if !sizeChange && !replicasAnnotationsNeedUpdate(rs, replicas(d), maxReplicas) {
		return false
	}
	from := rsReplicas(rs)
	rs.Spec.Replicas = &n
	setReplicasAnnotations(rs, replicas(d), maxReplicas)
	var events func(objects.Object) []controllers.Event
	if sizeChange {
		orig, name := s.orig, rs.Name
		events = func(objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(orig, ReasonScalingReplicaSet, fmt.Sprintf(msgScaled, op, name, from, n))}
		}
	}
	s.updateReplicaSet(rs, events)
	return sizeChange
}

// isScalingEvent is upstream's isScalingEvent: an active ReplicaSet's
// desired-replicas annotation differs from spec.replicas.
func (s *syncer) isScalingEvent(newRS *objects.ReplicaSet, oldRSs []*objects.ReplicaSet) bool {
	for _, rs := range activeReplicaSets(append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)) {
		if desired, ok := annotationInt32(rs, DesiredReplicasAnnotation); ok && desired != replicas(s.d) {
			return true
		}
	}
	return false
}

// sync is upstream's sync: scale (proportionally during a rolling
// update), clean up a paused Deployment's history, write status.
func (s *syncer) sync() {
	newRS, oldRSs := s.newAndOld(false)
	s.scale(newRS, oldRSs)
	if s.d.Spec.Paused {
		s.cleanupDeployment(oldRSs)
	}
	s.d.Status = withAvailability(calculateStatus(append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS), newRS, s.d), s.d, s.now)
}

// syncStatusOnly is upstream's syncStatusOnly, for a Deployment being deleted.
func (s *syncer) syncStatusOnly() {
	newRS, oldRSs := s.newAndOld(false)
	s.d.Status = withAvailability(calculateStatus(append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS), newRS, s.d), s.d, s.now)
}

// scale is upstream's scale.
func (s *syncer) scale(newRS *objects.ReplicaSet, oldRSs []*objects.ReplicaSet) {
	d := s.d
	if rs := findActiveOrLatest(newRS, oldRSs); rs != nil {
		s.scaleAndRecord(rs, replicas(d))
		return
	}
	if isSaturated(d, newRS) {
		for _, old := range activeReplicaSets(oldRSs) {
			s.scaleAndRecord(old, 0)
		}
		return
	}
	if isRollingUpdate(d) {
		s.scaleProportionally(activeReplicaSets(append(append([]*objects.ReplicaSet(nil), oldRSs...), newRS)))
	}
}

// scaleProportionally spreads the change in allowed replicas over the
// active ReplicaSets in proportion to their size, leftovers to the first.
func (s *syncer) scaleProportionally(active []*objects.ReplicaSet) {
	d := s.d
	var allowed int32
	if replicas(d) > 0 {
		allowed = replicas(d) + MaxSurge(d)
	}
	toAdd := allowed - specReplicas(active)
	op := ""
	switch {
	case toAdd > 0:
		bySizeNewer(active)
		op = "up"
	case toAdd < 0:
		bySizeOlder(active)
		op = "down"
	}
	sizes := make([]int32, len(active))
	var added int32
	for i, rs := range active {
		sizes[i] = rsReplicas(rs)
		if toAdd != 0 {
			p := proportion(rs, d, toAdd, added)
			sizes[i] += p
			added += p
		}
	}
	for i, rs := range active {
		if i == 0 && toAdd != 0 {
			sizes[0] = max(sizes[0]+toAdd-added, 0)
		}
		s.scaleReplicaSet(rs, sizes[i], op)
	}
}

// proportion is GetProportion: the share of toAdd for rs, bounded by what
// is left to add or remove.
func proportion(rs *objects.ReplicaSet, d *objects.Deployment, toAdd, added int32) int32 {
	if rs == nil || rsReplicas(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	fraction := replicaSetFraction(rs, d)
	allowed := toAdd - added
	if toAdd > 0 {
		return min(fraction, allowed)
	}
	return max(fraction, allowed)
}

// replicaSetFraction is getReplicaSetFraction: how many replicas rs gains
// or loses when its Deployment's maximum size changes from the one in its
// max-replicas annotation to the current one.
func replicaSetFraction(rs *objects.ReplicaSet, d *objects.Deployment) int32 {
	if replicas(d) == 0 {
		return -rsReplicas(rs)
	}
	maxNow := replicas(d) + MaxSurge(d)
	before, ok := annotationInt32(rs, MaxReplicasAnnotation)
	if !ok || before == 0 {
		before = d.Status.Replicas
		if before == 0 {
			return 0
		}
	}
	size := float64(rsReplicas(rs)*maxNow) / float64(before)
	return int32(math.Floor(size+0.5)) - rsReplicas(rs)
}

// findActiveOrLatest is FindActiveOrLatest: the only active ReplicaSet,
// or with none active the new one or else the newest old one.
func findActiveOrLatest(newRS *objects.ReplicaSet, oldRSs []*objects.ReplicaSet) *objects.ReplicaSet {
	if newRS == nil && len(oldRSs) == 0 {
		return nil
	}
	sorted := append([]*objects.ReplicaSet(nil), oldRSs...)
	byCreation(sorted)
	for i, j := 0, len(sorted)-1; i < j; i, j = i+1, j-1 {
		sorted[i], sorted[j] = sorted[j], sorted[i]
	}
	active := activeReplicaSets(append(sorted, newRS))
	switch len(active) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return sorted[0]
	case 1:
		return active[0]
	}
	return nil
}

// isSaturated is IsSaturated: the new ReplicaSet has, wants and makes
// available exactly spec.replicas.
func isSaturated(d *objects.Deployment, rs *objects.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	desired, ok := annotationInt32(rs, DesiredReplicasAnnotation)
	return ok && rsReplicas(rs) == replicas(d) && desired == replicas(d) && rs.Status.AvailableReplicas == replicas(d)
}

// cleanupDeployment is upstream's cleanupDeployment: delete the oldest
// old ReplicaSets beyond revisionHistoryLimit that have no replicas left.
func (s *syncer) cleanupDeployment(oldRSs []*objects.ReplicaSet) {
	d := s.d
	if d.Spec.RevisionHistoryLimit == nil {
		return
	}
	var cleanable []*objects.ReplicaSet
	for _, rs := range oldRSs {
		if rs != nil && rs.DeletionTimestamp == nil {
			cleanable = append(cleanable, rs)
		}
	}
	diff := len(cleanable) - int(*d.Spec.RevisionHistoryLimit)
	if diff <= 0 {
		return
	}
	byRevision(cleanable)
	for _, rs := range cleanable[:diff] {
		if rs.Status.Replicas != 0 || rsReplicas(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		s.actions = append(s.actions, controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(rs), Then: s.record(nil)})
	}
}
