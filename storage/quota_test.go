package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// sizeOf is the quota's measure of a stored object: its JSON length.
func sizeOf(t *testing.T, obj objects.Object) int64 {
	t.Helper()
	b, err := json.Marshal(obj)
	require.NoError(t, err)
	return int64(len(b))
}

// Size is the sum of the stored objects' JSON lengths, each measured as it
// is stored, kept as objects are created, updated and deleted.
func TestSizeFollowsStoredObjects(t *testing.T) {
	f := newFixture(t)
	base := f.s.Size()
	created, err := f.s.Create(pod("default", "web"))
	require.NoError(t, err)
	assert.Equal(t, base+sizeOf(t, created), f.s.Size())
	created.(*objects.Pod).Labels = map[string]string{"app": "a-longer-label-value"}
	updated, err := f.s.Update(created)
	require.NoError(t, err)
	stored, err := f.s.Get(objects.KeyOf(updated))
	require.NoError(t, err)
	assert.Equal(t, base+sizeOf(t, stored), f.s.Size())
	_, err = f.s.Delete(objects.KeyOf(updated), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	assert.Equal(t, base, f.s.Size())
}

// Past the quota, creates and growing updates fail with etcd's error as
// the apiserver passes it on (a 500 without a reason) and change nothing;
// shrinking updates and deletes go through and free room for new writes.
func TestQuotaRefusesWritesNotDeletes(t *testing.T) {
	f := newFixture(t)
	padded := boundPod("default", "a")
	padded.Labels = map[string]string{"pad": "0123456789012345678901234567890123456789"}
	first, err := f.s.Create(padded)
	require.NoError(t, err)
	pending, err := f.s.Create(pod("default", "pending"))
	require.NoError(t, err)
	f.s.SetQuota(f.s.Size() + sizeOf(t, first)) // room for one more pod like it
	_, err = f.s.Create(boundPod("default", "b"))
	require.NoError(t, err)
	f.s.SetQuota(f.s.Size()) // full to the byte
	rev := f.s.ResourceVersion()

	_, err = f.s.Create(boundPod("default", "c"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrNoSpace))
	assert.Equal(t, "etcdserver: mvcc: database space exceeded", err.Error())
	var se *storage.StatusError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, storage.ReasonUnknown, se.Reason)
	assert.Equal(t, int32(500), se.Code)
	assert.Equal(t, rev, f.s.ResourceVersion(), "nothing written")

	upd := first.DeepCopyObject()
	upd.GetObjectMeta().Labels["x"] = "y"
	_, err = f.s.Update(upd)
	assert.ErrorIs(t, err, storage.ErrNoSpace)
	_, err = f.s.Bind(objects.KeyOf(pending), "node-1")
	assert.ErrorIs(t, err, storage.ErrNoSpace, "a binding writes the pod")
	_, err = f.s.Update(first)
	assert.NoError(t, err, "an update that changes nothing writes nothing")
	shrunk := first.DeepCopyObject()
	shrunk.GetObjectMeta().Labels = nil
	first, err = f.s.Update(shrunk)
	assert.NoError(t, err, "an update that shrinks the object frees space")

	_, err = f.s.Delete(objects.KeyOf(first), storage.DeleteOptions{})
	require.NoError(t, err, "a graceful deletion goes through")
	_, err = f.s.Delete(objects.KeyOf(first), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	_, err = f.s.Create(boundPod("default", "c"))
	assert.NoError(t, err, "the deletion made room")
}

// Objects stored unmeasured are measured when Size asks, whatever happened
// to them since: replaced, deleted, or written after a checkpoint that a
// rollback then undid (after a measure in between).
func TestSizeMeasuresWhatIsStored(t *testing.T) {
	f := newFixture(t)
	total := func() int64 {
		var sum int64
		f.s.ScanAll(func(obj objects.Object) bool {
			sum += sizeOf(t, obj)
			return true
		})
		return sum
	}
	a, err := f.s.Create(pod("default", "a"))
	require.NoError(t, err)
	_, err = f.s.Create(pod("default", "b"))
	require.NoError(t, err)
	assert.Equal(t, total(), f.s.Size())

	_, err = f.s.Create(pod("default", "c"))
	require.NoError(t, err)
	relabelled := a.DeepCopyObject()
	relabelled.GetObjectMeta().Labels = map[string]string{"app": "a-longer-label-value"}
	_, err = f.s.Update(relabelled)
	require.NoError(t, err)
	_, err = f.s.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: "b"},
		storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	cp := f.s.Checkpoint()
	_, err = f.s.Create(pod("default", "d"))
	require.NoError(t, err)
	assert.Equal(t, total(), f.s.Size())
	f.s.Rollback(cp)
	assert.Equal(t, total(), f.s.Size(), "after the rollback")
}

// Without a quota nothing is measured, and the list of objects stored
// unmeasured keeps no more than a few times those still stored: the
// versions a long run replaces do not pile up in it.
func TestUnmeasuredListStaysBounded(t *testing.T) {
	f := newFixture(t)
	created, err := f.s.Create(pod("default", "web"))
	require.NoError(t, err)
	p := created.(*objects.Pod)
	for i := range 5000 {
		next := p.DeepCopy()
		next.Labels = map[string]string{"version": fmt.Sprint(i)}
		stored, err := f.s.Update(next)
		require.NoError(t, err)
		p = stored.(*objects.Pod)
	}
	assert.Less(t, f.s.UnmeasuredListed(), 200, "5,000 versions of one pod")
	var sum int64
	f.s.ScanAll(func(obj objects.Object) bool {
		sum += sizeOf(t, obj)
		return true
	})
	assert.Equal(t, sum, f.s.Size())
}
