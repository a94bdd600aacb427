package job

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name, the source of its events.
const Name = "job-controller"

// Event reasons, as upstream records them (controller_utils.go and
// job_controller.go).
const (
	ReasonSuccessfulCreate      = "SuccessfulCreate"
	ReasonFailedCreate          = "FailedCreate"
	ReasonSuccessfulDelete      = "SuccessfulDelete"
	ReasonFailedDelete          = "FailedDelete"
	ReasonCompleted             = "Completed"
	ReasonTooManySucceededPods  = "TooManySucceededPods"
	ReasonSuspended             = "Suspended"
	ReasonResumed               = "Resumed"
	ReasonUnknownCompletionMode = "UnknownCompletionMode"
)

// Condition reasons and messages that are literal strings in
// job_controller.go, and its event messages.
const (
	reasonJobSuspended          = "JobSuspended"
	reasonJobResumed            = "JobResumed"
	msgJobSuspended             = "Job suspended"
	msgJobResumed               = "Job resumed"
	msgBackoffLimitExceeded     = "Job has reached the specified backoff limit"
	msgDeadlineExceeded         = "Job was active longer than specified deadline"
	msgMaxFailedIndexesExceeded = "Job has exceeded the specified maximal number of failed indexes"
	msgFailedIndexes            = "Job has failed indexes"
	msgCompletionsReached       = "Reached expected number of succeeded pods"
	msgCompleted                = "Job completed"
	msgTooManySucceededPods     = "Too many succeeded pods running after completion count reached"
	msgUnknownCompletionMode    = "Skipped Job sync because completion mode is unknown"
)

// Limits and delays of job_controller.go.
const (
	// MaxUncountedPods caps the UIDs one sync adds to uncountedTerminatedPods.
	MaxUncountedPods = 500
	// MaxPodCreateDeletePerSync caps the pods one sync creates or deletes.
	MaxPodCreateDeletePerSync = 500
	// syncBatchPeriod is the shortest delay of a requeue (syncJobBatchPeriod).
	syncBatchPeriod = time.Second
	// staleRetry is how soon a sync that found its own writes missing from
	// its view looks again (DefaultJobApiBackOff).
	staleRetry = time.Second
)

// Controller is kube-controller-manager's Job controller. Its state is
// what upstream keeps in memory: each Job's pod-failure back-off record,
// and the resourceVersion of the last write it made for each Job (the
// StaleControllerConsistencyJob check, beta since 1.36: a sync whose view
// does not yet show the controller's own writes waits). Not safe for
// concurrent use.
type Controller struct {
	keys    controllers.KeyBuffer // KeysFor's
	backoff map[objects.Key]backoffRecord
	written controllers.OwnWrites
	// selectors holds each running Job's selector, parsed, for the
	// selector object it was parsed from (spec.selector is immutable; a
	// new version of the Job usually shares it).
	selectors map[objects.Key]parsedSelector
	// spare is a working copy the last sync neither wrote nor kept.
	spare *objects.Job
}

// parsedSelector is a Job's spec.selector and what it parses to.
type parsedSelector struct {
	from *objects.LabelSelector
	sel  objects.Selector
	err  error
}

var _ controllers.Controller = (*Controller)(nil)

// New returns a Job controller with no memory of any Job.
func New() *Controller {
	return &Controller{backoff: map[objects.Key]backoffRecord{}, written: controllers.OwnWrites{},
		selectors: map[objects.Key]parsedSelector{}}
}

// Name returns "job-controller".
func (c *Controller) Name() string { return Name }

// Reconcile syncs the Job at key, or, for a Pod key, removes the tracking
// finalizer of a pod no live Job tracks (upstream's orphan-pod queue).
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	if key.Kind == "Pod" {
		return syncOrphanPod(r, key)
	}
	return c.syncJob(now, r, key)
}

// forget drops what the controller remembers of a Job.
func (c *Controller) forget(key objects.Key) {
	delete(c.backoff, key)
	delete(c.selectors, key)
	c.written.Forget(key)
}

// selector returns the Job's spec.selector parsed, parsing it only when
// the Job's selector object is not the one parsed last.
func (c *Controller) selector(key objects.Key, j *objects.Job) (objects.Selector, error) {
	if p, ok := c.selectors[key]; ok && p.from == j.Spec.Selector && p.from != nil {
		return p.sel, p.err
	}
	sel, err := objects.LabelSelectorAsSelector(j.Spec.Selector)
	c.selectors[key] = parsedSelector{from: j.Spec.Selector, sel: sel, err: err}
	return sel, err
}

