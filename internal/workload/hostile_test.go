package workload

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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
	stop StopReason
}{
	// The crash of #9: each call forks the next and returns, so the main
	// shell is done at once and, as PID 1, takes the chain with it.
	{"background recursion", "f() { f & }; f", 0, StopExited},
	// While the main shell sleeps, the chain forks on without time
	// passing: the process spins (it burns CPU for ever).
	{"background recursion while sleeping", "f() { f & }; f; sleep 10", -1, StopSpinning},
	{"fork bomb", "f() { f & f & }; f; sleep 10", -1, StopSpinning},
	{"function recursion", "f() { f; }; f", crashStatus, StopExited},
	{"function recursion with work", "f() { echo x >/dev/null; f; }; f; echo unreachable", crashStatus, StopExited},
	// A subshell is a process of its own: its stack overflow kills it,
	// and the parent goes on with status 139.
	{"subshell recursion", "f() { (f); }; f; echo parent goes on $?", 0, StopExited},
	{"substitution recursion", "f() { echo $(f); }; f; echo after $?", 0, StopExited},
	{"eval recursion", `x='eval "$x"'; eval "$x"`, crashStatus, StopExited},
	{"nested shells", `f() { sh -c 'f() { f; }; f'; echo inner $?; }; f`, 0, StopExited},
	// Every stage forks two more until the pids run out; the forks fail
	// and the pipelines unwind.
	{"pipeline recursion", "f() { f | f; }; f", 2, StopExited},
	{"background in loop", "while true; do sleep 1 & done", -1, StopSpinning},
	{"waiting for a spinner", "(while :; do :; done) & wait", -1, StopSpinning},
	{"tight sleep loop", "while true; do sleep 0.000001; done", -1, StopStepLimit},
}

func TestHostileScriptsAreBounded(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, tc := range hostileScripts {
		t.Run(tc.name, func(t *testing.T) {
			res := Run(shProc(tc.script), time.Hour)
			if tc.exit < 0 {
				assert.False(t, res.Exited, "never ends")
				assert.Equal(t, tc.stop, res.Stop)
				return
			}
			require.True(t, res.Exited, "stop %v", res.Stop)
			assert.Equal(t, tc.exit, res.ExitCode, streamText(res.Output, Stderr))
		})
	}
	// Every process's coroutines were released when Run ended.
	assert.LessOrEqual(t, runtime.NumGoroutine(), before+2)
}

func TestSubshellCrashStatus(t *testing.T) {
	res := Run(shProc("f() { (f); }; f; echo parent goes on $?"), time.Minute)
	assert.Equal(t, "parent goes on 139\n", streamText(res.Output, Stdout))
}

func TestForkLimitMessage(t *testing.T) {
	res := Run(shProc("i=0; while [ $i -lt 600 ]; do sleep 10 & i=$((i+1)); done; echo done"), time.Minute)
	assert.Contains(t, streamText(res.Output, Stderr), "sh: can't fork: Resource temporarily unavailable")
	assert.Equal(t, "done\n", streamText(res.Output, Stdout))
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
