package volume_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Expectations follow upstream 1.37's Recycle policy: pv_controller.go
// reclaimVolume, recycleVolumeOperation, isVolumeUsed, unbindVolume,
// updateVolumePhaseWithEvent; pkg/volume/nfs and pkg/volume/hostpath
// Recycle; pkg/volume/util CalculateTimeoutForVolume;
// pkg/volume/util/recyclerclient (the pod is named recycler-for-<pv>, its
// events are forwarded as "Recycler pod: ...", it is deleted when done);
// pkg/volume/plugins.go NewPersistentVolumeRecyclerPodTemplate.

const scrub = `test -e /scrub && find /scrub -mindepth 1 -delete && test -z "$(ls -A /scrub)" || exit 1`

func recyclePV(name, size string) *objects.PersistentVolume {
	pv := newPV(name, size, rwx)
	pv.Spec.PersistentVolumeReclaimPolicy = objects.ReclaimRecycle
	return pv
}

func hostPathPV(name, size string) *objects.PersistentVolume {
	pv := recyclePV(name, size)
	pv.Spec.NFS = nil
	pv.Spec.HostPath = &objects.HostPathVolumeSource{Path: "/data/" + name}
	return pv
}

// recycleEnv is an env with the binder b and the protection controllers,
// recording events in the store, where claim "data" is bound to pv.
func recycleEnv(t *testing.T, b *volume.Binder, pv *objects.PersistentVolume) *env {
	e := newEnv(t, b, volume.NewPVCProtection(), volume.NewPVProtection())
	e.storeEvents = true
	e.create(pv)
	e.create(newPVC("data", "1Gi", rwx))
	e.settle()
	require.Equal(t, objects.VolumeBound, e.pv(pv.Name).Status.Phase)
	return e
}

// release deletes claim "data" and lets the controllers act.
func (e *env) release() {
	e.t.Helper()
	e.delete("PersistentVolumeClaim", "default", "data")
	e.settle()
}

// recycler returns the scrubber pod of volume pv, or nil.
func (e *env) recycler(pv string) *objects.Pod {
	o, err := e.store.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "recycler-for-" + pv})
	if err != nil {
		return nil
	}
	return o.(*objects.Pod).DeepCopy()
}

// finish sets the scrubber pod's phase and message, as its kubelet would.
func (e *env) finish(pv, phase, message string) {
	e.t.Helper()
	pod := e.recycler(pv)
	require.NotNil(e.t, pod, "recycler pod of %s", pv)
	pod.Status.Phase, pod.Status.Message = phase, message
	_, err := e.store.UpdateStatus(pod)
	require.NoError(e.t, err)
	e.settle()
}

// gone removes a deleted scrubber pod, as its kubelet does once it has stopped.
func (e *env) gone(pv string) {
	e.t.Helper()
	if e.recycler(pv) != nil {
		e.delete("Pod", "default", "recycler-for-"+pv)
	}
	e.settle()
}

