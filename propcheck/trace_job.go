package propcheck

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/controllers/ttlafterfinished"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// values is how a number (a Job's parallelism, a ReplicaSet's replicas)
// changed over a run: each value from the change that set it (its
// position in the run, index.current).
type values []seqValue

type seqValue struct{ seq, v int }

// set records that the number is v from change seq on.
func (vs *values) set(seq, v int) {
	if n := len(*vs); n > 0 && (*vs)[n-1].v == v {
		return
	}
	*vs = append(*vs, seqValue{seq, v})
}

// maxSeen returns the largest value a view holding the changes up to
// seen (and maybe more) may show.
func (vs values) maxSeen(seen int) int {
	best := -1
	for i, sv := range vs {
		if replaced := i+1 < len(vs) && vs[i+1].seq <= seen; !replaced {
			best = max(best, sv.v)
		}
	}
	return best
}

// jobParallelism is the trace invariant job-parallelism: the Job
// controller never creates a pod for a Job while the Job's active pods
// already reach what it may run, judged at each creation against the pods
// active then. What it may run is its parallelism, none while it is
// suspended, finished or being deleted; since the controller's view is at
// least as new as its own last write for the Job, the largest of those
// limits since that write counts (upstream's manageJob: diff = wantActive
// - active, and expectations make a sync wait for its own creates).
type jobParallelism struct {
	limits map[string]*values // by Job uid
}

func newJobParallelism() traceCheck { return &jobParallelism{limits: map[string]*values{}} }

func (c *jobParallelism) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.Job:
		if ch.Event.Type == storage.Deleted {
			delete(c.limits, o.UID)
			return nil
		}
		vs := c.limits[o.UID]
		if vs == nil {
			vs = &values{}
			c.limits[o.UID] = vs
		}
		vs.set(ix.current(), jobLimit(o))
	case *objects.Pod:
		if ch.Actor != job.Name || created(ch) == nil {
			return nil
		}
		j, ok := ix.controllerOf(o).(*objects.Job)
		if !ok || c.limits[j.UID] == nil {
			return nil
		}
		active := countActive(ix.podsOf(j.UID))
		limit := c.limits[j.UID].maxSeen(ix.seen(ch.Actor, j.UID, ch.At))
		if active >= limit {
			return []error{fmt.Errorf("job %s: %s created pod %s while %d pods were active, and the Job may run %d",
				objects.KeyOf(j), ch.Actor, o.Name, active, limit)}
		}
	}
	return nil
}

// jobLimit is how many pods a Job may run: its parallelism, or none when
// it is suspended, finished or being deleted.
func jobLimit(j *objects.Job) int {
	if j.DeletionTimestamp != nil || objects.IsJobFinished(j) || (j.Spec.Suspend != nil && *j.Spec.Suspend) {
		return 0
	}
	if j.Spec.Parallelism == nil {
		return 1
	}
	return int(*j.Spec.Parallelism)
}

// jobFinalizerCounted is the trace invariant job-finalizer-counted: the
// Job controller removes the tracking finalizer of a finished pod of a
// running Job only once the pod's uid is in the Job's
// uncountedTerminatedPods, or, for a succeeded pod of an Indexed Job, its
// index in completedIndexes, so no finished pod goes uncounted
// (upstream's trackJobStatusWithFinalizers: record the uids or indexes,
// then remove the finalizers, then move the uids to the counters). A
// pod of an Indexed Job without a valid index (an adopted bare pod),
// failed or succeeded, is never counted, and loses its finalizer all the
// same.
type jobFinalizerCounted struct{}

func newJobFinalizerCounted() traceCheck { return jobFinalizerCounted{} }

