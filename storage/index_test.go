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
// in snapshots taken along the way (which later writes must not disturb),
// and after a rollback to a checkpoint. It runs with buckets kept as
// slices and, with a bucket limit of 2, as trees whose index catches up
// with its notes in the middle of writes, not only when cloned.
func TestIndexesFollowAReferenceScan(t *testing.T) {
	for _, lim := range []struct{ big, slack int }{{64, 1024}, {2, 0}} {
		t.Run(fmt.Sprintf("bigBucket=%d,slack=%d", lim.big, lim.slack), func(t *testing.T) {
			defer storage.SetIndexLimits(lim.big, lim.slack)()
			testIndexesFollowAReferenceScan(t)
		})
	}
}

func testIndexesFollowAReferenceScan(t *testing.T) {
	f := newFixture(t)
	rnd := rand.New(rand.NewPCG(7, 7))
	owners := []string{"uid-a", "uid-b", "uid-c"}
	nodes := []string{"n1", "n2"}
	yes := true
	// answers lists every index's answer: what naive says it should be
	// (want) or what the index says (scanned).
	answers := func(r storage.Reader, list func(r storage.Reader, index, value string) []string) [][]string {
		var out [][]string
		for _, u := range append(owners, "uid-solo") {
			for _, index := range []string{storage.IndexController, storage.IndexOwner} {
				out = append(out, list(r, index, u))
			}
		}
		out = append(out, list(r, storage.IndexController, ""))
		for _, n := range nodes {
			out = append(out, list(r, storage.IndexNode, n))
		}
		return out
	}
	want := func(r storage.Reader) [][]string { return answers(r, naive) }
	got := func(r storage.Reader) [][]string {
		return answers(r, func(r storage.Reader, index, value string) []string { return scanned(r, index, value, "Pod") })
	}
	type frozen struct {
		at   int
		snap storage.Reader
		want [][]string
	}
	var snaps []frozen
	var cp *storage.Checkpoint
	var cpWant [][]string
	for i := range 1200 {
		name := fmt.Sprintf("p%d", rnd.IntN(30))
		key := podKey("default", name)
		cur, err := f.s.Get(key)
		switch {
		case err != nil:
			p := pod("default", name)
			p.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: owners[rnd.IntN(3)], Controller: &yes}}
			switch rnd.IntN(4) {
			case 0, 1:
				p.OwnerReferences = append(p.OwnerReferences, objects.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "c", UID: owners[rnd.IntN(3)]})
			case 2:
				// An owner of its own, made and gone with the pod: values
				// come and go, and the index notes them.
				p.OwnerReferences = append(p.OwnerReferences, objects.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "c", UID: fmt.Sprintf("uid-%d", i)})
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
		switch i {
		case 300, 310:
			// An owner whose only dependent goes, and whose name comes
			// back under another owner: its value is gone from the index.
			p := pod("default", "solo")
			uid := map[int]string{300: "uid-solo", 310: "uid-a"}[i]
			p.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: uid, Controller: &yes}}
			f.mustCreate(t, p)
		case 305:
			_, err := f.s.Delete(podKey("default", "solo"), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
			require.NoError(t, err)
		}
		require.Equal(t, want(f.s), got(f.s), "live, after write %d", i)
		switch {
		case i%97 == 0 || i == 303:
			snap := f.s.Snapshot()
			snaps = append(snaps, frozen{i, snap, want(snap)})
		case i == 700:
			c := f.s.Checkpoint()
			cp, cpWant = &c, want(f.s)
		case i == 1100:
			f.s.Rollback(*cp)
			require.Equal(t, cpWant, got(f.s), "rolled back to write 700")
		}
	}
	for _, s := range snaps {
		assert.Equal(t, s.want, got(s.snap), "the snapshot of write %d is frozen", s.at)
	}
	assert.Empty(t, scanned(f.s, storage.IndexController, "uid-a", "ReplicaSet"), "an index scan keeps to its kind")
}