// A Released Recycle volume gets a scrubber pod as upstream's NFS plugin
// builds it; when the pod succeeds it is deleted, the volume is recycled,
// loses the claim the binder gave it, and a new claim can have it.
func TestRecycleScrubsThenFreesTheVolume(t *testing.T) {
	e := recycleEnv(t, volume.NewBinder(), recyclePV("pv0", "5Gi"))
	e.release()

	pv := e.pv("pv0")
	assert.Equal(t, objects.VolumeReleased, pv.Status.Phase)
	pod := e.recycler("pv0")
	require.NotNil(t, pod)
	assert.Empty(t, pod.GenerateName)
	assert.Equal(t, objects.RestartPolicyNever, pod.Spec.RestartPolicy)
	assert.Equal(t, int64(300), *pod.Spec.ActiveDeadlineSeconds)
	require.Len(t, pod.Spec.Volumes, 1)
	assert.Equal(t, "vol", pod.Spec.Volumes[0].Name)
	assert.Equal(t, &objects.NFSVolumeSource{Server: "192.168.122.24", Path: "/mnt/pv0"}, pod.Spec.Volumes[0].NFS)
	require.Len(t, pod.Spec.Containers, 1)
	c := pod.Spec.Containers[0]
	assert.Equal(t, "pv-recycler", c.Name)
	assert.Equal(t, "registry.k8s.io/build-image/debian-base:bookworm-v1.0.6", c.Image)
	assert.Equal(t, []string{"/bin/sh"}, c.Command)
	assert.Equal(t, []string{"-c", scrub}, c.Args)
	assert.Equal(t, []objects.VolumeMount{{Name: "vol", MountPath: "/scrub"}}, c.VolumeMounts)
	assert.Empty(t, e.eventsAbout("pv0"), "nothing is said until the pod is done")

	e.finish("pv0", objects.PodSucceeded, "")
	pv = e.pv("pv0")
	assert.Equal(t, objects.VolumeAvailable, pv.Status.Phase)
	assert.Nil(t, pv.Spec.ClaimRef, "the binder's binding is undone")
	assert.NotContains(t, pv.Annotations, objects.AnnBoundByController)
	if pod := e.recycler("pv0"); pod != nil {
		assert.NotNil(t, pod.DeletionTimestamp, "the scrubber pod is deleted")
	}
	assert.Equal(t, []string{"persistentvolume-controller Normal VolumeRecycled PersistentVolume/pv0: Volume recycled"},
		e.eventsAbout("pv0"))

	e.gone("pv0")
	e.create(newPVC("again", "2Gi", rwx))
	e.settle()
	assert.Equal(t, "pv0", e.pvc("again").Spec.VolumeName)
	assert.Equal(t, objects.VolumeBound, e.pv("pv0").Status.Phase)
	assert.Nil(t, e.recycler("pv0"), "a bound volume is not scrubbed again")
}

// A volume the user pre-bound to a claim keeps the claim's name and
// namespace after recycling; only the uid is cleared (unbindVolume).
func TestRecycledPreboundVolumeStaysReservedForItsClaim(t *testing.T) {
	pv := recyclePV("pv0", "1Gi")
	preBoundTo("default", "data")(pv)
	e := recycleEnv(t, volume.NewBinder(), pv)
	e.release()
	e.finish("pv0", objects.PodSucceeded, "")

	got := e.pv("pv0")
	assert.Equal(t, objects.VolumeAvailable, got.Status.Phase)
	require.NotNil(t, got.Spec.ClaimRef)
	assert.Equal(t, "data", got.Spec.ClaimRef.Name)
	assert.Empty(t, got.Spec.ClaimRef.UID)
}

// The scrubber's deadline is the plugin's minimum (NFS 300s, hostPath 60s)
// or 30s per whole Gi of capacity, whichever is more.
func TestRecyclerDeadline(t *testing.T) {
	for _, tt := range []struct {
		pv   *objects.PersistentVolume
		want int64
	}{
		{recyclePV("nfs5", "5Gi"), 300},
		{recyclePV("nfs10", "10500Mi"), 300}, // 10 whole Gi
		{recyclePV("nfs11", "11Gi"), 330},
		{recyclePV("nfs20", "20Gi"), 600},
		{recyclePV("nfsg", "50G"), 1380}, // 46.57Gi
		{hostPathPV("hp1", "1Gi"), 60},
		{hostPathPV("hp2", "2560Mi"), 60},
		{hostPathPV("hp3", "3Gi"), 90},
	} {
		t.Run(tt.pv.Name, func(t *testing.T) {
			e := recycleEnv(t, volume.NewBinder(), tt.pv)
			e.release()
			pod := e.recycler(tt.pv.Name)
			require.NotNil(t, pod)
			assert.Equal(t, tt.want, *pod.Spec.ActiveDeadlineSeconds)
		})
	}
}

// The hostPath plugin mounts the volume's directory of whatever node the
// scrubber lands on.
func TestHostPathRecyclerMountsTheDirectory(t *testing.T) {
	e := recycleEnv(t, volume.NewBinder(), hostPathPV("hp", "1Gi"))
	e.release()
	pod := e.recycler("hp")
	require.NotNil(t, pod)
	require.NotNil(t, pod.Spec.Volumes[0].HostPath)
	assert.Equal(t, "/data/hp", pod.Spec.Volumes[0].HostPath.Path)
	assert.Nil(t, pod.Spec.Volumes[0].NFS)
}

