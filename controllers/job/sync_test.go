package job_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The cases below follow upstream's TestControllerSyncJob and its
// neighbours (pkg/controller/job/job_controller_test.go): a store state,
// one sync, and the writes, status and events it must produce.

func TestSyncStartsPods(t *testing.T) {
	tests := []struct {
		name        string
		parallelism int32
		completions int32
		wantCreates int
	}{
		{"job start", 2, 5, 2},
		{"work queue start", 2, -1, 2},
		{"fewer completions than parallelism", 5, 3, 3},
		{"parallelism 0 pauses", 0, 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.createJob(newJob(withCounts(tc.parallelism, tc.completions)))
			res := e.sync("pi")
			want := make([]string, 0, tc.wantCreates+1)
			for range tc.wantCreates {
				want = append(want, "create Pod/pi-")
			}
			assert.Equal(t, append(want, "update-status Job/pi"), verbs(res))
			names := e.podNames()
			require.Len(t, names, tc.wantCreates)
			var wantEvents []string
			for _, n := range names {
				assert.Regexp(t, `^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$`, n)
				wantEvents = append(wantEvents, "Normal SuccessfulCreate Created pod: "+n)
			}
			assert.ElementsMatch(t, wantEvents, e.takeEvents())
			j := e.getJob("pi")
			assert.Equal(t, counts{Active: int32(tc.wantCreates)}, countsOf(j))
			assert.NotNil(t, j.Status.Ready)
			assert.NotNil(t, j.Status.Terminating)
			assert.Equal(t, &objects.UncountedTerminatedPods{}, j.Status.UncountedTerminatedPods)
			require.NotNil(t, j.Status.StartTime)
			assert.Equal(t, t0, j.Status.StartTime.Time)
			assert.Empty(t, j.Status.Conditions)
			assert.Equal(t, time.Duration(0), res.RequeueAfter)
		})
	}
}

// Created pods carry the template, the tracking finalizer and the
// Job's controller reference.
func TestCreatedPodShape(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob())
	e.sync("pi")
	pods := e.pods()
	require.Len(t, pods, 1)
	p := pods[0]
	assert.Equal(t, "pi-", p.GenerateName)
	assert.Equal(t, []string{objects.JobTrackingFinalizer}, p.Finalizers)
	assert.Equal(t, j.Spec.Template.Labels, p.Labels)
	ref := p.ControllerRef()
	require.NotNil(t, ref)
	assert.Equal(t, objects.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: "pi", UID: j.UID,
		Controller: ptr(true), BlockOwnerDeletion: ptr(true)}, *ref)
	assert.Equal(t, j.Spec.Template.Spec.Containers[0].Command, p.Spec.Containers[0].Command)
	assert.Empty(t, p.Spec.Hostname, "non-indexed pods get no hostname")
}

func TestSyncSteadyStateWritesNothing(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(withCounts(2, 5)))
	e.sync("pi")
	assert.Empty(t, verbs(e.reconcile("pi")), "a second sync with nothing new changes nothing")

	e.setPodStatus(e.podNames()[0], podState{phase: objects.PodRunning, ready: true, node: "n1"})
	res := e.sync("pi")
	assert.Equal(t, []string{"update-status Job/pi"}, verbs(res))
	assert.Equal(t, counts{Active: 2, Ready: 1}, countsOf(e.getJob("pi")))
}

