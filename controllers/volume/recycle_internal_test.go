package volume

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/objects"
)

// Only the in-tree NFS and hostPath plugins recycle. A volume of any other
// type (kubesim's API has no other PV source yet, so the volume here has
// none) fails as recycleVolumeOperation fails it when
// FindRecyclablePluginBySpec finds nothing; a Failed volume is left as is.
func TestRecycleWithoutPluginFails(t *testing.T) {
	r := controllertest.NewStore(t, time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	pv := &objects.PersistentVolume{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: kindPV},
		ObjectMeta: objects.ObjectMeta{Name: "csi-pv", UID: "u1"},
		Spec: objects.PersistentVolumeSpec{PersistentVolumeReclaimPolicy: objects.ReclaimRecycle,
			ClaimRef: &objects.ObjectReference{Kind: kindPVC, Namespace: "default", Name: "gone", UID: "u2"}},
		Status: objects.PersistentVolumeStatus{Phase: objects.VolumeReleased},
	}
	res := recycleStep(r, pv, nil)
	require.Len(t, res.Actions, 1)
	a := res.Actions[0]
	assert.Equal(t, controllers.UpdateStatus, a.Verb)
	got := a.Object.(*objects.PersistentVolume)
	assert.Equal(t, objects.VolumeFailed, got.Status.Phase)
	assert.Equal(t, "No recycler plugin found for the volume!", got.Status.Message)
	assert.Equal(t, []controllers.Event{controllers.Warning(pv, ReasonVolumeFailedRecycle, "No recycler plugin found for the volume!")}, res.Events)
	assert.Zero(t, res.RequeueAfter)

	pv.Status.Phase = objects.VolumeFailed
	assert.Equal(t, controllers.Result{}, recycleStep(r, pv, nil))
}
