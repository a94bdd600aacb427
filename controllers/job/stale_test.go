package job_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// A Job reading a stale view — one where a pod is still an orphan though
// another controller has since adopted it — must not take the pod: its
// adoption carries the version it read, and the store refuses it with a
// Conflict rather than overwrite the other controller's reference.
func TestStaleJobCannotAdoptAnAdoptedPod(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(1, 1)))
	e.addPod(j, "orphan", podState{orphan: true, node: "node1"})
	stale := e.store.Snapshot() // the pod is an orphan
	e.store.DrainEvents()

	p := e.pod("orphan")
	yes := true
	p.OwnerReferences = []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "other",
		UID: "other-uid", Controller: &yes}}
	_, err := e.store.Update(p)
	require.NoError(t, err)
	e.store.DrainEvents()

	res := job.New().Reconcile(t0, stale, objects.KeyOf(j))
	require.NotEmpty(t, res.Actions)
	first := res.Actions[0]
	require.Equal(t, controllers.Update, first.Verb)
	require.Equal(t, "orphan", first.Object.GetObjectMeta().Name)
	assert.NotEmpty(t, first.Object.GetObjectMeta().ResourceVersion, "the adoption is conditional")
	_, err = controllers.Perform(e.store, first)
	assert.ErrorIs(t, err, storage.ErrConflict)
	assert.Equal(t, "other-uid", e.pod("orphan").ControllerRef().UID, "the pod stays with its controller")
}

// The same for the finalizer removal of an orphan pod: from a stale view
// it must not drop a finalizer added meanwhile.
func TestStaleOrphanFinalizerRemovalConflicts(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(1, 1)))
	e.addPod(j, "orphan", podState{orphan: true, node: "node1", phase: objects.PodSucceeded,
		labels: map[string]string{"app": "elsewhere"}})
	p := e.pod("orphan")
	p.Labels = map[string]string{"app": "elsewhere"} // no longer selected by the Job
	_, err := e.store.Update(p)
	require.NoError(t, err)
	stale := e.store.Snapshot()
	e.store.DrainEvents()

	p = e.pod("orphan")
	p.Finalizers = append(p.Finalizers, "example.com/keep")
	_, err = e.store.Update(p)
	require.NoError(t, err)
	e.store.DrainEvents()

	res := job.New().Reconcile(t0, stale, objects.KeyOf(p))
	require.Len(t, res.Actions, 1)
	_, err = controllers.Perform(e.store, res.Actions[0])
	assert.ErrorIs(t, err, storage.ErrConflict)
	assert.Contains(t, e.pod("orphan").Finalizers, "example.com/keep")
}

// Writes of a pod after the sync's first write of it go unconditionally:
// an orphan that already succeeded is adopted (with the tracking
// finalizer) and released in one sync, and both writes succeed.
func TestAdoptThenReleaseInOneSync(t *testing.T) {
	e := newEnv(t)
	j := e.createJob(newJob(withCounts(1, 1)))
	e.addPod(j, "done", podState{orphan: true, noFinalizer: true, node: "node1", phase: objects.PodSucceeded})
	res := e.sync("pi")
	var podWrites int
	for _, a := range res.Actions {
		if a.Verb == controllers.Update && a.Object.GetObjectMeta().Name == "done" {
			podWrites++
		}
	}
	require.Equal(t, 2, podWrites, "adopted, then its finalizer removed")
	p := e.pod("done")
	assert.Equal(t, j.UID, p.ControllerRef().UID)
	assert.NotContains(t, p.Finalizers, objects.JobTrackingFinalizer)
}
