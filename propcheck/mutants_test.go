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
	mutantShrink   = time.Minute
	mutantMaxSteps = 10
)

// mutantRow is what the checker is expected to do about one mutant.
type mutantRow struct {
	mutant string
	// kinds restricts the check (Config.Kinds); nil checks everything.
	kinds []string
	// caughtBy is the invariant that catches it, "" when the checker
	// cannot yet.
	caughtBy string
	// lacks says, for a mutant the checker misses, what it would need:
	// the operation, fault or invariant.
	lacks string
	// replayCLI also replays the written file with kubesim run --mutant.
	replayCLI bool
}

// mutantRows are the expectations, in the catalogue's order.
var mutantRows = []mutantRow{
	{mutant: "job-stale-view", kinds: []string{"Job"},
		lacks: "a stale view deep enough to miss the Job's own pod creates: the behaviour test needs `fault stale job-controller 7` or more (the pod's create, its event, the Job's status write, the scheduler's and kubelet's writes come between), the fault operation draws 1 to 4; the invariant exists (job: more successes than completions)"},
	{mutant: "job-double-count", kinds: []string{"Job"}, caughtBy: "job"},
	{mutant: "job-backoff-off-by-one", kinds: []string{"Job"},
		lacks: "an invariant: a Job Failed with BackoffLimitExceeded has status.failed > spec.backoffLimit (restartPolicy Never)"},
	{mutant: "job-deadline-ignored", kinds: []string{"Job"},
		lacks: "an invariant: a Job with activeDeadlineSeconds is finished (Failed, DeadlineExceeded) once now - startTime exceeds it, or completed before"},
	{mutant: "job-extra-pod", kinds: []string{"Job"}, caughtBy: "job"},
	{mutant: "job-complete-early", kinds: []string{"Job"},
		lacks: "an invariant: a Complete Job reached its completions (status.succeeded >= spec.completions)"},
	{mutant: "job-suspend-ignored", kinds: []string{"Job"}, caughtBy: "job-settled", replayCLI: true},
	{mutant: "cronjob-forbid-concurrent", kinds: []string{"CronJob"},
		lacks: "an operation creating CronJobs (Forbid, Jobs outlasting the schedule); the invariant exists (cronjob)"},
	{mutant: "cronjob-replace-keeps-old", kinds: []string{"CronJob"},
		lacks: "an operation creating CronJobs with Replace, and an invariant: a Replace CronJob has at most one active Job"},
	{mutant: "cronjob-history-untrimmed", kinds: []string{"CronJob"},
		lacks: "an operation creating CronJobs with history limits; the invariant exists (cronjob-history)"},
	{mutant: "cronjob-two-jobs-one-slot", kinds: []string{"CronJob"},
		lacks: "an operation creating CronJobs, and cronjob-controller among the faults' controllers (a crash between the create and the status write); the invariant exists (cronjob)"},
	{mutant: "statefulset-ordered-ready-broken", kinds: []string{"StatefulSet"},
		lacks: "a fix to the statefulset invariant's ordering check: it skips pairs whose creation times are equal (!a.Before(b)), and the mutant creates every missing ordinal in one sync, at one instant; a lower ordinal created no later than a higher one must have started before the higher one was created"},
	{mutant: "statefulset-scale-down-lowest-first", kinds: []string{"StatefulSet"},
		lacks: "an invariant over changes: under OrderedReady a pod's deletion starts only once every higher ordinal is gone"},
	{mutant: "statefulset-deletes-retained-claims", kinds: []string{"StatefulSet"},
		lacks: "StatefulSets with volumeClaimTemplates (and volumes to bind), and an invariant: under whenScaled Retain a set's claims outlive a scale-down"},
	{mutant: "pv-bind-unconditional", kinds: []string{"PersistentVolume", "PersistentVolumeClaim"},
		lacks: "a binder view stale enough to still show a volume Available when a second claim binds: the behaviour test creates two claims in one apply under `fault stale persistentvolume-binder-controller 4`; the checker creates claims a step apart and its lags (1 to 4 changes, at most a second) have caught up by then; the invariant exists (volume-binding)"},
	{mutant: "pv-binder-ignores-capacity", kinds: []string{"PersistentVolume", "PersistentVolumeClaim"},
		lacks: "an invariant: a Bound claim's volume has at least its requested capacity and its access modes"},
	{mutant: "gc-orphan-deletes-dependents", kinds: []string{"Deployment", "Job", "StatefulSet"},
		lacks: "an invariant over changes: the dependents of an owner deleted with --cascade=orphan are not deleted by the garbage collector"},
	{mutant: "gc-background-leaves-dependents", kinds: []string{"Deployment", "Job", "StatefulSet"}, caughtBy: "garbage-collection", replayCLI: true},
	{mutant: "deployment-surge-counts-ready", kinds: []string{"Deployment"}, caughtBy: "deployment"},
	{mutant: "deployment-ignores-max-unavailable", kinds: []string{"Deployment"},
		lacks: "an invariant: the Deployment controller never scales old ReplicaSets below replicas - maxUnavailable available pods"},
	{mutant: "replicaset-stale-view", kinds: []string{"Deployment"},
		lacks: "a stale view deep enough to miss the ReplicaSet's own creates while it scales up: the behaviour test needs `fault stale replicaset-controller 5` or more, the fault operation draws 1 to 4; the invariant exists (deployment: more active pods than replicas+maxSurge)"},
	{mutant: "kubelet-restarts-never", kinds: []string{"Job", "Pod"}, caughtBy: "job", replayCLI: true},
	{mutant: "kubelet-no-crashloop-backoff", kinds: []string{"Deployment", "Pod"},
		lacks: "crash-looping containers (an image or command that exits at once under restartPolicy Always), and an invariant over changes: restarts are spaced by the back-off"},
	{mutant: "scheduler-ignores-taints", kinds: []string{"Deployment", "Node"},
		lacks: "an invariant over changes: the scheduler binds no pod to a node with a NoSchedule taint it does not tolerate"},
	{mutant: "scheduler-ignores-resources", kinds: []string{"Deployment", "Node"},
		lacks: "pods with resource requests, and an invariant: a node's bound pods fit its allocatable cpu, memory and pods"},
	{mutant: "endpoints-include-unready", kinds: []string{"Service"},
		lacks: "an operation creating Services over pods whose readiness changes; the invariant exists (endpoints)"},
	{mutant: "ttl-deletes-early", kinds: []string{"Job"},
		lacks: "Jobs with ttlSecondsAfterFinished, and an invariant over changes: the TTL controller deletes a Job no sooner than its TTL after it finished"},
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
	assert.Equal(t, row.caughtBy, f.Invariant, "the invariant that catches it")
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
