package volume_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/objects"
)

// Expectations below follow upstream's PV controller
// (pkg/controller/volume/persistentvolume: index.go findBestMatchForClaim,
// component-helpers FindMatchingVolume, pv_controller.go syncClaim,
// syncVolume, bind, reclaimVolume) as /work/shared/research/storage-statefulset.md
// §1 records them.

func withClass(class string) func(*objects.PersistentVolume) {
	return func(pv *objects.PersistentVolume) { pv.Spec.StorageClassName = class }
}

func withLabels(l map[string]string) func(*objects.PersistentVolume) {
	return func(pv *objects.PersistentVolume) { pv.Labels = l }
}

func preBoundTo(namespace, name string) func(*objects.PersistentVolume) {
	return func(pv *objects.PersistentVolume) {
		pv.Spec.ClaimRef = &objects.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: namespace, Name: name}
	}
}

func vol(name, size string, modes []string, mut ...func(*objects.PersistentVolume)) *objects.PersistentVolume {
	pv := newPV(name, size, modes...)
	for _, m := range mut {
		m(pv)
	}
	return pv
}

// The binder gives a claim the smallest Available volume that has every
// mode it asks for, enough bytes, its class and its selector's labels;
// a volume pre-bound to the claim (claimRef without uid) or named by the
// claim's volumeName is taken whatever its size.
func TestBinderMatchesClaimToVolume(t *testing.T) {
	one := []string{rwo}
	for _, tt := range []struct {
		name  string
		pvs   []*objects.PersistentVolume
		claim func(*objects.PersistentVolumeClaim)
		want  string // "" when the claim must stay Pending
		// which side's bound-by-controller annotation the binder writes
		pvByController, claimByController bool
	}{
		{name: "smallest volume big enough",
			pvs:  []*objects.PersistentVolume{vol("big", "10Gi", one), vol("mid", "2Gi", one), vol("small", "500Mi", one)},
			want: "mid", pvByController: true, claimByController: true},
		{name: "capacity compared in bytes: 1G is less than 1Gi",
			pvs:  []*objects.PersistentVolume{vol("g1", "1G", one), vol("g2", "2G", one)},
			want: "g2", pvByController: true, claimByController: true},
		{name: "exactly the requested size fits",
			pvs:  []*objects.PersistentVolume{vol("big", "2Gi", one), vol("exact", "1Gi", one)},
			want: "exact", pvByController: true, claimByController: true},
		{name: "volume must have every requested mode",
			pvs: []*objects.PersistentVolume{vol("rwo", "1Gi", one), vol("rox", "1Gi", []string{rox}),
				vol("rwx", "5Gi", []string{rwx})},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.AccessModes = []string{rwx} },
			want:  "rwx", pvByController: true, claimByController: true},
		{name: "group with fewest modes wins over a smaller volume with more modes",
			pvs:  []*objects.PersistentVolume{vol("multi", "1Gi", []string{rwo, rwx}), vol("single", "10Gi", one)},
			want: "single", pvByController: true, claimByController: true},
		{name: "class must match: claim of class \"\" takes only class \"\" volumes",
			pvs:  []*objects.PersistentVolume{vol("fast", "1Gi", one, withClass("fast")), vol("plain", "3Gi", one)},
			want: "plain", pvByController: true, claimByController: true},
		{name: "class must match: claim of class fast",
			pvs:   []*objects.PersistentVolume{vol("fast", "3Gi", one, withClass("fast")), vol("plain", "1Gi", one)},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.StorageClassName = ptr("fast") },
			want:  "fast", pvByController: true, claimByController: true},
		{name: "selector must match the volume's labels",
			pvs: []*objects.PersistentVolume{vol("plain", "1Gi", one),
				vol("db", "5Gi", one, withLabels(map[string]string{"tier": "db"}))},
			claim: func(c *objects.PersistentVolumeClaim) {
				c.Spec.Selector = &objects.LabelSelector{MatchLabels: map[string]string{"tier": "db"}}
			},
			want: "db", pvByController: true, claimByController: true},
		{name: "volume pre-bound to another claim is skipped",
			pvs:  []*objects.PersistentVolume{vol("reserved", "1Gi", one, preBoundTo("default", "other")), vol("free", "2Gi", one)},
			want: "free", pvByController: true, claimByController: true},
		{name: "volume pre-bound to the claim wins over a smaller one",
			pvs:  []*objects.PersistentVolume{vol("small", "1Gi", one), vol("reserved", "5Gi", one, preBoundTo("default", "data"))},
			want: "reserved", pvByController: false, claimByController: true},
		{name: "volume pre-bound to the claim is taken whatever its class",
			pvs:  []*objects.PersistentVolume{vol("small", "1Gi", one), vol("reserved", "5Gi", one, withClass("gold"), preBoundTo("default", "data"))},
			want: "reserved", pvByController: false, claimByController: true},
		{name: "claim naming its volume gets it",
			pvs:   []*objects.PersistentVolume{vol("small", "1Gi", one), vol("named", "5Gi", one)},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "named" },
			want:  "named", pvByController: true, claimByController: false},
		{name: "both sides pre-bound: nobody's annotation",
			pvs:   []*objects.PersistentVolume{vol("small", "1Gi", one), vol("named", "5Gi", one, preBoundTo("default", "data"))},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "named" },
			want:  "named", pvByController: false, claimByController: false},
		{name: "nothing big enough",
			pvs:  []*objects.PersistentVolume{vol("small", "500Mi", one)},
			want: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, volume.NewBinder())
			for _, pv := range tt.pvs {
				e.create(pv)
			}
			e.settle()
			for _, pv := range tt.pvs {
				if pv.Spec.ClaimRef == nil {
					require.Equal(t, objects.VolumeAvailable, e.pv(pv.Name).Status.Phase, pv.Name)
				}
			}
			c := newPVC("data", "1Gi", rwo)
			if tt.claim != nil {
				tt.claim(c)
			}
			e.create(c)
			e.settle()

			claim := e.pvc("data")
			if tt.want == "" {
				assert.Equal(t, objects.ClaimPending, claim.Status.Phase)
				assert.Empty(t, claim.Spec.VolumeName)
				for _, pv := range tt.pvs {
					assert.Equal(t, objects.VolumeAvailable, e.pv(pv.Name).Status.Phase, pv.Name)
					assert.Nil(t, e.pv(pv.Name).Spec.ClaimRef, pv.Name)
				}
				return
			}
			pv := e.pv(tt.want)
			assert.Equal(t, objects.ClaimBound, claim.Status.Phase)
			assert.Equal(t, tt.want, claim.Spec.VolumeName)
			assert.Equal(t, objects.VolumeBound, pv.Status.Phase)
			require.NotNil(t, pv.Spec.ClaimRef)
			assert.Equal(t, "default", pv.Spec.ClaimRef.Namespace)
			assert.Equal(t, "data", pv.Spec.ClaimRef.Name)
			assert.Equal(t, claim.UID, pv.Spec.ClaimRef.UID)
			assert.Equal(t, "PersistentVolumeClaim", pv.Spec.ClaimRef.Kind)
			assert.Equal(t, "yes", claim.Annotations[objects.AnnBindCompleted])
			assertAnnotation(t, pv.Annotations, objects.AnnBoundByController, tt.pvByController, "volume")
			assertAnnotation(t, claim.Annotations, objects.AnnBoundByController, tt.claimByController, "claim")
			// The claim's status shows the volume's capacity and modes, not its request.
			assert.Equal(t, pv.Spec.Capacity.Storage().String(), claim.Status.Capacity.Storage().String())
			assert.Equal(t, pv.Spec.AccessModes, claim.Status.AccessModes)
			for _, other := range tt.pvs {
				if other.Name != tt.want && other.Spec.ClaimRef == nil {
					assert.Equal(t, objects.VolumeAvailable, e.pv(other.Name).Status.Phase, other.Name)
					assert.Nil(t, e.pv(other.Name).Spec.ClaimRef, other.Name)
				}
			}
		})
	}
}