// A sync that writes nothing leaves its working copy for the next sync,
// of any Job: that copy must carry nothing of the Job it held before.
func TestSyncReusesAnUnwrittenCopyCleanly(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(withCounts(2, 5)))
	e.sync("pi")
	e.setPodStatus(e.podNames()[0], podState{phase: objects.PodRunning, ready: true, node: "n1"})
	e.sync("pi")
	require.Empty(t, verbs(e.reconcile("pi")), "pi is steady: its copy is left over")
	piBefore := e.getJob("pi")

	e.createJob(newJob(withCounts(1, 1), func(j *objects.Job) { j.Name = "other" }))
	res := e.sync("other")
	require.Contains(t, verbs(res), "update-status Job/other")
	for _, a := range res.Actions {
		if j, ok := a.Object.(*objects.Job); ok {
			assert.Equal(t, "other", j.Name)
			assert.Equal(t, ptr(int32(0)), j.Status.Ready, "nothing of pi's status (ready 1) in other's writes")
		}
	}
	assert.Equal(t, counts{Active: 1}, countsOf(e.getJob("other")))
	assert.Equal(t, piBefore, e.getJob("pi"), "pi as stored is untouched")

	require.Empty(t, verbs(e.reconcile("pi")))
	var piPods []string
	for _, name := range e.podNames() {
		if strings.HasPrefix(name, "pi-") {
			piPods = append(piPods, name)
		}
	}
	require.Len(t, piPods, 2)
	e.setPodStatus(piPods[1], podState{phase: objects.PodRunning, ready: true, node: "n1"})
	assert.Equal(t, []string{"update-status Job/pi"}, verbs(e.sync("pi")))
	assert.Equal(t, counts{Active: 2, Ready: 2}, countsOf(e.getJob("pi")))
}

// A finished pod is recorded as uncounted, loses its finalizer, and only
// then moves into the counter: two status writes around the pod update.
func TestSyncCountsSucceededPodThroughUncounted(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 5)))
	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1"})
	done := e.addPod(j, "pi-b", podState{phase: objects.PodSucceeded, node: "n1"})
	res := e.sync("pi")
	assert.Equal(t, []string{"create Pod/pi-", "update-status Job/pi", "update Pod/pi-b", "update-status Job/pi"}, verbs(res))

	first := res.Actions[1].Object.(*objects.Job)
	assert.Equal(t, []string{done.UID}, first.Status.UncountedTerminatedPods.Succeeded)
	assert.Equal(t, int32(0), first.Status.Succeeded)
	assert.Equal(t, int32(2), first.Status.Active)

	assert.Empty(t, e.pod("pi-b").Finalizers)
	assert.Equal(t, counts{Active: 2, Succeeded: 1}, countsOf(e.getJob("pi")))
}

// Scale-down deletes the least progressed pods first (ActivePods order),
// removing their finalizer first so they are not counted as failed.
func TestSyncDeletesExcessPods(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 5)))
	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, ready: true, node: "n1"})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1"})
	e.addPod(j, "pi-c", podState{phase: objects.PodPending})
	res := e.sync("pi")
	assert.Equal(t, []string{"update Pod/pi-c", "delete Pod/pi-c", "update-status Job/pi"}, verbs(res))
	assert.Equal(t, []string{"Normal SuccessfulDelete Deleted pod: pi-c"}, e.takeEvents())
	assert.Equal(t, []string{"pi-a", "pi-b"}, e.podNames(), "an unscheduled pod without finalizer goes at once")
	assert.Equal(t, counts{Active: 2, Ready: 1, Terminating: 1}, countsOf(e.getJob("pi")))

	// Scaling parallelism down to 1 removes the not-ready pod.
	j = e.getJob("pi")
	j.Spec.Parallelism = ptr(int32(1))
	e.updateJob(j)
	res = e.sync("pi")
	assert.Equal(t, []string{"update Pod/pi-b", "delete Pod/pi-b", "update-status Job/pi"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, counts{Active: 1, Ready: 1, Terminating: 1}, countsOf(got))
	assert.Equal(t, int32(0), got.Status.Failed, "pods the Job removes itself are not failures")
}

