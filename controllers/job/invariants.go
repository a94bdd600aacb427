package job

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Invariants of Jobs, for the property checker, one function each so
// that a report says which broke. The Check* functions hold after every
// step of a simulation, whatever is pending; the CheckSettled* ones once
// the Job controller has caught up (every node and controller up, no
// fault, time enough), because until then a change may not be acted on
// yet. Each returns one error per violation; Jobs another controller
// manages (spec.managedBy) are left out.

// settleSlack is how long past a deadline a settled Job may still be
// finishing: its pods' grace period (30s by default) and a sync or two.
const settleSlack = 2 * time.Minute

// CheckStatusCounters checks the counters of every Job: status.ready never
// exceeds status.active; a NonIndexed Job never counts more successes
// than its completions, unless it adopted pods; an Indexed Job's succeeded
// count is the size of its completedIndexes.
func CheckStatusCounters(r storage.Reader) []error {
	var errs []error
	scanJobs(r, func(j *objects.Job) {
		key, st := objects.KeyOf(j), &j.Status
		if st.Ready != nil && *st.Ready > st.Active {
			errs = append(errs, fmt.Errorf("job %s: %d ready pods but only %d active", key, *st.Ready, st.Active))
		}
		if !isIndexed(j) && j.Spec.Completions != nil && st.Succeeded > *j.Spec.Completions && !adoptedPods(r, j) {
			errs = append(errs, fmt.Errorf("job %s: %d succeeded, more than its %d completions", key, st.Succeeded, *j.Spec.Completions))
		}
		if isIndexed(j) {
			if n := parseIntervals(st.CompletedIndexes, int(completionsOf(j))).total(); int32(n) != st.Succeeded {
				errs = append(errs, fmt.Errorf("job %s: succeeded is %d but completedIndexes %q holds %d", key, st.Succeeded, st.CompletedIndexes, n))
			}
		}
	})
	return errs
}

// adoptedPods reports whether j controls a pod it did not create (one
// not named <job>-<suffix>): a bare pod carrying its controller-uid label,
// adopted. Upstream's Job controller adopts such a pod whatever its phase
// and counts its success like any other, past completions if need be.
func adoptedPods(r storage.Reader, j *objects.Job) bool {
	adopted := false
	r.ScanIndex(storage.IndexController, j.UID, "Pod", func(o objects.Object) bool {
		if name := o.GetObjectMeta().Name; !strings.HasPrefix(name, j.Name+"-") {
			adopted = true
			return false
		}
		return true
	})
	return adopted
}

// CheckConditions checks the conditions of every Job: never both
// Complete and Failed; Complete only after SuccessCriteriaMet and with a
// completionTime; Failed only after FailureTarget.
func CheckConditions(r storage.Reader) []error {
	var errs []error
	scanJobs(r, func(j *objects.Job) {
		key, c := objects.KeyOf(j), j.Status.Conditions
		complete, failed := objects.JobConditionTrue(c, objects.JobComplete), objects.JobConditionTrue(c, objects.JobFailed)
		if complete && failed {
			errs = append(errs, fmt.Errorf("job %s: both Complete and Failed", key))
		}
		if complete && !objects.JobConditionTrue(c, objects.JobSuccessCriteriaMet) {
			errs = append(errs, fmt.Errorf("job %s: Complete without SuccessCriteriaMet", key))
		}
		if complete && j.Status.CompletionTime == nil {
			errs = append(errs, fmt.Errorf("job %s: Complete without completionTime", key))
		}
		if failed && !objects.JobConditionTrue(c, objects.JobFailureTarget) {
			errs = append(errs, fmt.Errorf("job %s: Failed without FailureTarget", key))
		}
	})
	return errs
}

// CheckFinishedPods checks that a finished Job has no active pod and no
// uncounted one: upstream writes Complete or Failed only once every pod
// is finished and counted.
func CheckFinishedPods(r storage.Reader) []error {
	var errs []error
	var pods map[string][]*objects.Pod
	scanJobs(r, func(j *objects.Job) {
		if !objects.IsJobFinished(j) {
			return
		}
		key := objects.KeyOf(j)
		if pods == nil {
			pods = podsByController(r)
		}
		if n := len(activePods(pods[j.UID])); n > 0 {
			errs = append(errs, fmt.Errorf("job %s: finished with %d active pods", key, n))
		}
		if hasUncounted(j) {
			errs = append(errs, fmt.Errorf("job %s: finished with uncounted pods", key))
		}
	})
	return errs
}

