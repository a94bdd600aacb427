//go:build kubesim_mutants

package propcheck

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/mutant"
)

// The mutation tests' second half: does the property checker find each
// planted bug? (The first half, TestMutantsChangeBehaviour at the module
// root, shows that each mutant really changes behaviour.) For every mutant
// the checker runs with a fixed seed, at most mutantRuns runs and
// mutantTime of search, restricted to the mutant's kinds; a caught mutant
// must break the expected invariant, shrink to at most mutantMaxSteps
// steps, and its written scenario must replay the violation with the
// mutant and not without it. The table it prints is README's "Measuring
// the checker: mutants":
//
//	go test -tags kubesim_mutants ./propcheck/ -run TestMutants -v -timeout 60m

const (
	mutantSeed     = 1
	mutantRuns     = 1000
	mutantTime     = 60 * time.Second
	mutantShrink   = 2 * time.Minute
	mutantMaxSteps = 10
)

// mutantRow is what the checker is expected to do about one mutant.
type mutantRow struct {
	mutant string
	// kinds restricts the check (Config.Kinds); nil checks everything.
	kinds []string
	// caughtBy is the invariant that catches it ("a|b": either), ""
	// when the checker cannot yet.
	caughtBy string
	// lacks says, for a mutant the checker misses, what it would need:
	// the operation, fault or invariant.
	lacks string
	// replayCLI also replays the written file with kubesim run --mutant.
	replayCLI bool
}

// mutantRows are the expectations, in the catalogue's order. caughtBy
// lists the invariants (a|b) that may catch a mutant first: a bug that
// breaks several is caught by whichever a run's checks meet first.
var mutantRows = []mutantRow{
	{mutant: "job-stale-view", kinds: []string{"Job"}, caughtBy: "job-parallelism|job-status-counters"},
	{mutant: "job-double-count", kinds: []string{"Job"}, caughtBy: "job-status-counters|job-counts-bounded"},
	{mutant: "job-backoff-off-by-one", kinds: []string{"Job"}, caughtBy: "job-failure-justified"},
	{mutant: "job-deadline-ignored", kinds: []string{"Job"}, caughtBy: "job-settled-deadline"},
	{mutant: "job-extra-pod", kinds: []string{"Job"}, caughtBy: "job-parallelism"},
	{mutant: "job-complete-early", kinds: []string{"Job"}, caughtBy: "job-complete-succeeded"},
	{mutant: "job-suspend-ignored", kinds: []string{"Job"}, caughtBy: "job-parallelism", replayCLI: true},
	{mutant: "cronjob-forbid-concurrent", kinds: []string{"CronJob"}, caughtBy: "cronjob-concurrency"},
	{mutant: "cronjob-replace-keeps-old", kinds: []string{"CronJob"}, caughtBy: "cronjob-concurrency"},
	{mutant: "cronjob-history-untrimmed", kinds: []string{"CronJob"}, caughtBy: "cronjob-settled-history"},
	{mutant: "cronjob-two-jobs-one-slot", kinds: []string{"CronJob"}, caughtBy: "cronjob-one-job-per-slot"},
	{mutant: "statefulset-ordered-ready-broken", kinds: []string{"StatefulSet"}, caughtBy: "statefulset-order"},
	{mutant: "statefulset-scale-down-lowest-first", kinds: []string{"StatefulSet"}, caughtBy: "statefulset-order"},
	{mutant: "statefulset-deletes-retained-claims", kinds: []string{"StatefulSet"}, caughtBy: "statefulset-claims-retained"},
	{mutant: "pv-bind-unconditional", kinds: []string{"PersistentVolume", "PersistentVolumeClaim"}, caughtBy: "pv-claimref-stable|pv-binding-consistent"},
	{mutant: "pv-binder-ignores-capacity", kinds: []string{"PersistentVolume", "PersistentVolumeClaim"}, caughtBy: "pv-binding-matches"},
	{mutant: "gc-orphan-deletes-dependents", kinds: []string{"Deployment", "Job", "StatefulSet"}, caughtBy: "gc-orphans-survive"},
	{mutant: "gc-background-leaves-dependents", kinds: []string{"Deployment", "Job", "StatefulSet"}, caughtBy: "gc-settled-collected", replayCLI: true},
	{mutant: "deployment-surge-counts-ready", kinds: []string{"Deployment"}, caughtBy: "deployment-max-surge"},
	{mutant: "deployment-ignores-max-unavailable", kinds: []string{"Deployment"}, caughtBy: "deployment-min-available"},
	{mutant: "replicaset-stale-view", kinds: []string{"Deployment"}, caughtBy: "replicaset-replicas"},
	{mutant: "kubelet-restarts-never", kinds: []string{"Job", "Pod"}, caughtBy: "kubelet-never-restarted", replayCLI: true},
	{mutant: "kubelet-no-crashloop-backoff", kinds: []string{"Deployment", "Pod"}, caughtBy: "kubelet-backoff"},
	{mutant: "scheduler-ignores-taints", kinds: []string{"Deployment", "Node"}, caughtBy: "scheduler-fits"},
	{mutant: "scheduler-ignores-resources", kinds: []string{"Deployment", "Node"}, caughtBy: "scheduler-fits"},
	{mutant: "endpoints-include-unready", kinds: []string{"Service", "Deployment"}, caughtBy: "endpoints-ready-only|endpoints-settled-ready"},
	{mutant: "ttl-deletes-early", kinds: []string{"Job"}, caughtBy: "ttl-not-early"},
}

