package propcheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// An Invariant is a property of a simulation, checked after every command
// of a run (or, when Settled, once the cluster is quiet and healthy).
type Invariant struct {
	// Name identifies it in reports: "job-active-within-parallelism".
	Name string
	// Kinds are the object kinds it is about ("Job", "Pod"); a check
	// restricted to some kinds (Config.Kinds) keeps the invariants of
	// those kinds.
	Kinds []string
	// Settled marks an invariant that holds only once every node and
	// controller is up, faults are cleared and the controllers have had
	// time to act: the scenario's `check --settled` lines.
	Settled bool
	// New returns the check for one run. It is called with each View of
	// the run in order, so it may remember what earlier ones showed (a
	// lastScheduleTime that must not move back, the order of creations).
	New func() Check

	// trace is set for a trace invariant (traceInvariant), whose check a
	// checker may run sharing its index with others.
	trace *traceSpec
}

// Check is one run's instance of an invariant: the violations it sees in v.
type Check func(v View) []error

// View is what an invariant sees at a check: the store, the virtual time,
// and every store change since the previous check, in order.
type View struct {
	Store   storage.Reader
	Now     time.Time
	Changes []sim.Change
}

// StoreInvariant makes an invariant of a function of the store alone.
func StoreInvariant(name string, kinds []string, settled bool, check func(storage.Reader) []error) Invariant {
	return Invariant{Name: name, Kinds: kinds, Settled: settled, New: func() Check {
		return func(v View) []error { return check(v.Store) }
	}}
}

// Violation is a broken invariant.
type Violation struct {
	Invariant string
	Message   string
}

// checker runs a set of invariants over one cluster as a scenario runs:
// it sees every store change (sim.Cluster.Observe) and, when asked, checks
// the every-step invariants after each command and the settled ones on
// `check --settled`.
type checker struct {
	invariants []Invariant
	checks     []Check // nil for the invariants a trace group runs
	groups     []*traceGroup
	cluster    *sim.Cluster
	pending    []sim.Change
	eachStep   bool
	violations []Violation
}

// newChecker watches the runner's cluster (and any a `cluster` line builds)
// and answers its `check` lines.
func newChecker(r *scenario.Runner, invariants []Invariant) *checker {
	c := &checker{invariants: invariants}
	r.OnCluster(func(cl *sim.Cluster) {
		c.cluster, c.pending = cl, nil
		c.checks, c.groups = newChecks(invariants)
		cl.Observe(func(ch sim.Change) { c.pending = append(c.pending, ch) })
	})
	r.Handle("check", c.handle)
	r.After(c.afterCommand)
	return c
}

// handle is the `check` command:
//
//	check               the every-step invariants, now
//	check --each-step   the every-step invariants after every later command
//	check --settled     every invariant, the settled ones included
func (c *checker) handle(_ *scenario.Runner, words []string, _ string) (string, error) {
	switch {
	case len(words) == 1:
		return report(c.run(false)), nil
	case len(words) == 2 && words[1] == "--each-step":
		c.eachStep = true
		return "", nil
	case len(words) == 2 && words[1] == "--settled":
		return report(c.run(true)), nil
	}
	return "", fmt.Errorf("usage: check [--each-step | --settled]")
}

// afterCommand runs the every-step invariants when `check --each-step` is
// on, printing what it finds.
func (c *checker) afterCommand() string {
	if !c.eachStep {
		return ""
	}
	return report(c.run(false))
}

// run checks the invariants (the settled ones too when settled is set)
// against the cluster as it is, and records what it finds.
func (c *checker) run(settled bool) []Violation {
	v := View{Store: c.cluster.Store(), Now: c.cluster.Now(), Changes: c.pending}
	c.pending = nil
	var found []Violation
	for i, errs := range runChecks(c.invariants, c.checks, c.groups, v, settled) {
		for _, err := range errs {
			found = append(found, Violation{Invariant: c.invariants[i].Name, Message: err.Error()})
		}
	}
	c.violations = append(c.violations, found...)
	return found
}

// newChecks makes one run's checks of the invariants: a Check each, except
// for the trace invariants run at every step, which share an index with
// those indexing the same kinds (a traceGroup) and have no Check of their
// own (nil).
func newChecks(invariants []Invariant) ([]Check, []*traceGroup) {
	checks := make([]Check, len(invariants))
	var groups []*traceGroup
	bySignature := map[string]*traceGroup{}
	for i, inv := range invariants {
		if !inv.trace.shares(inv) {
			checks[i] = inv.New()
			continue
		}
		sig := inv.trace.indexSignature()
		g := bySignature[sig]
		if g == nil {
			g = &traceGroup{ix: newIndex(inv.trace.indexed)}
			bySignature[sig] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, traceMember{pos: i, check: inv.trace.newCheck()})
	}
	return checks, groups
}

// runChecks runs newChecks' checks over v (the settled invariants only when
// settled is set) and returns each invariant's errors, by position.
func runChecks(invariants []Invariant, checks []Check, groups []*traceGroup, v View, settled bool) [][]error {
	errs := make([][]error, len(invariants))
	for _, g := range groups {
		g.observe(v, errs)
	}
	for i, inv := range invariants {
		if checks[i] != nil && (!inv.Settled || settled) {
			errs[i] = checks[i](v)
		}
	}
	return errs
}

// report prints violations as a `check` line's output.
func report(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "violation: %s: %s\n", v.Invariant, v.Message)
	}
	return b.String()
}

// Install teaches a scenario runner the `check` command with the given
// invariants (Builtin when nil), as `kubesim run` and `kubesim test` do,
// so that a file kubesim check wrote replays its violation. It returns a
// function that reports the violations found so far.
func Install(r *scenario.Runner, invariants []Invariant) func() []Violation {
	if invariants == nil {
		invariants = Builtin()
	}
	c := newChecker(r, invariants)
	return func() []Violation { return c.violations }
}
