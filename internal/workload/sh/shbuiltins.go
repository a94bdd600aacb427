package sh

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Program runs a command in sh with its streams: it sets the status it
// leaves (SetStatus) and returns control flow: nil, an error from one of
// the shell's blocking calls (which must be returned as it is), or Exit.
type Program func(sh *Shell, argv []string, io *IO) error

// shBuiltins are the commands the shell runs itself.
var shBuiltins map[string]Program

func init() {
	shBuiltins = map[string]Program{
		":": builtinTrue, "true": builtinTrue, "false": builtinFalse,
		"exit": builtinExit, "return": builtinReturn, "break": builtinBreak, "continue": builtinBreak,
		"cd": builtinCd, "pwd": builtinPwd, "export": builtinExport, "readonly": builtinExport,
		"unset": builtinUnset, "set": builtinSet, "shift": builtinShift, "local": builtinLocal,
		"read": builtinRead, "wait": builtinWait, "eval": builtinEval, ".": builtinSource,
		"source": builtinSource, "exec": builtinExec, "trap": builtinTrue, "umask": builtinTrue,
		"ulimit": builtinTrue, "hash": builtinTrue, "kill": builtinTrue,
		"echo": builtinEcho, "printf": builtinPrintf, "test": builtinTest, "[": builtinTest,
		"command": builtinCommand, "type": builtinType,
	}
}

func builtinTrue(sh *Shell, _ []string, _ *IO) error {
	sh.status = 0
	return nil
}

func builtinFalse(sh *Shell, _ []string, _ *IO) error {
	sh.status = 1
	return nil
}

// statusArg reads the numeric argument of exit and return.
func (sh *Shell) statusArg(argv []string, io *IO) (int, bool) {
	if len(argv) < 2 {
		return sh.status, true
	}
	n, err := strconv.Atoi(argv[1])
	if err != nil || n < 0 {
		sh.errorf(io, "%s: Illegal number: %s", argv[0], argv[1])
		return 2, false
	}
	return n & 255, true
}

func builtinExit(sh *Shell, argv []string, io *IO) error {
	code, _ := sh.statusArg(argv, io)
	if sh.interactive {
		// A terminal's bash says goodbye.
		io.stderr.write(sh, "exit\n")
	}
	return &shExit{code: code}
}

func builtinReturn(sh *Shell, argv []string, io *IO) error {
	code, ok := sh.statusArg(argv, io)
	if !ok {
		return &shExit{code: code}
	}
	if sh.funcDepth == 0 {
		// dash treats return outside a function like exit.
		return &shExit{code: code}
	}
	return &shReturn{code: code}
}

func builtinBreak(sh *Shell, argv []string, io *IO) error {
	n := 1
	if len(argv) > 1 {
		v, err := strconv.Atoi(argv[1])
		if err != nil || v < 1 {
			sh.errorf(io, "%s: Illegal number: %s", argv[0], argv[1])
			return &shExit{code: 2}
		}
		n = v
	}
	sh.status = 0
	return &shLoopCtl{n: n, cont: argv[0] == "continue"}
}

func builtinCd(sh *Shell, argv []string, io *IO) error {
	dir, _ := sh.getVar("HOME")
	if len(argv) > 1 {
		dir = argv[1]
	}
	back := dir == "-"
	if back {
		dir, _ = sh.getVar("OLDPWD")
	}
	p := sh.abs(dir)
	info, err := sh.files().Stat(p)
	if err != nil || !info.IsDir() {
		if sh.dialect.isBash() {
			reason := "No such file or directory"
			if err == nil {
				reason = "Not a directory"
			}
			sh.errorf(io, "cd: %s: %s", dir, reason)
			sh.status = 1
			return nil
		}
		sh.errorf(io, "cd: can't cd to %s", dir)
		sh.status = 2
		return nil
	}
	sh.setVar("OLDPWD", sh.cwd)
	sh.cwd = p
	sh.setVar("PWD", p)
	if back {
		// cd - says where it went.
		io.stdout.write(sh, p+"\n")
	}
	sh.status = 0
	return nil
}

func builtinPwd(sh *Shell, _ []string, io *IO) error {
	io.stdout.write(sh, sh.cwd+"\n")
	sh.status = 0
	return nil
}

func builtinExport(sh *Shell, argv []string, io *IO) error {
	sh.status = 0
	if len(argv) == 1 || argv[1] == "-p" {
		for _, e := range sh.environ() {
			name, value, _ := strings.Cut(e, "=")
			io.stdout.write(sh, argv[0]+" "+name+"='"+strings.ReplaceAll(value, "'", `'"'"'`)+"'\n")
		}
		return nil
	}
	for _, a := range argv[1:] {
		name, value, hasValue := strings.Cut(a, "=")
		if !isShName(name) {
			sh.errorf(io, "%s: %s: bad variable name", argv[0], name)
			return &shExit{code: 2}
		}
		if hasValue {
			if err := sh.assign(name, value, io); err != nil {
				return err
			}
		} else if _, ok := sh.varMap()[name]; !ok {
			sh.setVar(name, "")
			sh.varMap()[name].value = ""
		}
		sh.varMap()[name].exported = true
	}
	return nil
}

func builtinUnset(sh *Shell, argv []string, _ *IO) error {
	funcs := false
	for _, a := range argv[1:] {
		switch a {
		case "-f":
			funcs = true
		case "-v":
			funcs = false
		default:
			if funcs {
				delete(sh.funcs, a)
			} else {
				sh.unsetVar(a)
			}
		}
	}
	sh.status = 0
	return nil
}