// While a pod that has not terminated still names the deleted claim, the
// volume stays Released with a Normal VolumeFailedRecycle event, and the
// controller looks again on its next resync.
func TestRecycleWaitsForPodsUsingTheClaim(t *testing.T) {
	b := volume.NewBinder()
	e := recycleEnv(t, b, recyclePV("pv0", "1Gi"))
	e.create(podUsing("web", "", "data")) // unscheduled: it does not hold the claim's finalizer
	old := e.create(podUsing("old", "", "data")).(*objects.Pod)
	old.Status.Phase = objects.PodFailed
	_, err := e.store.UpdateStatus(old)
	require.NoError(t, err)
	e.release()

	assert.Equal(t, objects.VolumeReleased, e.pv("pv0").Status.Phase)
	assert.Nil(t, e.recycler("pv0"))
	assert.Equal(t, []string{"persistentvolume-controller Normal VolumeFailedRecycle PersistentVolume/pv0: Volume is used by pods: default/web"},
		e.eventsAbout("pv0"))
	res := b.Reconcile(t0, e.store, objects.Key{Kind: "PersistentVolume", Name: "pv0"})
	assert.Equal(t, 15*time.Second, res.RequeueAfter)
	assert.Empty(t, res.Actions)

	e.delete("Pod", "default", "web")
	e.apply(b, b.Reconcile(t0.Add(15*time.Second), e.store, objects.Key{Kind: "PersistentVolume", Name: "pv0"}))
	assert.NotNil(t, e.recycler("pv0"), "scrubbed once no pod uses the claim")
}

// A claim of the same name that exists is a new claim: pods naming it do
// not hold up the old volume's recycling.
func TestRecycleIgnoresPodsOfANewClaimOfTheSameName(t *testing.T) {
	b := volume.NewBinder()
	e := recycleEnv(t, b, recyclePV("pv0", "1Gi"))
	e.create(podUsing("web", "", "data"))
	e.release()
	require.Nil(t, e.recycler("pv0"), "the old claim's pod holds the volume")
	e.create(newPVC("data", "50Gi", rwx)) // too big for pv0: it stays Pending
	e.settle()
	e.apply(b, b.Reconcile(t0.Add(15*time.Second), e.store, objects.Key{Kind: "PersistentVolume", Name: "pv0"}))
	assert.NotNil(t, e.recycler("pv0"))
}

// A failed scrubber marks the volume Failed with upstream's message chain
// and a Warning; the pod is deleted, and the recycle is tried again on the
// next resync, without repeating the event; a later success frees the
// volume.
func TestFailedRecycleIsRetriedOnResync(t *testing.T) {
	b := volume.NewBinder()
	e := recycleEnv(t, b, recyclePV("pv0", "1Gi"))
	e.release()
	e.finish("pv0", objects.PodFailed, "Pod was active on the node longer than the specified deadline")

	const msg = "Recycle failed: failed to recycle volume: Pod was active on the node longer than the specified deadline"
	pv := e.pv("pv0")
	assert.Equal(t, objects.VolumeFailed, pv.Status.Phase)
	assert.Equal(t, msg, pv.Status.Message)
	assert.Equal(t, []string{"persistentvolume-controller Warning VolumeFailedRecycle PersistentVolume/pv0: " + msg}, e.eventsAbout("pv0"))
	if pod := e.recycler("pv0"); pod != nil {
		assert.NotNil(t, pod.DeletionTimestamp, "the failed scrubber is deleted")
	}

	e.gone("pv0")
	assert.Nil(t, e.recycler("pv0"), "not retried as soon as the pod is gone")
	key := objects.Key{Kind: "PersistentVolume", Name: "pv0"}
	res := b.Reconcile(t0.Add(5*time.Second), e.store, key)
	assert.Empty(t, res.Actions)
	assert.Equal(t, 10*time.Second, res.RequeueAfter, "waits for the resync")
	e.apply(b, b.Reconcile(t0.Add(15*time.Second), e.store, key))
	require.NotNil(t, e.recycler("pv0"), "retried on the resync")
	e.settle()

	e.finish("pv0", objects.PodFailed, "")
	assert.Equal(t, msg, e.pv("pv0").Status.Message, "a second failure changes nothing")
	assert.Len(t, e.eventsAbout("pv0"), 1)

	e.gone("pv0")
	e.apply(b, b.Reconcile(t0.Add(time.Minute), e.store, key))
	e.settle()
	e.finish("pv0", objects.PodSucceeded, "")
	pv = e.pv("pv0")
	assert.Equal(t, objects.VolumeAvailable, pv.Status.Phase)
	assert.Empty(t, pv.Status.Message)
}