// mutantResult is one line of the table.
type mutantResult struct {
	mutant, class, caughtBy string
	runs                    int
	seconds                 float64
	steps                   int
}

func TestMutants(t *testing.T) {
	if !strings.Contains(flag.Lookup("test.run").Value.String(), "TestMutants") {
		t.Skip("takes about 20 minutes: run it by name (go test -tags kubesim_mutants ./propcheck/ -run TestMutants -v -timeout 60m)")
	}
	require.Len(t, mutantRows, len(mutant.Names()), "every mutant has a row")
	cli := buildKubesim(t)
	var results []mutantResult
	for i, row := range mutantRows {
		require.Equal(t, mutant.Names()[i], row.mutant, "rows follow the catalogue")
		t.Run(row.mutant, func(t *testing.T) {
			if d, ok := t.Deadline(); ok && time.Until(d) < mutantTime+2*mutantShrink {
				t.Skip("not enough time left: run with -timeout 60m")
			}
			results = append(results, checkMutant(t, row, cli))
		})
	}
	printMutantTable(results)
}

// checkMutant runs the checker against one mutant and checks what it found.
func checkMutant(t *testing.T, row mutantRow, cli string) mutantResult {
	require.NoError(t, mutant.Set(row.mutant))
	defer func() { require.NoError(t, mutant.Set("")) }()
	dir := t.TempDir()
	report, err := Run(Config{Runs: mutantRuns, Seed: mutantSeed, Time: mutantTime, ShrinkTime: mutantShrink,
		Kinds: row.kinds, OutDir: dir})
	require.NoError(t, err)
	res := mutantResult{mutant: row.mutant, class: mutant.Find(row.mutant).Class, runs: report.Runs}
	f := report.Failure
	if f == nil {
		res.seconds = report.Elapsed.Seconds()
		if row.caughtBy != "" {
			t.Errorf("not found in %d runs (%v): expected a violation of %s", report.Runs, report.Elapsed.Round(time.Second), row.caughtBy)
		} else {
			t.Logf("missed in %d runs (%v), as expected: the checker lacks %s", report.Runs, report.Elapsed.Round(time.Second), row.lacks)
		}
		return res
	}
	res.caughtBy, res.runs, res.seconds, res.steps = f.Invariant, f.FoundAfter, f.FoundIn.Seconds(), f.Steps
	t.Logf("%s broken after %d runs (%v), shrunk to %d steps:\n%s", f.Invariant, f.FoundAfter, f.FoundIn.Round(time.Millisecond), f.Steps, f.Script)
	if row.caughtBy == "" {
		t.Errorf("caught by %s though its row says the checker lacks %s: update the row and README's table", f.Invariant, row.lacks)
		return res
	}
	assert.Contains(t, strings.Split(row.caughtBy, "|"), f.Invariant, "the invariant that catches it")
	assert.LessOrEqual(t, f.Steps, mutantMaxSteps, "shrunk steps")
	v := Replay(f.Script, Config{}.Cluster, Builtin())
	if assert.NotNil(t, v, "the written scenario replays a violation") {
		assert.Equal(t, f.Invariant, v.Invariant, "the replayed violation")
	}
	require.NoError(t, mutant.Set(""))
	assert.Nil(t, Replay(f.Script, Config{}.Cluster, Builtin()), "without the mutant the scenario breaks nothing")
	if row.replayCLI {
		replayWithCLI(t, cli, row.mutant, f)
	}
	return res
}

// buildKubesim builds cmd/kubesim with the mutants, for the rows that
// replay their file with it.
func buildKubesim(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "kubesim")
	out, err := exec.Command("go", "build", "-tags", "kubesim_mutants", "-o", bin, "../cmd/kubesim").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// replayWithCLI replays a failure's file as a user would, with
// `kubesim run --mutant NAME FILE`: exit status 1, the violation printed.
func replayWithCLI(t *testing.T, cli, name string, f *Failure) {
	var stdout, stderr strings.Builder
	cmd := exec.Command(cli, "run", "--mutant", name, f.File)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit, ok := err.(*exec.ExitError)
	if assert.True(t, ok, "kubesim run exits with a status: %v", err) {
		assert.Equal(t, 1, exit.ExitCode(), stderr.String())
	}
	assert.Contains(t, stdout.String(), "violation: "+f.Invariant+": ")
	assert.Contains(t, stderr.String(), "(the first: "+f.Invariant+")")
}

// printMutantTable prints the results as README's markdown table.
func printMutantTable(results []mutantResult) {
	var b strings.Builder
	caught := 0
	b.WriteString("| mutant | bug class | caught by | runs | seconds | shrunk steps |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range results {
		by, steps := "not caught", "—"
		if r.caughtBy != "" {
			by, steps = "`"+r.caughtBy+"`", fmt.Sprint(r.steps)
			caught++
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %d | %.1f | %s |\n", r.mutant, r.class, by, r.runs, r.seconds, steps)
	}
	fmt.Fprintf(&b, "\n%d of %d mutants caught.\n", caught, len(results))
	fmt.Fprint(os.Stdout, b.String())
}
