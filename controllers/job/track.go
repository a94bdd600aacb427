package job

import (
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
)

// Status tracking with finalizers, after upstream's
// trackJobStatusAndRemoveFinalizers and flushUncountedAndRemoveFinalizers.
// The writes come in upstream's order:
//
//  1. a status write recording the finished pods' UIDs in
//     uncountedTerminatedPods (and interim FailureTarget or
//     SuccessCriteriaMet conditions);
//  2. one update per finished pod removing its tracking finalizer;
//  3. a status write moving those UIDs into the succeeded and failed
//     counters, with the terminal Complete or Failed condition once no pod
//     is uncounted or terminating.
//
// If a write fails the rest is skipped and the next sync resumes from what
// the store holds, as upstream's does.

// track builds the status writes and finalizer removals of the sync.
func (s *syncer) track() {
	j := s.job
	st := &j.Status
	st.Active, st.Ready, st.Terminating = s.activeCount, ptrInt32(s.ready), ptrInt32(s.terminating)
	needsFlush := s.suspendCondChanged || st.Active != s.orig.Active ||
		!equalInt32(st.Ready, s.orig.Ready) || !equalInt32(st.Terminating, s.orig.Terminating) ||
		!equalTime(st.StartTime, s.orig.StartTime)
	if isIndexed(j) {
		sortByIndex(s.pods)
	}
	withFinalizer := map[string]bool{}
	for _, p := range s.pods {
		if hasTrackingFinalizer(p) {
			withFinalizer[p.UID] = true
		}
	}
	if cleanUncounted(st, withFinalizer) {
		needsFlush = true
	}
	toRelease, flush, reachedMax := s.finishedPodsToRelease()
	needsFlush = needsFlush || flush
	if isIndexed(j) && s.setIndexes() {
		needsFlush = true
	}
	if s.interimCondition() {
		needsFlush = true
	}
	s.flushAndRelease(toRelease, withFinalizer, needsFlush, reachedMax)
}

// finishedPodsToRelease picks the tracked pods whose finalizer can go and
// records them in uncountedTerminatedPods (Indexed Jobs record succeeded
// pods as completed indexes instead). It stops at MaxUncountedPods.
func (s *syncer) finishedPodsToRelease() (pods []*objects.Pod, needsFlush, reachedMax bool) {
	j := s.job
	unc := j.Status.UncountedTerminatedPods
	var newIdx []int
	for _, p := range s.pods {
		if !hasTrackingFinalizer(p) {
			continue
		}
		failed := isPodFailed(p, j)
		if !s.canRemoveFinalizer(p, failed) {
			continue
		}
		pods = append(pods, p)
		switch {
		case p.Status.Phase == objects.PodSucceeded && !s.uncounted.failed[p.UID]:
			if isIndexed(j) {
				if ix := completionIndex(p); validIndex(p, completionsOf(j)) && !s.prevSucceededIdx.has(ix) {
					newIdx = append(newIdx, ix)
					needsFlush = true
				}
			} else if !s.uncounted.succeeded[p.UID] {
				unc.Succeeded = append(unc.Succeeded, p.UID)
				needsFlush = true
			} else if mutant.On("job-double-count") { // #105200: a pod still listed uncounted is counted as well
				j.Status.Succeeded++
				needsFlush = true
			}
		case failed || (s.finished != nil && !isSuccessCriteriaMet(s.finished)):
			// A Job that fails counts every pod it did not see succeed.
			if !s.uncounted.failed[p.UID] && (!isIndexed(j) || validIndex(p, completionsOf(j))) &&
				matchPodFailurePolicy(j.Spec.PodFailurePolicy, p).count {
				unc.Failed = append(unc.Failed, p.UID)
				needsFlush = true
			}
		}
		if len(newIdx)+len(unc.Succeeded)+len(unc.Failed) >= MaxUncountedPods {
			reachedMax = true
			break
		}
	}
	if isIndexed(j) {
		s.succeededIdx = s.succeededIdx.withIndexes(sortedUnique(newIdx))
	}
	return pods, needsFlush, reachedMax
}

// canRemoveFinalizer is upstream's rule: a pod is released when the Job is
// being deleted or finishing, when it succeeded, or when it failed, unless
// it is the last failed pod of an index whose replacement must first copy
// its failure count.
func (s *syncer) canRemoveFinalizer(p *objects.Pod, failed bool) bool {
	if s.job.DeletionTimestamp != nil || s.finished != nil || p.Status.Phase == objects.PodSucceeded {
		return true
	}
	if !failed {
		return false
	}
	if hasBackoffLimitPerIndex(s.job) {
		if d, ok := s.delayed[completionIndex(p)]; ok && d.UID == p.UID {
			return false
		}
	}
	return true
}

// setIndexes writes completedIndexes (and failedIndexes) and the succeeded
// count of an Indexed Job, reporting whether they changed.
func (s *syncer) setIndexes() bool {
	st := &s.job.Status
	changed := false
	if str := s.succeededIdx.String(); str != st.CompletedIndexes {
		st.CompletedIndexes = str
		changed = true
	}
	st.Succeeded = int32(s.succeededIdx.total())
	var failed *string
	if s.failedIdx != nil {
		failed = ptrString(s.failedIdx.String())
	}
	if !equalString(failed, st.FailedIndexes) {
		st.FailedIndexes = failed
		changed = true
	}
	return changed
}

