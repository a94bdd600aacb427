package sh

import (
	"errors"
	"strings"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// shellInvocation is what sh's arguments asked for.
type shellInvocation struct {
	script   string
	haveCode bool
	file     string
	arg0     string
	args     []string
	flags    string
}

// parseShellArgs reads sh [-ceuxs...] [-c script [arg0 [args]] | file [args]].
func parseShellArgs(argv []string) (shellInvocation, string) {
	inv := shellInvocation{arg0: argv[0]}
	args := argv[1:]
	cmd := false
	for len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') {
		a := args[0]
		args = args[1:]
		if a == "--" || a == "-" {
			break
		}
		if a[0] == '-' {
			if strings.Contains(a, "c") {
				cmd = true
			}
			inv.flags += strings.ReplaceAll(a[1:], "c", "")
		}
	}
	switch {
	case cmd && len(args) == 0:
		return inv, "-c requires an argument"
	case cmd:
		inv.script, inv.haveCode = args[0], true
		if len(args) > 1 {
			inv.arg0, inv.args = args[1], args[2:]
		}
	case len(args) > 0:
		inv.file, inv.arg0, inv.args = args[0], args[0], args[1:]
	}
	return inv, ""
}

// progShell runs sh, bash, ash or dash: a new shell process that inherits
// the exported environment and working directory, not functions or plain
// variables.
func progShell(parent *Shell, argv []string, io *IO) error {
	d := dialectFor(argv[0], parent.run.userland)
	inv, usage := parseShellArgs(argv)
	if usage != "" {
		io.stderr.write(parent, d.name+": "+usage+"\n")
		parent.status = 2
		return nil
	}
	if err := parent.enter(); err != nil {
		return err
	}
	defer parent.leave()
	sh := newShell(parent.run, parent.exported(), d)
	sh.th = parent.th
	sh.now, sh.cwd = parent.now, parent.cwd
	sh.arg0, sh.args = inv.arg0, inv.args
	if inv.arg0 == argv[0] {
		sh.arg0 = d.name
	}
	for _, f := range inv.flags {
		builtinSet(sh, []string{"set", "-" + string(f)}, io)
	}
	src := inv.script
	switch {
	case inv.file != "":
		data, err := parent.files().ReadFile(parent.abs(inv.file))
		if err != nil {
			sh.arg0 = d.name
			io.stderr.write(parent, sh.openError(inv.file, err)+"\n")
			parent.status = 127
			return nil
		}
		src = string(data)
	case !inv.haveCode:
		s, err := io.stdin.readAll(sh)
		if err != nil {
			parent.now = sh.now
			return err
		}
		src = s
	}
	err := sh.runScript(src, io)
	parent.now = sh.now
	parent.status = sh.status
	if crashed(err) {
		// The shell is a process of its own: its stack overflow kills it,
		// not its parent, which sees status 139.
		parent.status, err = proc.CrashStatus, nil
	}
	return err
}

// crashed reports whether err is a stack overflow.
func crashed(err error) bool {
	_, ok := errors.AsType[*proc.Crash](err)
	return ok
}

// runScript parses and runs a whole script in sh; exit and set -e end it
// normally with their status. Syntax errors print dash's message and exit 2.
func (sh *Shell) runScript(src string, io *IO) error {
	sh.status = 0
	list, err := sh.run.scripts.parse(src)
	if err != nil {
		if syn, ok := errors.AsType[*shSyntaxError](err); ok {
			io.stderr.write(sh, sh.dialect.syntaxError(syn)+"\n")
		}
		sh.status = 2
		return nil
	}
	err = sh.runList(list, io)
	if exit, ok := errors.AsType[*shExit](err); ok {
		sh.status = exit.code
		return nil
	}
	if isLoopCtl(err) || isReturn(err) {
		return nil
	}
	return err
}

// runScriptFile runs an executable file: a shell script (with or without a
// #! line naming a shell), or the program a #! line names.
func (sh *Shell) runScriptFile(p string, argv []string, io *IO) error {
	data, err := sh.files().ReadFile(p)
	if err != nil {
		sh.errorf(io, "%s: %s", argv[0], errnoText(err))
		sh.status = 126
		return nil
	}
	text := string(data)
	interp := "sh"
	if strings.HasPrefix(text, "#!") {
		line, _, _ := strings.Cut(text[2:], "\n")
		fields := strings.Fields(line)
		if len(fields) > 0 {
			interp = baseName(fields[0])
			if interp == "env" && len(fields) > 1 {
				interp = fields[1]
			}
		}
	}
	switch interp {
	case "sh", "bash", "ash", "dash":
		return progShell(sh, append([]string{interp, p}, argv[1:]...), io)
	}
	sh.errorf(io, "%s: not found", argv[0])
	sh.status = 127
	return nil
}
