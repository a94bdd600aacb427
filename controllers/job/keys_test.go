package job_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var piKey = objects.Key{Kind: "Job", Namespace: "default", Name: "pi"}

func podKey(name string) objects.Key {
	return objects.Key{Kind: "Pod", Namespace: "default", Name: name}
}

func TestKeysFor(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 2)))
	assert.Equal(t, []objects.Key{piKey}, e.takeKeys(), "a new Job")

	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1"})
	assert.Equal(t, []objects.Key{piKey}, e.takeKeys(), "a pod the Job controls")

	e.addPod(j, "pi-orphan", podState{phase: objects.PodRunning, node: "n1", orphan: true, noFinalizer: true})
	assert.Equal(t, []objects.Key{piKey}, e.takeKeys(), "an orphan the selector matches")

	e.addPod(j, "web", podState{phase: objects.PodRunning, node: "n1", orphan: true, noFinalizer: true,
		labels: map[string]string{objects.ControllerUIDLabel: "other"}})
	assert.Empty(t, e.takeKeys(), "an unrelated orphan")

	e.addPod(j, "pi-lost", podState{phase: objects.PodRunning, node: "n1", orphan: true,
		labels: map[string]string{objects.ControllerUIDLabel: "other"}})
	assert.Equal(t, []objects.Key{podKey("pi-lost")}, e.takeKeys(), "an orphan with the tracking finalizer goes to the orphan queue")
}

// Once a Job is finished or gone, its tracked pods are put on the orphan
// queue, whose reconcile removes the finalizer.
func TestOrphanPodFinalizerRemoval(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(2, 2)))
	e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1"})
	e.takeKeys()
	assert.Empty(t, e.c.Reconcile(t0, e.store, podKey("pi-a")).Actions, "a live Job still tracks its pod")

	_, err := e.store.Delete(piKey, storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground})
	require.NoError(t, err)
	e.drain()
	assert.Equal(t, []objects.Key{piKey, podKey("pi-a")}, e.takeKeys())

	res := e.c.Reconcile(t0, e.store, podKey("pi-a"))
	assert.Equal(t, []string{"update Pod/pi-a"}, verbs(res))
	require.NoError(t, e.apply(res))
	assert.Empty(t, e.pod("pi-a").Finalizers)
	assert.Empty(t, e.reconcile("pi").Actions, "a deleted Job needs nothing")
}

// Pods controlled by something other than a batch/v1 Job keep their finalizer.
func TestOrphanPodOfAnotherKind(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob())
	p := e.addPod(j, "pi-a", podState{phase: objects.PodRunning, node: "n1", orphan: true})
	yes := true
	p.OwnerReferences = []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", UID: "u", Controller: &yes}}
	_, err := e.store.Update(p)
	require.NoError(t, err)
	assert.Empty(t, e.c.Reconcile(t0, e.store, podKey("pi-a")).Actions)
}

// A multi-step run: pods created one at a time, each succeeding, until the
// Job completes; the keys KeysFor returns drive the next sync.
func TestDriverRunsJobToCompletion(t *testing.T) {
	e := newEnv(t)
	e.createJob(newJob(withCounts(1, 2)))
	for step := 0; step < 10 && !objects.IsJobFinished(e.getJob("pi")); step++ {
		for _, k := range e.takeKeys() {
			if k.Kind == "Job" {
				require.NoError(t, e.apply(e.c.Reconcile(e.clk.Now(), e.store, k)))
			}
		}
		for _, p := range e.pods() {
			if p.Status.Phase == objects.PodPending {
				e.clk.Advance(5 * time.Second)
				e.setPodStatus(p.Name, podState{phase: objects.PodSucceeded, finished: e.clk.Now()})
			}
		}
	}
	got := e.getJob("pi")
	assert.True(t, objects.JobConditionTrue(got.Status.Conditions, objects.JobComplete))
	assert.Equal(t, counts{Succeeded: 2}, countsOf(got))
	assert.Len(t, e.pods(), 2)
	for _, p := range e.pods() {
		assert.Empty(t, p.Finalizers)
	}
	events := e.takeEvents()
	require.Len(t, events, 3)
	assert.Regexp(t, `^Normal SuccessfulCreate Created pod: pi-\w{5}$`, events[0])
	assert.Regexp(t, `^Normal SuccessfulCreate Created pod: pi-\w{5}$`, events[1])
	assert.Equal(t, "Normal Completed Job completed", events[2])
	assert.Empty(t, job.CheckInvariants(e.store))
	assert.Empty(t, job.CheckSettled(e.store))
}

// TestBatchDelay follows upstream's event handlers: a pod's change and a
// status-only update of a Job sync it after syncJobBatchPeriod
// (enqueueSyncJobBatched); a new Job, a spec change (a new generation), a
// deleted Job and the orphan queue's pod keys sync at once
// (enqueueSyncJobImmediately).
func TestBatchDelay(t *testing.T) {
	c := &job.Controller{}
	old := &objects.Job{ObjectMeta: objects.ObjectMeta{Name: "pi", Namespace: "default", Generation: 1}}
	status := old.DeepCopy()
	status.Status.Active = 1
	spec := old.DeepCopy()
	spec.Generation = 2
	pod := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: "pi-a", Namespace: "default"}}

	for _, tc := range []struct {
		name string
		ev   storage.WatchEvent
		key  objects.Key
		want time.Duration
	}{
		{"a pod added", storage.WatchEvent{Type: storage.Added, Object: pod}, piKey, time.Second},
		{"a pod changed", storage.WatchEvent{Type: storage.Modified, Object: pod, Old: pod}, piKey, time.Second},
		{"a pod deleted", storage.WatchEvent{Type: storage.Deleted, Object: pod}, piKey, time.Second},
		{"an orphan pod", storage.WatchEvent{Type: storage.Added, Object: pod}, podKey("pi-a"), 0},
		{"a new Job", storage.WatchEvent{Type: storage.Added, Object: old}, piKey, 0},
		{"a status update", storage.WatchEvent{Type: storage.Modified, Object: status, Old: old}, piKey, time.Second},
		{"a spec change", storage.WatchEvent{Type: storage.Modified, Object: spec, Old: old}, piKey, 0},
		{"a deleted Job", storage.WatchEvent{Type: storage.Deleted, Object: old}, piKey, 0},
	} {
		assert.Equal(t, tc.want, c.BatchDelay(tc.ev, tc.key), tc.name)
	}
}
