package scenario

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/sh"
	"github.com/kubesim/kubesim/sim"
)

// The console. A scenario's lines are typed into a terminal logged in to
// a machine of the cluster (the console machine, k8s-master unless a
// line's prompt names another): a bash login shell whose variables,
// functions and directory last from line to line, in which kubectl and the
// scenario's own commands (sleep, node, kill, controller, fault, host,
// image, etcd, check...) are programs. `cluster` and `machine` lines are
// directives the runner carries out itself.

// consoleCommands are the scenario's commands that run as programs of the
// console, by name.
var consoleCommands = map[string]func(r *Runner, words []string, fail failFunc) (string, error){
	"node":       (*Runner).node,
	"controller": (*Runner).controller,
	"fault":      (*Runner).fault,
	"image":      (*Runner).image,
	"etcd":       (*Runner).etcd,
}

// consoleFor returns the console logged in to machine, logging in.
func (r *Runner) consoleFor(machine string) (*sim.Console, error) {
	if t := r.consoles[machine]; t != nil && !t.Ended() {
		return t, nil
	}
	t, err := r.c.Login(machine, sim.ConsolePrograms{Lookup: r.program, Preempt: r.preempt})
	if err != nil {
		return nil, err
	}
	if r.consoles == nil {
		r.consoles = map[string]*sim.Console{}
	}
	r.consoles[machine] = t
	return t, nil
}

// closeConsoles logs out of every console.
func (r *Runner) closeConsoles() {
	for _, t := range r.consoles {
		t.Close()
	}
	r.consoles = nil
}

// type_ types a command's lines into the console machine's terminal and
// returns what it printed; a line's prompt chooses the machine and the
// directory first.
func (r *Runner) typeLine(file string, cmd Command) (string, error) {
	fail := func(format string, args ...any) (string, error) {
		return "", &CommandError{File: file, Line: cmd.Line, Msg: fmt.Sprintf(format, args...)}
	}
	raw := cmd.Raw
	if raw == "" {
		raw = typedText(cmd)
	}
	machine := r.console
	if machine == "" {
		machine = r.c.ConsoleHost()
	}
	p, rest, prompted := splitHostPrompt(raw)
	if prompted {
		if p.user != "root" {
			return fail("the prompt logs in as %s: kubesim's terminals are root's", p.user)
		}
		if r.c.MachineFS(p.machine) == nil {
			return fail("the prompt names %s, which is no machine of the cluster (machines: %s)", p.machine, strings.Join(r.machineNames(), ", "))
		}
		machine, raw = p.machine, rest
	}
	t, err := r.consoleFor(machine)
	if err != nil {
		return fail("%v", err)
	}
	r.console = machine
	session := inSession(t.Prompt())
	if prompted {
		if session {
			return fail("the line's prompt is %s's shell, but the terminal is in a session (%s): type exit (or quit) first", p.machine, strings.TrimSpace(t.Prompt()))
		}
		if err := r.enterDir(t, p.dir); err != nil {
			return fail("%v", err)
		}
	} else if sp, rest, ok := splitSessionPrompt(raw); ok {
		if sp != strings.TrimSpace(t.Prompt()) {
			return fail("the line's prompt is %s, but the terminal shows %s", sp, strings.TrimSpace(t.Prompt()))
		}
		raw = rest
	}
	r.cur, r.failed = CommandError{File: file, Line: cmd.Line}, nil
	out, err := t.Type(raw)
	r.visit(machine, t.Dir())
	// The control plane's kubelet notices a changed static pod manifest.
	r.c.SyncStaticPods()
	if r.failed != nil {
		return "", r.failed
	}
	if err != nil {
		return out, &CommandError{File: file, Line: cmd.Line, Msg: err.Error()}
	}
	return endLine(out), nil
}

// inSession reports whether a terminal's prompt is a session's (a
// container's shell, mysql's monitor) rather than a machine's shell's.
func inSession(prompt string) bool {
	return prompt != "" && !hostPromptRE.MatchString(prompt) && prompt != ps2Prompt
}

