package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

func TestDeleteNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.Delete(podKey("default", "pi-x"), storage.DeleteOptions{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	assert.Equal(t, `pods "pi-x" not found`, err.Error())
}

func TestDeleteImmediatelyAndReuseName(t *testing.T) {
	f := newFixture(t)
	w := f.mustCreate(t, unstructured("example.com/v1", "Widget", "default", "w"))
	f.s.DrainEvents()

	out, err := f.s.Delete(objects.KeyOf(w), storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, w.GetObjectMeta().UID, out.GetObjectMeta().UID)
	assert.Equal(t, "4", out.GetObjectMeta().ResourceVersion, "the last state at the deletion's revision")
	_, err = f.s.Get(objects.KeyOf(w))
	assert.True(t, errors.Is(err, storage.ErrNotFound))

	events := f.s.DrainEvents()
	require.Equal(t, []storage.EventType{storage.Deleted}, eventTypes(events))
	assert.Equal(t, int64(4), events[0].ResourceVersion)
	assert.Equal(t, out, events[0].Object)
	assert.Equal(t, w, events[0].Old)

	again := f.mustCreate(t, unstructured("example.com/v1", "Widget", "default", "w"))
	assert.NotEqual(t, w.GetObjectMeta().UID, again.GetObjectMeta().UID, "a recreated object is a new object")
}

func TestPodGracefulDeletion(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, boundPod("default", "web")) // terminationGracePeriodSeconds defaults to 30
	f.s.DrainEvents()
	key := podKey("default", "web")

	out, err := f.s.Delete(key, storage.DeleteOptions{})
	require.NoError(t, err)
	p := out.(*objects.Pod)
	require.NotNil(t, p.DeletionTimestamp)
	assert.Equal(t, t0.Add(30*time.Second), p.DeletionTimestamp.Time)
	assert.Equal(t, ptr(int64(30)), p.DeletionGracePeriodSeconds)
	assert.Equal(t, int64(2), p.Generation, "a graceful deletion bumps generation")
	assert.Equal(t, p, f.mustGetPod(t, "default", "web"), "the pod stays until the kubelet confirms")
	assert.Equal(t, []storage.EventType{storage.Modified}, eventTypes(f.s.DrainEvents()))

	// A longer (or equal) grace period changes nothing.
	rv := f.s.ResourceVersion()
	out, err = f.s.Delete(key, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(60))})
	require.NoError(t, err)
	assert.Equal(t, p, out)
	assert.Equal(t, rv, f.s.ResourceVersion())
	out, err = f.s.Delete(key, storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, p, out)
	assert.Empty(t, f.s.DrainEvents())

	// A shorter one moves the deadline earlier.
	f.clk.Advance(5 * time.Second)
	out, err = f.s.Delete(key, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(10))})
	require.NoError(t, err)
	p = out.(*objects.Pod)
	assert.Equal(t, t0.Add(10*time.Second), p.DeletionTimestamp.Time)
	assert.Equal(t, ptr(int64(10)), p.DeletionGracePeriodSeconds)

	// The kubelet's final delete with grace 0 removes it.
	f.s.DrainEvents()
	out, err = f.s.Delete(key, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(t, err)
	assert.Equal(t, ptr(int64(0)), out.GetObjectMeta().DeletionGracePeriodSeconds)
	_, err = f.s.Get(key)
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	events := f.s.DrainEvents()
	assert.Equal(t, []storage.EventType{storage.Modified, storage.Deleted}, eventTypes(events),
		"as upstream, the zero grace period is written before the object goes")
	assert.Equal(t, out, events[1].Object)
}

func TestPodDeletedAtOnce(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture, t *testing.T) objects.Key
		opts  storage.DeleteOptions
	}{
		{
			name: "never scheduled",
			setup: func(f *fixture, t *testing.T) objects.Key {
				return objects.KeyOf(f.mustCreate(t, pod("default", "p")))
			},
		},
		{
			name: "already succeeded",
			setup: func(f *fixture, t *testing.T) objects.Key {
				p := f.mustCreate(t, boundPod("default", "p")).(*objects.Pod)
				p.Status.Phase = objects.PodSucceeded
				_, err := f.s.UpdateStatus(p)
				require.NoError(t, err)
				return objects.KeyOf(p)
			},
		},
		{
			name: "grace zero requested",
			setup: func(f *fixture, t *testing.T) objects.Key {
				return objects.KeyOf(f.mustCreate(t, boundPod("default", "p")))
			},
			opts: storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			key := tt.setup(f, t)
			f.s.DrainEvents()
			out, err := f.s.Delete(key, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, t0, out.GetObjectMeta().DeletionTimestamp.Time)
			_, err = f.s.Get(key)
			assert.True(t, errors.Is(err, storage.ErrNotFound))
			assert.Equal(t, []storage.EventType{storage.Modified, storage.Deleted}, eventTypes(f.s.DrainEvents()))
		})
	}
}

