package workload

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// shRun is what all the shells of one process share: the filesystem,
// the output log and the step budget.
type shRun struct {
	fs        *recorder
	start     time.Time
	horizon   time.Duration
	lines     []Line
	outBytes  int
	truncated bool
	steps     int
	work      int64
	nextPID   int
	image     Image
	hostname  string
	net       Network  // the process's network, or nil
	search    []string // the resolv.conf search path
}

// shVar is a shell variable; seq orders the environment (first set, first
// listed), so `env` output never depends on map order.
type shVar struct {
	value    string
	exported bool
	seq      int
}

// shell is one shell's state. Subshells (pipelines, $(...), ( ... ), &)
// work on copies; the shRun is shared.
type shell struct {
	run       *shRun
	vars      map[string]*shVar
	seq       int
	funcs     map[string]shCommand
	args      []string
	arg0      string
	status    int
	now       time.Duration
	idle      int // steps since this shell's time last advanced
	cwd       string
	dialect   shDialect
	errexit   bool
	xtrace    bool
	nounset   bool
	condDepth int // inside a condition, where set -e does not apply
	funcDepth int
	locals    []map[string]*shVar
	bgEnd     time.Duration
	bgForever bool
	lastBg    int
	line      int // line of the command running, for messages
	// substStatus is the status of the last command substitution, which
	// is a command's status when it has no command name.
	substStatus int
}

// Control flow leaves commands as errors of these types.
type (
	// shExit ends the shell with a status (exit, set -e, fatal errors).
	shExit struct{ code int }
	// shLoopCtl is break or continue, n levels.
	shLoopCtl struct {
		n    int
		cont bool
	}
	// shReturn leaves a function.
	shReturn struct{ code int }
	// shHalt freezes the whole process: the horizon was reached, or it
	// spins, or it ran out of steps.
	shHalt struct{ reason StopReason }
)

// Error implements error.
func (e *shExit) Error() string { return "exit " + strconv.Itoa(e.code) }

// Error implements error.
func (e *shLoopCtl) Error() string { return "break" }

// Error implements error.
func (e *shReturn) Error() string { return "return" }

// Error implements error.
func (e *shHalt) Error() string { return "halt: " + e.reason.String() }

// newShell starts a shell whose variables come from env, in order.
func newShell(run *shRun, env []EnvVar, d shDialect) *shell {
	sh := &shell{run: run, vars: map[string]*shVar{}, funcs: map[string]shCommand{}, cwd: "/", dialect: d, arg0: d.name}
	for _, e := range env {
		sh.setVar(e.Name, e.Value)
		sh.vars[e.Name].exported = true
	}
	return sh
}

// subshell copies the shell for a subshell environment.
func (sh *shell) subshell() *shell {
	c := *sh
	c.vars = make(map[string]*shVar, len(sh.vars))
	for k, v := range sh.vars {
		cp := *v
		c.vars[k] = &cp
	}
	c.funcs = make(map[string]shCommand, len(sh.funcs))
	for k, v := range sh.funcs {
		c.funcs[k] = v
	}
	c.args = append([]string(nil), sh.args...)
	c.locals = nil
	c.funcDepth = 0
	return &c
}

func (sh *shell) getVar(name string) (string, bool) {
	v, ok := sh.vars[name]
	if !ok {
		return "", false
	}
	return v.value, true
}

func (sh *shell) setVar(name, value string) {
	if v, ok := sh.vars[name]; ok {
		v.value = value
		return
	}
	sh.seq++
	sh.vars[name] = &shVar{value: value, seq: sh.seq}
}

func (sh *shell) unsetVar(name string) { delete(sh.vars, name) }

// environ lists exported variables as NAME=value in the order they were
// first set.
func (sh *shell) environ() []string {
	type kv struct {
		seq  int
		text string
	}
	var list []kv
	for name, v := range sh.vars {
		if v.exported {
			list = append(list, kv{v.seq, name + "=" + v.value})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].seq < list[j].seq })
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.text
	}
	return out
}

// step charges one command against the process's budgets.
func (sh *shell) step() error {
	sh.run.steps++
	sh.idle++
	if sh.idle > MaxIdleSteps {
		return &shHalt{reason: StopSpinning}
	}
	if sh.run.steps > MaxSteps || sh.run.work > MaxWorkBytes {
		return &shHalt{reason: StopStepLimit}
	}
	return nil
}

// charge counts n bytes of work (expansion, reading, writing) and fails
// once the run is over MaxWorkBytes.
func (sh *shell) charge(n int) error {
	sh.run.work += int64(n)
	if sh.run.work > MaxWorkBytes {
		return &shHalt{reason: StopStepLimit}
	}
	return nil
}

// sleep advances this shell's virtual time, halting at the horizon.
func (sh *shell) sleep(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	sh.idle = 0
	if d > sh.run.horizon-sh.now {
		sh.now = sh.run.horizon
		return &shHalt{reason: StopHorizon}
	}
	sh.now += d
	return nil
}

// abs resolves a path against the working directory.
func (sh *shell) abs(p string) string {
	if strings.HasPrefix(p, "/") {
		return cleanPath(p)
	}
	return cleanPath(sh.cwd + "/" + p)
}

func cleanPath(p string) string {
	parts := strings.Split(p, "/")
	out := make([]string, 0, len(parts))
	for _, part := range parts {
		switch part {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, part)
		}
	}
	return "/" + strings.Join(out, "/")
}

// errorf prints a shell error message with the dialect's prefix.
func (sh *shell) errorf(io *shIO, format string, args ...any) {
	io.stderr.write(sh, sh.dialect.prefix(sh.line)+sprintf(format, args...)+"\n")
}
