package job_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

func ix(i int) *int { return &i }

// Indexed pods: generateName "<job>-<index>-", hostname "<job>-<index>",
// the index as annotation and label, JOB_COMPLETION_INDEX from the label.
func TestIndexedStart(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(withCounts(2, 3), indexed))
	res := e.sync("pi")
	assert.Equal(t, []string{"create Pod/pi-0-", "create Pod/pi-1-", "update-status Job/pi"}, verbs(res))
	for i, want := range []string{"0", "1"} {
		p := res.Actions[i].Object.(*objects.Pod)
		assert.Equal(t, "pi-"+want, p.Spec.Hostname)
		assert.Equal(t, want, p.Annotations[objects.JobCompletionIndexAnnotation])
		assert.Equal(t, want, p.Labels[objects.JobCompletionIndexAnnotation])
		assert.Equal(t, []objects.EnvVar{{Name: "JOB_COMPLETION_INDEX", ValueFrom: &objects.EnvVarSource{FieldRef: &objects.ObjectFieldSelector{
			APIVersion: "v1", FieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']"}}}}, p.Spec.Containers[0].Env)
	}
	for _, n := range e.podNames() {
		assert.Regexp(t, `^pi-[01]-[bcdfghjklmnpqrstvwxz2456789]{5}$`, n)
	}
	assert.Equal(t, "", e.getJob("pi").Status.CompletedIndexes)
}

// completedIndexes lists runs of three or more as a range, pairs as "a,b".
func TestIndexedCompletedIndexes(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(0, 10), indexed))
	for _, i := range []int{9, 2, 4, 5, 7, 8} {
		e.addPod(j, "pi-"+string(rune('a'+i)), podState{phase: objects.PodSucceeded, node: "n1", index: ix(i)})
	}
	res := e.sync("pi")
	assert.Equal(t, []string{"update-status Job/pi", "update Pod/pi-c", "update Pod/pi-e", "update Pod/pi-f",
		"update Pod/pi-h", "update Pod/pi-i", "update Pod/pi-j"}, verbs(res), "finalizers are removed in index order")
	got := e.getJob("pi")
	assert.Equal(t, "2,4,5,7-9", got.Status.CompletedIndexes)
	assert.Equal(t, int32(6), got.Status.Succeeded)
	assert.Empty(t, got.Status.UncountedTerminatedPods.Succeeded, "indexes, not UIDs, record Indexed successes")
}

// Duplicated, unindexed and out-of-range pods are removed even when no
// scale-down is due; of a duplicated index the most progressed pod stays.
func TestIndexedRemovesDuplicates(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(3, 3), indexed))
	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, ready: true, node: "n1", index: ix(0)})
	e.addPod(j, "pi-b", podState{phase: objects.PodPending, index: ix(0)})
	e.addPod(j, "pi-c", podState{phase: objects.PodRunning, node: "n1", index: ix(5)})
	e.addPod(j, "pi-d", podState{phase: objects.PodRunning, node: "n1"})
	res := e.sync("pi")
	assert.Equal(t, []string{"update Pod/pi-d", "delete Pod/pi-d", "update Pod/pi-b", "delete Pod/pi-b",
		"update Pod/pi-c", "delete Pod/pi-c", "update-status Job/pi"}, verbs(res))
	assert.Equal(t, int32(1), e.getJob("pi").Status.Active)
}

