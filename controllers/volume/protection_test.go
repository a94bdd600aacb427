package volume_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/objects"
)

// A deleted claim keeps kubernetes.io/pvc-protection while a scheduled pod
// object (any phase) names it (pvcprotection podUsesPVC), and loses it,
// and so goes, once no such pod is left.
func TestPVCProtectionHoldsClaimWhileAPodUsesIt(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pod   *objects.Pod
		phase string
		held  bool
	}{
		{name: "running pod", pod: podUsing("db", "node1", "data"), phase: objects.PodRunning, held: true},
		{name: "succeeded pod still counts", pod: podUsing("db", "node1", "data"), phase: objects.PodSucceeded, held: true},
		{name: "unscheduled pod does not", pod: podUsing("db", "", "data"), phase: objects.PodPending, held: false},
		{name: "pod using another claim does not", pod: podUsing("db", "node1", "other"), phase: objects.PodRunning, held: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, volume.NewPVCProtection())
			c := e.create(newPVC("data", "1Gi", rwo)).(*objects.PersistentVolumeClaim)
			require.Equal(t, []string{objects.FinalizerPVCProtection}, c.Finalizers, "admission adds the finalizer")
			p := e.create(tt.pod).(*objects.Pod)
			p.Status.Phase = tt.phase
			_, err := e.store.UpdateStatus(p)
			require.NoError(t, err)
			e.settle()

			e.delete("PersistentVolumeClaim", "default", "data")
			e.settle()
			if !tt.held {
				assert.False(t, e.exists("PersistentVolumeClaim", "default", "data"))
				return
			}
			claim := e.pvc("data")
			assert.NotNil(t, claim.DeletionTimestamp)
			assert.Equal(t, []string{objects.FinalizerPVCProtection}, claim.Finalizers)

			e.delete("Pod", "default", "db")
			e.settle()
			assert.False(t, e.exists("Pod", "default", "db"))
			assert.False(t, e.exists("PersistentVolumeClaim", "default", "data"), "the pod is gone, so is the claim")
		})
	}
}

// A deleted volume keeps kubernetes.io/pv-protection while it is Bound and
// loses it once its claim is gone and it is Released.
func TestPVProtectionHoldsBoundVolume(t *testing.T) {
	e := newEnv(t, volume.NewBinder(), volume.NewPVCProtection(), volume.NewPVProtection())
	pv := e.create(newPV("pv1", "1Gi", rwo)).(*objects.PersistentVolume)
	require.Equal(t, []string{objects.FinalizerPVProtection}, pv.Finalizers, "admission adds the finalizer")
	e.create(newPVC("data", "1Gi", rwo))
	e.settle()
	require.Equal(t, objects.VolumeBound, e.pv("pv1").Status.Phase)

	e.delete("PersistentVolume", "", "pv1")
	e.settle()
	got := e.pv("pv1")
	assert.NotNil(t, got.DeletionTimestamp)
	assert.Equal(t, []string{objects.FinalizerPVProtection}, got.Finalizers, "a Bound volume keeps its finalizer")
	assert.Equal(t, objects.VolumeBound, got.Status.Phase)

	e.delete("PersistentVolumeClaim", "default", "data")
	e.settle()
	assert.False(t, e.exists("PersistentVolumeClaim", "default", "data"))
	assert.False(t, e.exists("PersistentVolume", "", "pv1"), "released, the volume goes")
}

// A deleted volume that is not Bound goes at once.
func TestPVProtectionReleasesUnboundVolume(t *testing.T) {
	e := newEnv(t, volume.NewBinder(), volume.NewPVProtection())
	e.create(newPV("pv1", "1Gi", rwo))
	e.settle()
	require.Equal(t, objects.VolumeAvailable, e.pv("pv1").Status.Phase)
	e.delete("PersistentVolume", "", "pv1")
	e.settle()
	assert.False(t, e.exists("PersistentVolume", "", "pv1"))
}