func TestSyncCompletes(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 2)))
	e.addPod(j, "pi-a", podState{phase: objects.PodSucceeded, node: "n1"})
	e.addPod(j, "pi-b", podState{phase: objects.PodSucceeded, node: "n1"})
	e.clk.Advance(30 * time.Second)
	res := e.sync("pi")
	assert.Equal(t, []string{"update-status Job/pi", "update Pod/pi-a", "update Pod/pi-b", "update-status Job/pi"}, verbs(res))
	interim := res.Actions[0].Object.(*objects.Job)
	assert.Equal(t, []string{"SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods"}, conditionSummary(interim))

	got := e.getJob("pi")
	assert.Equal(t, []string{
		"SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods",
		"Complete=True CompletionsReached: Reached expected number of succeeded pods",
	}, conditionSummary(got))
	require.NotNil(t, got.Status.CompletionTime)
	assert.Equal(t, t0.Add(30*time.Second), got.Status.CompletionTime.Time)
	assert.Equal(t, t0.Add(30*time.Second), got.Status.Conditions[1].LastTransitionTime.Time)
	assert.Equal(t, counts{Succeeded: 2}, countsOf(got))
	assert.Equal(t, []string{"Normal Completed Job completed"}, e.takeEvents())
	assert.Empty(t, e.reconcile("pi").Actions, "a finished Job is left alone")
}

// completions=0 completes at once; a work queue completes after the first
// success once nothing runs.
func TestSyncCompletionEdgeCases(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(withCounts(1, 0)))
	e.sync("pi")
	assert.True(t, objects.JobConditionTrue(e.getJob("pi").Status.Conditions, objects.JobComplete))
	assert.Empty(t, e.pods())

	w := newEnv(t)
	j := w.createJob(newJob(withCounts(2, -1)))
	w.addPod(j, "pi-a", podState{phase: objects.PodSucceeded, node: "n1"})
	w.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1"})
	res := w.sync("pi")
	assert.NotContains(t, verbs(res), "create Pod/pi-", "after a success a work queue starts no pod")
	assert.False(t, objects.IsJobFinished(w.getJob("pi")))
	w.setPodStatus("pi-b", podState{phase: objects.PodSucceeded})
	w.sync("pi")
	got := w.getJob("pi")
	assert.True(t, objects.JobConditionTrue(got.Status.Conditions, objects.JobComplete))
	assert.Equal(t, int32(2), got.Status.Succeeded)
}

// More successes than completions: TooManySucceededPods before Completed.
func TestSyncTooManySucceededPods(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(1, 1)))
	e.addPod(j, "pi-a", podState{phase: objects.PodSucceeded, node: "n1"})
	e.addPod(j, "pi-b", podState{phase: objects.PodSucceeded, node: "n1"})
	e.sync("pi")
	assert.Equal(t, []string{
		"Warning TooManySucceededPods Too many succeeded pods running after completion count reached",
		"Normal Completed Job completed",
	}, e.takeEvents())
}

// restartPolicy Never: the Job fails when failed > backoffLimit; with no
// pod left running, FailureTarget and Failed come in the same sync.
func TestSyncBackoffLimitExceeded(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(1, 1)))
	j.Status.Failed, j.Status.StartTime = 6, objects.NewTimePtr(t0)
	_, err := e.store.UpdateStatus(j)
	require.NoError(t, err)
	e.addPod(e.getJob("pi"), "pi-g", podState{phase: objects.PodFailed, exitCode: 1, node: "n1"})
	e.clk.Advance(time.Minute)
	res := e.sync("pi")
	assert.Equal(t, []string{"update-status Job/pi", "update Pod/pi-g", "update-status Job/pi"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, []string{
		"FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit",
		"Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit",
	}, conditionSummary(got))
	assert.Equal(t, int32(7), got.Status.Failed)
	assert.Nil(t, got.Status.CompletionTime, "failed Jobs get no completionTime")
	assert.Equal(t, []string{"Warning BackoffLimitExceeded Job has reached the specified backoff limit"}, e.takeEvents())
	assert.Equal(t, []string{"pi-g"}, e.podNames(), "failed pods stay")
}

