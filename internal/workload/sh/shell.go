package sh

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// shRun is what all the shells of one process share: the process (its
// threads, files, output and budgets), the system it runs on and its
// network.
type shRun struct {
	proc     *proc.Proc
	start    time.Time
	nextPID  int
	userland Userland
	hostname string
	net      Network  // the process's network, or nil
	search   []string // the resolv.conf search path
	// tty is the process's terminal, when it has one: its standard input.
	tty *shInput
	// scripts caches parsed scripts across processes (nil: none).
	scripts *Scripts
}

// shVar is a shell variable; seq orders the environment (first set, first
// listed), so `env` output never depends on map order.
type shVar struct {
	value    string
	exported bool
	seq      int
}

// Shell is one shell's state. Subshells (pipelines, $(...), ( ... ), &)
// work on copies; the shRun is shared.
type Shell struct {
	run *shRun
	// vars are the shell's variables, made from env when first changed or
	// listed (varMap); nil until then. Reading a variable does not need
	// them: most shells (a container's, its sh -c) only read theirs.
	vars map[string]*shVar
	// env is the environment the shell started with (read only), while
	// vars is nil.
	env       []EnvVar
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
	th *proc.Thread
	// children are the background jobs this shell started, for wait.
	children []*proc.Thread
	lastBg   int
	line     int // line of the command running, for messages
	// substStatus is the status of the last command substitution, which
	// is a command's status when it has no command name.
	substStatus int
	// interactive is set on a terminal's shell (not its subshells).
	interactive bool
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
)

// A process's stop (proc.Halt) and a stack overflow (proc.Crash) leave
// commands as errors too.

// Error implements error.
func (e *shExit) Error() string { return "exit " + strconv.Itoa(e.code) }

// Error implements error.
func (e *shLoopCtl) Error() string { return "break" }

// Error implements error.
func (e *shReturn) Error() string { return "return" }

// newShell starts a shell whose variables come from env, in order; env
// is the shell's until it changes a variable, and must not change.
func newShell(run *shRun, env []EnvVar, d shDialect) *Shell {
	sh := new(Shell)
	sh.init(run, env, d)
	return sh
}

// init makes sh a new shell, as newShell describes.
func (sh *Shell) init(run *shRun, env []EnvVar, d shDialect) {
	// funcs is made by the first function definition (most shells have
	// none), vars by the first change of a variable.
	*sh = Shell{run: run, env: env, cwd: "/", dialect: d, arg0: d.name}
}

// varMap returns the shell's variables, making them from the environment
// it started with the first time: each name exported, with its last
// value, in the order of its first definition.
func (sh *Shell) varMap() map[string]*shVar {
	if sh.vars != nil {
		return sh.vars
	}
	env := sh.env
	sh.vars, sh.env = make(map[string]*shVar, len(env)), nil
	// One allocation for all the variables: a container's environment is
	// a few dozen of them.
	store := make([]shVar, len(env))
	for i, e := range env {
		if v, ok := sh.vars[e.Name]; ok {
			v.value, v.exported = e.Value, true
			continue
		}
		sh.seq++
		store[i] = shVar{value: e.Value, exported: true, seq: sh.seq}
		sh.vars[e.Name] = &store[i]
	}
	return sh.vars
}

// subshell copies the shell for a subshell environment.
func (sh *Shell) subshell() *Shell {
	c := *sh
	if sh.vars != nil { // else c shares the environment sh started with
		c.vars = make(map[string]*shVar, len(sh.vars))
		for k, v := range sh.vars {
			cp := *v
			c.vars[k] = &cp
		}
	}
	c.funcs = nil
	if len(sh.funcs) > 0 {
		c.funcs = make(map[string]shCommand, len(sh.funcs))
		for k, v := range sh.funcs {
			c.funcs[k] = v
		}
	}
	c.args = append([]string(nil), sh.args...)
	c.locals = nil
	c.funcDepth = 0
	c.children = nil
	c.interactive = false
	return &c
}

func (sh *Shell) getVar(name string) (string, bool) {
	if sh.vars == nil {
		// The environment's last definition, as varMap would keep it.
		for i := len(sh.env) - 1; i >= 0; i-- {
			if sh.env[i].Name == name {
				return sh.env[i].Value, true
			}
		}
		return "", false
	}
	v, ok := sh.vars[name]
	if !ok {
		return "", false
	}
	return v.value, true
}

