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

func TestUpdateConflicts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *objects.Pod)
		is     error
		msg    string
	}{
		{
			name:   "stale resourceVersion",
			mutate: func(p *objects.Pod) { p.ResourceVersion = "1" },
			is:     storage.ErrConflict,
			msg:    `Operation cannot be fulfilled on pods "pi": the object has been modified; please apply your changes to the latest version and try again`,
		},
		{
			name:   "other uid",
			mutate: func(p *objects.Pod) { p.UID = "0000" },
			is:     storage.ErrConflict,
			msg: `Operation cannot be fulfilled on pods "pi": StorageError: invalid object, Code: 4, Key: /registry/pods/default/pi, ` +
				`ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 0000, UID in object meta: `,
		},
		{
			name:   "malformed resourceVersion",
			mutate: func(p *objects.Pod) { p.ResourceVersion = "abc" },
			is:     storage.ErrInvalid,
			msg:    `Pod "pi" is invalid: metadata.resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`,
		},
		{
			name:   "absent",
			mutate: func(p *objects.Pod) { p.Name = "nope" },
			is:     storage.ErrNotFound,
			msg:    `pods "nope" not found`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			created := f.mustCreate(t, pod("default", "pi"))
			p := f.mustGetPod(t, "default", "pi")
			p.Labels = map[string]string{"changed": "yes"}
			_, err := f.s.Update(p) // moves the stored resourceVersion on
			require.NoError(t, err)
			f.s.DrainEvents()

			before := f.snapshotState()
			stale := f.mustGetPod(t, "default", "pi")
			stale.Labels = map[string]string{"changed": "again"}
			tt.mutate(stale)
			_, err = f.s.Update(stale)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.is), "%v", err)
			msg := tt.msg
			if tt.name == "other uid" {
				msg += created.GetObjectMeta().UID
			}
			assert.Equal(t, msg, err.Error())
			f.requireUnchanged(t, before)
		})
	}
}

func TestUpdateUnconditionalAndPreservedFields(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, pod("default", "pi")).(*objects.Pod)
	f.clk.Advance(time.Minute)

	p := created.DeepCopy()
	p.ResourceVersion = "" // unconditional
	p.UID = ""
	p.CreationTimestamp = objects.NewTime(t0.Add(time.Hour))
	p.DeletionTimestamp = ptr(objects.NewTime(t0))
	p.Generation = 99
	p.Labels = map[string]string{"app": "pi"}
	out, err := f.s.Update(p)
	require.NoError(t, err)
	got := out.(*objects.Pod)
	assert.Equal(t, created.UID, got.UID)
	assert.Equal(t, created.CreationTimestamp, got.CreationTimestamp)
	assert.Nil(t, got.DeletionTimestamp)
	assert.Equal(t, int64(1), got.Generation, "a metadata change does not bump generation")
	assert.Equal(t, map[string]string{"app": "pi"}, got.Labels)
	assert.NotEqual(t, created.ResourceVersion, got.ResourceVersion)
}

func TestUpdateGenerationFollowsSpec(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, pod("default", "pi")).(*objects.Pod)

	p := created.DeepCopy()
	p.Spec.ActiveDeadlineSeconds = ptr(int64(60))
	out, err := f.s.Update(p)
	require.NoError(t, err)
	assert.Equal(t, int64(2), out.GetObjectMeta().Generation)

	s := out.(*objects.Pod)
	s.Status.Phase = objects.PodRunning
	out, err = f.s.UpdateStatus(s)
	require.NoError(t, err)
	assert.Equal(t, int64(2), out.GetObjectMeta().Generation, "status changes leave generation alone")
}

func TestNoOpUpdateWritesNothing(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, pod("default", "pi"))
	f.s.DrainEvents()
	before := f.snapshotState()

	out, err := f.s.Update(created)
	require.NoError(t, err)
	assert.Equal(t, created, out)
	// Semantically equal: a nil map and an empty one encode the same.
	p := created.(*objects.Pod).DeepCopy()
	p.Labels = map[string]string{}
	_, err = f.s.Update(p)
	require.NoError(t, err)
	f.requireUnchanged(t, before)
}

