package storage

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// The per-kind tables share tables with their clones copy-on-write. Random
// puts, removes, clones and returns to a clone (as Rollback does), checked
// against a plain map after every step: the live tables and every clone
// read exactly what they held, whatever was written elsewhere since.
func TestTablesCloneAndReturnAgreeWithAModel(t *testing.T) {
	for _, slack := range []int{maxUnorderedSlack, 0} {
		t.Run(fmt.Sprintf("slack=%d", slack), func(t *testing.T) {
			defer func(was int) { maxUnorderedSlack = was }(maxUnorderedSlack)
			maxUnorderedSlack = slack // 0: trees catch up in the middle of writes
			checkTablesAgainstAModel(t)
		})
	}
}

func checkTablesAgainstAModel(t *testing.T) {
	kinds := []string{"Pod", "Event", "Job", "ConfigMap"}
	r := rand.New(rand.NewPCG(1, 2))
	type frozen struct {
		t     *tables
		model map[objects.Key]string
	}
	live, model := newTables(), map[objects.Key]string{}
	var clones []frozen
	for step := range 2000 {
		key := objects.Key{Kind: kinds[r.IntN(len(kinds))], Namespace: "ns", Name: fmt.Sprintf("o%d", r.IntN(40))}
		switch op := r.IntN(20); {
		case op < 12:
			obj := &objects.ConfigMap{ObjectMeta: objects.ObjectMeta{Name: key.Name, ResourceVersion: fmt.Sprint(step)}}
			live.put(entry{key: key, obj: obj}, partSizes{})
			model[key] = obj.ResourceVersion
		case op < 17:
			live.remove(key)
			delete(model, key)
		case op < 19:
			clones = append(clones, frozen{live.clone(), maps.Clone(model)})
			if len(clones) > 8 {
				clones = clones[1:] // a snapshot let go
			}
		default:
			if len(clones) == 0 {
				continue
			}
			back := clones[r.IntN(len(clones))]
			// A clone is used up once it is live again, as a checkpoint is.
			clones = slices.DeleteFunc(clones, func(f frozen) bool { return f.t == back.t })
			live, model = back.t.live(), back.model
		}
		// Order is asked for now and then, so that writes pile up unordered
		// in between; lookups every step.
		requireLookupsHold(t, live, model)
		if step%7 == 0 {
			requireTablesHold(t, live, model, true)
		}
		for _, f := range clones {
			requireTablesHold(t, f.t, f.model, false)
		}
	}
}

// requireLookupsHold checks that live tables find by key what model says.
func requireLookupsHold(t *testing.T, tb *tables, model map[objects.Key]string) {
	t.Helper()
	require.Equal(t, len(model), tb.len())
	for key, rv := range model {
		obj := tb.lookup(key)
		require.NotNil(t, obj, "%s", key)
		require.Equal(t, rv, obj.GetObjectMeta().ResourceVersion)
		e, ok := tb.get(key)
		require.True(t, ok)
		require.Same(t, obj, e.obj)
	}
}

// requireTablesHold checks that t holds what model says, in key order, by
// tree (and, for live tables, by hash map too).
func requireTablesHold(t *testing.T, tb *tables, model map[objects.Key]string, live bool) {
	t.Helper()
	want := slices.SortedFunc(maps.Keys(model), objects.Key.Compare)
	var got []objects.Key
	tb.ascend(func(e entry) bool {
		got = append(got, e.key)
		require.Equal(t, model[e.key], e.obj.GetObjectMeta().ResourceVersion, "%s", e.key)
		return true
	})
	require.Equal(t, want, got)
	require.Equal(t, len(model), tb.len())
	if live {
		requireLookupsHold(t, tb, model)
	}
}
