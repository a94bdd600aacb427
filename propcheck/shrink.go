package propcheck

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// shrinkSteps removes whole steps from a failure while it still breaks the
// same invariant, as delta debugging does (ddmin over steps): rapid
// shrinks the choices a run makes, but the steps of a scenario can often
// go in bulk (a sleep, an unrelated Deployment). Each candidate is
// replayed from its file; the header and the failing step's own lines stay.
// It stops when no single step can go, or when the shrink time is spent.
func (d *driver) shrinkSteps(f *Failure) {
	deadline := time.Now().Add(d.cfg.ShrinkTime * 2 / 3)
	header, body := f.steps[0], f.steps[1:]
	fails := func(candidate []step) bool {
		if time.Now().After(deadline) {
			return false
		}
		v := Replay(render(append([]step{header}, candidate...), nil), d.cfg.Cluster, d.invariants)
		return v != nil && v.Invariant == f.Invariant
	}
	body = ddmin(body, fails)
	f.steps = append([]step{header}, body...)
	f.Steps = len(body)
	if v := Replay(render(f.steps, nil), d.cfg.Cluster, d.invariants); v != nil && v.Invariant == f.Invariant {
		f.Violation = *v
	}
	f.Script = render(f.steps, []string{
		fmt.Sprintf("Found by kubesim check: invariant %s broken: %s", f.Invariant, firstLine(f.Message)),
		fmt.Sprintf("after %d runs (%v); shrunk to %d steps.", f.FoundAfter, f.FoundIn.Round(time.Millisecond), f.Steps),
		"Replay: kubesim run <this file>",
	})
}

// ddmin returns a smaller list for which fails still holds: it tries
// dropping chunks of halving size, then single items, until none can go.
func ddmin(items []step, fails func([]step) bool) []step {
	n := 2
	for len(items) >= 1 {
		chunk := (len(items) + n - 1) / n
		removed := false
		for start := 0; start < len(items); start += chunk {
			end := min(start+chunk, len(items))
			candidate := append(append([]step(nil), items[:start]...), items[end:]...)
			if fails(candidate) {
				items, removed = candidate, true
				n = max(n-1, 2)
				break
			}
		}
		if removed {
			continue
		}
		if chunk == 1 {
			break
		}
		n = min(n*2, len(items))
	}
	return items
}

// Replay runs a scenario on a cluster built from cfg (which its `cluster`
// line adjusts) with the invariants checked as it asks (its `check` lines)
// and returns the first violation, or nil. A line the runner refuses ends
// the replay without a violation.
func Replay(script string, cfg sim.Config, invariants []Invariant) *Violation {
	s, err := scenario.Parse("replay", script)
	if err != nil {
		return nil
	}
	r, err := scenario.NewRunner(cfg, ".")
	if err != nil {
		return nil
	}
	defer r.Close()
	c := newChecker(r, invariants)
	for _, cmd := range s.Commands {
		if _, err := r.Exec("replay", cmd); err != nil {
			return nil
		}
		if len(c.violations) > 0 {
			v := c.violations[0]
			return &v
		}
	}
	return nil
}