// builtinSet handles set -e/-x/-u (and +), and set -- args.
func builtinSet(sh *Shell, argv []string, io *IO) error {
	sh.status = 0
	if len(argv) == 1 {
		names := make([]string, 0, len(sh.varMap()))
		for n := range sh.varMap() {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			io.stdout.write(sh, n+"='"+sh.varMap()[n].value+"'\n")
		}
		return nil
	}
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if a == "--" {
			sh.args = append([]string(nil), argv[i+1:]...)
			return nil
		}
		if len(a) < 2 || a[0] != '-' && a[0] != '+' {
			sh.args = append([]string(nil), argv[i:]...)
			return nil
		}
		on := a[0] == '-'
		for _, f := range a[1:] {
			switch f {
			case 'e':
				sh.errexit = on
			case 'x':
				sh.xtrace = on
			case 'u':
				sh.nounset = on
			}
		}
	}
	return nil
}

func builtinShift(sh *Shell, argv []string, io *IO) error {
	n := 1
	if len(argv) > 1 {
		v, err := strconv.Atoi(argv[1])
		if err != nil || v < 0 {
			sh.errorf(io, "shift: Illegal number: %s", argv[1])
			return &shExit{code: 2}
		}
		n = v
	}
	if n > len(sh.args) {
		sh.errorf(io, "shift: can't shift that many")
		return &shExit{code: 2}
	}
	sh.args = sh.args[n:]
	sh.status = 0
	return nil
}

func builtinLocal(sh *Shell, argv []string, io *IO) error {
	if len(sh.locals) == 0 {
		sh.errorf(io, "local: not in a function")
		sh.status = 2
		return nil
	}
	top := sh.locals[len(sh.locals)-1]
	for _, a := range argv[1:] {
		name, value, hasValue := strings.Cut(a, "=")
		if !isShName(name) {
			continue
		}
		if _, saved := top[name]; !saved {
			var old *shVar
			if v, ok := sh.varMap()[name]; ok {
				cp := *v
				old = &cp
			}
			top[name] = old
		}
		if hasValue {
			if err := sh.assign(name, value, io); err != nil {
				return err
			}
		} else if _, ok := sh.varMap()[name]; !ok {
			sh.setVar(name, "")
		}
	}
	sh.status = 0
	return nil
}

// builtinRead reads a line into variables, splitting on IFS.
func builtinRead(sh *Shell, argv []string, io *IO) error {
	raw := false
	names := []string{}
	for _, a := range argv[1:] {
		if a == "-r" {
			raw = true
			continue
		}
		names = append(names, a)
	}
	if len(names) == 0 {
		names = []string{"REPLY"}
	}
	line, ok, err := io.stdin.readLine(sh)
	if err != nil {
		return err
	}
	if !raw {
		line = strings.ReplaceAll(line, "\\", "")
	}
	fields := strings.Fields(line)
	for i, n := range names {
		v := ""
		switch {
		case i == len(names)-1 && i < len(fields):
			v = strings.Join(fields[i:], " ")
		case i < len(fields):
			v = fields[i]
		}
		if isShName(n) {
			sh.setVar(n, v)
		}
	}
	sh.status = boolStatus(ok)
	return nil
}

// builtinWait waits for this shell's background jobs: until the last one
// ends, or forever if one never does.
func builtinWait(sh *Shell, _ []string, _ *IO) error {
	sh.status = 0
	jobs := sh.children
	sh.children = nil
	return sh.waitFor(jobs)
}

func builtinEval(sh *Shell, argv []string, io *IO) error {
	return sh.runSource(strings.Join(argv[1:], " "), io)
}

func builtinSource(sh *Shell, argv []string, io *IO) error {
	if len(argv) < 2 {
		sh.status = 0
		return nil
	}
	data, err := sh.files().ReadFile(sh.abs(argv[1]))
	if err != nil {
		sh.errorf(io, "%s: cannot open %s: %s", argv[0], argv[1], errnoText(err))
		return &shExit{code: 2}
	}
	return sh.runSource(string(data), io)
}

// runSource parses and runs text in the current shell (eval, .).
func (sh *Shell) runSource(src string, io *IO) error {
	if err := sh.enter(); err != nil {
		return err
	}
	defer sh.leave()
	list, err := newShParser(src).program()
	if err != nil {
		var syn *shSyntaxError
		if errors.As(err, &syn) {
			io.stderr.write(sh, sh.dialect.syntaxError(syn)+"\n")
		}
		return &shExit{code: 2}
	}
	sh.status = 0
	return sh.runList(list, io)
}

// builtinExec runs a command in place of the shell: the shell ends with
// the command's status.
func builtinExec(sh *Shell, argv []string, io *IO) error {
	if len(argv) == 1 {
		sh.status = 0
		return nil
	}
	if err := sh.dispatch(argv[1:], io); err != nil {
		return err
	}
	return &shExit{code: sh.status}
}

func builtinCommand(sh *Shell, argv []string, io *IO) error {
	if len(argv) > 2 && (argv[1] == "-v" || argv[1] == "-V") {
		return builtinType(sh, append([]string{"command"}, argv[2:]...), io)
	}
	if len(argv) == 1 {
		sh.status = 0
		return nil
	}
	return sh.dispatch(argv[1:], io)
}

// builtinType reports where commands come from (command -v prints paths).
func builtinType(sh *Shell, argv []string, io *IO) error {
	sh.status = 0
	for _, name := range argv[1:] {
		_, fn := sh.funcs[name]
		_, bi := shBuiltins[name]
		switch _, prog := sh.lookup(name); {
		case fn || bi:
			io.stdout.write(sh, name+"\n")
		case prog && strings.Contains(name, "/"):
			io.stdout.write(sh, name+"\n")
		case prog:
			io.stdout.write(sh, "/bin/"+name+"\n")
		default:
			sh.status = 1
		}
	}
	return nil
}
