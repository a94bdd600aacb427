package job

import (
	"slices"
	"sort"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// syncer holds one sync of one Job: what it read, what it decided so far,
// and the writes and events it will return. Its steps follow upstream's
// syncJob; each step is a method below or in manage.go and track.go.
type syncer struct {
	c   *Controller
	now time.Time
	key objects.Key
	// job is the working copy whose status the sync rewrites; orig is the
	// status as read.
	job  *objects.Job
	orig objects.JobStatus
	// pods are the pods the Job owns after adoption and release; active
	// the ones that run or will.
	pods   []*objects.Pod
	active []*objects.Pod
	// activeCount, ready and terminating are the counts the status will
	// report, adjusted for this sync's creations and deletions.
	activeCount, ready, terminating int32
	uncounted                       uncountedSets
	// succeeded and failed count finished pods, those not yet in the
	// status counters included.
	succeeded, failed int32
	backoff           backoffRecord
	// finished is the terminal (or interim) condition decided, nil if none.
	finished *objects.JobCondition
	// Indexed Jobs: completed indexes before and after this sync, failed
	// indexes (with backoffLimitPerIndex), and per index the last failed
	// pod whose finalizer waits for its replacement.
	prevSucceededIdx, succeededIdx intervals
	failedIdx                      *intervals
	delayed                        map[int]*objects.Pod
	suspendCondChanged             bool
	// statusWritten is set once the sync emitted a status write, after
	// which further status writes are unconditional.
	statusWritten bool
	// podsWritten holds the uids of the pods this sync already wrote
	// (updated or deleted): a later update of the same pod goes
	// unconditionally, since the first write bumped its resourceVersion.
	podsWritten map[string]bool
	actions     []controllers.Action
	events      []controllers.Event
	requeue     time.Duration
}

// uncountedSets are the UIDs of status.uncountedTerminatedPods.
type uncountedSets struct{ succeeded, failed map[string]bool }

// syncJob is upstream's syncJob.
func (c *Controller) syncJob(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		c.forget(key)
		return controllers.Result{}
	}
	stored := obj.(*objects.Job)
	switch { // on the stored Job: a sync that stops here copies nothing
	case managedByOther(stored):
		return controllers.Result{}
	case objects.IsJobFinished(stored):
		delete(c.backoff, key)
		delete(c.selectors, key)
		return controllers.Result{}
	case !knownCompletionMode(stored):
		return controllers.Result{Events: []controllers.Event{
			controllers.Warning(stored, ReasonUnknownCompletionMode, msgUnknownCompletionMode)}}
	case c.written.Stale(r, key) && !mutant.On("job-stale-view"): // #27997: a Job acting on a view without its own creates makes them again
		return controllers.Requeue(staleRetry)
	}
	job := c.syncCopy(stored)
	s := &syncer{c: c, now: now, key: key, job: job, orig: stored.Status}
	s.claimPods(r)
	s.count()
	s.decideFailure()
	if isIndexed(job) {
		s.decideIndexed()
	}
	if s.finished != nil {
		s.deleteActivePods()
	} else {
		manageCalled := job.DeletionTimestamp == nil
		if manageCalled {
			s.manage()
		}
		s.decideCompletion(manageCalled)
	}
	s.track()
	if len(s.actions) == 0 {
		// No write carries the copy, and no callback (Then) keeps the
		// syncer: the next sync copies into it. Most syncs of a running
		// Job (a pod's status moved) change nothing.
		c.spare = job
	}
	return controllers.Result{Actions: s.actions, Events: s.events, RequeueAfter: s.requeue}
}

// syncCopy is workingCopy in the copy the last sync left unused, if any.
func (c *Controller) syncCopy(stored *objects.Job) *objects.Job {
	job := c.spare
	if job == nil {
		return workingCopy(stored)
	}
	c.spare = nil
	*job = *stored
	stored.Status.DeepCopyInto(&job.Status)
	return job
}

// workingCopy is the Job a sync works on: the store's objects are shared
// and read-only, and the sync changes only the status, so the status is
// copied and the rest shared.
func workingCopy(stored *objects.Job) *objects.Job {
	job := new(objects.Job)
	*job = *stored
	stored.Status.DeepCopyInto(&job.Status)
	return job
}

