// Package sh is the shell of the workload model: a small, safe POSIX
// shell (sh -c, bash -c, scripts on volumes, a machine's login shell) and
// the usual commands of the systems kubesim models, running in virtual
// time on package proc's threads.
//
// # What is modelled
//
// Words and quoting, parameter, command and arithmetic expansion, field
// splitting and globbing, pipes, redirections and here-documents,
// if/while/until/for/case, functions, subshells, background jobs and
// wait, set -e/-u/-x. Builtins and the usual commands of a busybox or
// Debian image (echo, printf, test, cat, ls, mkdir, rm, cp, mv, touch,
// chmod, sleep, date, env, hostname, head, tail, wc, grep, seq, tr, find,
// nslookup, curl, wget, bc through package bc, ...) are implemented in Go;
// error messages are worded as busybox, dash or bash word them, depending
// on the shell the system has (find as busybox or GNU findutils does).
//
// # Systems and programs
//
// A shell runs on a [Userland]: which shell /bin/sh is and which programs
// exist. [Standard] lists this package's programs; a system adds its own
// ([Program]s written outside the package with the [Shell] methods meant
// for them: Getenv, Files, Sleep, Exec, Serve, ...). Package images makes
// an image's userland (its servers, the mysql client); a machine's system
// is another.
//
// [Start] starts a command as a container runtime does: argv names a
// program, no shell parses it. Standard input is a string, or a
// [proc.Pipe] the caller writes to while the process runs.
//
// # Network
//
// nslookup, curl and wget reach the cluster through a [Network] the
// caller sets ([Run.SetNetwork]); the simulation implements it
// (internal/network), so this package knows nothing of Services or pods.
//
// # Limits
//
// Nothing here panics on any script, and every process is bounded by
// package proc's limits (proc.MaxStringBytes for one variable or
// expansion).
// FuzzShell checks this; hostile_test.go keeps the hostile scripts
// (recursion through functions, subshells, substitutions and eval, fork
// bombs, loops without time passing).
//
// # Imports and determinism
//
// sh imports the standard library, internal/vfs and the workload's proc
// and bc packages. It never touches the host: no os/exec, no host files,
// no network. Map iteration never reaches output (environment variables
// are listed in the order they were set, directories sorted).
package sh
