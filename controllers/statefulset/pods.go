package statefulset

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Event verbs (recordPodEvent's and recordClaimEvent's first word).
const (
	verbCreate = "Create"
	verbDelete = "Delete"
)

// verb words an event verb for the configured Kubernetes version.
func (c *Controller) verb(v string) string {
	if c.cfg.LowerCaseVerbs {
		return strings.ToLower(v)
	}
	return v
}

// createPod is CreateStatefulPod for a missing ordinal: its missing
// claims first, then the pod, at the revision its ordinal gets (step 3).
func (s *syncer) createPod(ordinal int) {
	template, rev := &s.set.Spec.Template, s.updateRev
	if s.set.Spec.UpdateStrategy.Type == objects.RollingUpdateStatefulSetStrategyType &&
		ordinal < startOrdinal(s.set)+partition(s.set) {
		if t := s.c.revisionTemplate(s.set.Namespace, s.currentRev); t != nil {
			template, rev = t, s.currentRev
		}
	}
	pod := newPod(s.set, template, rev, ordinal)
	if !s.createMissingClaims(ordinal, pod.Name) {
		return
	}
	s.actions = append(s.actions, s.podAction(controllers.Create, pod, verbCreate))
}

// createMissingClaims is createPersistentVolumeClaims: it creates the
// ordinal's claims that do not exist yet. It reports false when a claim is
// being deleted, as upstream then fails the pod's creation.
func (s *syncer) createMissingClaims(ordinal int, podName string) bool {
	for _, claim := range newClaims(s.set, ordinal) {
		existing, ok := s.claims[claim.Name]
		if ok && existing.DeletionTimestamp != nil {
			return false
		}
		if ok {
			continue
		}
		if s.set.Spec.PersistentVolumeClaimRetentionPolicy != nil &&
			s.set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted == objects.DeletePersistentVolumeClaimRetentionPolicyType {
			claim.OwnerReferences = []objects.OwnerReference{controllerRefTo(s.set)}
		}
		s.claims[claim.Name] = claim
		s.actions = append(s.actions, s.claimAction(claim, podName))
	}
	return true
}

// claimAction creates claim for podName, recording SuccessfulCreate or
// FailedCreate in recordClaimEvent's words.
func (s *syncer) claimAction(claim *objects.PersistentVolumeClaim, podName string) controllers.Action {
	set, c, name := s.set, s.c, claim.Name
	return controllers.Action{Verb: controllers.Create, Object: claim, Then: c.written.Record(s.key,
		func(objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(set, ReasonSuccessfulCreate,
				fmt.Sprintf(msgClaimSuccess, c.verb(verbCreate), name, podName, set.Name))}
		},
		func(err error) []controllers.Event {
			return []controllers.Event{controllers.Warning(set, ReasonFailedCreate,
				fmt.Sprintf(msgClaimFailure, c.verb(verbCreate), name, podName, set.Name, err))}
		})}
}

// deletePod is DeleteStatefulPod.
func (s *syncer) deletePod(pod *objects.Pod) {
	s.actions = append(s.actions, s.podAction(controllers.Delete, pod, verbDelete))
}

// podAction creates or deletes pod, recording Successful<Verb> or
// Failed<Verb> in recordPodEvent's words; a pod already gone is no failure.
func (s *syncer) podAction(v controllers.Verb, pod *objects.Pod, verb string) controllers.Action {
	set, c, name := s.set, s.c, pod.Name
	a := controllers.Action{Verb: v, Object: pod, Key: objects.KeyOf(pod)}
	if v == controllers.Delete {
		a.Object = nil
	}
	a.Then = c.written.Record(s.key,
		func(objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(set, "Successful"+verb,
				fmt.Sprintf(msgPodSuccess, c.verb(verb), name, set.Name))}
		},
		func(err error) []controllers.Event {
			if v == controllers.Delete && errors.Is(err, storage.ErrNotFound) {
				return nil
			}
			return []controllers.Event{controllers.Warning(set, "Failed"+verb,
				fmt.Sprintf(msgPodFailure, c.verb(verb), name, set.Name, err))}
		})
	return a
}

// retainClaimsOfCondemned is UpdatePodClaimForRetentionPolicy for a
// scaled-down pod: with whenScaled Delete its claims are given the pod as
// owner, so that the garbage collector deletes them once the pod is gone.
func (s *syncer) retainClaimsOfCondemned(pod *objects.Pod) {
	p := s.set.Spec.PersistentVolumeClaimRetentionPolicy
	if (p == nil || p.WhenScaled != objects.DeletePersistentVolumeClaimRetentionPolicyType) && !mutant.On("statefulset-deletes-retained-claims") { // KEP-1847: Retain keeps claims
		return
	}
	for _, t := range s.set.Spec.VolumeClaimTemplates {
		claim, ok := s.claims[ClaimName(s.set, t.Name, OrdinalOf(s.set, pod))]
		if !ok || ownedBy(claim, pod.UID) {
			continue
		}
		upd := claim.DeepCopy()
		upd.OwnerReferences = append(upd.OwnerReferences, objects.OwnerReference{APIVersion: "v1", Kind: "Pod",
			Name: pod.Name, UID: pod.UID})
		s.actions = append(s.actions, controllers.Action{Verb: controllers.Update, Object: upd,
			Then: s.c.written.Record(s.key, nil, nil)})
	}
}

// ownedBy reports whether obj has an owner reference to uid.
func ownedBy(claim *objects.PersistentVolumeClaim, uid string) bool {
	for _, ref := range claim.OwnerReferences {
		if ref.UID == uid {
			return true
		}
	}
	return false
}

// Pod predicates (stateful_set_utils.go, pkg/api/v1/pod/util.go).

// isFailed reports a pod in phase Failed.
func isFailed(p *objects.Pod) bool { return p.Status.Phase == objects.PodFailed }

// isSucceeded reports a pod in phase Succeeded.
func isSucceeded(p *objects.Pod) bool { return p.Status.Phase == objects.PodSucceeded }

// isCreated reports a pod the apiserver has stored (a phase is set).
func isCreated(p *objects.Pod) bool { return p.Status.Phase != "" }

// isTerminating reports a pod being deleted.
func isTerminating(p *objects.Pod) bool { return p.DeletionTimestamp != nil }

// isRunningAndReady reports a Running pod whose Ready condition is True.
func isRunningAndReady(p *objects.Pod) bool {
	return p.Status.Phase == objects.PodRunning && !readyTime(p).IsZero()
}

// isAvailable is IsPodAvailable: Running and Ready, for at least
// minReadySeconds (inclusive since 1.34).
func isAvailable(p *objects.Pod, minReadySeconds int32, now time.Time) bool {
	if !isRunningAndReady(p) {
		return false
	}
	return minReadySeconds == 0 || !readyTime(p).Add(time.Duration(minReadySeconds)*time.Second).After(now)
}

// isHealthy is isHealthy: available and not terminating.
func isHealthy(p *objects.Pod, minReadySeconds int32, now time.Time) bool {
	return isAvailable(p, minReadySeconds, now) && !isTerminating(p)
}

// readyTime is when a ready pod last became ready; zero when it is not ready.
func readyTime(p *objects.Pod) time.Time {
	for _, c := range p.Status.Conditions {
		if c.Type == objects.PodReady && c.Status == objects.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

// revisionOf is getPodRevision: the pod's controller-revision-hash label.
func revisionOf(p *objects.Pod) string { return p.Labels[objects.ControllerRevisionHashLabelKey] }
