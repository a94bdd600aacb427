package storage_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// scanned lists the keys ScanIndex visits.
func scanned(r storage.Reader, index, value, kind string) []string {
	var out []string
	r.ScanIndex(index, value, kind, func(o objects.Object) bool {
		out = append(out, objects.KeyOf(o).String())
		return true
	})
	return out
}

// naive lists, by a scan of every pod, what an index should hold: the
// reference model the index is checked against.
func naive(r storage.Reader, index, value string) []string {
	var out []string
	for _, o := range r.List("Pod", "", nil) {
		p := o.(*objects.Pod)
		match := false
		switch index {
		case storage.IndexNode:
			match = p.Spec.NodeName == value
		case storage.IndexController:
			ref := p.ControllerRef()
			match = (ref != nil && ref.UID == value) || (ref == nil && value == "")
		case storage.IndexOwner:
			for _, ref := range p.OwnerReferences {
				match = match || ref.UID == value
			}
		}
		if match {
			out = append(out, objects.KeyOf(p).String())
		}
	}
	sort.Strings(out)
	return out
}

// Random creates, relabels, re-owns, binds and deletes of pods: after each,
// every index answers what a scan of every pod does, in the live store and
// in a snapshot taken halfway (which later writes must not disturb).
func TestIndexesFollowAReferenceScan(t *testing.T) {
	f := newFixture(t)
	rnd := rand.New(rand.NewPCG(7, 7))
	owners := []string{"uid-a", "uid-b", "uid-c"}
	nodes := []string{"n1", "n2"}
	yes := true
	check := func(r storage.Reader) {
		t.Helper()
		for _, u := range owners {
			for _, index := range []string{storage.IndexController, storage.IndexOwner} {
				assert.Equal(t, naive(r, index, u), scanned(r, index, u, "Pod"), "%s %s", index, u)
			}
		}
		assert.Equal(t, naive(r, storage.IndexController, ""), scanned(r, storage.IndexController, "", "Pod"), "orphans")
		for _, n := range nodes {
			assert.Equal(t, naive(r, storage.IndexNode, n), scanned(r, storage.IndexNode, n, "Pod"), "node %s", n)
		}
	}
	var snap storage.Reader
	var snapWant [][]string
	for i := range 400 {
		name := fmt.Sprintf("p%d", rnd.IntN(30))
		key := podKey("default", name)
		cur, err := f.s.Get(key)
		switch {
		case err != nil:
			p := pod("default", name)
			p.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: owners[rnd.IntN(3)], Controller: &yes}}
			if rnd.IntN(2) == 0 {
				p.OwnerReferences = append(p.OwnerReferences, objects.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "c", UID: owners[rnd.IntN(3)]})
			}
			f.mustCreate(t, p)
		case rnd.IntN(4) == 0:
			_, err := f.s.Delete(key, storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
			require.NoError(t, err)
		case rnd.IntN(3) == 0 && cur.(*objects.Pod).Spec.NodeName == "":
			_, err := f.s.Bind(key, nodes[rnd.IntN(2)])
			require.NoError(t, err)
		default:
			p := cur.(*objects.Pod)
			p.OwnerReferences = nil
			if rnd.IntN(3) > 0 {
				p.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: owners[rnd.IntN(3)], Controller: &yes}}
			}
			_, err := f.s.Update(p)
			require.NoError(t, err)
		}
		check(f.s.Store)
		if i == 200 {
			snap = f.s.Snapshot()
			for _, u := range owners {
				snapWant = append(snapWant, naive(snap, storage.IndexController, u))
			}
		}
	}
	for i, u := range owners {
		assert.Equal(t, snapWant[i], scanned(snap, storage.IndexController, u, "Pod"), "the snapshot's index is frozen")
	}
	assert.Empty(t, scanned(f.s, storage.IndexController, "uid-a", "ReplicaSet"), "an index scan keeps to its kind")
}