// A failing Job deletes its running pods, counts them as failed, and
// writes Failed only once none is terminating.
func TestSyncFailureWaitsForTerminatingPods(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 2), func(j *objects.Job) { j.Spec.BackoffLimit = ptr(int32(0)) }))
	e.addPod(j, "pi-a", podState{phase: objects.PodFailed, exitCode: 1, node: "n1"})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, ready: true, node: "n1"})
	res := e.sync("pi")
	assert.Equal(t, []string{"delete Pod/pi-b", "update-status Job/pi", "update Pod/pi-a", "update Pod/pi-b", "update-status Job/pi"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, []string{"FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit"}, conditionSummary(got))
	assert.Equal(t, counts{Terminating: 1, Failed: 2}, countsOf(got))
	assert.Equal(t, []string{"Normal SuccessfulDelete Deleted pod: pi-b"}, e.takeEvents())
	b := e.pod("pi-b")
	assert.NotNil(t, b.DeletionTimestamp)
	assert.Empty(t, b.Finalizers)

	assert.Empty(t, e.reconcile("pi").Actions, "nothing to do while the pod terminates")

	_, err := e.store.Delete(objects.KeyOf(b), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	e.drain()
	e.clk.Advance(5 * time.Second)
	res = e.sync("pi")
	// Upstream flushes the changed terminating count, then writes Failed.
	assert.Equal(t, []string{"update-status Job/pi", "update-status Job/pi"}, verbs(res))
	got = e.getJob("pi")
	assert.Equal(t, []string{
		"FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit",
		"Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit",
	}, conditionSummary(got))
	assert.Equal(t, t0.Add(5*time.Second), got.Status.Conditions[1].LastTransitionTime.Time)
	assert.Equal(t, counts{Failed: 2}, countsOf(got))
	assert.Equal(t, []string{"Warning BackoffLimitExceeded Job has reached the specified backoff limit"}, e.takeEvents())
}

// restartPolicy OnFailure counts container restarts of running pods:
// failure once the sum reaches backoffLimit (>=, not >).
func TestSyncOnFailureRestarts(t *testing.T) {
	tests := []struct {
		name         string
		backoffLimit int32
		restarts     int32
		wantFail     bool
	}{
		{"below the limit", 2, 1, false},
		{"at the limit", 2, 2, true},
		{"limit 0 and one restart", 0, 1, true},
		{"limit 0 and none", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			j := e.createJob(newJob(func(j *objects.Job) {
				j.Spec.Template.Spec.RestartPolicy = objects.RestartPolicyOnFailure
				j.Spec.BackoffLimit = ptr(tc.backoffLimit)
			}))
			e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1", restarts: tc.restarts})
			e.sync("pi")
			got := e.getJob("pi")
			assert.Equal(t, tc.wantFail, objects.JobConditionTrue(got.Status.Conditions, objects.JobFailureTarget))
			if tc.wantFail {
				assert.Equal(t, int32(1), got.Status.Failed, "the deleted running pod counts as failed")
			}
		})
	}
}

// activeDeadlineSeconds: a sync before the deadline asks to come back at
// it; at the deadline (>=) the Job fails with DeadlineExceeded.
func TestSyncActiveDeadline(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(func(j *objects.Job) { j.Spec.ActiveDeadlineSeconds = ptr(int64(10)) }))
	res := e.sync("pi")
	assert.Equal(t, 10*time.Second, res.RequeueAfter)

	e.clk.Advance(4 * time.Second)
	name := e.podNames()[0]
	e.setPodStatus(name, podState{phase: objects.PodRunning, node: "n1"})
	res = e.sync("pi")
	assert.Equal(t, 6*time.Second, res.RequeueAfter)

	e.clk.Advance(6 * time.Second)
	res = e.sync("pi")
	assert.Equal(t, []string{"delete Pod/" + name, "update-status Job/pi", "update Pod/" + name, "update-status Job/pi"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, []string{"FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline"}, conditionSummary(got))
	assert.Equal(t, int32(1), got.Status.Failed)
}

