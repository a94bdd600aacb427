package volume_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// A binder reading a stale view — one where a volume is still free though
// another claim has since been given it — must not take the volume: its
// claimRef write carries the version it read, and the store refuses it
// with a Conflict, as upstream's update does. (Found by propcheck: a stale
// binder used to bind one volume to two claims.)
func TestStaleBinderCannotTakeABoundVolume(t *testing.T) {
	e := newEnv(t, volume.NewBinder())
	e.create(newPV("pv1", "1Gi", rwo))
	e.settle()
	late := e.create(newPVC("late", "1Gi", rwo)).(*objects.PersistentVolumeClaim)
	stale := e.store.Snapshot() // pv1 free, claim "late" pending
	e.store.DrainEvents()

	e.create(newPVC("early", "1Gi", rwo))
	e.settle()
	require.Equal(t, objects.ClaimBound, e.pvc("early").Status.Phase)
	e.store.DrainEvents()

	res := volume.NewBinder().Reconcile(t0, stale, objects.KeyOf(late))
	require.NotEmpty(t, res.Actions)
	first := res.Actions[0]
	require.Equal(t, "PersistentVolume", first.Object.GetTypeMeta().Kind)
	assert.NotEmpty(t, first.Object.GetObjectMeta().ResourceVersion, "the claimRef write is conditional")
	_, err := controllers.Perform(e.store, first)
	assert.ErrorIs(t, err, storage.ErrConflict)
	assert.Equal(t, "early", e.pv("pv1").Spec.ClaimRef.Name, "the volume stays with its claim")
}
