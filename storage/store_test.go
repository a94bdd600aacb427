package storage_test

import (
	"errors"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// keysOf lists the keys of objs.
func keysOf(objs []objects.Object) []objects.Key {
	out := make([]objects.Key, len(objs))
	for i, o := range objs {
		out[i] = objects.KeyOf(o)
	}
	return out
}

func TestListOrderAndScope(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, namespace("apps"))
	rnd := rand.New(rand.NewPCG(5, 6))
	var want []objects.Key
	for _, i := range rnd.Perm(20) {
		ns := []string{"default", "apps", "kube-system"}[i%3]
		name := "p" + strconv.Itoa(i)
		f.mustCreate(t, pod(ns, name))
		want = append(want, podKey(ns, name))
	}
	f.mustCreate(t, node("n2"))
	f.mustCreate(t, node("n1"))
	sort.Slice(want, func(i, j int) bool { return want[i].Less(want[j]) })

	assert.Equal(t, want, keysOf(f.s.List("Pod", "", nil)))
	var apps []objects.Key
	for _, k := range want {
		if k.Namespace == "apps" {
			apps = append(apps, k)
		}
	}
	assert.Equal(t, apps, keysOf(f.s.List("Pod", "apps", nil)))
	assert.Empty(t, f.s.List("Pod", "absent", nil))
	assert.Equal(t, []objects.Key{{Kind: "Node", Name: "n1"}, {Kind: "Node", Name: "n2"}},
		keysOf(f.s.List("Node", "default", nil)), "the namespace is ignored for cluster-scoped kinds")
	assert.Empty(t, f.s.List("Widget", "", nil))
}

func TestListSelectorMatchesNaiveFilter(t *testing.T) {
	f := newFixture(t)
	rnd := rand.New(rand.NewPCG(11, 12))
	apps := []string{"web", "db", "cache"}
	for i := range 200 {
		p := pod("default", "p"+strconv.Itoa(i))
		p.Labels = map[string]string{}
		if rnd.IntN(4) > 0 {
			p.Labels["app"] = apps[rnd.IntN(len(apps))]
		}
		if rnd.IntN(2) == 0 {
			p.Labels["tier"] = strconv.Itoa(rnd.IntN(3))
		}
		f.mustCreate(t, p)
	}
	all := f.s.List("Pod", "", nil)
	require.Len(t, all, 200)
	for _, expr := range []string{"", "app=web", "app!=web", "app in (db,cache)", "!app", "tier", "app=db,tier=1", "tier notin (0)", "tier>1"} {
		sel, err := objects.ParseSelector(expr)
		require.NoError(t, err, expr)
		var want []objects.Object
		for _, o := range all {
			if sel.Matches(o.GetObjectMeta().Labels) {
				want = append(want, o)
			}
		}
		assert.Equal(t, want, f.s.List("Pod", "", sel), expr)
	}
	assert.Empty(t, f.s.List("Pod", "", objects.Nothing()))
}

// Reads are free: the store hands out the objects it holds, shared by every
// reader, and a caller that changes one is caught by CheckMutations.
func TestReadsAreShared(t *testing.T) {
	f := newFixture(t)
	s := f.s.Store
	created, err := s.Create(pod("default", "pi"))
	require.NoError(t, err)
	got, err := s.Get(podKey("default", "pi"))
	require.NoError(t, err)
	assert.Same(t, created, got, "the create's result is what is stored")
	assert.Same(t, got, s.List("Pod", "default", nil)[0])
	assert.Same(t, got, s.Snapshot().List("Pod", "default", nil)[0])
	require.NoError(t, s.VerifyUnchanged())

	got.(*objects.Pod).Spec.Containers[0].Image = "changed by a careless reader"
	err = s.VerifyUnchanged()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the stored Pod/default/pi (resourceVersion 3) was changed after it was stored")
	got.(*objects.Pod).Spec.Containers[0].Image = "busybox:1.36" // leave the store as it was for the cleanup check
}

func TestSnapshotIsolation(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"a", "b", "c"} {
		f.mustCreate(t, pod("default", name))
	}
	snap := f.s.Snapshot()
	rev := f.s.ResourceVersion()
	before := snap.List("Pod", "", nil)

	b := f.mustGetPod(t, "default", "b")
	b.Labels = map[string]string{"v": "2"}
	_, err := f.s.Update(b)
	require.NoError(t, err)
	_, err = f.s.Delete(podKey("default", "a"), storage.DeleteOptions{})
	require.NoError(t, err)
	f.mustCreate(t, pod("default", "d"))
	for i := range 100 { // enough writes to split and rebalance tree nodes
		f.mustCreate(t, pod("default", "z"+strconv.Itoa(i)))
	}

	assert.Equal(t, rev, snap.ResourceVersion())
	assert.Greater(t, f.s.ResourceVersion(), rev)
	assert.Equal(t, before, snap.List("Pod", "", nil))
	oldB, err := snap.Get(podKey("default", "b"))
	require.NoError(t, err)
	assert.Empty(t, oldB.GetObjectMeta().Labels)
	_, err = snap.Get(podKey("default", "a"))
	assert.NoError(t, err, "deleted later, still in the snapshot")
	_, err = snap.Get(podKey("default", "d"))
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	assert.Equal(t, "2", f.mustGetPod(t, "default", "b").Labels["v"])
}

func TestGetNotFoundMessages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		key objects.Key
		msg string
	}{
		{podKey("default", "pi-x"), `pods "pi-x" not found`},
		{objects.Key{Kind: "Node", Name: "n"}, `nodes "n" not found`},
		{objects.Key{Kind: "Role", Namespace: "default", Name: "r"}, `roles.rbac.authorization.k8s.io "r" not found`},
	}
	for _, tt := range tests {
		_, err := f.s.Get(tt.key)
		require.Error(t, err)
		assert.True(t, errors.Is(err, storage.ErrNotFound))
		assert.False(t, errors.Is(err, storage.ErrConflict))
		assert.Equal(t, tt.msg, err.Error())
		assert.Equal(t, storage.ReasonNotFound, storage.ReasonOf(err))
	}
}
