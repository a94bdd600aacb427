package sh

import (
	"errors"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// EnvVar is one environment variable, in the order it was set.
type EnvVar struct {
	Name, Value string
}

// Userland is the system a shell runs on: which programs it has beyond the
// shell's builtins, and which shell /bin/sh is.
type Userland struct {
	// Shell is the kind of /bin/sh, which decides how the shell words its
	// messages: "busybox" (the default), "dash" or "bash".
	Shell string
	// Lookup returns the program a command name runs, or false when the
	// system has no such program. Nil means the standard programs
	// (Standard), all of them.
	Lookup func(name string) (Program, bool)
	// Preempt, when set, returns programs that take the place of the
	// shell's builtins of the same name (a scenario's `kill POD`).
	Preempt func(name string) (Program, bool)
}

// program returns the program the system runs for name.
func (u Userland) program(name string) (Program, bool) {
	if u.Lookup == nil {
		return Standard(name)
	}
	return u.Lookup(name)
}

// shellKind is the kind of /bin/sh.
func (u Userland) shellKind() string {
	if u.Shell == "" {
		return "busybox"
	}
	return u.Shell
}

// Config is a process's start as a container runtime (or a login) makes
// it: its environment, its machine and what it reads.
type Config struct {
	// Argv is the command; no shell parses it: Argv[0] must name a program
	// the system has.
	Argv []string
	// Env is the environment in order. The process reads it while it
	// runs, so it must not change after Start.
	Env []EnvVar
	// Hostname is the machine's (or pod's) hostname.
	Hostname string
	// Userland is the system's programs and shell.
	Userland Userland
	// DNSSearch is the search path of the process's resolv.conf.
	DNSSearch []string
	// Stdin is what the process reads on standard input, all there from
	// the start, unless StdinPipe is set.
	Stdin string
	// StdinPipe, when set, is the process's standard input instead: the
	// caller writes to it while the process runs (an interactive
	// session's typed lines) and closes it at the end of the input.
	StdinPipe *proc.Pipe
	// Dir is the working directory; empty means /.
	Dir string
	// Scripts, when set, keeps the scripts the process's shells parse,
	// for other processes that run them too.
	Scripts *Scripts
	// TTY gives the process a terminal on its standard input (kubectl exec
	// -t): a program reading the terminal behaves as a user's (mysql's
	// monitor with its prompt, tables and "rows in set").
	TTY bool
	// Interactive makes the process a terminal's shell: it reads commands
	// from standard input a line at a time and runs each as soon as it is
	// whole, keeping its variables and directory from one to the next,
	// and shows its prompt (proc.Proc.Prompt) while it waits. Argv[0]
	// names the shell ("bash", "-bash", "sh").
	Interactive bool
}

// Run is a started shell process: the handle its caller keeps to set the
// network it reaches while it runs, and to see where its shell is.
type Run struct {
	run  *shRun
	root *Shell
}

// Dir is the working directory of the process's shell.
func (r *Run) Dir() string { return r.root.cwd }

// SetNetwork sets the cluster network the process reaches from now on
// (nil: none).
func (r *Run) SetNetwork(n Network) { r.run.net = n }

// Start starts cfg.Argv as p's main program, the way a container runtime
// execs it: the program must exist (otherwise the process fails to start,
// with the runtime's "executable file not found" message), and no shell
// parses argv.
func Start(p *proc.Proc, cfg Config) *Run {
	// One allocation for what the process keeps while it lives.
	s := &started{run: shRun{proc: p, start: p.Start(), userland: cfg.Userland, hostname: cfg.Hostname,
		search: cfg.DNSSearch, scripts: cfg.Scripts}}
	run, in, io := &s.run, &s.in, &s.io
	name := "sh"
	if cfg.Interactive && len(cfg.Argv) > 0 {
		name = strings.TrimPrefix(cfg.Argv[0], "-")
	}
	root := &s.root
	root.init(run, cfg.Env, dialectFor(name, cfg.Userland))
	if cfg.Dir != "" {
		root.cwd = cleanPath(cfg.Dir)
	}
	*in = shInput{data: cfg.Stdin}
	if cfg.StdinPipe != nil {
		*in = shInput{pipe: cfg.StdinPipe}
	}
	if cfg.TTY || cfg.Interactive {
		run.tty = in
	}
	*io = IO{stdin: in, stdout: logSink{stream: proc.Stdout}, stderr: logSink{stream: proc.Stderr}}
	argv, interactive := cfg.Argv, cfg.Interactive // not cfg itself: the closure would keep it all
	p.Main(func(t *proc.Thread) (proc.Exit, time.Duration) {
		root.th = t
		if interactive {
			return interactiveExit(root, root.repl(io)), root.now
		}
		return execute(root, argv, io), root.now
	})
	s.handle = Run{run: run, root: root}
	return &s.handle
}

// started is what Start allocates for a process, in one piece: the
// shells' shared state, standard input, the main program's streams,
// the caller's handle and the process's first shell.
type started struct {
	run    shRun
	in     shInput
	io     IO
	handle Run
	root   Shell
}

// interactiveExit is how a terminal's shell ended: exit's status, or its
// last command's at the end of its input.
func interactiveExit(root *Shell, err error) proc.Exit {
	res := proc.Exit{Stop: proc.StopExited, Code: root.status}
	if exit, ok := errors.AsType[*shExit](err); ok {
		res.Code = exit.code
	} else if crashed(err) {
		res.Code = proc.CrashStatus
	} else if halt, ok := errors.AsType[*proc.Halt](err); ok {
		res.Stop = halt.Reason
	}
	return res
}

// execute starts argv the way a container runtime does: the program must
// exist, and no shell parses argv.
func execute(root *Shell, argv []string, io *IO) proc.Exit {
	if len(argv) == 0 {
		return proc.Exit{Stop: proc.StopStartError, Code: 128, StartError: "no command specified"}
	}
	prog, ok := root.lookup(argv[0])
	if !ok {
		msg := `exec: "` + argv[0] + `": executable file not found in $PATH`
		if strings.Contains(argv[0], "/") {
			msg = `exec: "` + argv[0] + `": stat ` + argv[0] + `: no such file or directory`
		}
		return proc.Exit{Stop: proc.StopStartError, Code: 128, StartError: msg}
	}
	root.line = 1
	err := prog(root, argv, io)
	res := proc.Exit{Stop: proc.StopExited, Code: root.status}
	if exit, ok := errors.AsType[*shExit](err); ok {
		res.Code = exit.code
	} else if crashed(err) {
		res.Code = proc.CrashStatus
	} else if halt, ok := errors.AsType[*proc.Halt](err); ok {
		res.Stop = halt.Reason
	}
	return res
}