// Past both the backoff limit and the deadline, the backoff limit wins
// (TestSyncJobPastDeadline "activeDeadlineSeconds with backofflimit reach").
func TestSyncBackoffLimitBeatsDeadline(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(func(j *objects.Job) {
		j.Spec.ActiveDeadlineSeconds = ptr(int64(1))
		j.Spec.BackoffLimit = ptr(int32(0))
	}))
	j.Status.StartTime = objects.NewTimePtr(t0)
	_, err := e.store.UpdateStatus(j)
	require.NoError(t, err)
	e.addPod(e.getJob("pi"), "pi-a", podState{phase: objects.PodFailed, exitCode: 1, node: "n1"})
	e.clk.Advance(10 * time.Second)
	e.sync("pi")
	assert.Equal(t, []string{
		"FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit",
		"Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit",
	}, conditionSummary(e.getJob("pi")))
}

// Suspending deletes the running pods (not counted as failed), sets
// Suspended=True and clears startTime; resuming restarts the clock.
func TestSyncSuspendAndResume(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 4)))
	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, ready: true, node: "n1"})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1"})
	e.sync("pi")
	e.takeEvents()

	j = e.getJob("pi")
	j.Spec.Suspend = ptr(true)
	e.updateJob(j)
	e.clk.Advance(time.Minute)
	res := e.sync("pi")
	assert.Equal(t, []string{"update Pod/pi-b", "delete Pod/pi-b", "update Pod/pi-a", "delete Pod/pi-a", "update-status Job/pi"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, []string{"Suspended=True JobSuspended: Job suspended"}, conditionSummary(got))
	assert.Nil(t, got.Status.StartTime)
	assert.Equal(t, counts{Terminating: 2}, countsOf(got))
	assert.Equal(t, []string{"Normal SuccessfulDelete Deleted pod: pi-b", "Normal SuccessfulDelete Deleted pod: pi-a",
		"Normal Suspended Job suspended"}, e.takeEvents())

	for _, n := range []string{"pi-a", "pi-b"} {
		_, err := e.store.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: n}, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
		require.NoError(t, err)
	}
	e.drain()
	got = e.getJob("pi")
	got.Spec.Suspend = ptr(false)
	e.updateJob(got)
	e.clk.Advance(time.Minute)
	res = e.sync("pi")
	assert.Equal(t, []string{"create Pod/pi-", "create Pod/pi-", "update-status Job/pi"}, verbs(res))
	got = e.getJob("pi")
	assert.Equal(t, []string{"Suspended=False JobResumed: Job resumed"}, conditionSummary(got))
	assert.Equal(t, t0.Add(2*time.Minute), got.Status.StartTime.Time)
	assert.Equal(t, counts{Active: 2}, countsOf(got))
	assert.Contains(t, e.takeEvents(), "Normal Resumed Job resumed")
}

// A Job created suspended starts nothing and has no startTime.
func TestSyncCreatedSuspended(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(func(j *objects.Job) { j.Spec.Suspend = ptr(true); j.Spec.ActiveDeadlineSeconds = ptr(int64(5)) }))
	res := e.sync("pi")
	assert.Equal(t, []string{"update-status Job/pi"}, verbs(res))
	assert.Equal(t, time.Duration(0), res.RequeueAfter, "the deadline does not run while suspended")
	got := e.getJob("pi")
	assert.Nil(t, got.Status.StartTime)
	assert.Equal(t, []string{"Suspended=True JobSuspended: Job suspended"}, conditionSummary(got))
	assert.Equal(t, []string{"Normal Suspended Job suspended"}, e.takeEvents())
	assert.Empty(t, e.pods())
}

// A Job never suspended has no Suspended condition.
func TestSyncNoSuspendedConditionFromNothing(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob())
	e.sync("pi")
	assert.Empty(t, e.getJob("pi").Status.Conditions)
}

