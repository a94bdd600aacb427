package deployment

import (
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Annotations the controller writes (deployment/util/deployment_util.go).
const (
	RevisionAnnotation        = "deployment.kubernetes.io/revision"
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	MaxReplicasAnnotation     = "deployment.kubernetes.io/max-replicas"
	// lastAppliedAnnotation is kubectl apply's, never copied to ReplicaSets.
	lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
	// deprecatedRollbackTo is extensions/v1beta1's rollback request.
	deprecatedRollbackTo = "deprecated.deployment.rollback.to"
	// maxRevHistoryLengthInChars bounds the revision-history annotation.
	maxRevHistoryLengthInChars = 2000
)

// annotationsToSkip are never copied from a Deployment to its ReplicaSets.
var annotationsToSkip = map[string]bool{
	lastAppliedAnnotation: true, RevisionAnnotation: true, RevisionHistoryAnnotation: true,
	DesiredReplicasAnnotation: true, MaxReplicasAnnotation: true, deprecatedRollbackTo: true,
}

// replicas is spec.replicas, 1 when unset.
func replicas(d *objects.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return 1
	}
	return *d.Spec.Replicas
}

// rsReplicas is a ReplicaSet's spec.replicas, 0 for a nil one.
func rsReplicas(rs *objects.ReplicaSet) int32 {
	if rs == nil || rs.Spec.Replicas == nil {
		return 0
	}
	return *rs.Spec.Replicas
}

// isRollingUpdate reports whether the Deployment rolls pods one by one.
func isRollingUpdate(d *objects.Deployment) bool {
	return d.Spec.Strategy.Type == objects.RollingUpdateDeploymentStrategyType
}

// ResolveFenceposts is upstream's ResolveFenceposts: maxSurge rounded up
// and maxUnavailable rounded down, as counts of desired pods; when both
// come to zero, maxUnavailable is 1.
func ResolveFenceposts(maxSurge, maxUnavailable *objects.IntOrString, desired int32) (surge, unavailable int32) {
	zero := objects.FromInt(0)
	if maxSurge == nil {
		maxSurge = &zero
	}
	if maxUnavailable == nil {
		maxUnavailable = &zero
	}
	s, _ := objects.ScaledValueFromIntOrPercent(maxSurge, int(desired), true)
	u, _ := objects.ScaledValueFromIntOrPercent(maxUnavailable, int(desired), false)
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u)
}

// MaxSurge is how many pods may exist beyond spec.replicas (0 unless rolling).
func MaxSurge(d *objects.Deployment) int32 {
	if !isRollingUpdate(d) || d.Spec.Strategy.RollingUpdate == nil {
		return 0
	}
	ru := d.Spec.Strategy.RollingUpdate
	s, _ := ResolveFenceposts(ru.MaxSurge, ru.MaxUnavailable, replicas(d))
	return s
}

// MaxUnavailable is how many desired pods may be unavailable, at most
// spec.replicas (0 unless rolling, or with no replicas).
func MaxUnavailable(d *objects.Deployment) int32 {
	if !isRollingUpdate(d) || replicas(d) == 0 || d.Spec.Strategy.RollingUpdate == nil {
		return 0
	}
	ru := d.Spec.Strategy.RollingUpdate
	_, u := ResolveFenceposts(ru.MaxSurge, ru.MaxUnavailable, replicas(d))
	return min(u, replicas(d))
}

// specReplicas sums spec.replicas (GetReplicaCountForReplicaSets).
func specReplicas(list []*objects.ReplicaSet) int32 {
	var n int32
	for _, rs := range list {
		n += rsReplicas(rs)
	}
	return n
}

// statusSum sums one status counter of the non-nil ReplicaSets.
func statusSum(list []*objects.ReplicaSet, f func(*objects.ReplicaSetStatus) int32) int32 {
	var n int32
	for _, rs := range list {
		if rs != nil {
			n += f(&rs.Status)
		}
	}
	return n
}

