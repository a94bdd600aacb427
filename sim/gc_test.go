package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// ownedPod creates an owner object and a running pod it controls.
func ownedPod(t *testing.T, c *sim.Cluster) (owner objects.Object, podKey objects.Key) {
	t.Helper()
	applied, err := c.Apply([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\ndata:\n  k: v\n"))
	require.NoError(t, err)
	owner = applied[0].Object
	m := fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: dependent
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: owner
    uid: %s
    controller: true
    blockOwnerDeletion: true
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`, owner.GetObjectMeta().UID)
	_, err = c.Apply([]byte(m))
	require.NoError(t, err)
	require.True(t, c.RunUntil(phaseIs("dependent", objects.PodRunning), time.Minute))
	return owner, objects.Key{Kind: "Pod", Namespace: "default", Name: "dependent"}
}

func exists(key objects.Key) func(storage.Reader) bool {
	return func(r storage.Reader) bool { _, err := r.Get(key); return err == nil }
}

func not(f func(storage.Reader) bool) func(storage.Reader) bool {
	return func(r storage.Reader) bool { return !f(r) }
}

func TestBackgroundDeleteCollectsDependents(t *testing.T) {
	c := newCluster(t)
	owner, pod := ownedPod(t, c)
	_, err := c.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground})
	require.NoError(t, err)
	assert.False(t, exists(objects.KeyOf(owner))(c.Store()), "the owner goes at once")
	require.True(t, c.RunUntil(not(exists(pod)), time.Minute), "the orphaned dependent is collected")
}

func TestOrphanDeleteKeepsDependentsWithoutTheReference(t *testing.T) {
	c := newCluster(t)
	owner, pod := ownedPod(t, c)
	_, err := c.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationOrphan})
	require.NoError(t, err)
	require.True(t, c.RunUntil(not(exists(objects.KeyOf(owner))), time.Minute))
	c.Advance(time.Minute)
	obj, err := c.Get(pod)
	require.NoError(t, err, "the dependent stays")
	assert.Empty(t, obj.GetObjectMeta().OwnerReferences)
	assert.Equal(t, objects.PodRunning, obj.(*objects.Pod).Status.Phase)
}

func TestForegroundDeleteWaitsForBlockingDependents(t *testing.T) {
	c := newCluster(t)
	owner, pod := ownedPod(t, c)
	_, err := c.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationForeground})
	require.NoError(t, err)
	c.Advance(time.Second)
	obj, err := c.Get(objects.KeyOf(owner))
	require.NoError(t, err, "the owner waits for its dependent")
	assert.NotNil(t, obj.GetObjectMeta().DeletionTimestamp)
	require.True(t, c.RunUntil(not(exists(pod)), time.Minute), "the dependent is deleted (30s grace)")
	require.True(t, c.RunUntil(not(exists(objects.KeyOf(owner))), time.Second), "then the owner goes")
}
