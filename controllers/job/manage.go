package job

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// manage is upstream's manageJob: a suspended Job loses its active pods;
// otherwise the Job deletes pods beyond wantActive (and Indexed duplicates)
// or, when none are to go, creates the missing ones unless the pod-failure
// back-off still runs. A sync either deletes or creates, never both.
func (s *syncer) manage() {
	j := s.job
	active := int32(len(s.active))
	if isSuspended(j) && !mutant.On("job-suspend-ignored") { // KEP-2232: a suspended Job keeps running its pods
		s.deleteJobPods(activePodsForRemoval(j, s.active, len(s.active)))
		return
	}
	want := wantActive(j, s.succeeded, active)
	if mutant.On("job-extra-pod") { // #130683: one pod more than parallelism allows
		want++
	}
	rm := activePodsForRemoval(j, s.active, int(max(active-want, 0)))
	if len(rm) > MaxPodCreateDeletePerSync {
		rm = rm[:MaxPodCreateDeletePerSync]
	}
	if len(rm) > 0 {
		s.deleteJobPods(rm)
		return
	}
	var terminating int32
	if onlyReplaceFailedPods(j) {
		terminating = s.terminating
	}
	diff := want - terminating - active
	if diff <= 0 {
		return
	}
	if !hasBackoffLimitPerIndex(j) {
		if rem := s.backoff.remaining(s.now); rem > 0 {
			s.requeueAfter(max(rem, syncBatchPeriod))
			return
		}
	}
	diff = min(diff, MaxPodCreateDeletePerSync)
	var indexes []int
	if isIndexed(j) {
		indexes = s.firstPendingIndexes(int(diff))
		if hasBackoffLimitPerIndex(j) {
			var rem time.Duration
			if indexes, rem = s.creatableIndexes(indexes); rem > 0 {
				s.requeueAfter(max(rem, syncBatchPeriod))
				return
			}
		}
		diff = int32(len(indexes))
	}
	s.createPods(int(diff), indexes)
}

// activePodsForRemoval picks the pods to delete: for Indexed Jobs every
// duplicate, unindexed or out-of-range pod, then, to reach rmAtLeast, the
// least progressed pods in ActivePods order.
func activePodsForRemoval(j *objects.Job, pods []*objects.Pod, rmAtLeast int) []*objects.Pod {
	var rm, left []*objects.Pod
	if isIndexed(j) {
		rm, left = duplicatedIndexPodsForRemoval(pods, int(completionsOf(j)))
	} else {
		left = append(left, pods...)
	}
	if len(rm) < rmAtLeast {
		sortActivePods(left)
		rm = append(rm, left[:rmAtLeast-len(rm)]...)
	}
	return rm
}

// deleteJobPods removes the tracking finalizer of each pod, then deletes
// it: pods the Job removes itself are never counted as failed.
func (s *syncer) deleteJobPods(pods []*objects.Pod) {
	for _, p := range pods {
		if hasTrackingFinalizer(p) {
			s.actions = append(s.actions, s.removeFinalizerAction(p))
		}
		s.actions = append(s.actions, s.deleteAction(p))
	}
	s.deleted(pods)
}

// deleteActivePods deletes every active pod of a finishing Job, keeping
// the finalizers so that the pods are accounted for first.
func (s *syncer) deleteActivePods() {
	for _, p := range s.active {
		s.actions = append(s.actions, s.deleteAction(p))
	}
	s.deleted(s.active)
}

// deleted adjusts the counts for pods this sync deletes: they no longer
// run, and terminate.
func (s *syncer) deleted(pods []*objects.Pod) {
	n := int32(len(pods))
	s.activeCount -= n
	s.terminating += n
	s.ready -= countReady(pods)
}

// deleteAction deletes a pod as RealPodControl.DeletePod does, recording
// SuccessfulDelete or FailedDelete.
func (s *syncer) deleteAction(p *objects.Pod) controllers.Action {
	j, name := s.job, p.Name
	s.wrotePod(p)
	return controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(p), Then: s.record(
		func(objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(j, ReasonSuccessfulDelete, "Deleted pod: "+name)}
		},
		func(err error) []controllers.Event {
			if errors.Is(err, storage.ErrNotFound) {
				return nil
			}
			return []controllers.Event{controllers.Warning(j, ReasonFailedDelete, fmt.Sprintf("Error deleting: %v", err))}
		})}
}

// createPods creates n pods from the template, one per index for Indexed
// Jobs, in upstream's slow-start batches of 1, 2, 4...: every create of a
// batch is attempted, and a failure skips the batches after it.
func (s *syncer) createPods(n int, indexes []int) {
	j := s.job
	// Each pod is a deep copy of tmpl (podFromTemplate): tmpl itself is
	// the Job's template, copied deep only where it changes, its
	// containers' environment for an Indexed Job.
	tmpl := &objects.PodTemplateSpec{}
	*tmpl = j.Spec.Template
	if isIndexed(j) {
		tmpl = j.Spec.Template.DeepCopy()
		addCompletionIndexEnv(&tmpl.Spec)
	}
	if !tmpl.HasFinalizer(objects.JobTrackingFinalizer) {
		tmpl.Finalizers = append(slices.Clip(tmpl.Finalizers), objects.JobTrackingFinalizer)
	}
	for i := 0; i < n; i++ {
		pod := podFromTemplate(tmpl, j)
		if i < len(indexes) {
			s.setIndex(pod, indexes[i])
		}
		s.actions = append(s.actions, s.createAction(pod))
	}
	controllers.SlowStart(s.actions[len(s.actions)-n:])
	s.activeCount += int32(n)
}