func TestFinalizersHoldDeletion(t *testing.T) {
	tests := []struct {
		name string
		obj  func() objects.Object
	}{
		{"pod", func() objects.Object { return pod("default", "x") }},
		{"unknown kind", func() objects.Object { return unstructured("example.com/v1", "Widget", "default", "x") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			obj := tt.obj()
			obj.GetObjectMeta().Finalizers = []string{"example.com/a", "example.com/b"}
			f.mustCreate(t, obj)
			key := objects.KeyOf(obj)
			f.clk.Advance(time.Minute)
			f.s.DrainEvents()

			out, err := f.s.Delete(key, storage.DeleteOptions{})
			require.NoError(t, err)
			m := out.GetObjectMeta()
			require.NotNil(t, m.DeletionTimestamp)
			assert.Equal(t, t0.Add(time.Minute), m.DeletionTimestamp.Time)
			assert.Equal(t, ptr(int64(0)), m.DeletionGracePeriodSeconds)
			assert.Equal(t, []storage.EventType{storage.Modified}, eventTypes(f.s.DrainEvents()))

			// Removing one finalizer keeps it; the deletion timestamp cannot be undone.
			cur, err := f.s.Get(key)
			require.NoError(t, err)
			cur.GetObjectMeta().Finalizers = []string{"example.com/b"}
			cur.GetObjectMeta().DeletionTimestamp = nil
			out, err = f.s.Update(cur)
			require.NoError(t, err)
			assert.NotNil(t, out.GetObjectMeta().DeletionTimestamp)

			// Removing the last one deletes it.
			out.GetObjectMeta().Finalizers = nil
			last, err := f.s.Update(out)
			require.NoError(t, err)
			assert.Empty(t, last.GetObjectMeta().Finalizers)
			_, err = f.s.Get(key)
			assert.True(t, errors.Is(err, storage.ErrNotFound))
			events := f.s.DrainEvents()
			require.Equal(t, []storage.EventType{storage.Modified, storage.Deleted}, eventTypes(events))
			assert.Equal(t, last.GetObjectMeta().ResourceVersion, events[1].Object.GetObjectMeta().ResourceVersion)
			assert.Equal(t, []string{"example.com/b"}, events[1].Object.GetObjectMeta().Finalizers,
				"the watch sees the last stored state, as etcd's does")
		})
	}
}

func TestPropagationPolicyFinalizers(t *testing.T) {
	tests := []struct {
		name      string
		obj       objects.Object
		policy    string
		want      []string // finalizers left; nil means deleted
		wantGone  bool
		wantError string
	}{
		{name: "background deletes", obj: deploymentObj("default", "d"), policy: storage.DeletePropagationBackground, wantGone: true},
		{name: "kind default for deployments", obj: deploymentObj("default", "d"), wantGone: true},
		{name: "foreground", obj: deploymentObj("default", "d"), policy: storage.DeletePropagationForeground, want: []string{storage.FinalizerDeleteDependents}},
		{name: "orphan", obj: deploymentObj("default", "d"), policy: storage.DeletePropagationOrphan, want: []string{storage.FinalizerOrphanDependents}},
		{name: "jobs orphan by default", obj: job("default", "pi"), want: []string{storage.FinalizerOrphanDependents}},
		{name: "events ignore propagation", obj: &objects.Event{ObjectMeta: objects.ObjectMeta{Name: "e"}}, policy: storage.DeletePropagationForeground, wantGone: true},
		{name: "unsupported policy", obj: deploymentObj("default", "d"), policy: "Sideways",
			wantError: `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			created := f.mustCreate(t, tt.obj)
			before := f.snapshotState()
			out, err := f.s.Delete(objects.KeyOf(created), storage.DeleteOptions{PropagationPolicy: tt.policy})
			if tt.wantError != "" {
				require.Error(t, err)
				assert.True(t, errors.Is(err, storage.ErrInvalid))
				assert.Equal(t, tt.wantError, err.Error())
				f.requireUnchanged(t, before)
				return
			}
			require.NoError(t, err)
			_, getErr := f.s.Get(objects.KeyOf(created))
			if tt.wantGone {
				assert.True(t, errors.Is(getErr, storage.ErrNotFound))
				return
			}
			require.NoError(t, getErr)
			assert.Equal(t, tt.want, out.GetObjectMeta().Finalizers)
			assert.NotNil(t, out.GetObjectMeta().DeletionTimestamp)
		})
	}
}

func TestDeletePreconditions(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, boundPod("default", "pi"))
	m := created.GetObjectMeta()
	before := f.snapshotState()

	_, err := f.s.Delete(objects.KeyOf(created), storage.DeleteOptions{Preconditions: &storage.Preconditions{UID: "other"}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrConflict))
	assert.Equal(t, `Operation cannot be fulfilled on Pod "pi": the UID in the precondition (other) does not match the UID in record (`+
		m.UID+`). The object might have been deleted and then recreated`, err.Error())

	_, err = f.s.Delete(objects.KeyOf(created), storage.DeleteOptions{Preconditions: &storage.Preconditions{ResourceVersion: "1"}})
	require.Error(t, err)
	assert.Equal(t, `Operation cannot be fulfilled on Pod "pi": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (`+
		m.ResourceVersion+`). The object might have been modified`, err.Error())
	f.requireUnchanged(t, before)

	_, err = f.s.Delete(objects.KeyOf(created), storage.DeleteOptions{
		Preconditions: &storage.Preconditions{UID: m.UID, ResourceVersion: m.ResourceVersion}})
	require.NoError(t, err)
}
