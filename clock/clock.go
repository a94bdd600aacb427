package clock

import (
	"time"

	"github.com/google/btree"
)

// PassiveClock tells the current virtual time.
type PassiveClock interface {
	Now() time.Time
}

// Clock tells the time and runs work at a virtual time.
type Clock interface {
	PassiveClock
	// AfterFunc schedules f to run once virtual time reaches Now()+d and
	// returns a handle that can cancel it. A d of zero or less schedules f
	// for the current instant, after the work already scheduled for it.
	AfterFunc(d time.Duration, f func()) *Timer
}

// Timer is a handle on scheduled work. A caller that schedules much work
// may hold Timers itself (Fake.Schedule): embedded in the Task they run,
// one allocation makes both, and a Timer that fired may be scheduled again.
type Timer struct {
	at       time.Time
	seq      uint64
	f        func()
	task     Task
	owner    *Fake
	canceled bool
}

// Task is work a Timer runs when it falls due.
type Task interface {
	// Run does the work, with the clock set to the timer's time.
	Run()
}

// When returns the virtual time the work is due.
func (t *Timer) When() time.Time { return t.at }

// Stop cancels the work and reports whether it was still pending.
func (t *Timer) Stop() bool {
	if t.canceled || t.owner == nil {
		return false
	}
	t.canceled = true
	_, found := t.owner.queue.Delete(t)
	return found
}

// Fake is a virtual clock with a queue of timed work ordered by (time,
// sequence). It is not safe for concurrent use.
type Fake struct {
	now   time.Time
	seq   uint64
	queue *btree.BTreeG[*Timer]
}

var _ Clock = (*Fake)(nil)

// NewFake returns a clock reading start, with nothing scheduled.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, queue: btree.NewG(32, timerLess)}
}

func timerLess(a, b *Timer) bool {
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return a.seq < b.seq
}

// Now returns the current virtual time.
func (f *Fake) Now() time.Time { return f.now }

// AfterFunc schedules fn at Now()+d.
func (f *Fake) AfterFunc(d time.Duration, fn func()) *Timer {
	if d < 0 {
		d = 0
	}
	return f.At(f.now.Add(d), fn)
}

// At schedules fn at virtual time t, or at Now() if t is in the past.
func (f *Fake) At(t time.Time, fn func()) *Timer {
	if t.Before(f.now) {
		t = f.now
	}
	f.seq++
	tm := &Timer{at: t, seq: f.seq, f: fn, owner: f}
	f.queue.ReplaceOrInsert(tm)
	return tm
}

// Schedule arms tm to run task at virtual time t, or at Now() if t is in
// the past, as At does with a function. tm must not be pending: new, fired
// or stopped.
func (f *Fake) Schedule(tm *Timer, t time.Time, task Task) {
	if t.Before(f.now) {
		t = f.now
	}
	f.seq++
	*tm = Timer{at: t, seq: f.seq, task: task, owner: f}
	f.queue.ReplaceOrInsert(tm)
}

// Reserve takes the next place in the order of work scheduled for one
// instant, for work that ScheduleReserved arms later: a caller that keeps
// many items due in order (a queue of expiries) arms a Timer for the
// first one only and still runs each exactly where it would have run had
// it been scheduled when its place was reserved.
func (f *Fake) Reserve() uint64 {
	f.seq++
	return f.seq
}

// ScheduleReserved is Schedule in the place seq that Reserve returned. t
// must not be earlier than Now().
func (f *Fake) ScheduleReserved(tm *Timer, t time.Time, seq uint64, task Task) {
	if t.Before(f.now) {
		t = f.now
	}
	*tm = Timer{at: t, seq: seq, task: task, owner: f}
	f.queue.ReplaceOrInsert(tm)
}

// Pending returns the number of scheduled items.
func (f *Fake) Pending() int { return f.queue.Len() }

// Next returns the time of the earliest scheduled item and whether there is one.
func (f *Fake) Next() (time.Time, bool) {
	t, ok := f.queue.Min()
	if !ok {
		return time.Time{}, false
	}
	return t.at, true
}

// Step runs the earliest scheduled item if it is due at or before limit:
// the clock moves to the item's own time first. It reports whether it ran one.
func (f *Fake) Step(limit time.Time) bool {
	t, ok := f.queue.Min()
	if !ok || t.at.After(limit) {
		return false
	}
	f.queue.DeleteMin()
	t.canceled = true // a fired timer can no longer be stopped
	f.now = t.at
	if t.task != nil {
		t.task.Run()
	} else {
		t.f()
	}
	return true
}

// AdvanceTo runs, in order, every item due at or before t (including items
// scheduled while running), then sets the clock to t. Moving backwards is a
// no-op.
func (f *Fake) AdvanceTo(t time.Time) {
	for f.Step(t) {
	}
	if t.After(f.now) {
		f.now = t
	}
}

// Advance is AdvanceTo(Now()+d).
func (f *Fake) Advance(d time.Duration) { f.AdvanceTo(f.now.Add(d)) }