func (jobFinalizerCounted) observe(ch sim.Change, ix *index) []error {
	p, ok := ch.Event.Object.(*objects.Pod)
	if !ok || ch.Actor != job.Name || ch.Event.Type == storage.Added || !podTerminal(p) {
		return nil
	}
	old, _ := ch.Event.Old.(*objects.Pod)
	if old == nil || !old.HasFinalizer(objects.JobTrackingFinalizer) || p.HasFinalizer(objects.JobTrackingFinalizer) {
		return nil
	}
	ref := p.ControllerRef()
	if ref == nil {
		return nil // released: the pod no longer belongs to the Job
	}
	j, ok := ix.get(ref.UID).(*objects.Job)
	if !ok || objects.IsJobFinished(j) {
		return nil // an orphan's finalizer, or counting is over
	}
	if u := j.Status.UncountedTerminatedPods; u != nil && (containsString(u.Succeeded, p.UID) || containsString(u.Failed, p.UID)) {
		return nil
	}
	if isIndexed(j) {
		// An Indexed Job never counts a pod without a valid index, failed
		// or succeeded (upstream's trackJobStatusAndRemoveFinalizers), and
		// records a success by its index, not its uid.
		ix, err := strconv.Atoi(p.Annotations[objects.JobCompletionIndexAnnotation])
		if err != nil || ix < 0 || j.Spec.Completions == nil || ix >= int(*j.Spec.Completions) {
			return nil
		}
		if p.Status.Phase == objects.PodSucceeded && inIntervals(j.Status.CompletedIndexes, ix) {
			return nil
		}
	}
	return []error{fmt.Errorf("job %s: %s removed the tracking finalizer of finished pod %s before recording it in uncountedTerminatedPods",
		objects.KeyOf(j), ch.Actor, p.Name)}
}

// inIntervals reports whether ix is in a list of intervals as
// completedIndexes spells it ("0-2,5").
func inIntervals(list string, ix int) bool {
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			hi = lo
		}
		a, errA := strconv.Atoi(lo)
		b, errB := strconv.Atoi(hi)
		if errA == nil && errB == nil && a <= ix && ix <= b {
			return true
		}
	}
	return false
}

// isIndexed reports whether a Job's completionMode is Indexed.
func isIndexed(j *objects.Job) bool {
	return j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == objects.IndexedCompletion
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jobCountsBounded is the trace invariant job-counts-bounded: a Job never
// counts more successes than pods of it ever succeeded, nor more failures
// than pods of it ever failed or were deleted (a pod is counted once:
// upstream's uid tracking with finalizers).
type jobCountsBounded struct {
	succeeded, failed map[string]map[string]bool // by Job uid, pod uids
}

func newJobCountsBounded() traceCheck {
	return &jobCountsBounded{succeeded: map[string]map[string]bool{}, failed: map[string]map[string]bool{}}
}

func (c *jobCountsBounded) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.Pod:
		ref := o.ControllerRef()
		if ref == nil || ref.Kind != "Job" {
			return nil
		}
		if o.Status.Phase == objects.PodSucceeded {
			addTo(c.succeeded, ref.UID, o.UID)
		}
		// A deleted pod may be counted failed whatever its phase: a Job
		// controller whose informer still shows a pod running when the
		// Job fails (its deadline, say) deletes it and counts it failed,
		// though it had succeeded meanwhile, as upstream's does.
		if o.Status.Phase == objects.PodFailed || o.DeletionTimestamp != nil || ch.Event.Type == storage.Deleted {
			addTo(c.failed, ref.UID, o.UID)
		}
	case *objects.Job:
		if ch.Event.Type == storage.Deleted {
			delete(c.succeeded, o.UID)
			delete(c.failed, o.UID)
			return nil
		}
		var errs []error
		if n := len(c.succeeded[o.UID]); int(o.Status.Succeeded) > n {
			errs = append(errs, fmt.Errorf("job %s: %d succeeded, but only %d of its pods ever succeeded", objects.KeyOf(o), o.Status.Succeeded, n))
		}
		if n := len(c.failed[o.UID]); int(o.Status.Failed) > n {
			errs = append(errs, fmt.Errorf("job %s: %d failed, but only %d of its pods ever failed or were deleted", objects.KeyOf(o), o.Status.Failed, n))
		}
		return errs
	}
	return nil
}

