package sim

import (
	"fmt"
	"sort"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Faults describes control-plane faults to inject. Each field is optional;
// a nil *Faults injects nothing. The hooks must be deterministic (decide
// from their arguments or a seeded source of the caller's).
type Faults struct {
	// StaleReads maps a controller name to how many changes behind its
	// informers lag, for the whole run, each kind's on its own: the
	// controller is told of a change of a kind, and reads that kind as it
	// was after it, only once this many newer changes of the kind have
	// happened, as an informer that has not caught up is (at most
	// MaxStaleDepth).
	StaleReads map[string]int
	// StaleFor bounds how late a change reaches such a controller, in
	// virtual time: an informer catches up eventually. Zero means one
	// second.
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

// validate reports a stale depth no informer can lag by.
func (f *Faults) validate() error {
	if f == nil {
		return nil
	}
	names := make([]string, 0, len(f.StaleReads))
	for name := range f.StaleReads {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if n := f.StaleReads[name]; n < 0 || n > MaxStaleDepth {
			return fmt.Errorf("sim: faults: staleReads[%s]: %d is not a depth from 0 to %d changes", name, n, MaxStaleDepth)
		}
	}
	if f.StaleFor < 0 {
		return fmt.Errorf("sim: faults: staleFor %v is negative", f.StaleFor)
	}
	return nil
}