// Pod-failure back-off: 10s after one failure counted from the failure's
// finish time, 20s after two consecutive ones; a success resets it.
func TestSyncPodFailureBackoff(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob())
	e.addPod(j, "pi-a", podState{phase: objects.PodFailed, exitCode: 1, node: "n1", finished: t0})
	e.clk.Advance(time.Second)
	res := e.sync("pi")
	assert.NotContains(t, verbs(res), "create Pod/pi-")
	assert.Equal(t, 9*time.Second, res.RequeueAfter)
	assert.Equal(t, int32(1), e.getJob("pi").Status.Failed)

	e.clk.Advance(9 * time.Second)
	res = e.sync("pi")
	assert.Equal(t, []string{"create Pod/pi-", "update-status Job/pi"}, verbs(res))
	name := ""
	for _, n := range e.podNames() {
		if n != "pi-a" {
			name = n
		}
	}
	e.clk.Advance(5 * time.Second)
	e.setPodStatus(name, podState{phase: objects.PodFailed, exitCode: 1, finished: t0.Add(15 * time.Second)})
	e.clk.Advance(time.Second)
	res = e.sync("pi")
	assert.Equal(t, 19*time.Second, res.RequeueAfter, "two consecutive failures wait 20s from the last one")
}

// Failures matching an Ignore rule are not counted but still delay the
// replacement (upstream "ignored failures delays pod recreation").
func TestSyncPodFailurePolicyIgnore(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(func(j *objects.Job) {
		j.Spec.PodFailurePolicy = &objects.PodFailurePolicy{Rules: []objects.PodFailurePolicyRule{{
			Action:          objects.PodFailurePolicyActionIgnore,
			OnPodConditions: []objects.PodFailurePolicyOnPodConditionsPattern{{Type: objects.DisruptionTarget}},
		}}}
	}))
	e.addPod(j, "pi-a", podState{phase: objects.PodFailed, exitCode: 137, node: "n1", finished: t0,
		conditions: []objects.PodCondition{{Type: objects.DisruptionTarget, Status: objects.ConditionTrue}}})
	res := e.sync("pi")
	assert.Equal(t, 10*time.Second, res.RequeueAfter)
	assert.Equal(t, []string{"update-status Job/pi", "update Pod/pi-a"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, int32(0), got.Status.Failed)
	assert.Empty(t, got.Status.Conditions)
	assert.Empty(t, e.pod("pi-a").Finalizers)
}

func TestSyncPodFailurePolicyFailJob(t *testing.T) {
	tests := []struct {
		name    string
		rule    objects.PodFailurePolicyRule
		pod     podState
		wantMsg string
	}{
		{"exit code", objects.PodFailurePolicyRule{Action: objects.PodFailurePolicyActionFailJob,
			OnExitCodes: &objects.PodFailurePolicyOnExitCodesRequirement{Operator: objects.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
			podState{phase: objects.PodFailed, exitCode: 42, node: "n1"},
			"Container pi for pod default/pi-a failed with exit code 42 matching FailJob rule at index 0"},
		{"pod condition", objects.PodFailurePolicyRule{Action: objects.PodFailurePolicyActionFailJob,
			OnPodConditions: []objects.PodFailurePolicyOnPodConditionsPattern{{Type: "ConfigIssue"}}},
			podState{phase: objects.PodFailed, exitCode: 1, node: "n1", conditions: []objects.PodCondition{{Type: "ConfigIssue", Status: objects.ConditionTrue}}},
			"Pod default/pi-a has condition ConfigIssue matching FailJob rule at index 0"},
		{"NotIn excludes", objects.PodFailurePolicyRule{Action: objects.PodFailurePolicyActionFailJob,
			OnExitCodes: &objects.PodFailurePolicyOnExitCodesRequirement{Operator: objects.PodFailurePolicyOnExitCodesOpNotIn, Values: []int32{1}}},
			podState{phase: objects.PodFailed, exitCode: 1, node: "n1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			j := e.createJob(newJob(func(j *objects.Job) {
				j.Spec.PodFailurePolicy = &objects.PodFailurePolicy{Rules: []objects.PodFailurePolicyRule{tc.rule}}
			}))
			e.addPod(j, "pi-a", tc.pod)
			e.sync("pi")
			got := e.getJob("pi")
			if tc.wantMsg == "" {
				assert.Empty(t, got.Status.Conditions)
				assert.Equal(t, int32(1), got.Status.Failed)
				return
			}
			assert.Equal(t, []string{"FailureTarget=True PodFailurePolicy: " + tc.wantMsg, "Failed=True PodFailurePolicy: " + tc.wantMsg}, conditionSummary(got))
			assert.Equal(t, []string{"Warning PodFailurePolicy " + tc.wantMsg}, e.takeEvents())
		})
	}
}

