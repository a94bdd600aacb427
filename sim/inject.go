package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Fault is a control-plane fault a scenario turns on for one controller
// (Cluster.Inject), on top of the Config's Faults. Faults count changes,
// events and writes rather than call functions, so a scenario file replays
// them exactly.
type Fault struct {
	// Kind is one of FaultKinds.
	Kind string
	// Count is, by kind: stale, the depth of the view in changes of each
	// kind (at most MaxStaleDepth); drop, the watch events to lose; delay, the
	// watch events to delay (0: every one until cleared); crash, the
	// writes made before the crash; error, the writes to fail.
	Count int
	// For is, for stale, the longest a change is held back (zero: one
	// second) and, for delay, how late each event arrives.
	For time.Duration
	// Code is, for error, the HTTP code the writes fail with (one of
	// storage.RequestCodes; zero means 409 Conflict).
	Code int
	// ObjectKind is, for stale, the kind of object whose informer lags,
	// while the controller's other informers stay current, as kubectl
	// names it ("Pod", "pods", "po"). Empty means every kind's.
	ObjectKind string
	// Times is, for crash, how many reconciles with more than Count
	// writes crash, one after another, the restarted controller's
	// included (a controller that keeps dying at the same point); zero
	// means one.
	Times int
}

// The kinds of Fault.
const (
	// FaultStale makes the controller's informers lag Count changes
	// behind until cleared, each kind's informer on its own: it is told
	// of a change of a kind, and reads that kind as it was after it, once
	// Count newer changes of the kind have happened or For has passed,
	// whichever comes first.
	FaultStale = "stale"
	// FaultDrop loses the next Count watch events on their way to the
	// controller; its informer relists a second later.
	FaultDrop = "drop"
	// FaultDelay makes the next Count watch events (all, for 0) reach the
	// controller For later, in order: the events after them queue behind.
	FaultDelay = "delay"
	// FaultCrash crashes the controller at its next reconcile with more
	// than Count writes, after the first Count of them (and at the Times-1
	// such reconciles after it).
	FaultCrash = "crash"
	// FaultError fails the controller's next Count writes with the
	// apiserver's error for Code (storage.RequestError).
	FaultError = "error"
	// FaultClear turns every fault of the controller off; changes its
	// informer holds arrive at once.
	FaultClear = "clear"
)

// FaultKinds lists the kinds Inject accepts.
var FaultKinds = []string{FaultStale, FaultDrop, FaultDelay, FaultCrash, FaultError, FaultClear}

// defaultStaleFor is the longest a stale informer holds a change unless
// told (Faults.StaleFor's default).
const defaultStaleFor = time.Second

// injected holds the faults turned on for one controller.
type injected struct {
	stale      int           // the informer holds this many changes back...
	staleFor   time.Duration // ...each for at most this long...
	staleKind  string        // ...of this kind of object ("": of all kinds)
	drop       int           // watch events still to lose
	delay      time.Duration
	delayLeft  int // events still to delay by delay; -1: every one
	crashes    int // reconciles still to crash...
	crashAfter int // ...after this many writes
	errors     int // writes still to fail...
	errorCode  int // ...with this code
}

// staleOf reports whether a stale fault holds changes of kind back.
func (f *injected) staleOf(kind string) bool {
	return f.stale > 0 && (f.staleKind == "" || f.staleKind == kind)
}

// lagging reports whether a stale or delay fault is in effect.
func (f *injected) lagging() bool {
	return f.stale > 0 || f.delay > 0 && f.delayLeft != 0
}

// takeDelay returns how late the next watch event arrives, counting it.
func (f *injected) takeDelay() time.Duration {
	if f.delay <= 0 || f.delayLeft == 0 {
		return 0
	}
	d := f.delay
	if f.delayLeft > 0 {
		f.delayLeft--
		if f.delayLeft == 0 {
			f.delay = 0
		}
	}
	return d
}

// describe prints the faults in effect, for messages.
func (f *injected) describe() string {
	var parts []string
	if f.stale > 0 {
		stale := fmt.Sprintf("stale %d for %v", f.stale, f.staleFor)
		if f.staleKind != "" {
			stale += " of " + f.staleKind
		}
		parts = append(parts, stale)
	}
	if f.drop > 0 {
		parts = append(parts, fmt.Sprintf("drop %d", f.drop))
	}
	if f.delay > 0 && f.delayLeft != 0 {
		parts = append(parts, fmt.Sprintf("delay %v %s", f.delay, countText(f.delayLeft)))
	}
	if f.crashes == 1 {
		parts = append(parts, fmt.Sprintf("crash after %d", f.crashAfter))
	} else if f.crashes > 1 {
		parts = append(parts, fmt.Sprintf("crash after %d (%d times)", f.crashAfter, f.crashes))
	}
	if f.errors > 0 {
		parts = append(parts, fmt.Sprintf("error %d code %d", f.errors, f.errorCode))
	}
	return strings.Join(parts, ", ")
}

// countText prints a count of events, -1 meaning all of them.
func countText(n int) string {
	if n < 0 {
		return "all"
	}
	return fmt.Sprint(n)
}