func assertAnnotation(t *testing.T, ann map[string]string, key string, want bool, what string) {
	t.Helper()
	if want {
		assert.Equal(t, "yes", ann[key], "%s should carry %s", what, key)
	} else {
		assert.NotContains(t, ann, key, "%s should not carry %s", what, key)
	}
}

// bind writes the volume first (claimRef, then phase Bound), the claim
// second (volumeName and annotations, then phase Bound), as upstream's
// bind does.
func TestBindWritesVolumeBeforeClaim(t *testing.T) {
	e := newEnv(t, volume.NewBinder())
	e.create(newPV("pv1", "1Gi", rwo))
	e.settle()
	claim := e.create(newPVC("data", "1Gi", rwo)).(*objects.PersistentVolumeClaim)
	e.store.DrainEvents()

	b := volume.NewBinder()
	res := b.Reconcile(t0, e.store, objects.KeyOf(claim))
	require.Len(t, res.Actions, 4)
	type step struct {
		verb controllers.Verb
		kind string
	}
	var got []step
	for _, a := range res.Actions {
		got = append(got, step{a.Verb, a.Object.GetTypeMeta().Kind})
	}
	assert.Equal(t, []step{
		{controllers.Update, "PersistentVolume"},
		{controllers.UpdateStatus, "PersistentVolume"},
		{controllers.Update, "PersistentVolumeClaim"},
		{controllers.UpdateStatus, "PersistentVolumeClaim"},
	}, got)

	pv := res.Actions[0].Object.(*objects.PersistentVolume)
	require.NotNil(t, pv.Spec.ClaimRef)
	assert.Equal(t, claim.UID, pv.Spec.ClaimRef.UID)
	assert.Equal(t, "yes", pv.Annotations[objects.AnnBoundByController])
	assert.Equal(t, objects.VolumeBound, res.Actions[1].Object.(*objects.PersistentVolume).Status.Phase)
	c := res.Actions[2].Object.(*objects.PersistentVolumeClaim)
	assert.Equal(t, "pv1", c.Spec.VolumeName)
	assert.Equal(t, "yes", c.Annotations[objects.AnnBindCompleted])
	assert.Equal(t, "yes", c.Annotations[objects.AnnBoundByController])
	assert.Equal(t, objects.ClaimBound, res.Actions[3].Object.(*objects.PersistentVolumeClaim).Status.Phase)

	applied := e.apply(b, res)
	require.NoError(t, applied.Err)
	assert.Equal(t, objects.VolumeBound, e.pv("pv1").Status.Phase)
	assert.Equal(t, objects.ClaimBound, e.pvc("data").Status.Phase)
	assert.Empty(t, e.events, "a successful bind records no event")
}