// activeReplicaSets keeps the ReplicaSets with replicas (FilterActiveReplicaSets).
func activeReplicaSets(list []*objects.ReplicaSet) []*objects.ReplicaSet {
	var out []*objects.ReplicaSet
	for _, rs := range list {
		if rs != nil && rsReplicas(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// byCreation sorts oldest first, then by name (ReplicaSetsByCreationTimestamp).
func byCreation(list []*objects.ReplicaSet) {
	sort.SliceStable(list, func(i, j int) bool { return createdBefore(list[i], list[j]) })
}

// createdBefore is ReplicaSetsByCreationTimestamp's Less.
func createdBefore(a, b *objects.ReplicaSet) bool {
	if a.CreationTimestamp.Equal(b.CreationTimestamp.Time) {
		return a.Name < b.Name
	}
	return a.CreationTimestamp.Before(b.CreationTimestamp.Time)
}

// bySizeNewer sorts largest first, newer first among equals (ReplicaSetsBySizeNewer).
func bySizeNewer(list []*objects.ReplicaSet) {
	sort.SliceStable(list, func(i, j int) bool {
		if rsReplicas(list[i]) == rsReplicas(list[j]) {
			return createdBefore(list[j], list[i])
		}
		return rsReplicas(list[i]) > rsReplicas(list[j])
	})
}

// bySizeOlder sorts largest first, older first among equals (ReplicaSetsBySizeOlder).
func bySizeOlder(list []*objects.ReplicaSet) {
	sort.SliceStable(list, func(i, j int) bool {
		if rsReplicas(list[i]) == rsReplicas(list[j]) {
			return createdBefore(list[i], list[j])
		}
		return rsReplicas(list[i]) > rsReplicas(list[j])
	})
}

// Revision reads a ReplicaSet's revision annotation, 0 when absent or malformed.
func Revision(rs *objects.ReplicaSet) int64 {
	n, err := strconv.ParseInt(rs.Annotations[RevisionAnnotation], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// maxRevision is the highest revision among the ReplicaSets.
func maxRevision(list []*objects.ReplicaSet) int64 {
	var m int64
	for _, rs := range list {
		m = max(m, Revision(rs))
	}
	return m
}

// byRevision sorts by revision, then by creation (ReplicaSetsByRevision).
func byRevision(list []*objects.ReplicaSet) {
	sort.SliceStable(list, func(i, j int) bool {
		ri, rj := Revision(list[i]), Revision(list[j])
		if ri == rj {
			return createdBefore(list[i], list[j])
		}
		return ri < rj
	})
}

// annotationInt32 reads an integer annotation.
func annotationInt32(rs *objects.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, false
	}
	return int32(n), true
}

// setReplicasAnnotations is SetReplicasAnnotations: desired-replicas and
// max-replicas; it reports whether either changed.
func setReplicasAnnotations(rs *objects.ReplicaSet, desired, maxReplicas int32) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := setAnnotation(rs, DesiredReplicasAnnotation, strconv.Itoa(int(desired)))
	return setAnnotation(rs, MaxReplicasAnnotation, strconv.Itoa(int(maxReplicas))) || changed
}

// setAnnotation sets one annotation and reports whether it changed.
func setAnnotation(rs *objects.ReplicaSet, key, value string) bool {
	if rs.Annotations[key] == value {
		return false
	}
	rs.Annotations[key] = value
	return true
}

// replicasAnnotationsNeedUpdate is ReplicasAnnotationsNeedUpdate.
func replicasAnnotationsNeedUpdate(rs *objects.ReplicaSet, desired, maxReplicas int32) bool {
	return rs.Annotations[DesiredReplicasAnnotation] != strconv.Itoa(int(desired)) ||
		rs.Annotations[MaxReplicasAnnotation] != strconv.Itoa(int(maxReplicas))
}

// copyDeploymentAnnotations copies the Deployment's annotations but the
// skipped ones to the ReplicaSet; it reports whether any changed.
func copyDeploymentAnnotations(d *objects.Deployment, rs *objects.ReplicaSet) bool {
	changed := false
	for _, k := range sortedKeys(d.Annotations) {
		v := d.Annotations[k]
		if annotationsToSkip[k] {
			continue
		}
		if cur, ok := rs.Annotations[k]; ok && cur == v {
			continue
		}
		if rs.Annotations == nil {
			rs.Annotations = map[string]string{}
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setNewReplicaSetAnnotations is SetNewReplicaSetAnnotations: the
// Deployment's annotations, a revision no lower than newRevision (keeping
// the replaced one in the revision history), and for a ReplicaSet about to
// be created the replicas annotations.
func setNewReplicaSetAnnotations(d *objects.Deployment, rs *objects.ReplicaSet, newRevision int64, exists bool) bool {
	changed := copyDeploymentAnnotations(d, rs)
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	oldRevision, had := rs.Annotations[RevisionAnnotation]
	oldInt, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false
		}
		oldInt = 0
	}
	if oldInt < newRevision {
		rs.Annotations[RevisionAnnotation] = strconv.FormatInt(newRevision, 10)
		changed = true
		if had {
			appendRevisionHistory(rs, oldRevision)
		}
	}
	if !exists && setReplicasAnnotations(rs, replicas(d), replicas(d)+MaxSurge(d)) {
		changed = true
	}
	return changed
}

// appendRevisionHistory adds a replaced revision to the revision-history
// annotation, dropping the oldest entries to stay within its length limit.
func appendRevisionHistory(rs *objects.ReplicaSet, oldRevision string) {
	history := rs.Annotations[RevisionHistoryAnnotation]
	if history == "" {
		rs.Annotations[RevisionHistoryAnnotation] = oldRevision
		return
	}
	old := strings.Split(history, ",")
	total := len(history) + len(oldRevision) + 1
	start := 0
	for total > maxRevHistoryLengthInChars && start < len(old) {
		total -= len(old[start]) + 1
		start++
	}
	if total <= maxRevHistoryLengthInChars {
		rs.Annotations[RevisionHistoryAnnotation] = strings.Join(append(old[start:], oldRevision), ",")
	}
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// controllerRefTo returns the owner reference of the Deployment's ReplicaSets.
func controllerRefTo(d *objects.Deployment) objects.OwnerReference {
	yes := true
	return objects.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
}
