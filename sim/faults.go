package sim

import (
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Faults describes control-plane faults to inject. Each field is optional;
// a nil *Faults injects nothing. The hooks must be deterministic (decide
// from their arguments or a seeded source of the caller's).
type Faults struct {
	// StaleReads maps a controller name to how many store changes behind
	// its view lags: the controller reconciles against the store as it was
	// that many changes ago, as an informer that has not caught up does.
	StaleReads map[string]int
	// StaleFor bounds how old a stale view may be, in virtual time: an
	// informer catches up eventually. A controller handed a stale view is
	// reconciled again once this much time has passed, against a fresher
	// view. Zero means one second.
	StaleFor time.Duration
	// DropEvent, when set, reports whether a watch event is lost on its way
	// to the named controller. As a reflector whose watch broke, the
	// controller relists a second later and sees every object again, so a
	// lost event delays a reaction rather than erasing it.
	DropEvent func(controller string, ev storage.WatchEvent) bool
	// CrashAfter, when set, returns after how many of a reconcile's n
	// writes the named controller crashes (0 ≤ i < n), or -1 for no crash.
	CrashAfter func(controller string, key objects.Key, n int) int
}

// staleDepth returns the largest lag any controller reads with.
func (f *Faults) staleDepth() int {
	if f == nil {
		return 0
	}
	depth := 0
	for _, lag := range f.StaleReads {
		depth = max(depth, lag)
	}
	return depth
}

func (f *Faults) staleness(controller string) int {
	if f == nil {
		return 0
	}
	return f.StaleReads[controller]
}

// staleFor is how old a stale view may be.
func (f *Faults) staleFor() time.Duration {
	if f == nil || f.StaleFor <= 0 {
		return time.Second
	}
	return f.StaleFor
}

func (f *Faults) dropsEvent(controller string, ev storage.WatchEvent) bool {
	return f != nil && f.DropEvent != nil && f.DropEvent(controller, ev)
}

func (f *Faults) crashPoint(controller string, key objects.Key, n int) int {
	if f == nil || f.CrashAfter == nil || n == 0 {
		return -1
	}
	return f.CrashAfter(controller, key, n)
}

// viewHistory keeps the last few store snapshots, newest last, so a
// controller can be handed a view that lags behind. Snapshots are
// copy-on-write clones, cheap to keep.
type viewHistory struct {
	depth int
	views []view
}

// view is the store as it was after one change, and when that was.
type view struct {
	r  storage.Reader
	at time.Time
}

func newViewHistory(depth int) *viewHistory { return &viewHistory{depth: depth} }

// record remembers the store as it is at now.
func (h *viewHistory) record(s *storage.Store, now time.Time) {
	if h.depth == 0 {
		return
	}
	h.views = append(h.views, view{r: s.Snapshot(), at: now})
	if len(h.views) > h.depth+1 {
		h.views = h.views[1:]
	}
}

// ago returns the view from lag changes ago, skipping views older than
// maxAge or more before now; it reports whether the view is behind the live store.
func (h *viewHistory) ago(lag int, maxAge time.Duration, now time.Time, live storage.Reader) (storage.Reader, bool) {
	if len(h.views) == 0 {
		return live, false
	}
	i := max(len(h.views)-1-lag, 0)
	for i < len(h.views)-1 && now.Sub(h.views[i].at) >= maxAge {
		i++
	}
	return h.views[i].r, i < len(h.views)-1
}