// backoffLimitPerIndex: a failed pod's replacement carries the failure
// count; the failed pod keeps its finalizer until then. An index fails
// when a pod with failure count >= the limit fails, and the Job fails once
// every index succeeded or failed.
func TestIndexedBackoffLimitPerIndex(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(3, 3), indexed, func(j *objects.Job) { j.Spec.BackoffLimitPerIndex = ptr(int32(1)) }))
	e.addPod(j, "pi-a", podState{phase: objects.PodFailed, exitCode: 1, node: "n1", index: ix(0), finished: t0.Add(-time.Minute),
		annotations: map[string]string{objects.JobIndexFailureCountAnnotation: "0"}})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1", index: ix(1)})
	e.addPod(j, "pi-c", podState{phase: objects.PodRunning, node: "n1", index: ix(2)})
	res := e.sync("pi")
	assert.Equal(t, []string{"create Pod/pi-0-", "update-status Job/pi"}, verbs(res))
	repl := res.Actions[0].Object.(*objects.Pod)
	assert.Equal(t, "1", repl.Annotations[objects.JobIndexFailureCountAnnotation])
	assert.NotContains(t, repl.Annotations, objects.JobIndexIgnoredFailureCountAnnotation)
	assert.Equal(t, []string{objects.JobTrackingFinalizer}, e.pod("pi-a").Finalizers, "kept until the replacement exists")
	got := e.getJob("pi")
	require.NotNil(t, got.Status.FailedIndexes)
	assert.Equal(t, "", *got.Status.FailedIndexes)
	assert.Equal(t, int32(0), got.Status.Failed)

	e.sync("pi")
	assert.Empty(t, e.pod("pi-a").Finalizers)
	assert.Equal(t, int32(1), e.getJob("pi").Status.Failed)

	replName := ""
	for _, p := range e.pods() {
		if p.Name != "pi-a" && p.Annotations[objects.JobCompletionIndexAnnotation] == "0" {
			replName = p.Name
		}
	}
	require.NotEmpty(t, replName)
	e.setPodStatus(replName, podState{phase: objects.PodFailed, exitCode: 1})
	e.setPodStatus("pi-b", podState{phase: objects.PodSucceeded})
	e.setPodStatus("pi-c", podState{phase: objects.PodSucceeded})
	e.sync("pi")
	got = e.getJob("pi")
	assert.Equal(t, []string{"FailureTarget=True FailedIndexes: Job has failed indexes", "Failed=True FailedIndexes: Job has failed indexes"}, conditionSummary(got))
	assert.Equal(t, "1,2", got.Status.CompletedIndexes)
	assert.Equal(t, "0", *got.Status.FailedIndexes)
	assert.Equal(t, counts{Succeeded: 2, Failed: 2}, countsOf(got))
}

func TestIndexedMaxFailedIndexes(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(3, 3), indexed, func(j *objects.Job) {
		j.Spec.BackoffLimitPerIndex, j.Spec.MaxFailedIndexes = ptr(int32(0)), ptr(int32(0))
	}))
	e.addPod(j, "pi-a", podState{phase: objects.PodFailed, exitCode: 1, node: "n1", index: ix(0)})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1", index: ix(1)})
	e.sync("pi")
	got := e.getJob("pi")
	assert.Equal(t, []string{"FailureTarget=True MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes"}, conditionSummary(got))
	assert.NotNil(t, e.pod("pi-b").DeletionTimestamp)
}

// A met success policy deletes the other pods without counting them as
// failed; Complete follows once they are gone.
func TestIndexedSuccessPolicy(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(3, 3), indexed, func(j *objects.Job) {
		j.Spec.SuccessPolicy = &objects.SuccessPolicy{Rules: []objects.SuccessPolicyRule{{SucceededIndexes: ptr("0")}}}
	}))
	e.addPod(j, "pi-a", podState{phase: objects.PodSucceeded, node: "n1", index: ix(0)})
	e.addPod(j, "pi-b", podState{phase: objects.PodRunning, node: "n1", index: ix(1)})
	e.addPod(j, "pi-c", podState{phase: objects.PodRunning, node: "n1", index: ix(2)})
	res := e.sync("pi")
	assert.Equal(t, []string{"delete Pod/pi-b", "delete Pod/pi-c", "update-status Job/pi", "update Pod/pi-a", "update Pod/pi-b", "update Pod/pi-c"}, verbs(res))
	got := e.getJob("pi")
	assert.Equal(t, []string{"SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0"}, conditionSummary(got))
	assert.Equal(t, counts{Terminating: 2, Succeeded: 1}, countsOf(got))

	for _, n := range []string{"pi-b", "pi-c"} {
		_, err := e.store.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: n}, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
		require.NoError(t, err)
	}
	e.drain()
	e.takeEvents()
	e.sync("pi")
	got = e.getJob("pi")
	assert.Equal(t, []string{"SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0", "Complete=True SuccessPolicy: Matched rules at index 0"}, conditionSummary(got))
	assert.Equal(t, counts{Succeeded: 1}, countsOf(got))
	assert.Equal(t, []string{"Normal Completed Job completed"}, e.takeEvents())
}