// CheckCompleteSucceeded checks that a Complete Job has its successes: as
// many as its completions (every index, for an Indexed Job), or one when
// it has no completions (a work queue). Jobs with a successPolicy are left
// out, as it completes them early.
func CheckCompleteSucceeded(r storage.Reader) []error {
	var errs []error
	scanJobs(r, func(j *objects.Job) {
		if !objects.JobConditionTrue(j.Status.Conditions, objects.JobComplete) || j.Spec.SuccessPolicy != nil {
			return
		}
		want := max(completionsOf(j), 1)
		if j.Status.Succeeded < want {
			errs = append(errs, fmt.Errorf("job %s: Complete with %d succeeded, short of %d", objects.KeyOf(j), j.Status.Succeeded, want))
		}
	})
	return errs
}

// CheckBackoffLimit checks that a Job whose failures passed its
// backoffLimit is failing: status.failed stays within backoffLimit while
// no FailureTarget or Failed condition is set (upstream's syncJob fails
// the Job in the sync that counts the failure past the limit). Jobs with
// a podFailurePolicy or backoffLimitPerIndex are left out: their failures
// count differently.
func CheckBackoffLimit(r storage.Reader) []error {
	var errs []error
	scanJobs(r, func(j *objects.Job) {
		if j.Spec.PodFailurePolicy != nil || hasBackoffLimitPerIndex(j) || failing(j) {
			return
		}
		if j.Status.Failed > backoffLimitOf(j) {
			errs = append(errs, fmt.Errorf("job %s: %d failed, past its backoffLimit %d, but not failing", objects.KeyOf(j), j.Status.Failed, backoffLimitOf(j)))
		}
	})
	return errs
}

// failing reports whether a Job has FailureTarget or Failed.
func failing(j *objects.Job) bool {
	c := j.Status.Conditions
	return objects.JobConditionTrue(c, objects.JobFailureTarget) || objects.JobConditionTrue(c, objects.JobFailed)
}

// CheckSettledTerminal checks that settled Jobs finish what they started:
// SuccessCriteriaMet is followed by Complete and FailureTarget by Failed,
// no Job holds uncounted pods, and no finished pod still carries the
// tracking finalizer (the controller removes it from orphans too). A Job
// or pod that changed within settleSlack of now may still be on its way
// (a CronJob keeps starting Jobs), and is left out, as is a suspended
// Job that never started.
func CheckSettledTerminal(r storage.Reader, now time.Time) []error {
	var errs []error
	pods := podsByController(r)
	scanJobs(r, func(j *objects.Job) {
		if inFlight(j, pods[j.UID], now) {
			return
		}
		key, c := objects.KeyOf(j), j.Status.Conditions
		if isSuspended(j) && j.Status.StartTime == nil {
			// Never started: the apiserver refuses a finished Job without
			// a startTime, so a suspended Job that met its success
			// criteria (an adopted pod succeeded) stays unfinished until
			// resumed, as upstream's does (kubernetes#132144).
			return
		}
		if objects.JobConditionTrue(c, objects.JobSuccessCriteriaMet) && !objects.JobConditionTrue(c, objects.JobComplete) {
			errs = append(errs, fmt.Errorf("job %s: SuccessCriteriaMet but not Complete", key))
		}
		if objects.JobConditionTrue(c, objects.JobFailureTarget) && !objects.JobConditionTrue(c, objects.JobFailed) {
			errs = append(errs, fmt.Errorf("job %s: FailureTarget but not Failed", key))
		}
		if hasUncounted(j) {
			errs = append(errs, fmt.Errorf("job %s: uncountedTerminatedPods still holds pods", key))
		}
	})
	r.Scan("Pod", "", func(o objects.Object) bool {
		if p := o.(*objects.Pod); isTerminal(p) && hasTrackingFinalizer(p) && !podInFlight(p, now) && !heldByDeletedJob(r, p) {
			errs = append(errs, fmt.Errorf("pod %s/%s: finished but still carries the tracking finalizer", p.Namespace, p.Name))
		}
		return true
	})
	return errs
}

