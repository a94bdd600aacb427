package garbagecollector_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/garbagecollector"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// world is a store with a ConfigMap owner and a ConfigMap dependent, and a
// collector that has seen every change.
type world struct {
	t     *testing.T
	store *storage.Store
	gc    *garbagecollector.Collector
	keys  []objects.Key // keys the collector asked for, from the last feed
}

func newWorld(t *testing.T) (*world, objects.Object, objects.Key) {
	w := &world{t: t, store: controllertest.NewStore(t, t0), gc: garbagecollector.New()}
	w.feed()
	owner := w.create(configMap("owner", nil))
	yes := true
	ref := objects.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "owner", UID: owner.GetObjectMeta().UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
	dep := w.create(configMap("dependent", []objects.OwnerReference{ref}))
	return w, owner, objects.KeyOf(dep)
}

func configMap(name string, owners []objects.OwnerReference) objects.Object {
	return &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default", OwnerReferences: owners}}
}

func (w *world) create(obj objects.Object) objects.Object {
	w.t.Helper()
	out, err := w.store.Create(obj)
	require.NoError(w.t, err)
	w.feed()
	return out.DeepCopyObject()
}

func (w *world) feed() {
	w.keys = controllertest.Feed(w.store, w.gc)
}

// settle reconciles every key asked for, applying the writes, until quiet.
func (w *world) settle() {
	for range 10 {
		keys := w.keys
		if len(keys) == 0 {
			return
		}
		w.keys = nil
		for _, k := range keys {
			applied := controllertest.Apply(w.store, w.gc, w.gc.Reconcile(t0, w.store, k))
			require.NoError(w.t, applied.Err)
			w.keys = append(w.keys, applied.Keys...)
		}
	}
}

func TestCollectsDependentsOfAGoneOwner(t *testing.T) {
	w, owner, dep := newWorld(t)
	_, err := w.store.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground})
	require.NoError(t, err)
	w.feed()
	assert.Contains(t, w.keys, dep, "the owner's deletion wakes its dependents")
	assert.NotEmpty(t, garbagecollector.CheckSettled(w.store, "ConfigMap"), "before the collector acts, the dependent outlives its owner")
	w.settle()
	_, err = w.store.Get(dep)
	assert.ErrorIs(t, err, storage.ErrNotFound)
	assert.Empty(t, garbagecollector.CheckSettled(w.store, "ConfigMap"))
}

func TestOrphanRemovesReferencesThenFinalizer(t *testing.T) {
	w, owner, dep := newWorld(t)
	_, err := w.store.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationOrphan})
	require.NoError(t, err)
	w.feed()
	w.settle()
	obj, err := w.store.Get(dep)
	require.NoError(t, err)
	assert.Empty(t, obj.GetObjectMeta().OwnerReferences)
	_, err = w.store.Get(objects.KeyOf(owner))
	assert.ErrorIs(t, err, storage.ErrNotFound, "the orphan finalizer is gone, so is the owner")
}

func TestForegroundDeletesDependentsFirst(t *testing.T) {
	w, owner, dep := newWorld(t)
	_, err := w.store.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationForeground})
	require.NoError(t, err)
	w.feed()
	res := w.gc.Reconcile(t0, w.store, objects.KeyOf(owner))
	require.Len(t, res.Actions, 1, "only the dependent's delete: the blocking dependent keeps the finalizer")
	assert.Equal(t, controllers.Delete, res.Actions[0].Verb)
	assert.Equal(t, dep, res.Actions[0].Key)
	w.settle()
	w.settle()
	_, err = w.store.Get(objects.KeyOf(owner))
	assert.ErrorIs(t, err, storage.ErrNotFound)
	_, err = w.store.Get(dep)
	assert.ErrorIs(t, err, storage.ErrNotFound)
}

// The collector looks only where upstream's graph builder would enqueue: a
// dependent whose owner it has seen asks nothing, one naming an owner it
// has not seen is looked at, and a deleted dependent wakes its owner only
// when that owner waits for its dependents (foreground).
func TestEnqueuesAsTheGraphBuilderDoes(t *testing.T) {
	w, owner, dep := newWorld(t)
	assert.NotContains(t, w.keys, dep, "its owner is in the collector's view: nothing to look up")

	yes := true
	ghost := objects.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "ghost", UID: "no-such-uid", Controller: &yes}
	orphan := w.create(configMap("orphan", []objects.OwnerReference{ghost}))
	assert.Contains(t, w.keys, objects.KeyOf(orphan), "an owner never seen is looked up")
	stale := w.create(configMap("stale", []objects.OwnerReference{{APIVersion: "v1", Kind: "ConfigMap",
		Name: "owner", UID: "an-older-uid"}}))
	assert.Contains(t, w.keys, objects.KeyOf(stale), "a name seen under another uid is not the owner")

	_, err := w.store.Delete(dep, storage.DeleteOptions{})
	require.NoError(t, err)
	w.feed()
	assert.NotContains(t, w.keys, objects.KeyOf(owner), "an owner not being deleted does not wait for its dependents")

	second := w.create(configMap("second", []objects.OwnerReference{{APIVersion: "v1", Kind: "ConfigMap",
		Name: "owner", UID: owner.GetObjectMeta().UID, BlockOwnerDeletion: &yes}}))
	_, err = w.store.Delete(objects.KeyOf(owner), storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationForeground})
	require.NoError(t, err)
	w.feed()
	require.Contains(t, w.keys, objects.KeyOf(second), "a foreground deletion wakes the dependents")
	_, err = w.store.Delete(objects.KeyOf(second), storage.DeleteOptions{})
	require.NoError(t, err)
	w.feed()
	assert.Contains(t, w.keys, objects.KeyOf(owner), "the owner deleting its dependents is woken by the last one's deletion")
}
