package sh

import (
	"strconv"
	"strings"
)

// shDialect is how a shell words its own error messages. The shells differ:
// busybox ash says "sh: foo: not found", dash "sh: 1: foo: not found",
// bash "bash: line 1: foo: command not found", and a machine's bash 4.2
// (kind "bash4", CentOS 7's, as a login shell or ssh's command runs it)
// "bash: foo: command not found".
type shDialect struct {
	name string // "sh" or "bash", as $0 and in messages
	kind string // "busybox", "dash", "bash" or "bash4"
	// interactive shells (a terminal's) name no line in their messages.
	interactive bool
}

// dialectFor picks the dialect for a shell started as argv0 on a system:
// bash and dash by name, and /bin/sh by what the system's sh is.
func dialectFor(argv0 string, u Userland) shDialect {
	base := baseName(argv0)
	switch {
	case base == "bash" && u.shellKind() == "bash4":
		return shDialect{name: base, kind: "bash4"}
	case base == "bash", base == "dash":
		return shDialect{name: base, kind: base}
	}
	return shDialect{name: base, kind: u.shellKind()}
}

// prefix starts an error message from the shell itself.
func (d shDialect) prefix(line int) string {
	if d.interactive {
		return d.name + ": "
	}
	switch d.kind {
	case "dash":
		return d.name + ": " + strconv.Itoa(line) + ": "
	case "bash":
		return d.name + ": line " + strconv.Itoa(line) + ": "
	}
	return d.name + ": "
}

// isBash reports whether the shell is bash, of either release.
func (d shDialect) isBash() bool { return d.kind == "bash" || d.kind == "bash4" }

// notFound is the message for an unknown command.
func (d shDialect) notFound(line int, cmd string) string {
	if d.isBash() {
		return d.prefix(line) + cmd + ": command not found"
	}
	return d.prefix(line) + cmd + ": not found"
}

// forkError is the message of a shell that cannot fork (proc.MaxThreads).
func (d shDialect) forkError(line int) string {
	switch d.kind {
	case "dash":
		return d.prefix(line) + "Cannot fork"
	case "bash", "bash4":
		return d.name + ": fork: Resource temporarily unavailable"
	}
	return d.name + ": can't fork: Resource temporarily unavailable"
}

// syntaxError is the message for a parse error. busybox and dash scripts
// get dash's wording ("sh: 1: Syntax error: ..."), which is what most
// tutorials show; bash gets its own.
func (d shDialect) syntaxError(e *shSyntaxError) string {
	if d.isBash() {
		msg := e.msg
		switch {
		case strings.HasPrefix(msg, "end of file unexpected"):
			msg = "syntax error: unexpected end of file"
		case strings.HasPrefix(msg, `"`):
			tok, _, _ := strings.Cut(msg[1:], `"`)
			msg = "syntax error near unexpected token `" + tok + "'"
		default:
			msg = "syntax error: " + msg
		}
		if d.kind == "bash4" {
			return d.name + ": " + msg
		}
		return d.name + ": -c: line " + strconv.Itoa(e.line) + ": " + msg
	}
	return d.name + ": " + strconv.Itoa(e.line) + ": " + e.Error()
}

// echoEscapes reports whether plain echo interprets backslash escapes, as
// dash's does; busybox and bash need -e.
func (d shDialect) echoEscapes() bool { return d.kind == "dash" }

func baseName(p string) string {
	for len(p) > 1 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