// A bind cut short after any of its writes is finished by the next syncs
// (upstream's binder tests 1-8 to 1-10).
func TestInterruptedBindResumes(t *testing.T) {
	for done := 1; done <= 3; done++ {
		e := newEnv(t, volume.NewBinder())
		e.create(newPV("pv1", "1Gi", rwo))
		e.settle()
		claim := e.create(newPVC("data", "1Gi", rwo))
		e.store.DrainEvents()
		b := volume.NewBinder()
		res := b.Reconcile(t0, e.store, objects.KeyOf(claim))
		require.Len(t, res.Actions, 4)
		res.Actions = res.Actions[:done]
		require.NoError(t, e.apply(b, res).Err)
		e.settle()
		assert.Equal(t, objects.VolumeBound, e.pv("pv1").Status.Phase, "after %d writes", done)
		assert.Equal(t, objects.ClaimBound, e.pvc("data").Status.Phase, "after %d writes", done)
		assert.Equal(t, "pv1", e.pvc("data").Spec.VolumeName)
		assert.Equal(t, e.pvc("data").UID, e.pv("pv1").Spec.ClaimRef.UID)
	}
}

// A claim nothing can satisfy stays Pending with upstream's events.
func TestUnsatisfiableClaimStaysPending(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pvs   []*objects.PersistentVolume
		claim func(*objects.PersistentVolumeClaim)
		want  string
	}{
		{name: "no volume, class \"\"",
			want: "persistentvolume-controller Normal FailedBinding PersistentVolumeClaim/data: no persistent volumes available for this claim and no storage class is set"},
		{name: "no volume, no class and no default class",
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.StorageClassName = nil },
			want:  "persistentvolume-controller Normal FailedBinding PersistentVolumeClaim/data: no persistent volumes available for this claim and no storage class is set"},
		{name: "named volume too small",
			pvs:   []*objects.PersistentVolume{newPV("small", "500Mi", rwo)},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "small" },
			want:  `persistentvolume-controller Warning VolumeMismatch PersistentVolumeClaim/data: Cannot bind to requested volume "small": requested PV is too small`},
		{name: "named volume of another class",
			pvs:   []*objects.PersistentVolume{vol("fast", "1Gi", []string{rwo}, withClass("fast"))},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "fast" },
			want:  `persistentvolume-controller Warning VolumeMismatch PersistentVolumeClaim/data: Cannot bind to requested volume "fast": storageClassName does not match`},
		{name: "named volume without the mode",
			pvs:   []*objects.PersistentVolume{newPV("ro", "1Gi", rox)},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "ro" },
			want:  `persistentvolume-controller Warning VolumeMismatch PersistentVolumeClaim/data: Cannot bind to requested volume "ro": incompatible accessMode`},
		{name: "named volume bound to another claim",
			pvs:   []*objects.PersistentVolume{vol("taken", "1Gi", []string{rwo}, preBoundTo("default", "other"))},
			claim: func(c *objects.PersistentVolumeClaim) { c.Spec.VolumeName = "taken" },
			want:  `persistentvolume-controller Warning FailedBinding PersistentVolumeClaim/data: volume "taken" already bound to a different claim.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, volume.NewBinder())
			for _, pv := range tt.pvs {
				e.create(pv)
			}
			e.settle()
			c := newPVC("data", "1Gi", rwo)
			if tt.claim != nil {
				tt.claim(c)
			}
			e.create(c)
			e.settle()
			claim := e.pvc("data")
			assert.Equal(t, objects.ClaimPending, claim.Status.Phase)
			assert.NotContains(t, claim.Annotations, objects.AnnBindCompleted)
			evs := e.eventsAbout("data")
			require.NotEmpty(t, evs)
			for _, ev := range evs {
				assert.Equal(t, tt.want, ev)
			}
			for _, pv := range tt.pvs {
				assert.NotEqual(t, objects.VolumeBound, e.pv(pv.Name).Status.Phase)
			}
		})
	}
}

// Once its claim is gone, a volume is Released and reclaimed by its policy:
// Retain keeps it Released with the old claimRef, so that it never binds
// again by itself; Delete of a volume no in-tree plugin deletes fails it;
// Delete of an externally provisioned volume is left to its provisioner.
func TestReleasedVolumeIsReclaimedByPolicy(t *testing.T) {
	for _, tt := range []struct {
		name        string
		mut         func(*objects.PersistentVolume)
		wantPhase   string
		wantMessage string
		wantEvents  []string
	}{
		{name: "Retain", wantPhase: objects.VolumeReleased},
		{name: "Delete, static NFS volume",
			mut:         func(pv *objects.PersistentVolume) { pv.Spec.PersistentVolumeReclaimPolicy = objects.ReclaimDelete },
			wantPhase:   objects.VolumeFailed,
			wantMessage: `error getting deleter volume plugin for volume "pv1": no deletable volume plugin matched`,
			wantEvents:  []string{`persistentvolume-controller Warning VolumeFailedDelete PersistentVolume/pv1: error getting deleter volume plugin for volume "pv1": no deletable volume plugin matched`}},
		{name: "Delete, external provisioner's volume",
			mut: func(pv *objects.PersistentVolume) {
				pv.Spec.PersistentVolumeReclaimPolicy = objects.ReclaimDelete
				pv.Annotations = map[string]string{objects.AnnDynamicallyProvisioned: "example.com/nfs"}
			},
			wantPhase: objects.VolumeReleased},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, volume.NewBinder(), volume.NewPVCProtection())
			pv := newPV("pv1", "1Gi", rwo)
			if tt.mut != nil {
				tt.mut(pv)
			}
			e.create(pv)
			e.settle()
			e.create(newPVC("data", "1Gi", rwo))
			e.settle()
			require.Equal(t, objects.VolumeBound, e.pv("pv1").Status.Phase)
			oldUID := e.pvc("data").UID

			e.delete("PersistentVolumeClaim", "default", "data")
			e.settle()
			require.False(t, e.exists("PersistentVolumeClaim", "default", "data"), "no pod uses the claim, so it goes")
			got := e.pv("pv1")
			assert.Equal(t, tt.wantPhase, got.Status.Phase)
			assert.Equal(t, tt.wantMessage, got.Status.Message)
			require.NotNil(t, got.Spec.ClaimRef, "a released volume keeps its claimRef")
			assert.Equal(t, oldUID, got.Spec.ClaimRef.UID)
			assert.Equal(t, tt.wantEvents, e.eventsAbout("pv1"))

			// A new claim of the same name is another claim: it does not get the volume.
			e.create(newPVC("data", "1Gi", rwo))
			e.settle()
			assert.Equal(t, objects.ClaimPending, e.pvc("data").Status.Phase)
			assert.Equal(t, tt.wantPhase, e.pv("pv1").Status.Phase)
		})
	}
}

// A claim without any class first takes a class "" volume; when none
// fits, a default class created later is written into it
// (assignDefaultStorageClass) and the claim goes to that class's
// provisioner.
func TestClaimWithoutClass(t *testing.T) {
	t.Run("binds a class \"\" volume", func(t *testing.T) {
		e := newEnv(t, volume.NewBinder())
		e.create(newPV("plain", "1Gi", rwo))
		e.settle()
		c := newPVC("data", "1Gi", rwo)
		c.Spec.StorageClassName = nil
		e.create(c)
		e.settle()
		assert.Equal(t, objects.ClaimBound, e.pvc("data").Status.Phase)
		assert.Equal(t, "plain", e.pvc("data").Spec.VolumeName)
		assert.Nil(t, e.pvc("data").Spec.StorageClassName)
	})
	t.Run("gets a default class created later", func(t *testing.T) {
		e := newEnv(t, volume.NewBinder())
		c := newPVC("data", "1Gi", rwo)
		c.Spec.StorageClassName = nil
		e.create(c)
		e.settle()
		require.Nil(t, e.pvc("data").Spec.StorageClassName)
		sc := newClass("standard", "example.com/nfs", objects.ReclaimDelete, nil)
		sc.Annotations = map[string]string{objects.AnnIsDefaultStorageClass: "true"}
		e.create(sc)
		e.settle()
		got := e.pvc("data")
		require.NotNil(t, got.Spec.StorageClassName)
		assert.Equal(t, "standard", *got.Spec.StorageClassName)
		assert.Equal(t, objects.ClaimPending, got.Status.Phase)
		assert.Equal(t, "example.com/nfs", got.Annotations[objects.AnnStorageProvisioner])
		assert.Equal(t, "example.com/nfs", got.Annotations[objects.AnnBetaStorageProvisioner])
		assert.Contains(t, e.eventsAbout("data"), "persistentvolume-controller Normal ExternalProvisioning PersistentVolumeClaim/data: "+
			"Waiting for a volume to be created either by the external provisioner 'example.com/nfs' or manually by the system administrator. "+
			"If volume creation is delayed, please verify that the provisioner is running and correctly registered.")
	})
}

// A bound claim whose volume is gone is Lost, with one ClaimLost warning.
func TestBoundClaimLosesItsVolume(t *testing.T) {
	e := newEnv(t, volume.NewBinder())
	e.create(newPV("pv1", "1Gi", rwo))
	e.settle()
	e.create(newPVC("data", "1Gi", rwo))
	e.settle()
	require.Equal(t, objects.ClaimBound, e.pvc("data").Status.Phase)

	pv := e.pv("pv1")
	pv.Finalizers = nil
	_, err := e.store.Update(pv)
	require.NoError(t, err)
	e.delete("PersistentVolume", "", "pv1")
	e.settle()
	assert.Equal(t, objects.ClaimLost, e.pvc("data").Status.Phase)
	assert.Equal(t, []string{"persistentvolume-controller Warning ClaimLost PersistentVolumeClaim/data: " +
		"Bound claim has lost its PersistentVolume. Data on the volume is lost!"}, e.eventsAbout("data"))
}