// Inject turns on a control-plane fault for the controller called name,
// as a scenario's `fault` command does (see Fault and its kinds).
func (c *Cluster) Inject(name string, f Fault) error {
	l := c.loopNamed(name)
	if l == nil {
		return fmt.Errorf("no controller named %q (have: %s)", name, strings.Join(c.ControllerNames(), ", "))
	}
	if err := f.validate(); err != nil {
		return err
	}
	if f.ObjectKind != "" {
		info, known := objects.LookupResource(f.ObjectKind)
		if !known {
			return fmt.Errorf("fault stale: no kind of object %q", f.ObjectKind)
		}
		f.ObjectKind = info.Kind
	}
	if (f.Kind == FaultStale || f.Kind == FaultDelay) && !c.anyLags() {
		// From now on every change is snapshotted; the informer's view
		// starts from the store as it is.
		c.lastView = c.store.Snapshot()
	}
	c.mayLag = true
	faults := &l.faults
	switch f.Kind {
	case FaultStale:
		faults.stale, faults.staleFor, faults.staleKind = f.Count, orDefault(f.For, defaultStaleFor), f.ObjectKind
		c.traceNote(name, "fault stale %d for %v of %s injected", f.Count, faults.staleFor, orDefault(f.ObjectKind, "every kind"))
	case FaultDrop:
		faults.drop = f.Count
		c.traceNote(name, "fault drop %d injected", f.Count)
	case FaultDelay:
		faults.delay, faults.delayLeft = f.For, f.Count
		if f.Count == 0 {
			faults.delayLeft = -1
		}
		c.traceNote(name, "fault delay %v for %s events injected", f.For, countText(faults.delayLeft))
	case FaultCrash:
		faults.crashes, faults.crashAfter = max(f.Times, 1), f.Count
		if faults.crashes == 1 {
			c.traceNote(name, "fault crash after %d writes injected", f.Count)
		} else {
			c.traceNote(name, "fault crash after %d writes, %d times, injected", f.Count, faults.crashes)
		}
	case FaultError:
		faults.errors, faults.errorCode = f.Count, orDefault(f.Code, storage.CodeConflict)
		c.traceNote(name, "fault error %d code %d injected", f.Count, faults.errorCode)
	case FaultClear:
		*faults = injected{}
		c.traceNote(name, "faults cleared")
		c.releaseHeld(l)
		return nil
	}
	c.pumpAll(l)
	return nil
}

// orDefault returns v, or def when v is zero.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// validate reports a fault that cannot be injected.
func (f Fault) validate() error {
	if !slices.Contains(FaultKinds, f.Kind) {
		return fmt.Errorf("unknown fault %q (want one of %s)", f.Kind, strings.Join(FaultKinds, ", "))
	}
	if f.Count < 0 {
		return fmt.Errorf("fault %s: count %d is negative", f.Kind, f.Count)
	}
	if f.For < 0 {
		return fmt.Errorf("fault %s: duration %v is negative", f.Kind, f.For)
	}
	if f.Times < 0 || f.Times > 0 && f.Kind != FaultCrash {
		return fmt.Errorf("fault %s: only a crash fault repeats, a number of times from 1 up", f.Kind)
	}
	if f.ObjectKind != "" && f.Kind != FaultStale {
		return fmt.Errorf("fault %s: only a stale fault names a kind of object", f.Kind)
	}
	switch f.Kind {
	case FaultStale:
		if f.Count > MaxStaleDepth {
			return fmt.Errorf("fault stale: depth %d is more than %d changes", f.Count, MaxStaleDepth)
		}
	case FaultDelay:
		if f.For == 0 {
			return fmt.Errorf("fault delay: the delay must be longer than 0s")
		}
	case FaultError:
		if f.Code != 0 && !slices.Contains(storage.RequestCodes, f.Code) {
			return fmt.Errorf("fault error: code %d is not one of 409, 500, 429, 503", f.Code)
		}
	}
	return nil
}

// InjectedFaults describes the faults scenarios turned on, one line a
// controller, for messages.
func (c *Cluster) InjectedFaults() []string {
	var out []string
	for _, l := range c.loops {
		if d := l.faults.describe(); d != "" {
			out = append(out, l.ctrl.Name()+": "+d)
		}
	}
	return out
}

// dropsEvent reports whether ev is lost on its way to l's controller.
func (c *Cluster) dropsEvent(l *loop, ev storage.WatchEvent) bool {
	if f := &l.faults; f.drop > 0 {
		f.drop--
		return true
	}
	return c.cfg.Faults.dropsEvent(l.ctrl.Name(), ev)
}

// crashPoint returns after how many of n writes l's controller crashes,
// or -1.
func (c *Cluster) crashPoint(l *loop, key objects.Key, n int) int {
	if f := &l.faults; f.crashes > 0 && n > f.crashAfter {
		f.crashes--
		return f.crashAfter
	}
	return c.cfg.Faults.crashPoint(l.ctrl.Name(), key, n)
}

// injectedError returns the error an error fault fails a's write with,
// counting it, or nil when the write goes through.
func (c *Cluster) injectedError(l *loop, a controllers.Action) error {
	f := &l.faults
	if f.errors <= 0 {
		return nil
	}
	f.errors--
	key, create := actionKey(a), a.Verb == controllers.Create
	if create && key.Name == "" && a.Object != nil {
		key.Name = a.Object.GetObjectMeta().GenerateName
	}
	se, err := storage.RequestError(f.errorCode, httpMethod(a.Verb), key, create)
	if err != nil {
		return err
	}
	return se
}

// httpMethod is the method of the request a verb makes.
func httpMethod(v controllers.Verb) string {
	switch v {
	case controllers.Create, controllers.Bind:
		return "POST"
	case controllers.Delete:
		return "DELETE"
	}
	return "PUT"
}