func TestStatusSubresource(t *testing.T) {
	f := newFixture(t)
	owner := objects.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: "pi", UID: "u1"}
	in := pod("default", "pi")
	in.OwnerReferences = []objects.OwnerReference{owner}
	created := f.mustCreate(t, in).(*objects.Pod)

	// The main endpoint ignores status.
	p := created.DeepCopy()
	p.Status.Phase = objects.PodRunning
	p.Spec.ActiveDeadlineSeconds = ptr(int64(5))
	out, err := f.s.Update(p)
	require.NoError(t, err)
	got := out.(*objects.Pod)
	assert.Equal(t, objects.PodPending, got.Status.Phase)
	assert.Equal(t, ptr(int64(5)), got.Spec.ActiveDeadlineSeconds)

	// The status endpoint ignores spec and owner references, keeps QoS, takes labels.
	s := got.DeepCopy()
	s.Status.Phase = objects.PodRunning
	s.Status.QOSClass = ""
	s.Spec.ActiveDeadlineSeconds = ptr(int64(9))
	s.OwnerReferences = nil
	s.Labels = map[string]string{"seen": "kubelet"}
	out, err = f.s.UpdateStatus(s)
	require.NoError(t, err)
	got = out.(*objects.Pod)
	assert.Equal(t, objects.PodRunning, got.Status.Phase)
	assert.Equal(t, objects.QOSBestEffort, got.Status.QOSClass)
	assert.Equal(t, ptr(int64(5)), got.Spec.ActiveDeadlineSeconds)
	assert.Equal(t, []objects.OwnerReference{owner}, got.OwnerReferences)
	assert.Equal(t, map[string]string{"seen": "kubelet"}, got.Labels)
	assert.Equal(t, got, f.mustGetPod(t, "default", "pi"))
}

func TestUpdateStatusWithoutSubresource(t *testing.T) {
	f := newFixture(t)
	w := f.mustCreate(t, unstructured("example.com/v1", "Widget", "default", "w"))
	before := f.snapshotState()
	_, err := f.s.UpdateStatus(w)
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	assert.Equal(t, "the server could not find the requested resource", err.Error())
	f.requireUnchanged(t, before)
}

func TestUpdateWithOtherGoTypeIsRejected(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, pod("default", "pi"))
	before := f.snapshotState()
	_, err := f.s.Update(unstructured("v1", "Pod", "default", "pi"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrBadRequest))
	f.requireUnchanged(t, before)
}

func TestUpdateEmitsModifiedWithOld(t *testing.T) {
	f := newFixture(t)
	created := f.mustCreate(t, pod("default", "pi")).(*objects.Pod)
	p := created.DeepCopy()
	p.Labels = map[string]string{"a": "b"}
	out, err := f.s.Update(p)
	require.NoError(t, err)

	events := f.s.DrainEvents()
	require.Equal(t, []storage.EventType{storage.Added, storage.Modified}, eventTypes(events))
	assert.Nil(t, events[0].Old)
	assert.Equal(t, created, events[0].Object)
	assert.Equal(t, out, events[1].Object)
	assert.Equal(t, created, events[1].Old)
	assert.Equal(t, f.s.ResourceVersion(), events[1].ResourceVersion)
	assert.Empty(t, f.s.DrainEvents(), "draining forgets")

	// Drained objects belong to the caller.
	events[1].Object.GetObjectMeta().Labels["a"] = "mutated"
	assert.Equal(t, "b", f.mustGetPod(t, "default", "pi").Labels["a"])
}

// A binding sets spec.nodeName unchecked, as upstream's does, so a later
// update of the pod that leaves its spec alone still reports a node name
// no node could have, as upstream's full re-validation does; the pod's
// other spec fields, checked when it was stored, are not checked again.
func TestUpdateOfABoundPodChecksTheNodeName(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, pod("default", "pi"))
	_, err := f.s.Bind(podKey("default", "pi"), "Node_1")
	require.NoError(t, err)
	p := f.mustGetPod(t, "default", "pi")
	p.Labels = map[string]string{"changed": "yes"}
	_, err = f.s.Update(p)
	require.ErrorIs(t, err, storage.ErrInvalid)
	assert.EqualError(t, err, `Pod "pi" is invalid: spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`)

	f.mustCreate(t, pod("default", "ok"))
	_, err = f.s.Bind(podKey("default", "ok"), "node-1")
	require.NoError(t, err)
	p = f.mustGetPod(t, "default", "ok")
	p.Labels = map[string]string{"changed": "yes"}
	out, err := f.s.Update(p)
	require.NoError(t, err)
	assert.Equal(t, "yes", out.GetObjectMeta().Labels["changed"])
}