func (sh *Shell) setVar(name, value string) {
	vars := sh.varMap()
	if v, ok := vars[name]; ok {
		v.value = value
		return
	}
	sh.seq++
	vars[name] = &shVar{value: value, seq: sh.seq}
}

func (sh *Shell) unsetVar(name string) { delete(sh.varMap(), name) }

// environ lists exported variables as NAME=value in the order they were
// first set.
func (sh *Shell) environ() []string {
	vars := sh.exported()
	out := make([]string, len(vars))
	for i, e := range vars {
		out[i] = e.Name + "=" + e.Value
	}
	return out
}

// exported lists the exported variables in the order they were first set:
// the environment a child process inherits. The list is read only: it may
// be the environment the shell started with.
func (sh *Shell) exported() []EnvVar {
	if sh.vars == nil && distinctNames(sh.env) {
		return sh.env // what varMap would make of it, listed
	}
	return sh.sortedExports()
}

// sortedExports is exported's list made from the variable table (a
// function of its own: its stack buffer would make every call's frame
// big, and a coroutine's stack grow).
func (sh *Shell) sortedExports() []EnvVar {
	// Sorted on the stack for the usual few dozen variables; seqs are
	// unique, so the order is the same whatever the sort.
	var buf [48]seqVar
	vars := buf[:0]
	for name, v := range sh.varMap() {
		if v.exported {
			vars = append(vars, seqVar{seq: v.seq, EnvVar: EnvVar{Name: name, Value: v.value}})
		}
	}
	slices.SortFunc(vars, func(a, b seqVar) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]EnvVar, len(vars))
	for i := range vars {
		out[i] = vars[i].EnvVar
	}
	return out
}

// distinctNames reports whether no name appears twice in env (a few dozen
// names at most are compared pairwise; more are taken as not distinct).
func distinctNames(env []EnvVar) bool {
	if len(env) > 64 {
		return false
	}
	for i := range env {
		for j := range i {
			if env[j].Name == env[i].Name {
				return false
			}
		}
	}
	return true
}

// seqVar is a variable with its seq, for sorting.
type seqVar struct {
	seq int
	EnvVar
}

// step charges one command against the process's budgets (see
// proc.Thread.Step).
func (sh *Shell) step() error { return sh.th.Step(sh.now) }

// charge counts n bytes of work (expansion, reading, writing) and fails
// once the process did more than proc.MaxWorkBytes at one instant.
func (sh *Shell) charge(n int) error { return sh.run.proc.Charge(sh.now, n) }

// sleep lets d of virtual time pass for this shell.
func (sh *Shell) sleep(d time.Duration) error {
	now, err := sh.th.Sleep(sh.now, d)
	sh.now = now
	return err
}

// blockForever waits for something that never comes (a server serving, a
// pipe whose writer never ends, sleep infinity): the thread runs until
// the process is killed.
func (sh *Shell) blockForever() error { return sh.th.BlockForever(sh.now) }

// waitFor blocks until every thread of ts has ended, then sets the clock
// to the last one's end (or keeps it, if later).
func (sh *Shell) waitFor(ts []*proc.Thread) error {
	now, err := sh.th.Join(sh.now, ts)
	sh.now = now
	return err
}

// enter counts one level of nesting (a function call, subshell, command
// substitution, eval or nested shell) on this thread; past proc.MaxFrames
// the stack overflows. Every successful enter is paired with a leave.
func (sh *Shell) enter() error { return sh.th.Enter() }

// leave undoes enter.
func (sh *Shell) leave() { sh.th.Leave() }

// wallClock is the shell's clock as a wall time.
func (sh *Shell) wallClock() time.Time { return sh.run.start.Add(sh.now).UTC() }

// files returns the process's filesystem as this shell changes it: every
// change is stamped with this shell's clock.
func (sh *Shell) files() vfs.Filesystem {
	return sh.run.proc.Files(func() time.Duration { return sh.now })
}

// abs resolves a path against the working directory.
func (sh *Shell) abs(p string) string {
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
func (sh *Shell) errorf(io *IO, format string, args ...any) {
	io.stderr.write(sh, sh.dialect.prefix(sh.line)+sprintf(format, args...)+"\n")
}
