package kubelet

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The kubelet's own status update, coming back as a watch event, asks for
// no sync; anyone else's change of the pod does.
func TestOwnStatusUpdateIsNotSyncedAgain(t *testing.T) {
	r := newPullRig(t, nil, "busybox:1.36")
	r.s.DrainEvents()
	r.reconcile()
	evs := r.s.DrainEvents()
	require.Len(t, evs, 1, "the kubelet wrote the pod's status")
	assert.Empty(t, r.k.KeysFor(evs[0], r.s))

	obj, err := r.s.Get(r.key)
	require.NoError(t, err)
	other := obj.(*objects.Pod).DeepCopy()
	other.Labels = map[string]string{"app": "web"}
	_, err = r.s.Update(other)
	require.NoError(t, err)
	evs = r.s.DrainEvents()
	require.Len(t, evs, 1)
	assert.Equal(t, []objects.Key{r.key}, r.k.KeysFor(evs[0], r.s))
	assert.Equal(t, storage.Modified, evs[0].Type)
}
