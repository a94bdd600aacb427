package kubelet

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/workload/images"
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

// The kubelet's lookups follow the catalogue: an image added after a
// lookup is seen at the next one.
func TestImageLookupsFollowTheCatalog(t *testing.T) {
	catalog := images.NewCatalog()
	k, err := New(Config{NodeName: "node", PodCIDR: "10.244.1.0/24", Catalog: catalog})
	require.NoError(t, err)
	before := k.lookupImage("registry.example/tool:1")
	assert.Equal(t, catalog.Lookup("registry.example/tool:1"), before)
	require.NoError(t, catalog.Add("registry.example/tool:1", 123_456_789, "nginx"))
	after := k.lookupImage("registry.example/tool:1")
	assert.Equal(t, int64(123_456_789), after.SizeBytes)
	assert.Equal(t, catalog.Lookup("registry.example/tool:1"), after)
}