// heldByDeletedJob reports whether p's tracking finalizer may stay as
// upstream leaves it: p was relabelled out of the selector of its Job,
// which is being deleted, or is gone. Upstream's ClaimPods does not
// release a pod from a Job being deleted, so the Job's syncs no longer see
// it; syncOrphanPod keeps the finalizer of a pod whose Job exists and has
// not finished ("The pod was adopted"); and a deleted or finished Job's
// cleanupPodFinalizers looks for its pods by its selector, which no longer
// matches. Once the Job has finished, only a change of the pod itself
// (deletePod: a pod being deleted whose Job is finished goes to the orphan
// queue) would drop the finalizer, and a pod that finished before its Job
// did changes no more.
func heldByDeletedJob(r storage.Reader, p *objects.Pod) bool {
	ref := p.ControllerRef()
	if ref == nil || ref.Kind != "Job" {
		return false
	}
	obj, err := r.Get(objects.Key{Kind: "Job", Namespace: p.Namespace, Name: ref.Name})
	if err != nil || obj.(*objects.Job).UID != ref.UID {
		// Gone: its selector was its generated controller-uid label.
		return p.Labels[objects.ControllerUIDLabel] != ref.UID
	}
	j := obj.(*objects.Job)
	if j.DeletionTimestamp == nil {
		return false
	}
	sel, err := objects.LabelSelectorAsSelector(j.Spec.Selector)
	return err == nil && !sel.Matches(p.Labels)
}

// CheckSettledDeadline checks that a settled Job past its
// activeDeadlineSeconds (counted from status.startTime, which a resume
// resets) has finished at now: upstream fails it with DeadlineExceeded.
func CheckSettledDeadline(r storage.Reader, now time.Time) []error {
	var errs []error
	scanJobs(r, func(j *objects.Job) {
		ads := j.Spec.ActiveDeadlineSeconds
		if ads == nil || j.Status.StartTime == nil || isSuspended(j) || objects.IsJobFinished(j) || j.DeletionTimestamp != nil {
			return
		}
		deadline := j.Status.StartTime.Add(time.Duration(*ads) * time.Second)
		if now.After(deadline.Add(settleSlack)) {
			errs = append(errs, fmt.Errorf("job %s: still running %v after its activeDeadlineSeconds passed", objects.KeyOf(j), now.Sub(deadline)))
		}
	})
	return errs
}

// CheckSettledActive checks a settled running Job's pods, for Jobs nobody
// is deleting:
//   - every pod it owns matches its selector (it releases the others);
//   - status.active is the number of its active pods;
//   - a suspended Job runs no pod;
//   - it runs no more pods than it wants (parallelism, or the completions
//     left);
//   - no two active pods of an Indexed Job share an index.
//
// Finished Jobs are left out: upstream's syncJob returns early for them,
// so it neither releases nor counts their pods any more. So are Jobs that
// changed, or whose pods did, within settleSlack of now.
func CheckSettledActive(r storage.Reader, now time.Time) []error {
	var errs []error
	var pods map[string][]*objects.Pod
	scanJobs(r, func(j *objects.Job) {
		if j.DeletionTimestamp != nil || objects.IsJobFinished(j) {
			return
		}
		if pods == nil {
			pods = podsByController(r)
		}
		owned := pods[j.UID]
		if inFlight(j, owned, now) {
			return
		}
		errs = append(errs, OwnedPodsMatchSelector(j, owned)...)
		active := activePods(owned)
		n := int32(len(active))
		if n != j.Status.Active {
			errs = append(errs, fmt.Errorf("job %s: status.active is %d but %d pods are active", objects.KeyOf(j), j.Status.Active, n))
		}
		switch want := wantActive(j, j.Status.Succeeded, n); {
		case isSuspended(j) && n > 0:
			errs = append(errs, fmt.Errorf("job %s: suspended but %d pods are active", objects.KeyOf(j), n))
		case !isSuspended(j) && n > want:
			errs = append(errs, fmt.Errorf("job %s: %d pods are active, more than the %d it wants", objects.KeyOf(j), n, want))
		}
		if isIndexed(j) {
			if ix := indexesOf(active); len(ix) != len(active) {
				errs = append(errs, fmt.Errorf("job %s: %d active pods hold only %d distinct indexes", objects.KeyOf(j), len(active), len(ix)))
			}
		}
	})
	return errs
}

