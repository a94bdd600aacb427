package storage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Rolling back undoes creates, updates and deletes, hands the revisions out
// again and drops the watch events, so the store reads as if nothing had
// been written.
func TestRollbackReturnsTheStoreToItsCheckpoint(t *testing.T) {
	f := newFixture(t)
	kept := f.mustCreate(t, pod("default", "kept"))
	f.s.DrainEvents()
	before := f.snapshotState()
	cp := f.s.Checkpoint()

	f.mustCreate(t, pod("default", "new"))
	changed := kept.DeepCopyObject().(*objects.Pod)
	changed.Labels = map[string]string{"a": "b"}
	_, err := f.s.Update(changed)
	require.NoError(t, err)
	_, err = f.s.Delete(podKey("default", "kept"), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	require.NotZero(t, f.s.PendingEvents())

	f.s.Rollback(cp)
	f.requireUnchanged(t, before)
	assert.Zero(t, f.s.PendingEvents(), "no watcher sees the rolled-back writes")
	got := f.mustGetPod(t, "default", "kept")
	assert.Empty(t, got.Labels)
	_, err = f.s.Get(podKey("default", "new"))
	require.Error(t, err)

	f.mustCreate(t, pod("default", "again"))
	assert.Equal(t, before.rev+1, f.s.ResourceVersion(),
		"the next write takes the first revision the rolled-back writes had")
}

// DrainEventsInto returns the changes since the last drain and collects
// the next ones in the spare slice it was given, emptied of the old ones.
func TestDrainEventsIntoReusesTheSpare(t *testing.T) {
	f := newFixture(t)
	f.s.DrainEvents()
	f.mustCreate(t, pod("default", "a"))
	first := f.s.DrainEventsInto(nil)
	require.Len(t, first, 1)
	assert.Equal(t, "a", first[0].Object.GetObjectMeta().Name)

	f.mustCreate(t, pod("default", "b"))
	second := f.s.DrainEventsInto(first)
	require.Len(t, second, 1)
	assert.Equal(t, "b", second[0].Object.GetObjectMeta().Name)
	assert.Nil(t, first[:1][0].Object, "the spare was emptied")

	f.mustCreate(t, pod("default", "c"))
	third := f.s.DrainEventsInto(second)
	require.Len(t, third, 1)
	assert.Equal(t, "c", third[0].Object.GetObjectMeta().Name)
	assert.Same(t, &first[:1][0], &third[0], "collected in the spare")
}
