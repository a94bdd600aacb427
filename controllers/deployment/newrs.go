package deployment

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
)

// Progressing condition reasons and messages (deployment_util.go, sync.go, progress.go).
const (
	ReasonNewReplicaSetCreated       = "NewReplicaSetCreated"
	ReasonFoundNewReplicaSet         = "FoundNewReplicaSet"
	ReasonReplicaSetUpdated          = "ReplicaSetUpdated"
	ReasonNewReplicaSetAvailable     = "NewReplicaSetAvailable"
	ReasonProgressDeadlineExceeded   = "ProgressDeadlineExceeded"
	ReasonMinimumReplicasAvailable   = "MinimumReplicasAvailable"
	ReasonMinimumReplicasUnavailable = "MinimumReplicasUnavailable"
	msgCreatedNewRS                  = "Created new replica set %q"
	msgFoundNewRS                    = "Found new replica set %q"
	msgRSProgressing                 = "ReplicaSet %q is progressing."
	msgRSProgressed                  = "ReplicaSet %q has successfully progressed."
	msgRSTimedOut                    = "ReplicaSet %q has timed out progressing."
	msgDeploymentProgressing         = "Deployment %q is progressing."
	msgDeploymentProgressed          = "Deployment %q has successfully progressed."
	msgDeploymentTimedOut            = "Deployment %q has timed out progressing."
	msgMinimumAvailable              = "Deployment has minimum availability."
	msgMinimumUnavailable            = "Deployment does not have minimum availability."
)

// newAndOld is getAllReplicaSetsAndSyncRevision: the ReplicaSet whose
// template is the Deployment's (created when asked and missing) and the
// others. It syncs the revision annotations on the way.
func (s *syncer) newAndOld(create bool) (*objects.ReplicaSet, []*objects.ReplicaSet) {
	newRS := objects.FindNewReplicaSet(s.d, s.rsList)
	var old []*objects.ReplicaSet
	for _, rs := range s.rsList {
		if rs != newRS {
			old = append(old, rs)
		}
	}
	return s.getNewReplicaSet(newRS, old, create), old
}

// getNewReplicaSet is upstream's getNewReplicaSet.
func (s *syncer) getNewReplicaSet(existing *objects.ReplicaSet, old []*objects.ReplicaSet, create bool) *objects.ReplicaSet {
	d := s.d
	newRevision := maxRevision(old) + 1
	if existing != nil {
		s.syncExistingNewRS(existing, newRevision)
		return existing
	}
	if !create || s.stop {
		return nil
	}
	hash := ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
	name := d.Name + "-" + hash
	if s.nameTaken(name) {
		s.bumpCollisionCount()
		return nil
	}
	rs := newReplicaSetFor(d, hash)
	n := newRSNewReplicas(d, append(append([]*objects.ReplicaSet(nil), old...), rs), rs)
	rs.Spec.Replicas = &n
	setNewReplicaSetAnnotations(d, rs, newRevision, false)
	s.actions = append(s.actions, controllers.Action{Verb: controllers.Create, Object: rs.DeepCopy(),
		Then: s.record(func(written objects.Object) []controllers.Event {
			if n == 0 {
				return nil
			}
			return []controllers.Event{controllers.Normal(s.orig, ReasonScalingReplicaSet,
				fmt.Sprintf(msgScaled, "up", written.GetObjectMeta().Name, 0, n))}
		})})
	rs.CreationTimestamp = objects.NewTime(s.now) // as the store will stamp it
	s.rsList = append(s.rsList, rs)
	setRevision(d, newRevision)
	if hasProgressDeadline(d) {
		setCondition(&d.Status, newCondition(objects.DeploymentProgressing, objects.ConditionTrue,
			ReasonNewReplicaSetCreated, fmt.Sprintf(msgCreatedNewRS, rs.Name), s.now))
	}
	return rs
}