// addTo adds v to the set of key in sets.
func addTo(sets map[string]map[string]bool, key, v string) {
	set := sets[key]
	if set == nil {
		set = map[string]bool{}
		sets[key] = set
	}
	set[v] = true
}

// ttlNotEarly is the trace invariant ttl-not-early: the TTL-after-finished
// controller deletes a Job no sooner than ttlSecondsAfterFinished after it
// finished (its Complete or Failed condition's transition).
type ttlNotEarly struct{}

func newTTLNotEarly() traceCheck { return ttlNotEarly{} }

func (ttlNotEarly) observe(ch sim.Change, ix *index) []error {
	j, ok := ch.Event.Object.(*objects.Job)
	if !ok || ch.Actor != ttlafterfinished.Name || !deletionStarted(ch) {
		return nil
	}
	if j.Spec.TTLSecondsAfterFinished == nil {
		return []error{fmt.Errorf("job %s: deleted by %s without a ttlSecondsAfterFinished", objects.KeyOf(j), ch.Actor)}
	}
	finished, ok := finishTime(j)
	if !ok {
		return []error{fmt.Errorf("job %s: deleted by %s before it finished", objects.KeyOf(j), ch.Actor)}
	}
	due := finished.Add(time.Duration(*j.Spec.TTLSecondsAfterFinished) * time.Second)
	if ch.At.Before(due) {
		return []error{fmt.Errorf("job %s: deleted by %s at %s, before its TTL ends at %s", objects.KeyOf(j), ch.Actor,
			ch.At.UTC().Format(time.RFC3339), due.UTC().Format(time.RFC3339))}
	}
	return nil
}

// finishTime is when a Job's terminal condition became true.
func finishTime(j *objects.Job) (time.Time, bool) {
	for _, c := range j.Status.Conditions {
		if (c.Type == objects.JobComplete || c.Type == objects.JobFailed) && c.Status == objects.ConditionTrue {
			return c.LastTransitionTime.Time, true
		}
	}
	return time.Time{}, false
}

// jobFailureJustified is the trace invariant job-failure-justified: the
// Job controller sets FailureTarget for BackoffLimitExceeded only once
// more pods failed than backoffLimit allows (or, for restartPolicy
// OnFailure, once its pods' containers restarted backoffLimit times), and
// for DeadlineExceeded only once activeDeadlineSeconds have passed since
// startTime (upstream's syncJob: exceedsBackoffLimit, pastBackoffLimitOnFailure,
// pastActiveDeadline).
type jobFailureJustified struct{}

func newJobFailureJustified() traceCheck { return jobFailureJustified{} }

func (jobFailureJustified) observe(ch sim.Change, ix *index) []error {
	j, ok := ch.Event.Object.(*objects.Job)
	old, _ := ch.Event.Old.(*objects.Job)
	if !ok || old == nil || ch.Actor != job.Name {
		return nil
	}
	c := objects.FindJobCondition(j.Status.Conditions, objects.JobFailureTarget)
	if c == nil || c.Status != objects.ConditionTrue || objects.JobConditionTrue(old.Status.Conditions, objects.JobFailureTarget) {
		return nil
	}
	switch c.Reason {
	case objects.JobReasonBackoffLimitExceeded:
		if j.Spec.PodFailurePolicy != nil || j.Spec.BackoffLimitPerIndex != nil {
			return nil
		}
		limit := int32(objects.DefaultJobBackoffLimit)
		if j.Spec.BackoffLimit != nil {
			limit = *j.Spec.BackoffLimit
		}
		failed := j.Status.Failed
		if u := j.Status.UncountedTerminatedPods; u != nil {
			failed += int32(len(u.Failed))
		}
		if failed > limit || j.Spec.Template.Spec.RestartPolicy == objects.RestartPolicyOnFailure && restartsOf(ix.podsOf(j.UID)) >= max(limit, 1) {
			return nil
		}
		return []error{fmt.Errorf("job %s: %s set FailureTarget BackoffLimitExceeded with %d failed, within its backoffLimit %d",
			objects.KeyOf(j), ch.Actor, failed, limit)}
	case objects.JobReasonDeadlineExceeded:
		ads, start := j.Spec.ActiveDeadlineSeconds, j.Status.StartTime
		if ads == nil || start == nil {
			return []error{fmt.Errorf("job %s: %s set FailureTarget DeadlineExceeded without a deadline", objects.KeyOf(j), ch.Actor)}
		}
		if deadline := start.Add(time.Duration(*ads) * time.Second); ch.At.Before(deadline) {
			return []error{fmt.Errorf("job %s: %s set FailureTarget DeadlineExceeded at %s, before the deadline %s",
				objects.KeyOf(j), ch.Actor, ch.At.UTC().Format(time.RFC3339), deadline.UTC().Format(time.RFC3339))}
		}
	}
	return nil
}

