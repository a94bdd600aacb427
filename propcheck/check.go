package propcheck

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// Config says what to check and for how long. The zero value checks every
// built-in operation (faults included) and invariant, 100 runs from seed 1.
type Config struct {
	// Runs is how many random scenarios to try. 0 means 100.
	Runs int
	// Seed seeds the random choices; the same seed and config try the same
	// scenarios. 0 means 1.
	Seed uint64
	// Steps is the average number of operations in a run. 0 means 30.
	Steps int
	// NoFaults leaves out the operations that inject control-plane faults.
	NoFaults bool
	// Kinds restricts the check to operations and invariants about these
	// kinds (Job, CronJob, Deployment, StatefulSet, PersistentVolume,
	// Service, Pod, Node...). Nil means all.
	Kinds []string
	// Time bounds the search for a failure, in wall time: runs stop being
	// tried once it is spent. 0 means no bound.
	Time time.Duration
	// ShrinkTime bounds, in wall time, rapid's shrinking of a failure and
	// then kubesim's own (removing whole steps), a third and two thirds
	// of it. 0 means 2 minutes.
	ShrinkTime time.Duration
	// Operations are what a run draws from. Nil means Operations().
	Operations []Operation
	// Invariants are what every run is checked against. Nil means
	// Builtin().
	Invariants []Invariant
	// Cluster is the cluster each run starts from; its Seed is drawn for
	// each run. The zero value is the tutorial's cluster.
	Cluster sim.Config
	// OutDir, when set, is where the shrunk scenario of a failure is
	// written (kubesim-check-<invariant>.txt).
	OutDir string
	// Progress, when set, is told how the check goes after every run.
	Progress func(Progress)
}

// Progress is how a check stands.
type Progress struct {
	Runs, Steps int
	Elapsed     time.Duration
	// Shrinking is set once a failure was found and is being shrunk.
	Shrinking bool
}

// Report is what a check found.
type Report struct {
	// Runs and Steps count the scenarios tried and their operations;
	// VirtualTime is the simulated time they covered.
	Runs, Steps int
	VirtualTime time.Duration
	Elapsed     time.Duration
	// Violations counts the failing runs by invariant (rapid stops at the
	// first failing run, so there is at most one before shrinking).
	Violations map[string]int
	// Failure is the shrunk failure, when one was found.
	Failure *Failure
}

// Failure is a scenario that breaks an invariant.
type Failure struct {
	Violation
	// Steps is the number of operations in the shrunk scenario.
	Steps int
	// Script is the scenario file: `kubesim run` replays it and prints
	// the violation.
	Script string
	// File is where it was written, if Config.OutDir was set.
	File string
	// FoundAfter is how many runs it took to find the failure, and
	// FoundIn how long.
	FoundAfter int
	FoundIn    time.Duration

	steps []step
}

// Run checks the controllers: it draws random scenarios from the
// operations, runs each on a fresh cluster with the invariants checked
// after every command, and shrinks the first failure to a short scenario
// that replays it. It returns an error for a bad Config or when a run
// could not be carried out (an operation's bug); a broken invariant is a
// Report.Failure, not an error.
//
// Run drives pgregory.net/rapid through its package-level flags, so it is
// not safe for concurrent use.
func Run(cfg Config) (Report, error) {
	ownOperations := cfg.Operations != nil
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Report{}, err
	}
	ops := cfg.selectOperations()
	if len(ops) == 0 {
		return Report{}, errors.New("propcheck: no operation left to draw (check Kinds)")
	}
	invs := cfg.selectInvariants()
	d := &driver{cfg: cfg, ops: ops, invariants: invs, start: time.Now(),
		report: Report{Violations: map[string]int{}}, ownOperations: ownOperations}
	if err := d.runRapid(); err != nil {
		return d.report, err
	}
	d.report.Elapsed = time.Since(d.start)
	if f := d.failure; f != nil {
		d.shrinkSteps(f)
		d.report.Violations[f.Invariant]++
		d.report.Failure = f
		if cfg.OutDir != "" {
			if err := writeFailure(cfg.OutDir, f); err != nil {
				return d.report, err
			}
		}
	}
	return d.report, nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Runs < 0 || c.Steps < 0 || c.Time < 0 || c.ShrinkTime < 0 {
		return c, errors.New("propcheck: Runs, Steps, Time and ShrinkTime must not be negative")
	}
	if c.Runs == 0 {
		c.Runs = 100
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Steps == 0 {
		c.Steps = 30
	}
	if c.ShrinkTime == 0 {
		c.ShrinkTime = 2 * time.Minute
	}
	if c.Operations == nil {
		c.Operations = Operations()
	}
	if c.Invariants == nil {
		c.Invariants = Builtin()
	}
	if c.Cluster.Start.IsZero() {
		c.Cluster.Start = sim.DefaultStart
	}
	return c, nil
}