// requeueAfter asks for another sync after d, keeping the earliest request.
func (s *syncer) requeueAfter(d time.Duration) {
	if d > 0 && (s.requeue == 0 || d < s.requeue) {
		s.requeue = d
	}
}

// record returns a Then callback that remembers a successful write as the
// Job's own, and adds the events ok returns on success or fail on error.
func (s *syncer) record(ok func(objects.Object) []controllers.Event, fail func(error) []controllers.Event) func(objects.Object, error) []controllers.Event {
	return s.c.written.Record(s.key, ok, fail)
}

// claimPods is getPodsForJob: the pods of the namespace the Job controls
// and whose labels still match its selector; orphans that match are
// adopted, owned pods that no longer match are released.
func (s *syncer) claimPods(r storage.Reader) {
	j := s.job
	sel, err := s.c.selector(s.key, j)
	if err != nil {
		sel = objects.Nothing()
	}
	controllers.ScanClaimable(r, "Pod", j.Namespace, j.UID, func(o objects.Object) bool {
		stored := o.(*objects.Pod)
		ref := stored.ControllerRef()
		if !(ref != nil && ref.UID == j.UID) && !(ref == nil && sel.Matches(stored.Labels)) {
			return true // another controller's pod, or one the Job does not select
		}
		s.claim(stored, sel) // read-only: the sync writes copies (podUpdate)
		return true
	})
}

// claim sorts one pod the Job owns or may adopt: kept, released or adopted.
func (s *syncer) claim(p *objects.Pod, sel objects.Selector) {
	j := s.job
	switch ref := p.ControllerRef(); {
	case ref != nil && sel.Matches(p.Labels):
		s.pods = append(s.pods, p)
	case ref != nil:
		if j.DeletionTimestamp == nil {
			s.actions = append(s.actions, s.releaseAction(p))
		}
	case j.DeletionTimestamp == nil && p.DeletionTimestamp == nil:
		s.pods = append(s.pods, s.adopt(p))
	}
}

// adopt makes the Job the pod's controller and adds the tracking
// finalizer, and returns the pod as the rest of the sync sees it.
func (s *syncer) adopt(p *objects.Pod) *objects.Pod {
	upd := s.podUpdate(p)
	upd.OwnerReferences = append(slices.Clip(upd.OwnerReferences), controllerRefTo(s.job))
	if !hasTrackingFinalizer(upd) {
		upd.Finalizers = append(slices.Clip(upd.Finalizers), objects.JobTrackingFinalizer)
	}
	s.actions = append(s.actions, controllers.Action{Verb: controllers.Update, Object: upd, Then: s.record(nil, nil)})
	return shallowPod(upd)
}

// podUpdate returns a copy of p to write. The sync's first write of a pod
// is conditional on the resourceVersion it read: upstream patches with a
// uid precondition, but an update here rewrites the whole object, so a sync
// working from a stale view must get a Conflict (and retry against a
// fresher one) rather than overwrite an owner reference, labels or
// finalizers written meanwhile. Later writes of the same pod in the sync
// follow the first and go unconditionally.
func (s *syncer) podUpdate(p *objects.Pod) *objects.Pod {
	upd := shallowPod(p)
	if s.podsWritten[p.UID] {
		upd.ResourceVersion = ""
	}
	s.wrotePod(p)
	return upd
}

// shallowPod is a new version of p to change and write: metadata and
// status copied as values, their slices, maps and the spec shared with p,
// so a change must replace a slice or map, never write into it.
func shallowPod(p *objects.Pod) *objects.Pod {
	upd := new(objects.Pod)
	*upd = *p
	return upd
}

// wrotePod notes that the sync writes p.
func (s *syncer) wrotePod(p *objects.Pod) {
	if s.podsWritten == nil {
		s.podsWritten = map[string]bool{}
	}
	s.podsWritten[p.UID] = true
}

// removeFinalizerAction removes the tracking finalizer from p, with the
// sync's podUpdate rule for its resourceVersion.
func (s *syncer) removeFinalizerAction(p *objects.Pod) controllers.Action {
	upd := s.podUpdate(p)
	dropTrackingFinalizer(upd)
	return controllers.Action{Verb: controllers.Update, Object: upd, Then: s.record(nil, nil)}
}

