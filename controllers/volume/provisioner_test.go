package volume_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
)

// Expectations follow sig-storage-lib-external-provisioner
// (provisionClaimOperation, shouldDelete, deleteVolumeOperation) and
// nfs-subdir-external-provisioner (Provision, Delete), as
// /work/shared/research/storage-statefulset.md §2.4-2.5 records them.

const (
	nfsServer   = "192.168.122.24"
	nfsPath     = "/mnt/data"
	provName    = "k8s-sigs.io/nfs-subdir-external-provisioner"
	nfsClass    = "nfs-client"
	waitMessage = "Waiting for a volume to be created either by the external provisioner 'k8s-sigs.io/nfs-subdir-external-provisioner' " +
		"or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
)

// nfsEnv is an env with every volume controller, an NFS server exporting
// /mnt/data, and class nfs-client naming the provisioner.
type nfsEnv struct {
	*env
	server *vfs.FS
}

func newNFSEnv(t *testing.T, reclaim string, params map[string]string) *nfsEnv {
	server := vfs.New()
	require.NoError(t, server.MkdirAll(nfsPath, 0o755, t0))
	e := newEnv(t, volume.NewBinder(), volume.NewPVCProtection(), volume.NewPVProtection(),
		volume.NewProvisioner(fakeExports{nfsServer: server}))
	e.create(newClass(nfsClass, provName, reclaim, params))
	e.settle()
	return &nfsEnv{env: e, server: server}
}

// provisionerPod stores the provisioner's pod, as its Deployment makes it, in phase.
func (e *nfsEnv) provisionerPod(phase string) {
	e.t.Helper()
	p := &objects.Pod{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: "nfs-client-provisioner-84d9c578b8-wltzw", Namespace: "default"},
		Spec: objects.PodSpec{NodeName: "node1", Containers: []objects.Container{{
			Name: "nfs-client-provisioner", Image: "registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2",
			Env: []objects.EnvVar{{Name: "PROVISIONER_NAME", Value: provName},
				{Name: "NFS_SERVER", Value: nfsServer}, {Name: "NFS_PATH", Value: nfsPath}}}}},
	}
	o, err := e.store.Get(objects.KeyOf(p))
	if err != nil {
		o = e.create(p)
	}
	p = o.(*objects.Pod).DeepCopy()
	p.Status.Phase = phase
	_, err = e.store.UpdateStatus(p)
	require.NoError(e.t, err)
}

func nfsClaim() *objects.PersistentVolumeClaim {
	c := newPVC("test-claim", "100Mi", rwx)
	c.Spec.StorageClassName = ptr(nfsClass)
	return c
}

// While no provisioner pod runs, the binder hands the claim to the
// class's provisioner (both annotations, ExternalProvisioning) and nothing
// else happens; once one runs, the claim gets pvc-<uid> on the share.
func TestProvisionerProvisionsOnlyWhileRunning(t *testing.T) {
	e := newNFSEnv(t, objects.ReclaimDelete, nil)
	claim := e.create(nfsClaim()).(*objects.PersistentVolumeClaim)
	e.settle()

	c := e.pvc("test-claim")
	assert.Equal(t, objects.ClaimPending, c.Status.Phase)
	assert.Equal(t, provName, c.Annotations[objects.AnnStorageProvisioner])
	assert.Equal(t, provName, c.Annotations[objects.AnnBetaStorageProvisioner])
	assert.Empty(t, e.store.List("PersistentVolume", "", nil))
	evs := e.eventsAbout("test-claim")
	require.NotEmpty(t, evs)
	for _, ev := range evs {
		assert.Equal(t, "persistentvolume-controller Normal ExternalProvisioning PersistentVolumeClaim/test-claim: "+waitMessage, ev)
	}

	e.provisionerPod(objects.PodPending)
	e.settle()
	assert.Empty(t, e.store.List("PersistentVolume", "", nil), "a pod not Running provisions nothing")
	entries, err := e.server.ReadDir(nfsPath)
	require.NoError(t, err)
	assert.Empty(t, entries)

	e.events = nil
	e.provisionerPod(objects.PodRunning)
	e.settle()

	pvName := "pvc-" + claim.UID
	dir := nfsPath + "/default-test-claim-" + pvName
	pv := e.pv(pvName)
	assert.Equal(t, map[string]string{objects.AnnDynamicallyProvisioned: provName}, pv.Annotations,
		"the provisioner's volume is pre-bound, so the binder adds no bound-by-controller")
	assert.Equal(t, "100Mi", pv.Spec.Capacity.Storage().String(), "capacity is the request")
	assert.Equal(t, []string{rwx}, pv.Spec.AccessModes)
	assert.Equal(t, objects.ReclaimDelete, pv.Spec.PersistentVolumeReclaimPolicy, "the class's policy")
	assert.Equal(t, nfsClass, pv.Spec.StorageClassName)
	require.NotNil(t, pv.Spec.NFS)
	assert.Equal(t, objects.NFSVolumeSource{Server: nfsServer, Path: dir}, *pv.Spec.NFS)
	require.NotNil(t, pv.Spec.ClaimRef)
	assert.Equal(t, claim.UID, pv.Spec.ClaimRef.UID)
	assert.Equal(t, "test-claim", pv.Spec.ClaimRef.Name)
	assert.Equal(t, objects.VolumeBound, pv.Status.Phase)

	c = e.pvc("test-claim")
	assert.Equal(t, objects.ClaimBound, c.Status.Phase)
	assert.Equal(t, pvName, c.Spec.VolumeName)
	assert.Equal(t, "yes", c.Annotations[objects.AnnBindCompleted])
	assert.Equal(t, "yes", c.Annotations[objects.AnnBoundByController])
	assert.Equal(t, "100Mi", c.Status.Capacity.Storage().String())

	info, err := e.server.Stat(dir)
	require.NoError(t, err)
	assert.True(t, info.IsDir())
	assert.Equal(t, fs.FileMode(0o777), info.Mode.Perm())

	assert.Equal(t, []string{
		`nfs-subdir-external-provisioner Normal Provisioning PersistentVolumeClaim/test-claim: External provisioner is provisioning volume for claim "default/test-claim"`,
		"nfs-subdir-external-provisioner Normal ProvisioningSucceeded PersistentVolumeClaim/test-claim: Successfully provisioned volume " + pvName,
	}, e.eventsAbout("test-claim"))
}