// selectOperations keeps the operations the config asks for.
func (c Config) selectOperations() []Operation {
	var out []Operation
	for _, op := range c.Operations {
		if (op.Fault && c.NoFaults) || !c.wants(op.Kinds) {
			continue
		}
		out = append(out, op)
	}
	return out
}

// selectInvariants keeps the invariants of the kinds asked for.
func (c Config) selectInvariants() []Invariant {
	var out []Invariant
	for _, inv := range c.Invariants {
		if c.wants(inv.Kinds) {
			out = append(out, inv)
		}
	}
	return out
}

// wants reports whether something about kinds belongs to the check: no
// kinds means it concerns everything.
func (c Config) wants(kinds []string) bool {
	if len(c.Kinds) == 0 || len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if slices.Contains(c.Kinds, k) {
			return true
		}
	}
	return false
}

// driver is one Run in progress.
type driver struct {
	cfg        Config
	ops        []Operation
	invariants []Invariant
	start      time.Time
	report     Report
	failure    *Failure
	found      bool // a failure was found; later runs are rapid shrinking it
	// ownOperations says the caller gave the operations (Config.Operations).
	ownOperations bool
}

// runRapid lets rapid draw and shrink scenarios.
func (d *driver) runRapid() (err error) {
	testing.Init() // rapid reads testing.Short, which needs testing's flags parsed
	if !flag.Parsed() {
		_ = flag.CommandLine.Parse(nil)
	}
	restore, err := setRapidFlags(map[string]string{
		"rapid.checks": strconv.Itoa(d.cfg.Runs), "rapid.seed": strconv.FormatUint(d.cfg.Seed, 10),
		"rapid.steps": strconv.Itoa(d.cfg.Steps), "rapid.shrinktime": (d.cfg.ShrinkTime / 3).String(),
		"rapid.nofailfile": "true", "rapid.v": "false", "rapid.log": "false",
	})
	if err != nil {
		return err
	}
	defer restore()
	tb := &reporter{}
	defer func() {
		if r := recover(); r != nil && r != errStopped {
			panic(r)
		}
		if tb.opError != "" && d.failure == nil {
			err = errors.New("propcheck: " + tb.opError)
		}
	}()
	rapid.Check(tb, d.property)
	return nil
}

// property is one rapid check: one random scenario.
func (d *driver) property(t *rapid.T) {
	if !d.found && d.cfg.Time > 0 && time.Since(d.start) > d.cfg.Time {
		return // the search's time is spent: the remaining runs pass at once
	}
	s := d.newScenario(t)
	defer s.runner.Close()
	defer d.account(s)
	actions := map[string]func(*rapid.T){"": func(*rapid.T) {}}
	for _, op := range d.ops {
		op := op
		for i := range max(op.Weight, 1) {
			key := op.Name
			if i > 0 {
				key = fmt.Sprintf("%s#%d", op.Name, i+1)
			}
			actions[key] = func(*rapid.T) {
				s.cur = &step{op: op.Name}
				s.steps = append(s.steps, *s.cur)
				s.cur = &s.steps[len(s.steps)-1]
				op.Run(s)
				s.cur = nil
			}
		}
	}
	t.Repeat(actions)
	s.cur = &step{op: "settle"}
	s.steps = append(s.steps, *s.cur)
	s.cur = &s.steps[len(s.steps)-1]
	s.settle()
	s.cur = nil
}