// releaseAction drops the Job's owner reference and tracking finalizer
// from a pod that no longer matches the selector.
func (s *syncer) releaseAction(p *objects.Pod) controllers.Action {
	upd := s.podUpdate(p)
	var refs []objects.OwnerReference
	for _, ref := range upd.OwnerReferences {
		if ref.UID != s.job.UID {
			refs = append(refs, ref)
		}
	}
	upd.OwnerReferences = refs
	var fins []string
	for _, f := range upd.Finalizers {
		if f != objects.JobTrackingFinalizer {
			fins = append(fins, f)
		}
	}
	upd.Finalizers = fins
	return controllers.Action{Verb: controllers.Update, Object: upd, Then: s.record(nil, nil)}
}

// count classifies the pods: active, ready, terminating, and the finished
// pods not yet counted; it sets the start time of a Job that runs and
// updates the back-off record with the newly finished pods.
func (s *syncer) count() {
	st := &s.job.Status
	if st.UncountedTerminatedPods == nil {
		st.UncountedTerminatedPods = &objects.UncountedTerminatedPods{}
	}
	s.uncounted = uncountedSets{succeeded: toSet(st.UncountedTerminatedPods.Succeeded), failed: toSet(st.UncountedTerminatedPods.Failed)}
	s.active = activePods(s.pods)
	s.activeCount = int32(len(s.active))
	s.ready = countReady(s.active)
	s.terminating = int32(len(terminatingPods(s.pods)))
	newSucceeded := s.newFinished(s.uncounted.succeeded, func(p *objects.Pod) bool { return p.Status.Phase == objects.PodSucceeded })
	newFailed := s.newFinished(s.uncounted.failed, func(p *objects.Pod) bool { return isPodFailed(p, s.job) })
	s.succeeded = st.Succeeded + int32(len(newSucceeded)) + int32(len(s.uncounted.succeeded))
	s.failed = st.Failed + countedFailures(s.job, newFailed) + int32(len(s.uncounted.failed))
	if st.StartTime == nil && !isSuspended(s.job) {
		st.StartTime = objects.NewTimePtr(s.now)
	}
	s.backoff = nextBackoffRecord(s.c.backoff[s.key], newSucceeded, newFailed)
}

// toSet turns a UID list into a set.
func toSet(uids []string) map[string]bool {
	out := make(map[string]bool, len(uids))
	for _, u := range uids {
		out[u] = true
	}
	return out
}