// restartsOf adds up the restart counts of the pods' containers.
func restartsOf(pods []*objects.Pod) int32 {
	var n int32
	for _, p := range pods {
		for _, cs := range p.Status.ContainerStatuses {
			n += cs.RestartCount
		}
		for _, cs := range p.Status.InitContainerStatuses {
			n += cs.RestartCount
		}
	}
	return n
}

// jobCompleteSucceeded is the trace invariant job-complete-succeeded: a
// Job that turns Complete has its successes, as many as its completions
// (one when it has none: a work queue), as job.CheckCompleteSucceeded
// checks the store. Jobs with a successPolicy are left out, as it
// completes them early. One shortfall is upstream's: a pod the controller
// recorded in uncountedTerminatedPods.failed (deleted while it ran, its
// node gone) that then reports Succeeded (its node back) is counted as a
// new success when the controller decides completion (getNewFinishedPods
// leaves out only the uncounted successes) but as a failure in the status
// (trackJobStatusAndRemoveFinalizers skips a success counted failed), so
// the Job completes short of it; such pods are allowed for.
type jobCompleteSucceeded struct {
	countedFailed map[string]string          // pod uid -> the uid of the Job that recorded it failed
	flipped       map[string]map[string]bool // Job uid -> its pods counted failed that succeeded
	reported      map[string]bool            // Job uids already reported
}

func newJobCompleteSucceeded() traceCheck {
	return &jobCompleteSucceeded{countedFailed: map[string]string{}, flipped: map[string]map[string]bool{},
		reported: map[string]bool{}}
}

func (c *jobCompleteSucceeded) observe(ch sim.Change, ix *index) []error {
	if ch.Event.Type == storage.Deleted {
		return nil
	}
	switch o := ch.Event.Object.(type) {
	case *objects.Pod:
		if jobUID := c.countedFailed[o.UID]; jobUID != "" && o.Status.Phase == objects.PodSucceeded {
			c.flip(jobUID, o.UID)
		}
	case *objects.Job:
		if u := o.Status.UncountedTerminatedPods; u != nil {
			for _, uid := range u.Failed {
				c.countedFailed[uid] = o.UID
				if p, ok := ix.get(uid).(*objects.Pod); ok && p.Status.Phase == objects.PodSucceeded {
					c.flip(o.UID, uid)
				}
			}
		}
		if c.reported[o.UID] || o.Spec.SuccessPolicy != nil || !objects.JobConditionTrue(o.Status.Conditions, objects.JobComplete) {
			return nil
		}
		want := int32(1)
		if n := o.Spec.Completions; n != nil {
			want = max(*n, 1)
		}
		if o.Status.Succeeded+int32(len(c.flipped[o.UID])) < want {
			c.reported[o.UID] = true
			return []error{fmt.Errorf("job %s: Complete with %d succeeded, short of %d", objects.KeyOf(o), o.Status.Succeeded, want)}
		}
	}
	return nil
}

// flip records that a pod the Job counted failed succeeded.
func (c *jobCompleteSucceeded) flip(jobUID, podUID string) {
	if c.flipped[jobUID] == nil {
		c.flipped[jobUID] = map[string]bool{}
	}
	c.flipped[jobUID][podUID] = true
}
