// Package propcheck checks controllers the way a property-based tester
// would: random scenarios of user operations and control-plane faults, the
// invariants checked after every command, and a failure shrunk to a short
// scenario file that `kubesim run` replays.
//
// # Using it
//
// [Run] takes a [Config] (how many runs, which seed, which kinds, faults or
// not, time budgets) and returns a [Report]: runs, steps, the virtual time
// covered, and the shrunk [Failure] if an invariant broke. `kubesim check`
// is Run on the command line.
//
// Operations and invariants are values: [Operations] and [Builtin] are
// kubesim's own, and a caller may add its own [Operation] (a step drawn
// with rapid and carried out as scenario lines through [Scenario.Do]) and
// its own [Invariant] (a function of the store and the changes since the
// last check, with memory of its own across a run).
//
// # Invariants
//
// Every invariant has a name a report gives ("job-parallelism",
// "statefulset-order", "scheduler-fits"...; Builtin lists them). Some
// judge the store after every command (the controllers' invariants.go),
// some the store once the run's cluster has settled (Settled), and the
// trace invariants (trace*.go) judge the store's changes: each write of a
// controller against what the controller could have seen then, bounded
// below by its own earlier writes (controllers.OwnWrites), so that a
// stale or delayed informer does not count against it while a second pod
// created in the same sync does. An invariant the real controllers break
// under some fault is either wrong, and fixed citing upstream's behaviour,
// or a bug found.
//
// # Runs and their files
//
// Every run is a scenario: it starts with `cluster --seed N --start T` and
// `check --each-step`, then one group of lines per operation, and ends by
// bringing every node and controller back, clearing faults, letting 15
// minutes pass and `check --settled`. pgregory.net/rapid draws the runs and
// shrinks a failing one; propcheck then drops whole steps while the same
// invariant still breaks (ddmin over steps, each candidate replayed from
// its text), so the file written is short and replays exactly as written.
// [Install] teaches a scenario runner the `check` command, so that
// `kubesim run` and `kubesim test` replay such files.
//
// # Imports and determinism
//
// propcheck imports sim, scenario, storage, objects and the controllers'
// invariants. A run is a deterministic function of its seed and draws; only
// the search and shrink budgets (Config.Time, Config.ShrinkTime) read the
// wall clock. Run drives rapid through its package flags and is not safe
// for concurrent use.
package propcheck