// ps2Prompt is bash's prompt while a command goes on.
const ps2Prompt = "> "

// EchoPrompt is what a terminal shows before a command as it is typed:
// nothing when the line carries its own prompt, the session's prompt in a
// session, "> " while a command goes on, "$ " otherwise (transcripts show
// the console's own prompt so).
func (r *Runner) EchoPrompt(cmd Command) string {
	if hasPrompt(cmd.Text) {
		return ""
	}
	t := r.consoles[r.console]
	if t == nil || t.Ended() {
		return "$ "
	}
	if p := t.Prompt(); p == ps2Prompt || inSession(p) {
		return p
	}
	return "$ "
}

// typedText is what a terminal's user types for a command built without
// its lines (a program's): its text, and its here-document, delimited by a
// quoted word its body lacks so that the body is taken literally.
func typedText(cmd Command) string {
	if !cmd.HasHeredoc {
		return cmd.Text + "\n"
	}
	delim := "EOF"
	for i := 1; strings.Contains("\n"+cmd.Stdin, "\n"+delim+"\n"); i++ {
		delim = fmt.Sprintf("EOF%d", i)
	}
	body := cmd.Stdin
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return cmd.Text + " <<'" + delim + "'\n" + body + delim + "\n"
}

// machineNames lists the cluster's machines.
func (r *Runner) machineNames() []string {
	var names []string
	for _, n := range r.cfg.Nodes {
		names = append(names, n.Name)
	}
	if r.cfg.Nodes == nil {
		for _, n := range sim.DefaultNodes() {
			names = append(names, n.Name)
		}
	}
	for _, m := range r.c.Machines() {
		names = append(names, m.Name)
	}
	return names
}

// enterDir brings the terminal to the directory a prompt shows: ~ is
// root's home; a directory name other than the current one's is the last
// one of that name the terminal was in, else found on the machine (the
// most recently changed directory of that name), as the tutorial's
// prompts change directory without showing the cd (its mysql scene lists
// /mnt/data-3 and goes on in /k8s/application/mysql, not in the data
// directory's own mysql).
func (r *Runner) enterDir(t *sim.Console, dir string) error {
	cur := t.Dir()
	switch {
	case dir == "~" && cur == "/root", dir == "/" && cur == "/":
		return nil
	case dir != "~" && dir != "/" && path.Base(cur) == dir:
		return nil
	}
	target := "/root"
	if dir == "/" {
		target = "/"
	} else if dir != "~" {
		found, ok := r.visitedDir(t.Machine(), dir)
		if !ok {
			found, ok = findDir(r.c.MachineFS(t.Machine()), dir)
		}
		if !ok {
			return fmt.Errorf("the prompt's directory %s does not exist on %s", dir, t.Machine())
		}
		target = found
	}
	_, err := t.Type("cd '" + target + "'")
	return err
}

// visit records the directory a machine's terminal is in after a line.
func (r *Runner) visit(machine, dir string) {
	if r.visited == nil {
		r.visited = map[string][]string{}
	}
	v := r.visited[machine]
	if n := len(v); n > 0 && v[n-1] == dir {
		return
	}
	const keep = 64 // enough for a tutorial's directories
	if len(v) >= keep {
		v = v[1:]
	}
	r.visited[machine] = append(v, dir)
}

// visitedDir is the last directory named name a machine's terminal was
// in that still exists.
func (r *Runner) visitedDir(machine, name string) (string, bool) {
	v := r.visited[machine]
	fs := r.c.MachineFS(machine)
	for i := len(v) - 1; i >= 0; i-- {
		if path.Base(v[i]) != name {
			continue
		}
		if info, err := fs.Stat(v[i]); err == nil && info.IsDir() {
			return v[i], true
		}
	}
	return "", false
}

