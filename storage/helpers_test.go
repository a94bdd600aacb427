package storage_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// t0 is the virtual time every test store starts at.
var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// fixture is a store with the namespaces a simulation creates, its clock,
// and no pending events. Its store runs with CheckMutations, verified when
// the test ends; the tests reach it through copyingStore, so that they may
// change what they read as the store's callers once could.
type fixture struct {
	s   copyingStore
	clk *clock.Fake
}

// copyingStore hands the tests copies of what the store returns (the store
// itself shares them, read-only); TestReadsAreShared checks the sharing.
type copyingStore struct{ *storage.Store }

func copied(obj objects.Object, err error) (objects.Object, error) {
	if obj == nil {
		return nil, err
	}
	return obj.DeepCopyObject(), err
}

func (c copyingStore) Get(k objects.Key) (objects.Object, error) { return copied(c.Store.Get(k)) }
func (c copyingStore) Create(o objects.Object) (objects.Object, error) {
	return copied(c.Store.Create(o))
}
func (c copyingStore) Update(o objects.Object) (objects.Object, error) {
	return copied(c.Store.Update(o))
}
func (c copyingStore) UpdateStatus(o objects.Object) (objects.Object, error) {
	return copied(c.Store.UpdateStatus(o))
}
func (c copyingStore) Bind(k objects.Key, node string) (objects.Object, error) {
	return copied(c.Store.Bind(k, node))
}
func (c copyingStore) Delete(k objects.Key, opts storage.DeleteOptions) (objects.Object, error) {
	return copied(c.Store.Delete(k, opts))
}
func (c copyingStore) List(kind, ns string, sel objects.Selector) []objects.Object {
	out := c.Store.List(kind, ns, sel)
	for i, o := range out {
		out[i] = o.DeepCopyObject()
	}
	return out
}
func (c copyingStore) DrainEvents() []storage.WatchEvent {
	out := c.Store.DrainEvents()
	for i := range out {
		out[i].Object = out[i].Object.DeepCopyObject()
		if out[i].Old != nil {
			out[i].Old = out[i].Old.DeepCopyObject()
		}
	}
	return out
}

// newFixture returns a store seeded with (1, 2) holding namespaces default
// and kube-system.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newSeededFixture(t, 1, 2)
}

// newSeededFixture returns a fixture whose random source has the given seed.
func newSeededFixture(t testing.TB, seed1, seed2 uint64) *fixture {
	t.Helper()
	clk := clock.NewFake(t0)
	s := storage.New(clk, rand.New(rand.NewPCG(seed1, seed2)))
	for _, ns := range []string{"default", "kube-system"} {
		_, err := s.Create(namespace(ns))
		require.NoError(t, err)
	}
	s.DrainEvents()
	s.CheckMutations(true)
	t.Cleanup(func() {
		if err := s.VerifyUnchanged(); err != nil {
			t.Error(err)
		}
	})
	return &fixture{s: copyingStore{s}, clk: clk}
}

// namespace returns a new namespace object.
func namespace(name string) *objects.Namespace {
	return &objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: name}}
}

// pod returns a valid, unscheduled pod in namespace ns.
func pod(ns, name string) *objects.Pod {
	return &objects.Pod{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: ns, Name: name},
		Spec:       objects.PodSpec{Containers: []objects.Container{{Name: "main", Image: "busybox:1.36"}}},
	}
}

// boundPod returns a valid pod already scheduled to node-1.
func boundPod(ns, name string) *objects.Pod {
	p := pod(ns, name)
	p.Spec.NodeName = "node-1"
	return p
}

// node returns a node object.
func node(name string) *objects.Node {
	return &objects.Node{ObjectMeta: objects.ObjectMeta{Name: name}}
}

// unstructured returns an object of a kind kubesim does not model.
func unstructured(apiVersion, kind, ns, name string) *objects.Unstructured {
	return &objects.Unstructured{
		TypeMeta:   objects.TypeMeta{APIVersion: apiVersion, Kind: kind},
		ObjectMeta: objects.ObjectMeta{Namespace: ns, Name: name},
		Content:    map[string]any{"spec": map[string]any{"size": int64(3)}},
	}
}

// mustCreate creates obj and returns a copy of the stored result, which
// the test may change.
func (f *fixture) mustCreate(t testing.TB, obj objects.Object) objects.Object {
	t.Helper()
	out, err := f.s.Create(obj)
	require.NoError(t, err)
	return out.DeepCopyObject()
}

// mustGetPod fetches a copy of a pod, which the test may change.
func (f *fixture) mustGetPod(t testing.TB, ns, name string) *objects.Pod {
	t.Helper()
	obj, err := f.s.Get(objects.Key{Kind: "Pod", Namespace: ns, Name: name})
	require.NoError(t, err)
	return obj.(*objects.Pod).DeepCopy()
}

// state captures what a rejected call must leave untouched.
type state struct {
	rev     int64
	len     int
	pending int
	all     []objects.Object
}

// snapshotState records the store's revision, size, pending events and
// every object.
func (f *fixture) snapshotState() state {
	var all []objects.Object
	for _, k := range []string{"Namespace", "Pod", "Node", "Event", "Widget"} {
		all = append(all, f.s.List(k, "", nil)...)
	}
	return state{rev: f.s.ResourceVersion(), len: f.s.Len(), pending: f.s.PendingEvents(), all: all}
}

// requireUnchanged asserts the store is as it was when before was taken.
func (f *fixture) requireUnchanged(t testing.TB, before state) {
	t.Helper()
	require.Equal(t, before, f.snapshotState())
}

// eventTypes lists the types of events.
func eventTypes(events []storage.WatchEvent) []storage.EventType {
	out := make([]storage.EventType, len(events))
	for i, e := range events {
		out[i] = e.Type
	}
	return out
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// podKey is the key of a pod.
func podKey(ns, name string) objects.Key {
	return objects.Key{Kind: "Pod", Namespace: ns, Name: name}
}
