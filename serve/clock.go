package serve

import (
	"math"
	"time"
)

// follower maps the outside clock (time.Now, a synctest bubble's clock
// inside one) to the cluster's virtual time: from a base pair of readings,
// virtual time runs speed times as fast as the outside clock.
type follower struct {
	virtualBase, wallBase time.Time
	speed                 float64
}

func newFollower(virtual, wall time.Time, speed float64) follower {
	return follower{virtualBase: virtual, wallBase: wall, speed: max(speed, 0)}
}

// virtualNow is the virtual time the outside clock's reading wall stands for.
func (f *follower) virtualNow(wall time.Time) time.Time {
	elapsed := wall.Sub(f.wallBase)
	switch {
	case f.speed == 0 || elapsed <= 0:
		return f.virtualBase
	case f.speed == 1:
		// Exact, so a bubble's clock and the cluster's agree to the nanosecond.
		return f.virtualBase.Add(elapsed)
	}
	return f.virtualBase.Add(scale(elapsed, f.speed))
}

// wallUntil is how long the outside clock must run, from wall, for virtual
// time to reach t; it reports false when it never will (speed 0).
func (f *follower) wallUntil(t, wall time.Time) (time.Duration, bool) {
	if f.speed == 0 {
		return 0, false
	}
	ahead := t.Sub(f.virtualNow(wall))
	if ahead <= 0 {
		return 0, true
	}
	if f.speed == 1 {
		return ahead, true
	}
	// Round up, so that the driver wakes when the work is due, not a
	// nanosecond before.
	return scale(ahead, 1/f.speed) + 1, true
}

// rebase makes the pair (virtual, wall) the new base: virtual time jumped
// (a fast-forward) or the speed is about to change.
func (f *follower) rebase(virtual, wall time.Time) {
	f.virtualBase, f.wallBase = virtual, wall
}

// scale multiplies d by k, saturating instead of overflowing.
func scale(d time.Duration, k float64) time.Duration {
	v := float64(d) * k
	if v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(v)
}
