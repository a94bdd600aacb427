package clock

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

func TestFakeRunsEachItemAtItsOwnTime(t *testing.T) {
	f := NewFake(t0)
	var seen []string
	record := func(name string) func() {
		return func() { seen = append(seen, fmt.Sprintf("%s@%s", name, f.Now().Sub(t0))) }
	}
	f.AfterFunc(20*time.Second, record("b"))
	f.AfterFunc(10*time.Second, record("a"))
	f.AfterFunc(10*time.Second, record("a2")) // same instant: scheduling order
	f.AfterFunc(90*time.Second, record("late"))
	f.Advance(time.Minute)
	assert.Equal(t, []string{"a@10s", "a2@10s", "b@20s"}, seen)
	assert.Equal(t, t0.Add(time.Minute), f.Now())
	assert.Equal(t, 1, f.Pending())
}

func TestFakeRunsWorkScheduledWhileAdvancing(t *testing.T) {
	f := NewFake(t0)
	var ticks []time.Duration
	var tick func()
	tick = func() {
		ticks = append(ticks, f.Now().Sub(t0))
		f.AfterFunc(15*time.Second, tick)
	}
	f.AfterFunc(0, tick)
	f.Advance(time.Minute)
	assert.Equal(t, []time.Duration{0, 15 * time.Second, 30 * time.Second, 45 * time.Second, 60 * time.Second}, ticks)
}

func TestTimerStop(t *testing.T) {
	f := NewFake(t0)
	ran := false
	tm := f.AfterFunc(time.Second, func() { ran = true })
	assert.True(t, tm.Stop())
	assert.False(t, tm.Stop(), "second stop finds nothing pending")
	f.Advance(time.Hour)
	assert.False(t, ran)

	fired := f.AfterFunc(time.Second, func() {})
	f.Advance(time.Hour)
	assert.False(t, fired.Stop(), "a fired timer cannot be stopped")
}

func TestFakeNeverMovesBackwards(t *testing.T) {
	f := NewFake(t0)
	f.AdvanceTo(t0.Add(-time.Hour))
	assert.Equal(t, t0, f.Now())
	var at time.Time
	f.At(t0.Add(-time.Minute), func() { at = f.Now() })
	f.Advance(0)
	assert.Equal(t, t0, at, "work scheduled in the past runs now")
}

func ExampleFake() {
	start := time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)
	c := NewFake(start)
	c.AfterFunc(10*time.Second, func() { fmt.Println("pod running at", c.Now().Sub(start)) })
	c.AfterFunc(114*time.Second, func() { fmt.Println("pod completed at", c.Now().Sub(start)) })
	c.Advance(5 * time.Minute)
	fmt.Println("now", c.Now().Sub(start))
	// Output:
	// pod running at 10s
	// pod completed at 1m54s
	// now 5m0s
}

// ticker is a Task that holds its own Timer and schedules itself again.
type ticker struct {
	Timer
	f     *Fake
	seen  *[]string
	name  string
	times int
}

func (k *ticker) Run() {
	*k.seen = append(*k.seen, fmt.Sprintf("%s@%s", k.name, k.f.Now().Sub(t0)))
	if k.times--; k.times > 0 {
		k.f.Schedule(&k.Timer, k.f.Now().Add(10*time.Second), k)
	}
}

// Work scheduled with a caller's Timer runs in (time, scheduling) order
// with work scheduled by function, can be stopped, and can be scheduled
// again once it fired.
func TestScheduleTask(t *testing.T) {
	f := NewFake(t0)
	var seen []string
	k := &ticker{f: f, seen: &seen, name: "tick", times: 3}
	f.Schedule(&k.Timer, t0.Add(10*time.Second), k)
	f.AfterFunc(10*time.Second, func() { seen = append(seen, "func@10s") })
	stopped := &ticker{f: f, seen: &seen, name: "stopped", times: 1}
	f.Schedule(&stopped.Timer, t0.Add(5*time.Second), stopped)
	assert.True(t, stopped.Stop())
	f.Advance(time.Minute)
	assert.Equal(t, []string{"tick@10s", "func@10s", "tick@20s", "tick@30s"}, seen)
	assert.Equal(t, 0, f.Pending())
}

// Work armed in a reserved place runs where it would have run had it been
// scheduled when the place was reserved, after work scheduled before the
// reservation for the same instant and before work scheduled after it.
func TestScheduleReserved(t *testing.T) {
	f := NewFake(t0)
	var seen []string
	note := func(name string) func() { return func() { seen = append(seen, name) } }
	f.AfterFunc(time.Minute, note("before"))
	seq := f.Reserve()
	f.AfterFunc(time.Minute, note("after"))
	k := &ticker{f: f, seen: &seen, name: "reserved", times: 1}
	f.ScheduleReserved(&k.Timer, t0.Add(time.Minute), seq, k)
	f.Advance(time.Hour)
	assert.Equal(t, []string{"before", "reserved@1m0s", "after"}, seen)
}
