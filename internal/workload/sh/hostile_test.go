package sh_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileScripts are scripts that would exhaust a real shell (its stack,
// its fork limit) or the simulator (unbounded recursion, goroutines, CPU
// without virtual time passing). Each must end, or freeze as spinning,
// within the caps, with what a shell hitting the limit does.
var hostileScripts = []struct {
	name, script string
	// exit is the status when the process ends by itself; -1 means it
	// never ends (it spins or waits for ever).
	exit int
	stop proc.StopReason
}{
	// The crash of #9: each call forks the next and returns, so the main
	// shell is done at once and, as PID 1, takes the chain with it.
	{"background recursion", "f() { f & }; f", 0, proc.StopExited},
	// While the main shell sleeps, the chain forks on without time
	// passing: the process spins (it burns CPU for ever).
	{"background recursion while sleeping", "f() { f & }; f; sleep 10", -1, proc.StopSpinning},
	{"fork bomb", "f() { f & f & }; f; sleep 10", -1, proc.StopSpinning},
	{"function recursion", "f() { f; }; f", proc.CrashStatus, proc.StopExited},
	{"function recursion with work", "f() { echo x >/dev/null; f; }; f; echo unreachable", proc.CrashStatus, proc.StopExited},
	// A subshell is a process of its own: its stack overflow kills it,
	// and the parent goes on with status 139.
	{"subshell recursion", "f() { (f); }; f; echo parent goes on $?", 0, proc.StopExited},
	{"substitution recursion", "f() { echo $(f); }; f; echo after $?", 0, proc.StopExited},
	{"eval recursion", `x='eval "$x"'; eval "$x"`, proc.CrashStatus, proc.StopExited},
	{"nested shells", `f() { sh -c 'f() { f; }; f'; echo inner $?; }; f`, 0, proc.StopExited},
	// Every stage forks two more until the pids run out; the forks fail
	// and the pipelines unwind.
	{"pipeline recursion", "f() { f | f; }; f", 2, proc.StopExited},
	{"background in loop", "while true; do sleep 1 & done", -1, proc.StopSpinning},
	{"waiting for a spinner", "(while :; do :; done) & wait", -1, proc.StopSpinning},
	{"tight sleep loop", "while true; do sleep 0.000001; done", -1, proc.StopStepLimit},
}

func TestHostileScriptsAreBounded(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, tc := range hostileScripts {
		t.Run(tc.name, func(t *testing.T) {
			res := workload.Run(shProc(tc.script), time.Hour)
			if tc.exit < 0 {
				assert.False(t, res.Exited, "never ends")
				assert.Equal(t, tc.stop, res.Stop)
				return
			}
			require.True(t, res.Exited, "stop %v", res.Stop)
			assert.Equal(t, tc.exit, res.ExitCode, streamText(res.Output, proc.Stderr))
		})
	}
	// Every process's coroutines were released when Run ended.
	assert.LessOrEqual(t, runtime.NumGoroutine(), before+2)
}

func TestSubshellCrashStatus(t *testing.T) {
	res := workload.Run(shProc("f() { (f); }; f; echo parent goes on $?"), time.Minute)
	assert.Equal(t, "parent goes on 139\n", streamText(res.Output, proc.Stdout))
}

func TestForkLimitMessage(t *testing.T) {
	res := workload.Run(shProc("i=0; while [ $i -lt 600 ]; do sleep 10 & i=$((i+1)); done; echo done"), time.Minute)
	assert.Contains(t, streamText(res.Output, proc.Stderr), "sh: can't fork: Resource temporarily unavailable")
	assert.Equal(t, "done\n", streamText(res.Output, proc.Stdout))
}

// TestHostileFuzzSeeds keeps the recursion crash as a seed of FuzzShell,
// so that the fuzzer starts from it.
func TestHostileFuzzSeeds(t *testing.T) {
	for _, tc := range hostileScripts {
		path := filepath.Join("testdata", "fuzz", "FuzzShell", "hostile-"+slug(tc.name))
		data, err := os.ReadFile(path)
		require.NoError(t, err, "missing fuzz seed %s", path)
		assert.Equal(t, fmt.Sprintf("go test fuzz v1\nstring(%q)\n", tc.script), string(data))
	}
}

func slug(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == ' ' {
			out[i] = '-'
		}
	}
	return string(out)
}

// TestNestingLimitRun: a script nested past the parser's limit is a syntax
// error (exit 2), not a crash.
func TestNestingLimitRun(t *testing.T) {
	src := strings.Repeat("(", 1000)
	res := workload.Run(shProc("echo $(("+src+"1))"), 0)
	assert.True(t, res.Exited)
	assert.Equal(t, 2, res.ExitCode)
}
