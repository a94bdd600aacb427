package storage_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Random writes of every kind (quotaTwins.step) inside transactions,
// nested up to three deep, committed or aborted at random, leave a store
// exactly as a twin given the same writes that takes a Checkpoint where
// the transaction begins and rolls back to it where it aborts: the same
// objects, sizes, revisions, index answers and watch events.
func TestAbortUndoesAsARollbackDoes(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			a, b := newSeededFixture(t, seed, 9), newSeededFixture(t, seed, 9)
			// The twin measures whole: it is the reference either way.
			q := &quotaTwins{parts: a.s.Store, whole: b.s.Store, rnd: rand.New(rand.NewPCG(seed, 2)), noCheckpoints: true}
			var txs []storage.Transaction
			var cps []storage.Checkpoint
			aborted := 0
			for step := range 3000 {
				switch r := q.rnd.IntN(20); {
				case r == 0 && len(txs) < 3:
					txs = append(txs, q.parts.Begin())
					cps = append(cps, q.whole.Checkpoint())
				case r == 1 && len(txs) > 0:
					n := len(txs) - 1
					q.parts.Commit(txs[n])
					txs, cps = txs[:n], cps[:n]
				case r == 2 && len(txs) > 0:
					n := len(txs) - 1
					q.parts.Abort(txs[n])
					q.whole.Rollback(cps[n])
					txs, cps = txs[:n], cps[:n]
					aborted++
				default:
					q.step(t, step)
				}
				// Compared between transactions only, and not after every
				// step: Size measures the objects written unmeasured (with
				// no quota), and some must be left for a write inside a
				// transaction to measure (and an abort to unmeasure).
				if len(txs) == 0 && step%7 == 0 {
					requireSameStores(t, step, q.whole, q.parts)
					require.Equal(t, watchText(q.whole.DrainEvents()), watchText(q.parts.DrainEvents()), "step %d: watch events", step)
				}
			}
			for n := len(txs) - 1; n >= 0; n-- {
				q.parts.Abort(txs[n])
				q.whole.Rollback(cps[n])
			}
			requireSameStores(t, 3000, q.whole, q.parts)
			require.Greater(t, aborted, 40)
		})
	}
}

// requireSameStores requires got to hold what want holds.
func requireSameStores(t *testing.T, step int, want, got *storage.Store) {
	t.Helper()
	require.Equal(t, want.ResourceVersion(), got.ResourceVersion(), "step %d: revision", step)
	require.Equal(t, want.Size(), got.Size(), "step %d: size", step)
	require.Equal(t, want.Len(), got.Len(), "step %d: objects", step)
	require.Equal(t, want.PendingEvents(), got.PendingEvents(), "step %d: pending watch events", step)
	var wantAll, gotAll []objects.Object
	want.ScanAll(func(o objects.Object) bool { wantAll = append(wantAll, o); return true })
	got.ScanAll(func(o objects.Object) bool { gotAll = append(gotAll, o); return true })
	require.Equal(t, wantAll, gotAll, "step %d: objects", step)
	for _, n := range []string{"", "n"} {
		require.Equal(t, scanned(want, storage.IndexController, n, "Pod"), scanned(got, storage.IndexController, n, "Pod"), "step %d: index", step)
	}
}

// watchText lists watch events as type, key and revision.
func watchText(evs []storage.WatchEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s %s %s", e.Type, objects.KeyOf(e.Object), e.Object.GetObjectMeta().ResourceVersion)
	}
	return out
}
