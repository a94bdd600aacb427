package sh

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// shSpecialBuiltins keep the assignments written before them, as POSIX
// special builtins do; other commands see them only while they run.
var shSpecialBuiltins = map[string]bool{
	":": true, ".": true, "break": true, "continue": true, "eval": true, "exec": true,
	"exit": true, "export": true, "readonly": true, "return": true, "set": true,
	"shift": true, "trap": true, "unset": true,
}

func (sh *Shell) runSimple(c *shSimple, io *IO) error {
	sh.line = c.line
	sh.substStatus = 0
	argv, err := sh.expandWords(c.words, io)
	if err != nil {
		return err
	}
	if len(argv) == 0 {
		return sh.assignOnly(c, io)
	}
	if sh.xtrace {
		io.stderr.write(sh, "+ "+strings.Join(argv, " ")+"\n")
	}
	restore, err := sh.assignFor(c.assigns, argv[0], io)
	if err != nil {
		return err
	}
	rio, ok := sh.redirect(c.redirs, io)
	if ok {
		err = sh.dispatch(argv, rio)
	} else {
		sh.status = 1
	}
	restore()
	if err != nil {
		return err
	}
	return sh.checkErrexit()
}

// assignOnly runs a command of assignments and redirections only.
func (sh *Shell) assignOnly(c *shSimple, io *IO) error {
	for _, a := range c.assigns {
		v, err := sh.expandString(a.value, io)
		if err != nil {
			return err
		}
		if err := sh.assign(a.name, v, io); err != nil {
			return err
		}
	}
	sh.status = sh.substStatus
	if _, ok := sh.redirect(c.redirs, io); !ok {
		sh.status = 1
	}
	return sh.checkErrexit()
}

// assign sets a variable, refusing values past proc.MaxStringBytes.
func (sh *Shell) assign(name, value string, io *IO) error {
	if len(value) > proc.MaxStringBytes {
		sh.errorf(io, "%s: value too large for the simulator", name)
		return &shExit{code: 2}
	}
	sh.setVar(name, value)
	return nil
}

// assignFor applies the assignments written before a command. They persist
// for special builtins; otherwise they are exported for the command only
// and the returned function undoes them.
func (sh *Shell) assignFor(assigns []shAssign, cmd string, io *IO) (func(), error) {
	type saved struct {
		name string
		old  *shVar
	}
	var undo []saved
	persist := shSpecialBuiltins[cmd]
	for _, a := range assigns {
		v, err := sh.expandString(a.value, io)
		if err != nil {
			return func() {}, err
		}
		if !persist {
			old := sh.varMap()[a.name]
			if old != nil {
				cp := *old
				old = &cp
			}
			undo = append(undo, saved{a.name, old})
		}
		if err := sh.assign(a.name, v, io); err != nil {
			return func() {}, err
		}
		if !persist {
			sh.varMap()[a.name].exported = true
		}
	}
	if len(undo) == 0 {
		return noRestore, nil
	}
	return func() {
		for i := len(undo) - 1; i >= 0; i-- {
			if undo[i].old == nil {
				delete(sh.varMap(), undo[i].name)
			} else {
				sh.varMap()[undo[i].name] = undo[i].old
			}
		}
	}, nil
}

// noRestore is assignFor's undo when there is nothing to undo.
func noRestore() {}

// dispatch runs a command by name: function, builtin, or program.
func (sh *Shell) dispatch(argv []string, io *IO) error {
	name := argv[0]
	if fn, ok := sh.funcs[name]; ok {
		return sh.runFunction(fn, argv, io)
	}
	if pre := sh.run.userland.Preempt; pre != nil {
		if p, ok := pre(name); ok {
			return p(sh, argv, io)
		}
	}
	if b, ok := shBuiltins[name]; ok {
		return b(sh, argv, io)
	}
	if prog, ok := sh.lookup(name); ok {
		return prog(sh, argv, io)
	}
	io.stderr.write(sh, sh.dialect.notFound(sh.line, name)+"\n")
	sh.status = 127
	return nil
}

// lookup finds the program a command name runs. A name with a slash is a
// file: a script the shell runs, or the path of a known program. A plain
// name is a known program the image has, or a script on PATH.
func (sh *Shell) lookup(name string) (Program, bool) {
	if strings.Contains(name, "/") {
		return sh.lookupPath(sh.abs(name))
	}
	if prog, ok := sh.run.userland.program(name); ok {
		return prog, true
	}
	path, _ := sh.getVar("PATH")
	for _, dir := range strings.Split(path, ":") {
		if dir == "" || !strings.HasPrefix(dir, "/") {
			continue
		}
		if prog, ok := sh.scriptAt(cleanPath(dir + "/" + name)); ok {
			return prog, true
		}
	}
	return nil, false
}

// lookupPath resolves an absolute command path.
func (sh *Shell) lookupPath(p string) (Program, bool) {
	if prog, ok := sh.scriptAt(p); ok {
		return prog, true
	}
	dir, base := p[:strings.LastIndexByte(p, '/')], baseName(p)
	prog, ok := sh.run.userland.program(base)
	if ok && isBinDir(dir) {
		return prog, true
	}
	return nil, false
}

func isBinDir(dir string) bool {
	switch dir {
	case "/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "":
		return true
	}
	return false
}