// podReplacementPolicy: with TerminatingOrFailed a pod being deleted is a
// failure and is replaced; with Failed it is neither until it fails.
func TestSyncPodReplacementPolicy(t *testing.T) {
	tests := []struct {
		policy      string
		wantFailed  int32
		wantCreates int
	}{
		{objects.TerminatingOrFailed, 1, 1},
		{objects.ReplaceFailed, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			e := newEnv(t)
			j := e.createJob(newJob(withCounts(2, 2), func(j *objects.Job) { j.Spec.PodReplacementPolicy = ptr(tc.policy) }))
			e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1"})
			e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1", deleting: true})
			e.clk.Advance(time.Minute) // past the back-off of the deletion
			res := e.sync("pi")
			creates := 0
			for _, v := range verbs(res) {
				if strings.HasPrefix(v, "create") {
					creates++
				}
			}
			assert.Equal(t, tc.wantCreates, creates)
			got := e.getJob("pi")
			assert.Equal(t, tc.wantFailed, got.Status.Failed)
			assert.Equal(t, int32(1), *got.Status.Terminating)
		})
	}
}

// Orphans matching the selector are adopted; owned pods whose labels no
// longer match are released.
func TestSyncAdoptsAndReleases(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 2)))
	e.addPod(j, "pi-orphan", podState{phase: objects.PodRunning, node: "n1", orphan: true, noFinalizer: true})
	e.addPod(j, "pi-stray", podState{phase: objects.PodRunning, node: "n1", labels: map[string]string{objects.ControllerUIDLabel: "other"}})
	res := e.sync("pi")
	assert.Equal(t, []string{"update Pod/pi-orphan", "update Pod/pi-stray", "create Pod/pi-", "update-status Job/pi"}, verbs(res))
	orphan := e.pod("pi-orphan")
	require.NotNil(t, orphan.ControllerRef())
	assert.Equal(t, j.UID, orphan.ControllerRef().UID)
	assert.Equal(t, []string{objects.JobTrackingFinalizer}, orphan.Finalizers)
	stray := e.pod("pi-stray")
	assert.Nil(t, stray.ControllerRef())
	assert.Empty(t, stray.Finalizers)
	assert.Equal(t, int32(2), e.getJob("pi").Status.Active)
}

// A sync whose view misses the controller's own last write waits
// (StaleControllerConsistencyJob).
func TestSyncWaitsForOwnWrites(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob())
	stale := e.store.Snapshot()
	e.sync("pi")
	res := e.c.Reconcile(e.clk.Now(), stale, objects.Key{Kind: "Job", Namespace: "default", Name: "pi"})
	assert.Equal(t, controllers.Result{RequeueAfter: time.Second}, res)
	assert.Empty(t, e.reconcile("pi").Actions, "the fresh view needs nothing")
}

// managedBy another controller, or an unknown completion mode: hands off.
func TestSyncSkips(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(func(j *objects.Job) { j.Spec.ManagedBy = ptr("example.com/other") }))
	assert.Equal(t, controllers.Result{}, e.reconcile("pi"))
	assert.Equal(t, controllers.Result{}, e.c.Reconcile(t0, e.store, objects.Key{Kind: "Job", Namespace: "default", Name: "gone"}))
}
