package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/e2e/labeler"
	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/propcheck"
	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// labelerClient is the labeler's user agent program: the name its faults
// are injected under.
const labelerClient = "labeler"

// labelerInvariants are what the labeler promises once the cluster has
// settled: every finished Job is labelled, and every labelled Job has its
// report.
func labelerInvariants() []propcheck.Invariant {
	return []propcheck.Invariant{
		propcheck.StoreInvariant("labelled-job-has-report", []string{"Job"}, true, func(r storage.Reader) []error {
			var errs []error
			for _, o := range r.List("Job", "", nil) {
				job := o.(*objects.Job)
				if job.Labels[labeler.Label] != labeler.Value {
					continue
				}
				if _, err := r.Get(objects.Key{Kind: "ConfigMap", Namespace: job.Namespace, Name: labeler.ReportName(job.Name)}); err != nil {
					errs = append(errs, fmt.Errorf("Job %s is labelled %s=%s but has no ConfigMap %s", job.Name,
						labeler.Label, labeler.Value, labeler.ReportName(job.Name)))
				}
			}
			return errs
		}),
		propcheck.StoreInvariant("finished-job-labelled", []string{"Job"}, true, func(r storage.Reader) []error {
			var errs []error
			for _, o := range r.List("Job", "", nil) {
				job := o.(*objects.Job)
				if jobFinished(job) && job.DeletionTimestamp == nil && job.Labels[labeler.Label] != labeler.Value {
					errs = append(errs, fmt.Errorf("Job %s finished but is not labelled", job.Name))
				}
			}
			return errs
		}),
	}
}

// apiFault is an operation of the property check: a fault at the API
// boundary for the labeler (a stale view, lost watch events, a crash right
// after its next write), as sim's faults are for kubesim's own
// controllers. It is carried out on the run's server directly, so a
// failure's scenario file does not replay it.
func apiFault(servers map[*sim.Cluster]*serve.Server) propcheck.Operation {
	return propcheck.Operation{Name: "apiFault", Fault: true, Weight: 2, Run: func(s *propcheck.Scenario) {
		srv := servers[s.Cluster()]
		if srv == nil {
			s.T.Skip("no server")
		}
		f := serve.Fault{Client: labelerClient,
			Kind:  rapid.SampledFrom([]serve.FaultKind{serve.StaleReads, serve.LoseWatchEvents, serve.CrashAfterWrite}).Draw(s.T, "apiFault"),
			Count: rapid.IntRange(1, 4).Draw(s.T, "count")}
		if err := srv.InjectFault(f); err != nil {
			s.T.Fatalf("%v", err)
		}
		// A comment in the failure's script shows where the fault struck.
		what := fmt.Sprintf("%s %d", f.Kind, f.Count)
		if f.Kind == serve.CrashAfterWrite {
			what = "crash after its next write" // one crash: the count is unused
		}
		s.Do(fmt.Sprintf("# API fault for %s: %s (serve.InjectFault; kubesim run does not replay it)", f.Client, what))
	}}
}

// jobOperations are propcheck's operations about Jobs and time: creating,
// patching and deleting Jobs, killed containers, sleeps, settling.
func jobOperations() []propcheck.Operation {
	var out []propcheck.Operation
	for _, op := range propcheck.Operations() {
		switch op.Name {
		case "createJob", "patchJob", "sleep", "killContainer", "settle", "delete":
			out = append(out, op)
		}
	}
	return out
}

// checkLabeler runs propcheck with the labeler attached to every run's
// cluster, inside a synctest bubble, and returns the report.
func checkLabeler(t *testing.T, cfg labeler.Config, runs int, noFaults bool) propcheck.Report {
	var report propcheck.Report
	synctest.Test(t, func(t *testing.T) {
		servers := map[*sim.Cluster]*serve.Server{}
		onStart := kubesimtest.Serve(t, func(c *kubesimtest.Cluster) {
			servers[c.Simulation()] = c.Server()
			c.Start(labelerClient, func(ctx context.Context, userAgent string) {
				startLabeler(ctx, c, cfg, userAgent)
				<-ctx.Done()
			})
		})
		var err error
		report, err = propcheck.Run(propcheck.Config{
			Runs: runs, Seed: 7, Steps: 12, Kinds: []string{"Job"}, NoFaults: noFaults,
			Operations: append(jobOperations(), apiFault(servers)),
			Invariants: labelerInvariants(),
			// Shrinking replays runs, each spending virtual time, which is
			// the bubble's clock: the budget is counted in runs, not time.
			ShrinkTime: 100000 * time.Hour,
			Cluster:    sim.Config{OnStart: onStart},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	return report
}

// TestLabelerProperty checks the labeler, a client-go controller, with
// propcheck's random Job scenarios and faults at the API boundary: the
// correct labeler keeps its invariants; the one with a planted bug (label
// first, report second, skip what is labelled) breaks
// labelled-job-has-report once a crash strikes between its two writes.
func TestLabelerProperty(t *testing.T) {
	t.Run("correct", func(t *testing.T) {
		report := checkLabeler(t, labeler.Config{}, 12, false)
		if report.Failure != nil {
			t.Fatalf("the correct labeler broke %s: %s\n%s", report.Failure.Invariant, report.Failure.Message, report.Failure.Script)
		}
		t.Logf("%d runs, %d steps, %s of virtual time", report.Runs, report.Steps, report.VirtualTime)
	})
	t.Run("planted-bug", func(t *testing.T) {
		report := checkLabeler(t, labeler.Config{WriteLabelFirst: true}, 40, false)
		f := report.Failure
		if f == nil {
			t.Fatalf("the labeler that writes its label first passed %d runs", report.Runs)
		}
		if f.Invariant != "labelled-job-has-report" {
			t.Errorf("the planted bug broke %s (%s), want labelled-job-has-report", f.Invariant, f.Message)
		}
		if !strings.Contains(f.Message, "has no ConfigMap job-report-") {
			t.Errorf("violation: %s", f.Message)
		}
		t.Logf("found after %d runs in %s, shrunk to %d steps: %s: %s\n%s", f.FoundAfter, f.FoundIn, f.Steps, f.Invariant, f.Message, f.Script)
		// At virtual time the check is repeatable: the same seed finds the
		// same failure after as many runs and shrinks it to the same script.
		again := checkLabeler(t, labeler.Config{WriteLabelFirst: true}, 40, false).Failure
		if again == nil || again.FoundAfter != f.FoundAfter || again.Script != f.Script || again.Message != f.Message {
			t.Errorf("a second check with the same seed differs: %+v\nfirst script:\n%s", again, f.Script)
		}
	})
	t.Run("planted-bug-without-faults", func(t *testing.T) {
		// Without a crash between its writes the buggy labeler's two
		// writes always both land: the faults are what reveal the bug.
		report := checkLabeler(t, labeler.Config{WriteLabelFirst: true}, 20, true)
		if f := report.Failure; f != nil {
			t.Fatalf("without faults the planted bug broke %s: %s", f.Invariant, f.Message)
		}
	})
}