// syncExistingNewRS brings the new ReplicaSet's annotations and
// minReadySeconds up to date, or else the Deployment's revision and its
// first Progressing condition.
func (s *syncer) syncExistingNewRS(rs *objects.ReplicaSet, newRevision int64) {
	d := s.d
	changed := setNewReplicaSetAnnotations(d, rs, newRevision, true)
	if changed || rs.Spec.MinReadySeconds != d.Spec.MinReadySeconds {
		rs.Spec.MinReadySeconds = d.Spec.MinReadySeconds
		s.updateReplicaSet(rs, nil)
		return
	}
	setRevision(d, strconv.FormatInt(Revision(rs), 10))
	if hasProgressDeadline(d) && objects.FindDeploymentCondition(d.Status.Conditions, objects.DeploymentProgressing) == nil {
		setCondition(&d.Status, newCondition(objects.DeploymentProgressing, objects.ConditionTrue,
			ReasonFoundNewReplicaSet, fmt.Sprintf(msgFoundNewRS, rs.Name), s.now))
	}
}

// nameTaken reports whether a ReplicaSet the Deployment does not claim
// already holds name (the AlreadyExists of upstream's create).
func (s *syncer) nameTaken(name string) bool {
	for _, rs := range s.rsList {
		if rs.Name == name {
			return true
		}
	}
	return s.taken[name]
}

// bumpCollisionCount records a hash collision: status.collisionCount
// grows, so that the next sync hashes differently. The sync stops here.
func (s *syncer) bumpCollisionCount() {
	var n int32
	if s.d.Status.CollisionCount != nil {
		n = *s.d.Status.CollisionCount
	}
	n++
	s.d.Status.CollisionCount = &n
	s.stop = true
}

// newReplicaSetFor builds the ReplicaSet of the Deployment's template:
// named "<deployment>-<hash>", the hash in its labels, selector and
// template labels, controlled by the Deployment.
func newReplicaSetFor(d *objects.Deployment, hash string) *objects.ReplicaSet {
	t := d.Spec.Template.DeepCopy()
	t.Labels = withLabel(t.Labels, objects.DefaultDeploymentUniqueLabelKey, hash)
	sel := d.Spec.Selector.DeepCopy()
	sel.MatchLabels = withLabel(sel.MatchLabels, objects.DefaultDeploymentUniqueLabelKey, hash)
	zero := int32(0)
	return &objects.ReplicaSet{
		TypeMeta: objects.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: objects.ObjectMeta{Name: d.Name + "-" + hash, Namespace: d.Namespace,
			OwnerReferences: []objects.OwnerReference{controllerRefTo(d)}, Labels: withLabel(t.Labels, "", "")},
		Spec: objects.ReplicaSetSpec{Replicas: &zero, MinReadySeconds: d.Spec.MinReadySeconds, Selector: sel, Template: *t},
	}
}

// withLabel returns a copy of labels with key set to value (no key: a plain copy).
func withLabel(labels map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	if key != "" {
		out[key] = value
	}
	return out
}

// setRevision is SetDeploymentRevision.
func setRevision[T int64 | string](d *objects.Deployment, revision T) {
	v := fmt.Sprint(revision)
	if d.Annotations[RevisionAnnotation] == v {
		return
	}
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	d.Annotations[RevisionAnnotation] = v
}

// newRSNewReplicas is NewRSNewReplicas: for a rolling update, as many as
// the surge allows up to spec.replicas; for Recreate, spec.replicas.
func newRSNewReplicas(d *objects.Deployment, all []*objects.ReplicaSet, newRS *objects.ReplicaSet) int32 {
	if !isRollingUpdate(d) {
		return replicas(d)
	}
	maxTotal := replicas(d) + MaxSurge(d)
	current := specReplicas(all)
	if mutant.On("deployment-surge-counts-ready") { // #22719: the surge bound counts only ready pods
		current = statusSum(all, func(st *objects.ReplicaSetStatus) int32 { return st.ReadyReplicas })
	}
	if current >= maxTotal {
		return rsReplicas(newRS)
	}
	up := min(maxTotal-current, replicas(d)-rsReplicas(newRS))
	return rsReplicas(newRS) + up
}

// hasProgressDeadline reports whether progressDeadlineSeconds is set and not MaxInt32.
func hasProgressDeadline(d *objects.Deployment) bool {
	p := d.Spec.ProgressDeadlineSeconds
	return p != nil && *p != 1<<31-1
}