// newFinished is getValidPodsWithFilter: pods still tracked (finalizer
// present), not in the uncounted set, with a valid index for Indexed
// Jobs, that pass keep.
func (s *syncer) newFinished(uncounted map[string]bool, keep func(*objects.Pod) bool) []*objects.Pod {
	var out []*objects.Pod
	for _, p := range s.pods {
		if !hasTrackingFinalizer(p) || uncounted[p.UID] {
			continue
		}
		if isIndexed(s.job) && !validIndex(p, completionsOf(s.job)) {
			continue
		}
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// decideFailure picks the finish condition carried over from an earlier
// sync (SuccessCriteriaMet, or FailureTarget turned into Failed), a
// FailJob match, the backoff limit or the active deadline; while the
// deadline is ahead it asks to look again when it falls.
func (s *syncer) decideFailure() {
	j := s.job
	if c := objects.FindJobCondition(j.Status.Conditions, objects.JobSuccessCriteriaMet); c != nil && c.Status == objects.ConditionTrue {
		s.finished = c
		return
	}
	if c := objects.FindJobCondition(j.Status.Conditions, objects.JobFailureTarget); c != nil && c.Status == objects.ConditionTrue {
		s.finished = newCondition(objects.JobFailed, objects.ConditionTrue, c.Reason, c.Message, s.now)
		return
	}
	if msg := failJobMessage(j, s.pods); msg != "" {
		s.finished = s.failureTarget(objects.JobReasonPodFailurePolicy, msg)
		return
	}
	limit := backoffLimitOf(j)
	if mutant.On("job-backoff-off-by-one") { // #92245: the Job fails one retry short of backoffLimit
		limit--
	}
	switch {
	case s.failed > limit || pastBackoffLimitOnFailure(j, s.pods):
		s.finished = s.failureTarget(objects.JobReasonBackoffLimitExceeded, msgBackoffLimitExceeded)
	case pastActiveDeadline(j, s.now):
		s.finished = s.failureTarget(objects.JobReasonDeadlineExceeded, msgDeadlineExceeded)
	case j.Spec.ActiveDeadlineSeconds != nil && !isSuspended(j) && j.Status.StartTime != nil:
		s.requeueAfter(time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second - s.now.Sub(j.Status.StartTime.Time))
	}
}

// failureTarget is the interim FailureTarget=True condition.
func (s *syncer) failureTarget(reason, message string) *objects.JobCondition {
	return newCondition(objects.JobFailureTarget, objects.ConditionTrue, reason, message, s.now)
}

// decideIndexed counts completed (and failed) indexes, fails the Job on
// failed indexes, and checks the success policy.
func (s *syncer) decideIndexed() {
	j := s.job
	completions := int(completionsOf(j))
	s.prevSucceededIdx = parseIntervals(j.Status.CompletedIndexes, completions)
	var newIdx []int
	for _, p := range s.pods {
		if p.Status.Phase == objects.PodSucceeded && validIndex(p, completionsOf(j)) && hasTrackingFinalizer(p) {
			newIdx = append(newIdx, completionIndex(p))
		}
	}
	s.succeededIdx = s.prevSucceededIdx.withIndexes(sortedUnique(newIdx))
	s.succeeded = int32(s.succeededIdx.total())
	if hasBackoffLimitPerIndex(j) {
		s.failedIdx = s.failedIndexes()
		failed := s.failedIdx.total()
		if s.finished == nil {
			switch {
			case j.Spec.MaxFailedIndexes != nil && failed > int(*j.Spec.MaxFailedIndexes):
				s.finished = s.failureTarget(objects.JobReasonMaxFailedIndexesExceeded, msgMaxFailedIndexesExceeded)
			case failed > 0 && failed+s.succeededIdx.total() >= completions:
				s.finished = s.failureTarget(objects.JobReasonFailedIndexes, msgFailedIndexes)
			}
		}
		s.delayed = s.podsWithDelayedDeletion()
	}
	if s.finished == nil {
		if msg, met := matchSuccessPolicy(j.Spec.SuccessPolicy, completionsOf(j), s.succeededIdx); met {
			s.finished = newCondition(objects.JobSuccessCriteriaMet, objects.ConditionTrue, objects.JobReasonSuccessPolicy, msg, s.now)
		}
	}
}

// decideCompletion declares success once enough pods succeeded and none
// runs; otherwise, when manageJob ran, it keeps the Suspended condition
// in step with spec.suspend.
func (s *syncer) decideCompletion(manageCalled bool) {
	j := s.job
	var complete bool
	if j.Spec.Completions == nil {
		complete = s.succeeded > 0 && s.activeCount == 0
	} else {
		completions := *j.Spec.Completions
		if mutant.On("job-complete-early") { // an off-by-one: Complete one success short of completions
			completions--
		}
		complete = s.succeeded >= completions && s.activeCount == 0
	}
	switch {
	case complete:
		s.finished = newCondition(objects.JobSuccessCriteriaMet, objects.ConditionTrue, objects.JobReasonCompletionsReached, msgCompletionsReached, s.now)
	case manageCalled && isSuspended(j):
		var changed bool
		j.Status.Conditions, changed = ensureCondition(j.Status.Conditions, objects.JobSuspended, objects.ConditionTrue, reasonJobSuspended, msgJobSuspended, s.now)
		if changed {
			s.suspendCondChanged = true
			s.events = append(s.events, controllers.Normal(j, ReasonSuspended, msgJobSuspended))
			// Since 1.36 (MutableSchedulingDirectivesForSuspendedJobs) a
			// suspended Job's clock stops: the start time is cleared.
			j.Status.StartTime = nil
		}
	case manageCalled:
		var changed bool
		j.Status.Conditions, changed = ensureCondition(j.Status.Conditions, objects.JobSuspended, objects.ConditionFalse, reasonJobResumed, msgJobResumed, s.now)
		if changed {
			s.suspendCondChanged = true
			s.events = append(s.events, controllers.Normal(j, ReasonResumed, msgJobResumed))
			// Upstream: a resumed Job's activeDeadlineSeconds counts from now.
			j.Status.StartTime = objects.NewTimePtr(s.now)
		}
	}
}

// sortedUnique sorts ints and drops repeats.
func sortedUnique(xs []int) []int {
	sort.Ints(xs)
	var out []int
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}
