package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/host"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// Console is a terminal logged in to a machine as root: a bash login
// shell whose input the caller types a line at a time (Type). The shell
// runs in the cluster's virtual time: what it waits for (a sleep, a
// command that blocks) lets the cluster's time pass, and a typed line is
// done when the terminal waits for input again.
type Console struct {
	c     *Cluster
	h     *host.Machine
	p     *workload.Proc
	in    *proc.Pipe
	start time.Time
}

// ConsolePrograms are commands a console's machine has beyond its own (a
// scenario's kubectl, sleep, node...): Lookup's programs are found before
// the machine's, Preempt's before the shell's builtins.
type ConsolePrograms struct {
	Lookup  func(name string) (sh.Program, bool)
	Preempt func(name string) (sh.Program, bool)
}

// Errors of a typed line that the terminal cannot finish.
var (
	// ErrConsoleHangs is a command that waits for something that never
	// comes (a server in the foreground, sleep infinity): a terminal would
	// hang there.
	ErrConsoleHangs = errors.New("the command waits for ever (a terminal would hang here; run it in the background with &)")
	// ErrConsoleSpins is a command that loops without end: without time
	// passing, or for more than ConsoleStepLimit commands.
	ErrConsoleSpins = errors.New("the command loops for ever (a terminal would hang here)")
)

// ConsoleStepLimit is the most shell commands one typed line may run.
const ConsoleStepLimit = 300_000

// Login opens a console on a machine, in root's home.
func (c *Cluster) Login(machine string, extra ConsolePrograms) (*Console, error) {
	h := c.hostNamed(machine)
	if h == nil {
		return nil, fmt.Errorf("no machine named %q", machine)
	}
	u := h.Userland()
	own := u.Lookup
	u.Lookup = func(name string) (sh.Program, bool) {
		if extra.Lookup != nil {
			if p, ok := extra.Lookup(name); ok {
				return p, true
			}
		}
		return own(name)
	}
	u.Preempt = extra.Preempt
	in := proc.NewPipe(1)
	p := workload.Start(workload.Process{Argv: []string{"-bash"}, Env: h.Env(), Hostname: h.Name, FS: h.Files(),
		Start: c.clock.Now(), StdinPipe: in, Dir: "/root", Userland: u, Interactive: true})
	t := &Console{c: c, h: h, p: p, in: in, start: c.clock.Now()}
	if _, err := t.run(); err != nil {
		return nil, err
	}
	return t, nil
}

// Machine is the machine the console is logged in to.
func (t *Console) Machine() string { return t.h.Name }

// Prompt is what the terminal shows while it waits for input: the shell's
// PS1 ("[root@k8s-master ~]# "), "> " while a command goes on, or what a
// program reading the terminal shows ("mysql> ").
func (t *Console) Prompt() string { return t.p.Prompt() }

// Dir is the shell's working directory.
func (t *Console) Dir() string { return t.p.Dir() }

// Ended reports whether the shell has exited (exit was typed).
func (t *Console) Ended() bool {
	_, _, done := t.p.Exited()
	return done
}

// Close logs out: the shell and whatever it still runs are killed.
func (t *Console) Close() { t.p.Kill() }

// Type types text (one or more lines) and returns what the terminal
// printed until it waited for input again (or the shell ended). Virtual
// time passes as the commands wait; the rest of the cluster goes on
// meanwhile.
func (t *Console) Type(text string) (string, error) {
	if t.Ended() {
		return "", errors.New("the console's shell has exited")
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	t.in.Write(t.offset(), text)
	return t.run()
}

// offset is the cluster's time as the console's process counts it.
func (t *Console) offset() time.Duration { return t.c.clock.Now().Sub(t.start) }

// run runs the shell until it waits for input, letting the cluster's time
// pass up to each moment it has something to do.
func (t *Console) run() (string, error) {
	before := t.p.Steps()
	for {
		t.p.RunUntil(t.offset(), t.c.network())
		if t.Ended() || t.in.Waiting() {
			return t.output(), nil
		}
		wake, ok := t.p.NextWake()
		switch {
		case t.p.Result().Stop == workload.StopSpinning || t.p.Result().Stop == workload.StopStepLimit:
			return t.output(), ErrConsoleSpins
		case t.p.Steps()-before > ConsoleStepLimit:
			return t.output(), ErrConsoleSpins
		case !ok:
			return t.output(), ErrConsoleHangs
		}
		// Work due now waits, as after any command, for time to pass:
		// only a wake in the future advances the cluster.
		if at := t.start.Add(wake); at.After(t.c.clock.Now()) {
			t.c.paceTo(at)
			t.c.clock.AdvanceTo(at)
		}
	}
}

// output is what the terminal printed since last asked, as it shows it.
func (t *Console) output() string {
	var b strings.Builder
	for _, l := range t.p.TakeOutput() {
		b.WriteString(l.Text)
		if !l.Partial {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// CatchUp brings a console program's shell to the cluster's time, after
// the program let it pass (kubectl wait, delete, exec): the shell waits
// until then, as the real program blocked.
func CatchUp(c *Cluster, s *sh.Shell) error {
	if d := c.clock.Now().Sub(s.Now()); d > 0 {
		return s.Sleep(d)
	}
	return nil
}