// managedByOther reports whether the Job's managedBy names another controller.
func managedByOther(j *objects.Job) bool {
	return j.Spec.ManagedBy != nil && *j.Spec.ManagedBy != objects.JobControllerName
}

// knownCompletionMode reports whether the Job's completion mode is one upstream knows.
func knownCompletionMode(j *objects.Job) bool {
	m := j.Spec.CompletionMode
	return m == nil || *m == objects.NonIndexedCompletion || *m == objects.IndexedCompletion
}

// isIndexed reports whether the Job is Indexed.
func isIndexed(j *objects.Job) bool {
	return j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == objects.IndexedCompletion
}

// isSuspended reports whether spec.suspend is true.
func isSuspended(j *objects.Job) bool { return j.Spec.Suspend != nil && *j.Spec.Suspend }

// hasBackoffLimitPerIndex reports whether the Job limits failures per index.
func hasBackoffLimitPerIndex(j *objects.Job) bool { return j.Spec.BackoffLimitPerIndex != nil }

// onlyReplaceFailedPods reports whether terminating pods wait to be
// Failed before they are replaced (podReplacementPolicy Failed, or any
// podFailurePolicy).
func onlyReplaceFailedPods(j *objects.Job) bool {
	p := j.Spec.PodReplacementPolicy
	return (p != nil && *p == objects.ReplaceFailed) || j.Spec.PodFailurePolicy != nil
}

// backoffLimitOf is spec.backoffLimit, 6 when unset.
func backoffLimitOf(j *objects.Job) int32 {
	if j.Spec.BackoffLimit == nil {
		return objects.DefaultJobBackoffLimit
	}
	return *j.Spec.BackoffLimit
}

// parallelismOf is spec.parallelism, 1 when unset.
func parallelismOf(j *objects.Job) int32 {
	if j.Spec.Parallelism == nil {
		return 1
	}
	return *j.Spec.Parallelism
}

// completionsOf is spec.completions, 0 when unset (Indexed Jobs always set it).
func completionsOf(j *objects.Job) int32 {
	if j.Spec.Completions == nil {
		return 0
	}
	return *j.Spec.Completions
}

// controlledBy reports whether the pod's controller reference names the Job.
func controlledBy(p *objects.Pod, j *objects.Job) bool {
	ref := p.ControllerRef()
	return ref != nil && ref.UID == j.UID
}

// controllerRefTo returns the owner reference of the Job's pods.
func controllerRefTo(j *objects.Job) objects.OwnerReference {
	yes := true
	return objects.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: j.Name, UID: j.UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
}

// newCondition is a condition whose probe and transition times are now.
func newCondition(t, status, reason, message string, now time.Time) *objects.JobCondition {
	return &objects.JobCondition{Type: t, Status: status, Reason: reason, Message: message,
		LastProbeTime: objects.NewTime(now), LastTransitionTime: objects.NewTime(now)}
}

// ensureCondition sets the condition of type t to status, reason and
// message, replacing one that differs or appending a new one; a False
// condition is never appended from nothing. It reports whether the list
// changed.
func ensureCondition(list []objects.JobCondition, t, status, reason, message string, now time.Time) ([]objects.JobCondition, bool) {
	if c := objects.FindJobCondition(list, t); c != nil {
		if c.Status != status || c.Reason != reason || c.Message != message {
			*c = *newCondition(t, status, reason, message, now)
			return list, true
		}
		return list, false
	}
	if status != objects.ConditionFalse {
		return append(list, *newCondition(t, status, reason, message, now)), true
	}
	return list, false
}

// pastActiveDeadline reports whether a running Job has been active for
// activeDeadlineSeconds (the boundary counts as past).
func pastActiveDeadline(j *objects.Job, now time.Time) bool {
	ads := j.Spec.ActiveDeadlineSeconds
	if ads == nil || j.Status.StartTime == nil || isSuspended(j) || mutant.On("job-deadline-ignored") { // #110239: the deadline is never enforced
		return false
	}
	return now.Sub(j.Status.StartTime.Time) >= time.Duration(*ads)*time.Second
}

// wantActive is how many pods should run: for a work queue (no
// completions), parallelism until the first success and then whatever
// runs; otherwise the remaining completions, at most parallelism.
func wantActive(j *objects.Job, succeeded, active int32) int32 {
	if j.Spec.Completions == nil {
		if succeeded > 0 {
			return active
		}
		return parallelismOf(j)
	}
	return max(min(*j.Spec.Completions-succeeded, parallelismOf(j)), 0)
}