// A scrubber that fails without a status message (its command exited 1)
// fails the volume with the recycler client's stand-in text.
func TestRecyclerFailureWithoutMessage(t *testing.T) {
	e := recycleEnv(t, volume.NewBinder(), recyclePV("pv0", "1Gi"))
	e.release()
	e.finish("pv0", objects.PodFailed, "")
	assert.Equal(t, "Recycle failed: failed to recycle volume: pod failed, pod.Status.Message unknown", e.pv("pv0").Status.Message)
}

// Each new event about the scrubber pod reaches the volume once, as a
// RecyclerPod event of the same type; events about other pods do not.
func TestRecyclerPodEventsAreForwarded(t *testing.T) {
	e := recycleEnv(t, volume.NewBinder(), recyclePV("pv0", "1Gi"))
	e.release()
	pod := e.recycler("pv0")
	require.NotNil(t, pod)
	e.storeEvent("default-scheduler", controllers.Normal(pod, "Scheduled", "Successfully assigned default/recycler-for-pv0 to node1"))
	e.storeEvent("kubelet", controllers.Warning(pod, "FailedMount", `MountVolume.SetUp failed for volume "vol" : mount failed`))
	e.storeEvent("kubelet", controllers.Normal(podUsing("other", "node1", "x"), "Pulled", "not about the scrubber"))
	e.settle()
	e.storeEvent("kubelet", controllers.Warning(pod, "FailedMount", `MountVolume.SetUp failed for volume "vol" : mount failed`))
	e.settle()
	e.finish("pv0", objects.PodSucceeded, "")

	assert.Equal(t, []string{
		"persistentvolume-controller Normal RecyclerPod PersistentVolume/pv0: Recycler pod: Successfully assigned default/recycler-for-pv0 to node1",
		`persistentvolume-controller Warning RecyclerPod PersistentVolume/pv0: Recycler pod: MountVolume.SetUp failed for volume "vol" : mount failed`,
		"persistentvolume-controller Normal VolumeRecycled PersistentVolume/pv0: Volume recycled",
	}, e.eventsAbout("pv0"))
}

// The binder wakes a volume for its recycler pod's changes and for events
// newly added about it, not for count bumps or other pods.
func TestRecyclerKeys(t *testing.T) {
	b := volume.NewBinder()
	s := newEnv(t).store
	pvKey := objects.Key{Kind: "PersistentVolume", Name: "pv0"}
	pod := podUsing("recycler-for-pv0", "node1", "x")
	other := podUsing("recycler-for-pv0", "node1", "x")
	other.Namespace = "kube-system"
	ev := &objects.Event{InvolvedObject: objects.ObjectReference{Kind: "Pod", Namespace: "default", Name: "recycler-for-pv0"}}
	assert.Equal(t, []objects.Key{pvKey}, b.KeysFor(storage.WatchEvent{Type: storage.Modified, Object: pod}, s))
	assert.Empty(t, b.KeysFor(storage.WatchEvent{Type: storage.Modified, Object: other}, s))
	assert.Equal(t, []objects.Key{pvKey}, b.KeysFor(storage.WatchEvent{Type: storage.Added, Object: ev}, s))
	assert.Empty(t, b.KeysFor(storage.WatchEvent{Type: storage.Modified, Object: ev}, s))
}

// Retain and Delete volumes never get a scrubber.
func TestOnlyRecycleVolumesAreScrubbed(t *testing.T) {
	for _, policy := range []string{objects.ReclaimRetain, objects.ReclaimDelete} {
		pv := recyclePV("pv0", "1Gi")
		pv.Spec.PersistentVolumeReclaimPolicy = policy
		e := recycleEnv(t, volume.NewBinder(), pv)
		e.release()
		assert.Nil(t, e.recycler("pv0"), policy)
	}
}
