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
	proc      *Proc
	lines     []Line
	outBytes  int
	truncated bool
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
	cwd       string
	dialect   shDialect
	errexit   bool
	xtrace    bool
	nounset   bool
	condDepth int // inside a condition, where set -e does not apply
	funcDepth int
	locals    []map[string]*shVar
	// th is the thread this shell runs on; subshells share it, background
	// jobs and pipeline stages get their own.
	th *thread
	// children are the background jobs this shell started, for wait.
	children []*thread
	lastBg   int
	line     int // line of the command running, for messages
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
	// shHalt freezes the whole process: it spins, or ran out of budget, or
	// it is being killed.
	shHalt struct{ reason StopReason }
	// shCrash is a stack overflow (MaxFrames): the process in which it
	// happens dies of SIGSEGV.
	shCrash struct{}
)

// crashStatus is a shell's status after a child died of SIGSEGV (128+11).
const crashStatus = 139

// Error implements error.
func (e *shExit) Error() string { return "exit " + strconv.Itoa(e.code) }

// Error implements error.
func (e *shLoopCtl) Error() string { return "break" }

// Error implements error.
func (e *shReturn) Error() string { return "return" }

// Error implements error.
func (e *shHalt) Error() string { return "halt: " + e.reason.String() }

// Error implements error.
func (e *shCrash) Error() string { return "segmentation fault" }

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
	c.children = nil
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

// step charges one command against the process's budgets: a process
// that runs MaxIdleSteps commands, or does MaxWorkBytes of work, at one
// virtual instant spins (it loops without time passing), and one that runs
// more than MaxSteps plus StepsPerSecond for each virtual second it has
// lived loops so fast that following it would cost more than the time it
// covers (StopStepLimit).
func (sh *shell) step() error {
	t := sh.th
	if t.killed {
		return killedHalt
	}
	p := t.proc
	if p.stop != 0 {
		return &shHalt{reason: p.stop}
	}
	p.atInstant(sh.now, sh.run.work)
	p.instantSteps++
	p.steps++
	if p.instantSteps > MaxIdleSteps {
		return &shHalt{reason: StopSpinning}
	}
	if p.steps > MaxSteps+int64(sh.now/time.Second)*StepsPerSecond {
		return &shHalt{reason: StopStepLimit}
	}
	if sh.run.work-p.instantWork > MaxWorkBytes {
		return &shHalt{reason: StopStepLimit}
	}
	return nil
}

// charge counts n bytes of work (expansion, reading, writing) and fails
// once the process did more than MaxWorkBytes at one instant.
func (sh *shell) charge(n int) error {
	sh.run.work += int64(n)
	p := sh.run.proc
	p.atInstant(sh.now, sh.run.work-int64(n))
	if sh.run.work-p.instantWork > MaxWorkBytes {
		return &shHalt{reason: StopStepLimit}
	}
	return nil
}

// sleep lets d of virtual time pass for this shell.
func (sh *shell) sleep(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if d > maxOffset-sh.now {
		return sh.blockForever()
	}
	return sh.blockUntil(sh.now + d)
}

// maxOffset is the furthest offset a process's clock can reach.
const maxOffset = time.Duration(1<<63 - 1)

// blockUntil waits until the offset at, giving the rest of the process
// (and the caller, past its limit) the time in between.
func (sh *shell) blockUntil(at time.Duration) error {
	t := sh.th
	if t.killed {
		return killedHalt
	}
	if t.proc.mayRunOn(t, at) {
		sh.now = at
		return nil
	}
	t.state, t.wake = threadSleeping, at
	if err := t.park(sh.now); err != nil {
		return err
	}
	sh.now = at
	return nil
}

// blockForever waits for something that never comes (a server serving, a
// pipe whose writer never ends, sleep infinity): the thread runs until
// the process is killed.
func (sh *shell) blockForever() error {
	t := sh.th
	t.state = threadForever
	if err := t.park(sh.now); err != nil {
		return err
	}
	return killedHalt // nothing resumes a thread waiting forever but a kill
}

// waitFor blocks until every thread of ts has ended, then sets the clock
// to the last one's end (or keeps it, if later).
func (sh *shell) waitFor(ts []*thread) error {
	t := sh.th
	for _, c := range ts {
		if c.state != threadDone {
			c.joiners = append(c.joiners, t)
			t.awaiting++
		}
	}
	if t.awaiting == 0 {
		for _, c := range ts {
			sh.now = max(sh.now, c.now)
		}
		return nil
	}
	t.state = threadWaiting
	if err := t.park(sh.now); err != nil {
		return err
	}
	sh.now = max(sh.now, t.wake)
	return nil
}

// enter counts one level of nesting (a function call, subshell, command
// substitution, eval or nested shell) on this thread; past MaxFrames the
// stack overflows. Every successful enter is paired with a leave.
func (sh *shell) enter() error {
	if sh.th.frames >= MaxFrames {
		return &shCrash{}
	}
	sh.th.frames++
	return nil
}

// leave undoes enter.
func (sh *shell) leave() { sh.th.frames-- }

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