// The provisioner refuses claims with a selector.
func TestProvisionerRefusesSelector(t *testing.T) {
	e := newNFSEnv(t, objects.ReclaimDelete, nil)
	e.provisionerPod(objects.PodRunning)
	c := nfsClaim()
	c.Spec.Selector = &objects.LabelSelector{MatchLabels: map[string]string{"tier": "db"}}
	e.create(c)
	e.settle()
	assert.Empty(t, e.store.List("PersistentVolume", "", nil))
	assert.Equal(t, objects.ClaimPending, e.pvc("test-claim").Status.Phase)
	assert.Contains(t, e.eventsAbout("test-claim"),
		`nfs-subdir-external-provisioner Warning ProvisioningFailed PersistentVolumeClaim/test-claim: failed to provision volume with StorageClass "nfs-client": claim Selector is not supported`)
}

// Released, a provisioned volume is deleted by the provisioner when its
// policy is Delete, its directory removed, archived or kept as the
// class's parameters say; with Retain it stays Released, directory intact.
func TestProvisionedVolumeReclaim(t *testing.T) {
	for _, tt := range []struct {
		name       string
		reclaim    string
		params     map[string]string
		pvGone     bool
		dirKept    bool
		archivedAs bool
	}{
		{name: "Delete, archiveOnDelete false", reclaim: objects.ReclaimDelete,
			params: map[string]string{"archiveOnDelete": "false"}, pvGone: true},
		{name: "Delete, no parameters archives", reclaim: objects.ReclaimDelete, pvGone: true, archivedAs: true},
		{name: "Delete, archiveOnDelete true archives", reclaim: objects.ReclaimDelete,
			params: map[string]string{"archiveOnDelete": "true"}, pvGone: true, archivedAs: true},
		{name: "Delete, onDelete retain keeps the directory", reclaim: objects.ReclaimDelete,
			params: map[string]string{"onDelete": "retain"}, pvGone: true, dirKept: true},
		{name: "Delete, onDelete delete wins over archiveOnDelete", reclaim: objects.ReclaimDelete,
			params: map[string]string{"onDelete": "delete", "archiveOnDelete": "true"}, pvGone: true},
		{name: "Retain", reclaim: objects.ReclaimRetain, dirKept: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newNFSEnv(t, tt.reclaim, tt.params)
			e.provisionerPod(objects.PodRunning)
			claim := e.create(nfsClaim()).(*objects.PersistentVolumeClaim)
			e.settle()
			pvName := "pvc-" + claim.UID
			base := "default-test-claim-" + pvName
			require.Equal(t, objects.ClaimBound, e.pvc("test-claim").Status.Phase)
			require.NoError(t, e.server.WriteFile(nfsPath+"/"+base+"/SUCCESS", []byte("ok"), 0o644, t0))

			e.delete("PersistentVolumeClaim", "default", "test-claim")
			e.settle()
			require.False(t, e.exists("PersistentVolumeClaim", "default", "test-claim"))
			if tt.pvGone {
				assert.False(t, e.exists("PersistentVolume", "", pvName), "the provisioner deletes the volume")
			} else {
				assert.Equal(t, objects.VolumeReleased, e.pv(pvName).Status.Phase)
			}
			_, err := e.server.Stat(nfsPath + "/" + base + "/SUCCESS")
			assert.Equal(t, tt.dirKept, err == nil, "directory kept")
			data, err := e.server.ReadFile(nfsPath + "/archived-" + base + "/SUCCESS")
			if tt.archivedAs {
				require.NoError(t, err)
				assert.Equal(t, "ok", string(data))
			} else {
				assert.Error(t, err, "no archive")
			}
		})
	}
}
