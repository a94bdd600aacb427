package propcheck_test

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/propcheck"
	"github.com/kubesim/kubesim/storage"
)

// Check an invariant of your own alongside the built-in ones: here, that
// no Job ever has more pods running than its parallelism allows, judged
// from the store after every command of every run.
func ExampleRun() {
	withinParallelism := propcheck.StoreInvariant("my-job-within-parallelism", []string{"Job"}, false,
		func(r storage.Reader) []error {
			var errs []error
			for _, o := range r.List("Job", "", nil) {
				j := o.(*objects.Job)
				if j.Spec.Parallelism != nil && j.Status.Active > *j.Spec.Parallelism {
					errs = append(errs, fmt.Errorf("job %s: %d active, parallelism %d", j.Name, j.Status.Active, *j.Spec.Parallelism))
				}
			}
			return errs
		})
	report, err := propcheck.Run(propcheck.Config{
		Runs:       20,
		Seed:       7,
		Kinds:      []string{"Job"},
		Invariants: append(propcheck.Builtin(), withinParallelism),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if f := report.Failure; f != nil {
		fmt.Printf("%s: %s\n%s", f.Invariant, f.Message, f.Script)
	}
	fmt.Printf("%d runs, %d violations\n", report.Runs, len(report.Violations))
	// Output: 20 runs, 0 violations
}

// An invariant with memory, over the store's changes: a container's
// restart count never goes down. A wrong belief ("no pod of a Job ever
// fails") is found, shrunk, and its scenario replays the violation; with
// Config.OutDir set the scenario is written to a file that `kubesim run`
// replays.
func ExampleInvariant() {
	restartsNeverDecrease := propcheck.Invariant{
		Name:  "my-restarts-never-decrease",
		Kinds: []string{"Pod"},
		New: func() propcheck.Check {
			seen := map[string]int32{} // pod UID/container -> highest restart count
			return func(v propcheck.View) []error {
				var errs []error
				for _, ch := range v.Changes {
					p, ok := ch.Event.Object.(*objects.Pod)
					if !ok {
						continue
					}
					for _, cs := range p.Status.ContainerStatuses {
						key := p.UID + "/" + cs.Name
						if cs.RestartCount < seen[key] {
							errs = append(errs, fmt.Errorf("pod %s: restarts went from %d to %d", p.Name, seen[key], cs.RestartCount))
						}
						seen[key] = max(seen[key], cs.RestartCount)
					}
				}
				return errs
			}
		},
	}
	noFailedPods := propcheck.StoreInvariant("my-job-pods-never-fail", []string{"Job"}, false,
		func(r storage.Reader) []error {
			for _, o := range r.List("Pod", "", nil) {
				if p := o.(*objects.Pod); p.Status.Phase == objects.PodFailed {
					return []error{fmt.Errorf("pod %s failed", p.Name)}
				}
			}
			return nil
		})
	invariants := []propcheck.Invariant{restartsNeverDecrease, noFailedPods}
	report, err := propcheck.Run(propcheck.Config{Runs: 200, Seed: 1, Kinds: []string{"Job"}, NoFaults: true,
		ShrinkTime: 10 * time.Second, Invariants: invariants})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := report.Failure
	fmt.Println("broken:", f.Invariant)
	v := propcheck.Replay(f.Script, propcheck.Config{}.Cluster, invariants)
	fmt.Println("replayed:", v != nil && v.Invariant == f.Invariant)
	// Output:
	// broken: my-job-pods-never-fail
	// replayed: true
}
