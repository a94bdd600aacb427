package sh

import (
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// The methods below are what a Program outside this package (a server, a
// database client, a host's administration tools) uses of the shell that
// runs it: its variables, files and clock, its streams, and the shell's
// own ways to wait, run a command and exit.

// Getenv returns a shell variable's value and whether it is set.
func (sh *Shell) Getenv(name string) (string, bool) { return sh.getVar(name) }

// Files is the process's filesystem as this shell changes it, each change
// stamped with the shell's clock.
func (sh *Shell) Files() vfs.Filesystem { return sh.files() }

// Abs resolves a path against the working directory.
func (sh *Shell) Abs(p string) string { return sh.abs(p) }

// Dir is the working directory.
func (sh *Shell) Dir() string { return sh.cwd }

// Sleep lets d of virtual time pass for the shell.
func (sh *Shell) Sleep(d time.Duration) error { return sh.sleep(d) }

// Now is the shell's clock as a wall time.
func (sh *Shell) Now() time.Time { return sh.wallClock() }

// Hostname is the machine's (or pod's) hostname.
func (sh *Shell) Hostname() string { return sh.run.hostname }

// SetStatus sets the status the program leaves, $? afterwards.
func (sh *Shell) SetStatus(code int) { sh.status = code }

// Exec runs argv as the shell runs a command: a function, builtin or
// program of the system, or "command not found".
func (sh *Shell) Exec(argv []string, io *IO) error { return sh.dispatch(argv, io) }

// Serve keeps the program running until its process is killed, as a
// server does; it returns the error that unwinds it then.
func (sh *Shell) Serve() error { return sh.blockForever() }

// Exit is the error a program returns to end its whole shell with a
// status, as exit does.
func Exit(code int) error { return &shExit{code: code} }

// ErrnoText is the C library's text for a file error ("No such file or
// directory").
func ErrnoText(err error) string { return errnoText(err) }

// Out writes s to the command's standard output.
func (io *IO) Out(sh *Shell, s string) { io.stdout.write(sh, s) }

// Err writes s to the command's standard error.
func (io *IO) Err(sh *Shell, s string) { io.stderr.write(sh, s) }

// ReadAll waits for the end of the command's standard input and returns
// the rest of it.
func (io *IO) ReadAll(sh *Shell) (string, error) { return io.stdin.readAll(sh) }

// ReadLine waits for the next line of the command's standard input and
// returns it without its newline, and whether there was one.
func (io *IO) ReadLine(sh *Shell) (string, bool, error) { return io.stdin.readLine(sh) }

// GlobMatch reports whether s matches the shell pattern (* ? [...]).
func GlobMatch(pattern, s string) bool { return globMatch(pattern, s) }

// SetPrompt shows p as the prompt of the terminal the process has, while
// the program waits for the user (mysql> ).
func (sh *Shell) SetPrompt(p string) { sh.run.proc.SetPrompt(p) }

// Prompt is the process's prompt as last shown.
func (sh *Shell) Prompt() string { return sh.run.proc.Prompt() }

// FromTerminal reports whether the command's standard input is the
// process's terminal (kubectl exec -t's, a console's), not a pipe, file or
// here-document: what a program like mysql checks to talk to a user.
func (io *IO) FromTerminal(sh *Shell) bool {
	return sh.run.tty != nil && io.stdin == sh.run.tty
}