// findDir finds the directory named name on a machine's disk: the most
// recently changed one, the shortest path on a tie.
func findDir(fs *vfs.FS, name string) (string, bool) {
	type hit struct {
		path string
		at   time.Time
	}
	var hits []hit
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		if depth > 12 {
			return
		}
		entries, err := fs.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			p := strings.TrimSuffix(dir, "/") + "/" + e.Name
			if p == "/proc" || p == "/sys" || p == "/dev" || p == "/run" {
				continue
			}
			if e.Name == name {
				hits = append(hits, hit{p, e.ModTime})
			}
			walk(p, depth+1)
		}
	}
	walk("/", 0)
	if len(hits) == 0 {
		return "", false
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if !hits[i].at.Equal(hits[j].at) {
			return hits[i].at.After(hits[j].at)
		}
		return len(hits[i].path) < len(hits[j].path)
	})
	return hits[0].path, true
}

// program returns a scenario command as a program of the console.
func (r *Runner) program(name string) (sh.Program, bool) {
	if h, ok := r.handlers[name]; ok {
		return r.handlerProgram(h), true
	}
	switch name {
	case "kubectl":
		return r.progKubectl, true
	case "sleep":
		return r.progSleep, true
	case "host":
		return r.progHost, true
	}
	if fn, ok := consoleCommands[name]; ok {
		return r.commandProgram(fn), true
	}
	return nil, false
}

// preempt returns the scenario's commands that take a shell builtin's
// place: kill POD.
func (r *Runner) preempt(name string) (sh.Program, bool) {
	if name == "kill" {
		return r.commandProgram((*Runner).kill), true
	}
	return nil, false
}

// stop records a command the runner cannot carry out and ends the
// console's shell: the replay stops there.
func (r *Runner) stop(err error) error {
	var ce *CommandError
	if !errors.As(err, &ce) {
		ce = &CommandError{File: r.cur.File, Line: r.cur.Line, Msg: err.Error()}
	}
	r.failed = ce
	return sh.Exit(2)
}

// failer is the fail function of the command typed now.
func (r *Runner) failer() failFunc {
	return func(format string, args ...any) (string, error) {
		return "", &CommandError{File: r.cur.File, Line: r.cur.Line, Msg: fmt.Sprintf(format, args...)}
	}
}

// commandProgram makes one of the runner's commands a program: its output
// printed, its refusal stopping the replay.
func (r *Runner) commandProgram(fn func(r *Runner, words []string, fail failFunc) (string, error)) sh.Program {
	return func(s *sh.Shell, argv []string, io *sh.IO) error {
		out, err := fn(r, argv, r.failer())
		if err != nil {
			return r.stop(err)
		}
		io.Out(s, out)
		s.SetStatus(0)
		return sim.CatchUp(r.c, s)
	}
}

// handlerProgram makes a command a program added (Handle) a program.
func (r *Runner) handlerProgram(h Handler) sh.Program {
	return func(s *sh.Shell, argv []string, io *sh.IO) error {
		out, err := h(r, argv, "")
		if err != nil {
			return r.stop(err)
		}
		io.Out(s, out)
		s.SetStatus(0)
		return sim.CatchUp(r.c, s)
	}
}

// progSleep is the scenario's sleep: Go durations or seconds, up to ten
// years; virtual time passes for the whole cluster.
func (r *Runner) progSleep(s *sh.Shell, argv []string, io *sh.IO) error {
	if len(argv) != 2 {
		return r.stop(errors.New("usage: sleep DURATION"))
	}
	d, err := parseSleep(argv[1])
	if err != nil {
		return r.stop(fmt.Errorf("sleep: %v", err))
	}
	s.SetStatus(0)
	if d == 0 {
		// sleep 0s lets the controllers act on what is due now.
		r.c.Advance(0)
		return nil
	}
	return s.Sleep(d)
}

// progHost runs `host MACHINE -- COMMAND...` on the machine, as ssh would:
// its output, and its status as the command's.
func (r *Runner) progHost(s *sh.Shell, argv []string, io *sh.IO) error {
	if len(argv) < 4 || argv[2] != "--" {
		return r.stop(errors.New("usage: host MACHINE -- COMMAND..."))
	}
	res, err := r.c.HostExec(argv[1], argv[3:], "")
	if err != nil {
		return r.stop(fmt.Errorf("host: %v", err))
	}
	r.c.SyncStaticPods()
	if out := strings.Join(res.Output, "\n"); out != "" {
		io.Out(s, out+"\n")
	}
	s.SetStatus(res.ExitCode)
	return sim.CatchUp(r.c, s)
}