// scriptAt returns a runner for an executable shell script at p.
func (sh *Shell) scriptAt(p string) (Program, bool) {
	info, err := sh.files().Stat(p)
	if err != nil || info.IsDir() || info.Mode&0o111 == 0 {
		return nil, false
	}
	return func(sh *Shell, argv []string, io *IO) error {
		return sh.runScriptFile(p, argv, io)
	}, true
}

// redirect applies redirections, returning the command's streams. On a
// failure it prints the shell's message and reports false.
func (sh *Shell) redirect(rs []*shRedir, io *IO) (*IO, bool) {
	if len(rs) == 0 {
		return io, true // nothing writes through an IO but redirectOne, to its copy
	}
	out := *io
	for _, r := range rs {
		if err := sh.redirectOne(r, &out, io); err != nil {
			if _, ok := errors.AsType[*proc.Halt](err); ok {
				return &out, false
			}
			io.stderr.write(sh, err.Error()+"\n")
			return &out, false
		}
	}
	return &out, true
}

// shRedirError is a failed redirection, already worded for the dialect.
type shRedirError struct{ msg string }

// Error implements error.
func (e *shRedirError) Error() string { return e.msg }

func (sh *Shell) redirectOne(r *shRedir, out, orig *IO) error {
	if r.heredoc != nil {
		body, err := sh.expandString(r.heredoc, orig)
		if err != nil {
			return err
		}
		out.stdin = &shInput{data: body, ready: sh.now}
		return nil
	}
	target, err := sh.expandString(r.target, orig)
	if err != nil {
		return err
	}
	switch r.op {
	case ">&", "<&":
		return sh.dupFD(r, target, out)
	case "<", "<>":
		return sh.openInput(r.fd, target, out)
	}
	return sh.openOutput(r, target, out)
}

// dupFD handles 2>&1, >&2 and n>&-.
func (sh *Shell) dupFD(r *shRedir, target string, out *IO) error {
	var s shSink
	switch target {
	case "1":
		s = out.stdout
	case "2":
		s = out.stderr
	case "-":
		s = nullSink{}
	case "0":
		// Duplicating standard input onto an output leaves it as it was:
		// there is no terminal behind fd 0 to write to.
		return nil
	default:
		return &shRedirError{sh.dialect.prefix(sh.line) + "Syntax error: Bad fd number"}
	}
	switch r.fd {
	case 1:
		out.stdout = s
	case 2:
		out.stderr = s
	}
	return nil
}

func (sh *Shell) openInput(fd int, target string, out *IO) error {
	if fd != 0 {
		return nil
	}
	p := sh.abs(target)
	switch p {
	case "/dev/null":
		out.stdin = &shInput{ready: sh.now}
		return nil
	case "/dev/stdin":
		return nil
	}
	data, err := sh.files().ReadFile(p)
	if err != nil {
		return &shRedirError{sh.openError(target, err)}
	}
	out.stdin = &shInput{data: string(data), ready: sh.now}
	return nil
}

func (sh *Shell) openOutput(r *shRedir, target string, out *IO) error {
	var s shSink
	p := sh.abs(target)
	switch p {
	case "/dev/null":
		s = nullSink{}
	case "/dev/stdout":
		s = out.stdout
	case "/dev/stderr":
		s = out.stderr
	default:
		var err error
		if r.op == ">>" {
			err = sh.files().AppendFile(p, nil, 0o644, sh.run.start)
		} else {
			err = sh.files().WriteFile(p, nil, 0o644, sh.run.start)
		}
		if err != nil {
			return &shRedirError{sh.createError(target, err)}
		}
		s = fileSink{path: p}
	}
	switch r.fd {
	case 1:
		out.stdout = s
	case 2:
		out.stderr = s
	}
	return nil
}

// createError words a failure to open a file for writing.
func (sh *Shell) createError(target string, err error) string {
	reason := errnoText(err)
	switch sh.dialect.kind {
	case "dash":
		if errors.Is(err, fs.ErrNotExist) {
			reason = "Directory nonexistent"
		}
		return sh.dialect.prefix(sh.line) + "cannot create " + target + ": " + reason
	case "bash":
		return sh.dialect.prefix(sh.line) + target + ": " + reason
	}
	if errors.Is(err, fs.ErrNotExist) {
		reason = "nonexistent directory"
	}
	return sh.dialect.prefix(sh.line) + "can't create " + target + ": " + reason
}

// openError words a failure to open a file for reading.
func (sh *Shell) openError(target string, err error) string {
	reason := errnoText(err)
	switch sh.dialect.kind {
	case "dash":
		if errors.Is(err, fs.ErrNotExist) {
			reason = "No such file"
		}
		return sh.dialect.prefix(sh.line) + "cannot open " + target + ": " + reason
	case "bash":
		return sh.dialect.prefix(sh.line) + target + ": " + reason
	}
	return sh.dialect.prefix(sh.line) + "can't open '" + target + "': " + reason
}

// errnoText is strerror's text for a filesystem error, capitalised as C
// programs print it.
func errnoText(err error) string {
	var pe *fs.PathError
	text := err.Error()
	if errors.As(err, &pe) {
		text = pe.Err.Error()
	}
	var errno syscall.Errno
	var vErr *vfs.Errno
	if !errors.As(err, &errno) && !errors.As(err, &vErr) && pe == nil {
		return text
	}
	if text == "" {
		return text
	}
	return strings.ToUpper(text[:1]) + text[1:]
}