// OwnedPodsMatchSelector returns an error for each pod the Job controls
// whose labels its selector does not match. It holds once the controller
// has synced a running Job since the pods' labels last changed: it
// releases such pods.
func OwnedPodsMatchSelector(j *objects.Job, pods []*objects.Pod) []error {
	sel, err := objects.LabelSelectorAsSelector(j.Spec.Selector)
	if err != nil {
		return []error{fmt.Errorf("job %s: invalid selector: %v", objects.KeyOf(j), err)}
	}
	var errs []error
	for _, p := range pods {
		if !sel.Matches(p.Labels) {
			errs = append(errs, fmt.Errorf("job %s: owns pod %s, which its selector does not match", objects.KeyOf(j), p.Name))
		}
	}
	return errs
}

// scanJobs calls visit with every Job the built-in controller manages, as
// stored (not to be changed).
func scanJobs(r storage.Reader, visit func(*objects.Job)) {
	r.Scan("Job", "", func(o objects.Object) bool {
		if j := o.(*objects.Job); !managedByOther(j) {
			visit(j)
		}
		return true
	})
}

// podsByController indexes every pod by the uid of its controller, as
// stored (not to be changed), in store order.
func podsByController(r storage.Reader) map[string][]*objects.Pod {
	out := map[string][]*objects.Pod{}
	r.Scan("Pod", "", func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil {
			out[ref.UID] = append(out[ref.UID], p)
		}
		return true
	})
	return out
}

// hasUncounted reports whether a Job's uncountedTerminatedPods holds a uid.
func hasUncounted(j *objects.Job) bool {
	u := j.Status.UncountedTerminatedPods
	return u != nil && len(u.Succeeded)+len(u.Failed) > 0
}

// CheckInvariants runs every check that holds after every step.
func CheckInvariants(r storage.Reader) []error {
	return concat(CheckStatusCounters(r), CheckConditions(r), CheckFinishedPods(r), CheckCompleteSucceeded(r), CheckBackoffLimit(r))
}

// CheckSettled runs the checks of a settled cluster but the deadline's,
// long after the last change: nothing is taken for in flight.
func CheckSettled(r storage.Reader) []error {
	return concat(CheckSettledActive(r, longAfter), CheckSettledTerminal(r, longAfter))
}

// longAfter is a time after any simulated change.
var longAfter = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// inFlight reports whether a Job or one of its pods changed within
// settleSlack of now: created, deleted, a condition set, a container
// started or stopped. Its controllers may not have caught up with it.
func inFlight(j *objects.Job, pods []*objects.Pod, now time.Time) bool {
	if recent(j.CreationTimestamp.Time, now) || j.DeletionTimestamp != nil && recent(j.DeletionTimestamp.Time, now) {
		return true
	}
	for _, c := range j.Status.Conditions {
		if recent(c.LastTransitionTime.Time, now) {
			return true
		}
	}
	if j.Status.StartTime != nil && recent(j.Status.StartTime.Time, now) {
		return true
	}
	for _, p := range pods {
		if podInFlight(p, now) {
			return true
		}
	}
	return false
}

// podInFlight reports whether a pod changed within settleSlack of now.
func podInFlight(p *objects.Pod, now time.Time) bool {
	if recent(p.CreationTimestamp.Time, now) || p.DeletionTimestamp != nil && recent(p.DeletionTimestamp.Time, now) {
		return true
	}
	for _, c := range p.Status.Conditions {
		if recent(c.LastTransitionTime.Time, now) {
			return true
		}
	}
	for _, cs := range p.Status.ContainerStatuses {
		for _, st := range []objects.ContainerState{cs.State, cs.LastState} {
			if st.Running != nil && recent(st.Running.StartedAt.Time, now) ||
				st.Terminated != nil && recent(st.Terminated.FinishedAt.Time, now) {
				return true
			}
		}
	}
	return false
}

// recent reports whether t is within settleSlack before now.
func recent(t, now time.Time) bool { return !t.IsZero() && now.Sub(t) < settleSlack }

func concat(lists ...[]error) []error {
	var out []error
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