// progKubectl is kubectl on the console's machine: on the control plane
// it reads -f paths from the machine (relative to the shell's directory)
// when they are there, else from the scenario's directory; standard input
// only when it is asked for (-f -, exec -i). A worker node has no admin
// kubeconfig: kubectl there talks to localhost:8080, which refuses.
func (r *Runner) progKubectl(s *sh.Shell, argv []string, io *sh.IO) error {
	if !r.isControlPlane(s.Hostname()) {
		io.Err(s, "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n")
		s.SetStatus(1)
		return nil
	}
	args := argv[1:]
	stdin := ""
	if readsStdin(args) {
		in, err := io.ReadAll(s)
		if err != nil {
			return err
		}
		stdin = in
	}
	term := &shellTerminal{r: r, s: s, io: io}
	res := r.k.RunOn(shellFiles{s}, term, args, stdin)
	if term.err != nil {
		return term.err
	}
	io.Out(s, res.Output)
	s.SetStatus(res.ExitCode)
	return sim.CatchUp(r.c, s)
}

// shellTerminal is the console's terminal as kubectl exec -it's command
// sees it: the lines typed into the console, its screen, its prompt.
type shellTerminal struct {
	r   *Runner
	s   *sh.Shell
	io  *sh.IO
	err error // the console's end, which must unwind its shell
}

// ReadLine waits for the next line typed into the console.
func (t *shellTerminal) ReadLine() (string, bool, error) {
	if err := sim.CatchUp(t.r.c, t.s); err != nil {
		t.err = err
		return "", false, err
	}
	line, ok, err := t.io.ReadLine(t.s)
	if err != nil {
		t.err = err
	}
	return line, ok, err
}

// Write shows the command's output on the console.
func (t *shellTerminal) Write(s string) { t.io.Out(t.s, s) }

// SetPrompt shows the command's prompt on the console.
func (t *shellTerminal) SetPrompt(p string) { t.s.SetPrompt(p) }

// isControlPlane reports whether a machine is a control-plane node.
func (r *Runner) isControlPlane(name string) bool {
	nodes := r.cfg.Nodes
	if nodes == nil {
		nodes = sim.DefaultNodes()
	}
	for _, n := range nodes {
		if n.Name == name {
			return n.ControlPlane
		}
	}
	return false
}

// readsStdin reports whether kubectl's arguments read standard input:
// -f - (--filename=-), or exec -i without a terminal (-t connects the
// terminal instead).
func readsStdin(args []string) bool {
	exec, stdin, tty := false, false, false
	for i, a := range args {
		switch {
		case a == "--":
			return exec && stdin && !tty
		case (a == "-f" || a == "--filename") && i+1 < len(args) && args[i+1] == "-",
			a == "-f-" || a == "--filename=-" || a == "-f=-":
			return true
		case a == "exec":
			exec = true
		case a == "--stdin":
			stdin = true
		case a == "--tty":
			tty = true
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
			stdin = stdin || strings.Contains(a, "i")
			tty = tty || strings.Contains(a, "t")
		}
	}
	return exec && stdin && !tty
}

// shellFiles are the console machine's files as kubectl reads them.
type shellFiles struct{ s *sh.Shell }

func (f shellFiles) Stat(p string) (bool, bool) {
	info, err := f.s.Files().Stat(f.s.Abs(p))
	return err == nil, err == nil && info.IsDir()
}

func (f shellFiles) ReadFile(p string) ([]byte, error) { return f.s.Files().ReadFile(f.s.Abs(p)) }

func (f shellFiles) ReadDir(p string) ([]string, error) {
	infos, err := f.s.Files().ReadDir(f.s.Abs(p))
	names := make([]string, len(infos))
	for i, in := range infos {
		names[i] = in.Name
	}
	return names, err
}
