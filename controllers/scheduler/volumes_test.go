package scheduler_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The VolumeBinding plugin's PreFilter (pkg/scheduler/framework/plugins/
// volumebinding) rejects a pod whose claims are missing, being deleted or
// not bound with an Immediate class; the FitError words it once, and
// preemption finds every node unhelpful.

// claim stores claim name of class "" (Immediate binding).
func (w *world) claim(name string) *objects.PersistentVolumeClaim {
	w.t.Helper()
	return w.create(&objects.PersistentVolumeClaim{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec: objects.PersistentVolumeClaimSpec{AccessModes: []string{objects.ReadWriteOnce}, StorageClassName: ptrTo(""),
			Resources: objects.VolumeResourceRequirements{Requests: objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity("1Gi")}}},
	}).(*objects.PersistentVolumeClaim)
}

// podWithClaim stores pod name mounting claim.
func (w *world) podWithClaim(name, claim string) objects.Key {
	w.t.Helper()
	return objects.KeyOf(w.create(&objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec: objects.PodSpec{Containers: []objects.Container{{Name: "c", Image: "mysql:5.6"}},
			Volumes: []objects.Volume{{Name: "data",
				PersistentVolumeClaim: &objects.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}}}))
}

// bindClaim does the binder's claim-side writes: volumeName and bind-completed.
func (w *world) bindClaim(name string) {
	w.t.Helper()
	o, err := w.store.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: "default", Name: name})
	require.NoError(w.t, err)
	c := o.(*objects.PersistentVolumeClaim).DeepCopy()
	c.Spec.VolumeName = "pv1"
	c.Annotations = map[string]string{objects.AnnBindCompleted: "yes", objects.AnnBoundByController: "yes"}
	_, err = w.store.Update(c)
	require.NoError(w.t, err)
}

func ptrTo[T any](v T) *T { return &v }

func failedScheduling(t *testing.T, res controllers.Result) string {
	t.Helper()
	require.Len(t, res.Events, 1)
	assert.Equal(t, "FailedScheduling", res.Events[0].Reason)
	assert.Equal(t, objects.EventWarning, res.Events[0].Type)
	return res.Events[0].Message
}

func TestPodWithUnboundClaimWaitsForTheBinding(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "4", nil)
	w.node("n2", "4", nil)
	w.node("n3", "4", nil)
	w.claim("data")
	key := w.podWithClaim("mysql", "data")

	node, res := w.schedule(key)
	assert.Empty(t, node)
	assert.Equal(t, "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "+
		"preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", failedScheduling(t, res))
	require.NoError(t, applyAll(w, res))
	o, err := w.store.Get(key)
	require.NoError(t, err)
	pod := o.(*objects.Pod).DeepCopy()
	require.Len(t, pod.Status.Conditions, 1)
	assert.Equal(t, objects.PodCondition{Type: objects.PodScheduled, Status: objects.ConditionFalse, Reason: "Unschedulable",
		Message: res.Events[0].Message, LastTransitionTime: objects.NewTime(t0)}, pod.Status.Conditions[0])

	// Setting only volumeName is not a finished binding (isPVCFullyBound).
	o, err = w.store.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: "default", Name: "data"})
	require.NoError(t, err)
	half := o.(*objects.PersistentVolumeClaim).DeepCopy()
	half.Spec.VolumeName = "pv1"
	_, err = w.store.Update(half)
	require.NoError(t, err)
	w.feed()
	node, res = w.schedule(key)
	assert.Empty(t, node)
	assert.Contains(t, failedScheduling(t, res), "pod has unbound immediate PersistentVolumeClaims")

	w.bindClaim("data")
	retried := controllertest.Feed(w.store, w.s)
	assert.Contains(t, retried, key, "a claim change retries the pods waiting on claims")
	node, _ = w.schedule(key)
	assert.Equal(t, "n1", node)
}

// applyAll performs res's actions and feeds the scheduler.
func applyAll(w *world, res controllers.Result) error {
	for _, a := range res.Actions {
		if _, err := controllers.Perform(w.store, a); err != nil {
			return err
		}
	}
	w.feed()
	return nil
}

func TestPodWithMissingOrDeletedClaimFitsNowhere(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "4", nil)
	w.node("n2", "4", nil)

	_, res := w.schedule(w.podWithClaim("orphan", "missing"))
	assert.Equal(t, `0/2 nodes are available: persistentvolumeclaim "missing" not found. `+
		"preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.", failedScheduling(t, res))

	c := w.claim("going")
	w.bindClaim("going")
	deleted, err := w.store.Delete(objects.KeyOf(c), storage.DeleteOptions{})
	require.NoError(t, err)
	require.NotNil(t, deleted.GetObjectMeta().DeletionTimestamp, "pvc-protection holds the claim")
	w.feed()
	_, res = w.schedule(w.podWithClaim("late", "going"))
	assert.Equal(t, `0/2 nodes are available: persistentvolumeclaim "going" is being deleted. `+
		"preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.", failedScheduling(t, res))
}
