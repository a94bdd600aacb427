package job

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Invariants of Jobs, for the property checker. CheckInvariants holds
// after every step of a simulation, whatever is pending; CheckSettled
// holds once the Job controller has nothing queued (no pending key, no
// requeue due), because until then a user's change may not be acted on yet.

// CheckInvariants returns one error per violated invariant of the Jobs the
// built-in controller manages:
//   - status.ready never exceeds status.active;
//   - a NonIndexed Job never counts more successes than its completions;
//   - an Indexed Job's succeeded count is the size of its completedIndexes;
//   - a finished Job has no active pod and no uncounted pod, and its
//     terminal condition follows its interim one (Complete after
//     SuccessCriteriaMet, with a completionTime; Failed after FailureTarget);
//   - a Job is never both Complete and Failed.
func CheckInvariants(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("Job", "", nil) {
		j := o.(*objects.Job)
		if managedByOther(j) {
			continue
		}
		errs = append(errs, statusInvariants(j)...)
		if objects.IsJobFinished(j) {
			errs = append(errs, finishedInvariants(j, ownedPods(r, j))...)
		}
	}
	return errs
}

// CheckSettled returns one error per violated invariant of a quiet
// cluster, for Jobs the built-in controller manages and nobody is deleting:
//   - every pod a Job owns matches its selector;
//   - status.active is the number of active pods the Job owns;
//   - a suspended Job runs no pod;
//   - a running Job runs no more pods than it wants (parallelism, or the
//     completions left);
//   - no two active pods of an Indexed Job share an index.
func CheckSettled(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("Job", "", nil) {
		j := o.(*objects.Job)
		if managedByOther(j) || j.DeletionTimestamp != nil {
			continue
		}
		pods := ownedPods(r, j)
		errs = append(errs, OwnedPodsMatchSelector(j, pods)...)
		if objects.IsJobFinished(j) {
			continue
		}
		active := activePods(pods)
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
	}
	return errs
}

// OwnedPodsMatchSelector returns an error for each pod the Job controls
// whose labels its selector does not match. It holds once the controller
// has synced since the pods' labels last changed: it releases such pods.
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

// ownedPods lists the pods of the Job's namespace whose controller is the Job.
func ownedPods(r storage.Reader, j *objects.Job) []*objects.Pod {
	var out []*objects.Pod
	for _, o := range r.List("Pod", j.Namespace, nil) {
		if p := o.(*objects.Pod); controlledBy(p, j) {
			out = append(out, p)
		}
	}
	return out
}

// statusInvariants checks the counters and conditions of any Job.
func statusInvariants(j *objects.Job) []error {
	key, st := objects.KeyOf(j), &j.Status
	var errs []error
	if st.Ready != nil && *st.Ready > st.Active {
		errs = append(errs, fmt.Errorf("job %s: %d ready pods but only %d active", key, *st.Ready, st.Active))
	}
	if !isIndexed(j) && j.Spec.Completions != nil && st.Succeeded > *j.Spec.Completions {
		errs = append(errs, fmt.Errorf("job %s: %d succeeded, more than its %d completions", key, st.Succeeded, *j.Spec.Completions))
	}
	if isIndexed(j) {
		if n := parseIntervals(st.CompletedIndexes, int(completionsOf(j))).total(); int32(n) != st.Succeeded {
			errs = append(errs, fmt.Errorf("job %s: succeeded is %d but completedIndexes %q holds %d", key, st.Succeeded, st.CompletedIndexes, n))
		}
	}
	c := st.Conditions
	if objects.JobConditionTrue(c, objects.JobComplete) && objects.JobConditionTrue(c, objects.JobFailed) {
		errs = append(errs, fmt.Errorf("job %s: both Complete and Failed", key))
	}
	return errs
}

// finishedInvariants checks a finished Job and the pods it owns.
func finishedInvariants(j *objects.Job, pods []*objects.Pod) []error {
	key, st := objects.KeyOf(j), &j.Status
	var errs []error
	if n := len(activePods(pods)); n > 0 {
		errs = append(errs, fmt.Errorf("job %s: finished with %d active pods", key, n))
	}
	if u := st.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		errs = append(errs, fmt.Errorf("job %s: finished with uncounted pods", key))
	}
	c := st.Conditions
	if objects.JobConditionTrue(c, objects.JobComplete) {
		if !objects.JobConditionTrue(c, objects.JobSuccessCriteriaMet) {
			errs = append(errs, fmt.Errorf("job %s: Complete without SuccessCriteriaMet", key))
		}
		if st.CompletionTime == nil {
			errs = append(errs, fmt.Errorf("job %s: Complete without completionTime", key))
		}
	}
	if objects.JobConditionTrue(c, objects.JobFailed) && !objects.JobConditionTrue(c, objects.JobFailureTarget) {
		errs = append(errs, fmt.Errorf("job %s: Failed without FailureTarget", key))
	}
	return errs
}