// interimCondition appends FailureTarget or SuccessCriteriaMet and turns
// the finish condition into the terminal Failed or Complete to add once
// the pods are accounted for. It reports whether the status changed.
func (s *syncer) interimCondition() bool {
	st := &s.job.Status
	f := s.finished
	switch {
	case f == nil:
		return false
	case f.Type == objects.JobFailureTarget:
		st.Conditions = append(st.Conditions, *f)
		s.finished = newCondition(objects.JobFailed, objects.ConditionTrue, f.Reason, f.Message, s.now)
		return true
	case isSuccessCriteriaMet(f):
		changed := false
		if !objects.JobConditionTrue(st.Conditions, objects.JobSuccessCriteriaMet) {
			st.Conditions = append(st.Conditions, *f)
			changed = true
		}
		s.finished = newCondition(objects.JobComplete, objects.ConditionTrue, f.Reason, f.Message, s.now)
		return changed
	}
	return false
}

// isSuccessCriteriaMet reports whether c is SuccessCriteriaMet=True.
func isSuccessCriteriaMet(c *objects.JobCondition) bool {
	return c != nil && c.Type == objects.JobSuccessCriteriaMet && c.Status == objects.ConditionTrue
}

// flushAndRelease emits the writes: the status with the new uncounted
// pods, the finalizer removals, then the status with the counters moved
// and, when nothing is left to account for, the terminal condition.
func (s *syncer) flushAndRelease(release []*objects.Pod, withFinalizer map[string]bool, needsFlush, reachedMax bool) {
	if needsFlush {
		rec := s.backoff
		s.statusWrite(workingCopy(s.job), func() { s.c.backoff[s.key] = rec }, nil) // s.job changes on
		needsFlush = false
	}
	for _, p := range release {
		s.actions = append(s.actions, s.removeFinalizerAction(p))
		delete(withFinalizer, p.UID)
	}
	if cleanUncounted(&s.job.Status, withFinalizer) {
		needsFlush = true
	}
	finished := !reachedMax && s.enactFinished()
	if needsFlush || finished {
		var done []controllers.Event
		if finished {
			done = s.finishedEvents()
		}
		s.statusWrite(s.job, nil, done) // the sync's last change of s.job
	}
}

// statusWrite emits an UpdateStatus of obj, the Job as it stands (a copy
// when the sync changes it further). The sync's first status write is
// conditional on the resourceVersion it read, as upstream's PUT is; later
// ones follow the sync's own writes. persist runs and events are recorded
// once the write succeeded.
func (s *syncer) statusWrite(obj *objects.Job, persist func(), events []controllers.Event) {
	if s.statusWritten {
		obj.ResourceVersion = ""
	}
	s.statusWritten = true
	s.actions = append(s.actions, controllers.Action{Verb: controllers.UpdateStatus, Object: obj, Then: s.record(
		func(objects.Object) []controllers.Event {
			if persist != nil {
				persist()
			}
			return events
		}, nil)})
}

// enactFinished adds the terminal condition (and completionTime) once no
// pod is uncounted or terminating; it reports whether it did.
func (s *syncer) enactFinished() bool {
	f := s.finished
	if f == nil {
		return false
	}
	st := &s.job.Status
	if u := st.UncountedTerminatedPods; len(u.Succeeded)+len(u.Failed) > 0 || s.terminating > 0 {
		return false
	}
	st.Conditions, _ = ensureCondition(st.Conditions, f.Type, f.Status, f.Reason, f.Message, s.now)
	if f.Type == objects.JobComplete {
		st.CompletionTime = objects.NewTimePtr(s.now)
	}
	return true
}

// finishedEvents are recordJobFinished's events: Completed (with
// TooManySucceededPods when more pods succeeded than asked), or a Warning
// with the failure's reason and message.
func (s *syncer) finishedEvents() []controllers.Event {
	j, f := s.job, s.finished
	if f.Type != objects.JobComplete {
		return []controllers.Event{controllers.Warning(j, f.Reason, f.Message)}
	}
	var out []controllers.Event
	if j.Spec.Completions != nil && j.Status.Succeeded > *j.Spec.Completions {
		out = append(out, controllers.Warning(j, ReasonTooManySucceededPods, msgTooManySucceededPods))
	}
	return append(out, controllers.Normal(j, ReasonCompleted, msgCompleted))
}

// cleanUncounted moves the uncounted UIDs of pods no longer tracked
// (finalizer gone) into the counters; it reports whether anything moved.
func cleanUncounted(st *objects.JobStatus, withFinalizer map[string]bool) bool {
	u := st.UncountedTerminatedPods
	keep := func(uids []string) []string {
		var out []string
		for _, uid := range uids {
			if withFinalizer[uid] {
				out = append(out, uid)
			}
		}
		return out
	}
	changed := false
	if k := keep(u.Succeeded); len(k) != len(u.Succeeded) {
		st.Succeeded += int32(len(u.Succeeded) - len(k))
		u.Succeeded, changed = k, true
	}
	if k := keep(u.Failed); len(k) != len(u.Failed) {
		st.Failed += int32(len(u.Failed) - len(k))
		u.Failed, changed = k, true
	}
	return changed
}

// ptrInt32 returns a pointer to v.
func ptrInt32(v int32) *int32 { return &v }

// ptrString returns a pointer to v.
func ptrString(v string) *string { return &v }

// equalInt32 compares optional counters.
func equalInt32(a, b *int32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// equalString compares optional strings.
func equalString(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// equalTime compares optional times.
func equalTime(a, b *objects.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(b.Time))
}