// setIndex makes pod the pod of index ix: annotation, label, hostname,
// generateName, and with backoffLimitPerIndex the failure counts carried
// over from the pod it replaces.
func (s *syncer) setIndex(pod *objects.Pod, ix int) {
	v := strconv.Itoa(ix)
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
	if pod.Labels == nil {
		pod.Labels = map[string]string{}
	}
	pod.Annotations[objects.JobCompletionIndexAnnotation] = v
	pod.Labels[objects.JobCompletionIndexAnnotation] = v
	pod.Spec.Hostname = s.job.Name + "-" + v
	pod.GenerateName = podGenerateNameWithIndex(s.job.Name, ix)
	if hasBackoffLimitPerIndex(s.job) {
		failures, ignored := newIndexFailureCounts(s.job, s.delayed[ix])
		pod.Annotations[objects.JobIndexFailureCountAnnotation] = strconv.Itoa(int(failures))
		if ignored > 0 {
			pod.Annotations[objects.JobIndexIgnoredFailureCountAnnotation] = strconv.Itoa(int(ignored))
		}
	}
}

// newIndexFailureCounts are the failure counts of the pod replacing
// replaced: its counts plus its own failure, counted or ignored.
func newIndexFailureCounts(j *objects.Job, replaced *objects.Pod) (int32, int32) {
	if replaced == nil {
		return 0, 0
	}
	failures := indexFailureCount(replaced)
	ignored := annotationInt32(replaced, objects.JobIndexIgnoredFailureCountAnnotation)
	if matchPodFailurePolicy(j.Spec.PodFailurePolicy, replaced).count {
		failures++
	} else {
		ignored++
	}
	return failures, ignored
}

// createAction creates a pod as RealPodControl.CreatePods does, recording
// SuccessfulCreate with the generated name, or FailedCreate unless the
// namespace is being terminated.
func (s *syncer) createAction(pod *objects.Pod) controllers.Action {
	j := s.job
	return controllers.Action{Verb: controllers.Create, Object: pod, Then: s.record(
		func(written objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(j, ReasonSuccessfulCreate, "Created pod: "+written.GetObjectMeta().Name)}
		},
		func(err error) []controllers.Event {
			if errors.Is(err, storage.ErrForbidden) && strings.Contains(err.Error(), "because it is being terminated") {
				return nil
			}
			return []controllers.Event{controllers.Warning(j, ReasonFailedCreate, fmt.Sprintf("Error creating: %v", err))}
		})}
}

// podFromTemplate is GetPodFromTemplate: the template's labels,
// annotations, finalizers and spec, named "<job>-" plus five random
// characters, controlled by the Job.
func podFromTemplate(t *objects.PodTemplateSpec, j *objects.Job) *objects.Pod {
	c := t.DeepCopy()
	prefix := j.Name + "-"
	if len(prefix) > objects.DNS1123SubdomainMaxLength {
		prefix = j.Name
	}
	return &objects.Pod{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: j.Namespace, GenerateName: prefix, Labels: c.Labels,
			Annotations: c.Annotations, Finalizers: c.Finalizers, OwnerReferences: []objects.OwnerReference{controllerRefTo(j)}},
		Spec: c.Spec,
	}
}

// failedIndexes is calculateFailedIndexes: the indexes in
// status.failedIndexes and those whose last pod failed once too often.
func (s *syncer) failedIndexes() *intervals {
	j := s.job
	var prev intervals
	if j.Status.FailedIndexes != nil {
		prev = parseIntervals(*j.Status.FailedIndexes, int(completionsOf(j)))
	}
	var failed []int
	for _, p := range s.pods {
		if validIndex(p, completionsOf(j)) && hasTrackingFinalizer(p) && isIndexFailed(j, p) {
			failed = append(failed, completionIndex(p))
		}
	}
	out := prev.withIndexes(sortedUnique(failed))
	return &out
}

// isIndexFailed reports whether the failed pod fails its index: a FailIndex
// rule matched, or a counted failure reached backoffLimitPerIndex.
func isIndexFailed(j *objects.Job, p *objects.Pod) bool {
	if !isPodFailed(p, j) {
		return false
	}
	m := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p)
	if m.action == objects.PodFailurePolicyActionFailIndex {
		return true
	}
	return m.count && indexFailureCount(p) >= *j.Spec.BackoffLimitPerIndex
}

// podsWithDelayedDeletion finds, per index still to run, the last failed
// pod: its finalizer stays until its replacement exists, which copies its
// failure counts.
func (s *syncer) podsWithDelayedDeletion() map[int]*objects.Pod {
	activeIdx := map[int]bool{}
	for _, ix := range indexesOf(s.active) {
		activeIdx[ix] = true
	}
	out := map[int]*objects.Pod{}
	for _, p := range s.newFinished(nil, func(p *objects.Pod) bool { return isPodFailed(p, s.job) }) {
		ix := completionIndex(p)
		if s.succeededIdx.has(ix) || s.failedIdx.has(ix) || activeIdx[ix] {
			continue
		}
		last, ok := out[ix]
		if !ok || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && !finishedTime(p).Before(finishedTime(last))) {
			out[ix] = p
		}
	}
	return out
}

// creatableIndexes keeps the indexes whose per-index back-off is over; if
// none is, it returns the shortest wait.
func (s *syncer) creatableIndexes(indexes []int) ([]int, time.Duration) {
	var ready []int
	var wait time.Duration
	for _, ix := range indexes {
		rem := remainingPerIndex(s.now, s.delayed[ix])
		switch {
		case rem == 0:
			ready = append(ready, ix)
		case wait == 0 || rem < wait:
			wait = rem
		}
	}
	if len(ready) > 0 {
		return ready, 0
	}
	return nil, wait
}
