package serve

import (
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// change is one store change a watch may deliver. The objects are the
// store's own, never changed once stored, so they are read without copies.
type change struct {
	// at is the virtual time of the change: a Table row sent for it shows
	// ages as of then, as a watch that keeps up would.
	at   time.Time
	rv   int64
	typ  storage.EventType
	obj  objects.Object
	old  objects.Object
	kind string
}

// history keeps the latest store changes in order, as the apiserver's watch
// cache does, so a watch can resume from a resourceVersion. Changes older
// than the last limit are forgotten: a watch from before them gets 410
// Gone, and its client lists again. Guarded by the server's lock.
type history struct {
	limit   int
	changes []change
	// floor is the resourceVersion just before the oldest change kept:
	// a watch from floor or later misses nothing.
	floor int64
	// total counts every change ever added.
	total int64
}

func newHistory(limit int, rv int64) *history { return &history{limit: limit, floor: rv} }

// add records one change.
func (h *history) add(ch sim.Change) {
	h.total++
	ev := ch.Event
	h.changes = append(h.changes, change{at: ch.At, rv: ev.ResourceVersion, typ: ev.Type, obj: ev.Object, old: ev.Old,
		kind: ev.Object.GetTypeMeta().Kind})
	if over := len(h.changes) - h.limit; over > 0 {
		h.floor = h.changes[over-1].rv
		h.changes = append([]change(nil), h.changes[over:]...)
	}
}

// since returns the changes after rv, and false when some of them were
// forgotten.
func (h *history) since(rv int64) ([]change, bool) {
	if rv < h.floor {
		return nil, false
	}
	// Changes are in resourceVersion order: find the first after rv.
	lo, hi := 0, len(h.changes)
	for lo < hi {
		mid := (lo + hi) / 2
		if h.changes[mid].rv <= rv {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return h.changes[lo:], true
}

// oldest is the oldest resourceVersion a watch can still resume from,
// as the apiserver's "too old resource version" message names it.
func (h *history) oldest() int64 { return h.floor + 1 }
