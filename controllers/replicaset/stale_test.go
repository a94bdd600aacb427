package replicaset_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/replicaset"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// A ReplicaSet reading a stale view — one where a pod is still an orphan
// though another controller has since adopted it — must not take the pod:
// its adoption carries the version it read, and the store refuses it with
// a Conflict rather than overwrite the other controller's reference.
func TestStaleReplicaSetCannotAdoptAnAdoptedPod(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(1, 0)
	e.addPod(nil, "orphan", "node1", t0)
	stale := e.store.Snapshot()
	e.store.DrainEvents()

	obj, err := e.store.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "orphan"})
	require.NoError(t, err)
	p := obj.(*objects.Pod).DeepCopy()
	yes := true
	p.OwnerReferences = []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "other",
		UID: "other-uid", Controller: &yes}}
	_, err = e.store.Update(p)
	require.NoError(t, err)
	e.store.DrainEvents()

	res := replicaset.New().Reconcile(t0, stale, objects.KeyOf(rs))
	require.NotEmpty(t, res.Actions)
	first := res.Actions[0]
	require.Equal(t, controllers.Update, first.Verb)
	require.Equal(t, "orphan", first.Object.GetObjectMeta().Name)
	assert.NotEmpty(t, first.Object.GetObjectMeta().ResourceVersion, "the adoption is conditional")
	_, err = controllers.Perform(e.store, first)
	assert.ErrorIs(t, err, storage.ErrConflict)
	obj, err = e.store.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "orphan"})
	require.NoError(t, err)
	assert.Equal(t, "other-uid", obj.(*objects.Pod).ControllerRef().UID, "the pod stays with its controller")
}