// newScenario starts a run on a fresh cluster.
func (d *driver) newScenario(t *rapid.T) *Scenario {
	cfg := d.cfg.Cluster
	cfg.Seed = rapid.Uint64Range(1, 1000).Draw(t, "seed")
	r, err := scenario.NewRunner(cfg, ".")
	if err != nil {
		t.Fatalf("propcheck: %v", err)
	}
	s := &Scenario{T: t, runner: r, names: map[string][]string{}, down: map[string]bool{}, faulted: map[string]bool{},
		created: map[string]bool{}, anyTarget: d.ownOperations}
	s.checks = newChecker(r, d.invariants)
	s.steps = []step{{}}
	s.cur = &s.steps[0]
	for _, l := range header(cfg) {
		s.Do(l)
	}
	s.cur = nil
	return s
}

// account adds a finished run to the report and remembers its failure.
func (d *driver) account(s *Scenario) {
	if !d.found {
		d.report.Runs++
		d.report.Steps += s.operationSteps()
		d.report.VirtualTime += s.Cluster().Now().Sub(d.cfg.Cluster.Start)
	}
	if s.failure != nil {
		if !d.found {
			s.failure.FoundAfter, s.failure.FoundIn = d.report.Runs, time.Since(d.start)
		} else if d.failure != nil {
			s.failure.FoundAfter, s.failure.FoundIn = d.failure.FoundAfter, d.failure.FoundIn
		}
		if d.failure == nil || s.failure.Invariant == d.failure.Invariant {
			d.failure = s.failure
		}
		d.found = true
	}
	if d.cfg.Progress != nil {
		d.cfg.Progress(Progress{Runs: d.report.Runs, Steps: d.report.Steps, Elapsed: time.Since(d.start), Shrinking: d.found})
	}
}

// setRapidFlags sets rapid's command-line flags, returning a function
// that puts the old values back.
func setRapidFlags(values map[string]string) (func(), error) {
	old := map[string]string{}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := flag.Lookup(name)
		if f == nil {
			return func() {}, fmt.Errorf("propcheck: rapid has no flag %s", name)
		}
		old[name] = f.Value.String()
		if err := f.Value.Set(values[name]); err != nil {
			return func() {}, fmt.Errorf("propcheck: -%s: %v", name, err)
		}
	}
	return func() {
		for name, v := range old {
			_ = flag.Lookup(name).Value.Set(v)
		}
	}, nil
}

// errStopped is how reporter.FailNow stops rapid.Check.
var errStopped = errors.New("propcheck: stopped")

// reporter is the rapid.TB propcheck drives rapid with outside `go test`:
// it keeps what rapid reports, and stops rapid at its end.
type reporter struct {
	failed  bool
	opError string // a failure that is not an invariant's (a refused line, a panic)
}

func (r *reporter) Helper()                         {}
func (r *reporter) Name() string                    { return "kubesim-check" }
func (r *reporter) Logf(format string, args ...any) {}
func (r *reporter) Log(args ...any)                 {}
func (r *reporter) Skipf(format string, args ...any) {
	panic(errStopped)
}
func (r *reporter) Skip(args ...any) { panic(errStopped) }
func (r *reporter) SkipNow()         { panic(errStopped) }
func (r *reporter) Errorf(format string, args ...any) {
	r.failed = true
	msg := fmt.Sprintf(format, args...)
	if i := strings.Index(msg, "propcheck: "); i >= 0 && r.opError == "" {
		r.opError = firstLine(msg[i+len("propcheck: "):])
	} else if strings.Contains(msg, "[rapid] panic") && r.opError == "" {
		r.opError = firstLine(msg)
	}
}
func (r *reporter) Error(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *reporter) Fatalf(format string, args ...any) { r.Errorf(format, args...); panic(errStopped) }
func (r *reporter) Fatal(args ...any)                 { r.Error(args...); panic(errStopped) }
func (r *reporter) FailNow()                          { r.failed = true; panic(errStopped) }
func (r *reporter) Fail()                             { r.failed = true }
func (r *reporter) Failed() bool                      { return r.failed }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// writeFailure writes a failure's scenario to dir.
func writeFailure(dir string, f *Failure) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f.File = filepath.Join(dir, "kubesim-check-"+f.Invariant+".txt")
	return os.WriteFile(f.File, []byte(f.Script), 0o644)
}
