package storage_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

func TestNamespaceLifecycle(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, namespace("team")).(*objects.Namespace)
	assert.Equal(t, objects.NamespaceActive, created.Status.Phase)
	assert.Equal(t, []string{objects.FinalizerKubernetes}, created.Spec.Finalizers)
	key := objects.Key{Kind: "Namespace", Name: "team"}
	f.s.DrainEvents()

	// The first delete only starts termination.
	out, err := f.s.Delete(key, storage.DeleteOptions{})
	require.NoError(t, err)
	ns := out.(*objects.Namespace)
	assert.Equal(t, objects.NamespaceTerminating, ns.Status.Phase)
	require.NotNil(t, ns.DeletionTimestamp)
	assert.Equal(t, t0, ns.DeletionTimestamp.Time)
	assert.Equal(t, []storage.EventType{storage.Modified}, eventTypes(f.s.DrainEvents()))

	// A plain update cannot remove the spec finalizer, and a second delete waits.
	ns.Spec.Finalizers = nil
	_, err = f.s.Update(ns)
	require.NoError(t, err)
	out, err = f.s.Delete(key, storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{objects.FinalizerKubernetes}, out.(*objects.Namespace).Spec.Finalizers)
	assert.Empty(t, f.s.DrainEvents())

	// The namespace controller finalizes it once empty; then it goes.
	cur := out.(*objects.Namespace)
	cur.Spec.Finalizers = nil
	_, err = f.s.FinalizeNamespace(cur)
	require.NoError(t, err)
	_, err = f.s.Get(key)
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	assert.Equal(t, []storage.EventType{storage.Deleted}, eventTypes(f.s.DrainEvents()))
}

func TestImmortalNamespaces(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	_, err := f.s.Delete(objects.Key{Kind: "Namespace", Name: "default"}, storage.DeleteOptions{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrForbidden))
	assert.Equal(t, `namespaces "default" is forbidden: this namespace may not be deleted`, err.Error())
	f.requireUnchanged(t, before)
}

func TestNamespacePreconditions(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, namespace("team"))
	_, err := f.s.Delete(objects.KeyOf(created), storage.DeleteOptions{Preconditions: &storage.Preconditions{UID: "x"}})
	require.Error(t, err)
	assert.Equal(t, `Operation cannot be fulfilled on namespaces "team": Precondition failed: UID in precondition: x, UID in object meta: `+
		created.GetObjectMeta().UID, err.Error())
}

func TestFinalizeOnlyForNamespaces(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.FinalizeNamespace(nil)
	assert.True(t, errors.Is(err, storage.ErrBadRequest))
	_, err = f.s.FinalizeNamespace(namespace("absent"))
	assert.True(t, errors.Is(err, storage.ErrNotFound))
}
