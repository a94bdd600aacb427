package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/kubectl"
	"github.com/kubesim/kubesim/sim"
)

// Runner replays scenario commands against one simulated cluster.
type Runner struct {
	c   *sim.Cluster
	k   *kubectl.Kubectl
	dir string
	cfg sim.Config
	// started is set once a command other than cluster and machine has
	// run: those must come before any.
	started  bool
	handlers map[string]Handler
	hooks    []func(*sim.Cluster)
	after    []func() string
	// consoles are the terminals logged in to machines, console the one
	// typed into last ("" until a line is).
	consoles map[string]*sim.Console
	console  string
	// visited are the directories each machine's terminal was in after
	// its lines, oldest first: a prompt's directory is looked for there
	// first.
	visited map[string][]string
	// cur is the command typed now (its file and line), failed its
	// refusal by one of the runner's programs.
	cur    CommandError
	failed *CommandError
}

// Handler carries out a command a program added to the language (see
// Runner.Handle): words are the command line split as a shell splits it,
// stdin its here-document. It returns what the command prints, or an
// error that stops the replay.
type Handler func(r *Runner, words []string, stdin string) (string, error)

// NewRunner builds a cluster from cfg; relative paths in commands are read
// from dir.
func NewRunner(cfg sim.Config, dir string) (*Runner, error) {
	r := &Runner{dir: dir, cfg: cfg, handlers: map[string]Handler{}}
	if err := r.build(cfg); err != nil {
		return nil, err
	}
	return r, nil
}

// build (re)creates the runner's cluster from cfg and tells the hooks.
func (r *Runner) build(cfg sim.Config) error {
	c, err := sim.New(cfg)
	if err != nil {
		return err
	}
	if r.c != nil {
		r.closeConsoles()
		r.c.Close()
	}
	r.console = ""
	r.c, r.k, r.cfg = c, kubectl.New(c, r.dir), cfg
	for _, h := range r.hooks {
		h(c)
	}
	return nil
}

// Handle adds a command to the language this runner understands, or
// replaces one of its own (kubesim check adds `check`).
func (r *Runner) Handle(name string, h Handler) { r.handlers[name] = h }

// OnCluster calls fn with the runner's cluster now and with every cluster
// a `cluster` line builds later, so that an observer sees each from its
// start.
func (r *Runner) OnCluster(fn func(*sim.Cluster)) {
	r.hooks = append(r.hooks, fn)
	fn(r.c)
}

// After calls fn after every command that ran, adding what it returns to
// the command's output (a property checker's violations).
func (r *Runner) After(fn func() string) { r.after = append(r.after, fn) }

// Close releases the cluster's running processes (see sim.Cluster.Close)
// and the consoles.
func (r *Runner) Close() {
	r.closeConsoles()
	r.c.Close()
}

// Cluster returns the cluster the runner drives.
func (r *Runner) Cluster() *sim.Cluster { return r.c }

// CommandError is a scenario line the runner cannot carry out: an unknown
// command or bad arguments to one of the runner's own commands. It stops
// the replay, unlike a kubectl error, which is output.
type CommandError struct {
	File string
	Line int
	Msg  string
}

func (e *CommandError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Exec runs one command and returns what it printed, and what the After
// functions add.
func (r *Runner) Exec(file string, cmd Command) (string, error) {
	out, err := r.exec(file, cmd)
	if err != nil {
		return out, err
	}
	for _, fn := range r.after {
		out += fn()
	}
	return out, nil
}

// exec runs one command: cluster and machine lines are the runner's
// directives; every other line is typed into the console's terminal.
func (r *Runner) exec(file string, cmd Command) (string, error) {
	fail := func(format string, args ...any) (string, error) {
		return "", &CommandError{File: file, Line: cmd.Line, Msg: fmt.Sprintf(format, args...)}
	}
	first := !r.started
	if f := strings.Fields(cmd.Text); len(f) > 0 && (f[0] == "cluster" || f[0] == "machine") {
		words, err := Split(cmd.Text)
		if err != nil {
			return fail("cannot read command %q", cmd.Text)
		}
		if words[0] == "cluster" {
			// Example: cluster --seed 17 --start 2023-12-22T00:00:00Z
			if !first {
				return fail("cluster: must be the scenario's first command")
			}
			return r.cluster(words, fail)
		}
		// Example: machine k8s-master --ip 172.16.229.143
		// Example: machine nfs-server --ip 192.168.122.30
		return r.machine(words, fail)
	}
	r.started = true
	return r.typeLine(file, cmd)
}

type failFunc func(format string, args ...any) (string, error)

// cluster rebuilds the cluster with the seed and start time the scenario
// names, so that a file replays the same run whatever the command line
// says (propcheck writes its failures so).
func (r *Runner) cluster(words []string, fail failFunc) (string, error) {
	cfg := r.cfg
	args := words[1:]
	for len(args) > 0 {
		flag, value, hasValue := strings.Cut(args[0], "=")
		if !hasValue {
			if len(args) < 2 {
				return fail("cluster: %s needs a value", flag)
			}
			value, args = args[1], args[1:]
		}
		args = args[1:]
		switch flag {
		case "--seed":
			seed, err := strconv.ParseUint(value, 10, 64)
			if err != nil || seed == 0 {
				return fail("cluster: --seed: %q is not a positive integer", value)
			}
			cfg.Seed = seed
		case "--start":
			start, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return fail("cluster: --start: %v", err)
			}
			cfg.Start = start
		case "--kubernetes-version":
			v, _, err := sim.ParseKubernetesVersion(value)
			if err != nil {
				return fail("cluster: --kubernetes-version: %v", err)
			}
			cfg.KubernetesVersion = v
		default:
			return fail("cluster: unknown flag %q (usage: cluster [--seed N] [--start RFC3339-TIME] [--kubernetes-version 1.MINOR])", flag)
		}
	}
	if err := r.build(cfg); err != nil {
		return fail("cluster: %v", err)
	}
	return "", nil
}

// parseSleep reads a sleep duration: Go units (30s, 4m, 1m54s, 2h) or bare
// seconds, as sleep(1) takes.
func parseSleep(s string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// ParseFloat also reads "inf", "NaN" and "1e10": a number of
		// seconds must be finite and within the range.
		if math.IsNaN(n) || n < 0 || n > maxSleep.Seconds() {
			return 0, fmt.Errorf("%s is out of range: a duration from 0 to %v", s, maxSleep)
		}
		return time.Duration(math.Round(n * float64(time.Second))), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		if strings.Contains(err.Error(), "invalid duration") && !strings.Contains(err.Error(), "unknown unit") &&
			!strings.Contains(err.Error(), "missing unit") && durationLike(s) {
			return 0, fmt.Errorf("%s is out of range: a duration from 0 to %v", s, maxSleep)
		}
		return 0, fmt.Errorf("invalid time interval %q", s)
	}
	if d < 0 || d > maxSleep {
		return 0, fmt.Errorf("%s is out of range: a duration from 0 to %v", s, maxSleep)
	}
	return d, nil
}

// maxSleep is the longest a scenario's sleep may let virtual time pass:
// ten years, beyond which a run would not end in any useful time.
const maxSleep = 10 * 365 * 24 * time.Hour

// durationLike reports whether s is made of a Go duration's characters,
// so that a parse failure is an overflow, not a typo.
func durationLike(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.nsuµmh") == ""
}

func (r *Runner) node(words []string, fail failFunc) (string, error) {
	if len(words) != 3 || (words[1] != "down" && words[1] != "up") {
		return fail("usage: node down|up NAME")
	}
	if err := r.c.SetNodeDown(words[2], words[1] == "down"); err != nil {
		return fail("%v", err)
	}
	return "", nil
}

func (r *Runner) kill(words []string, fail failFunc) (string, error) {
	if len(words) < 2 {
		return fail("usage: kill POD [-c CONTAINER] [--exit-code N] [-n NAMESPACE]")
	}
	pod, container, ns, code := words[1], "", "", 137
	for i := 2; i < len(words); i++ {
		flag, value, inline := strings.Cut(words[i], "=")
		if !inline {
			if i+1 >= len(words) {
				return fail("kill: %s needs a value", flag)
			}
			i++
			value = words[i]
		}
		switch flag {
		case "--exit-code":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 || n > 255 {
				return fail("kill: --exit-code must be 0..255, not %q", value)
			}
			code = n
		case "-c", "--container":
			container = value
		case "-n", "--namespace":
			ns = value
		default:
			return fail("kill: unknown flag %q", flag)
		}
	}
	if err := r.c.Kill(ns, pod, container, int32(code)); err != nil {
		return fail("kill: %v", err)
	}
	return "", nil
}

// controller stops, starts or restarts a controller: `controller down|up
// NAME|all`, `controller restart NAME|all`.
func (r *Runner) controller(words []string, fail failFunc) (string, error) {
	if len(words) != 3 || (words[1] != "down" && words[1] != "up" && words[1] != "restart") {
		return fail("usage: controller down|up|restart NAME|all")
	}
	if words[1] == "restart" {
		if err := r.c.RestartController(words[2]); err != nil {
			return fail("controller restart: %v", err)
		}
		return "", nil
	}
	if !r.c.SetControllerDown(words[2], words[1] == "down") {
		return fail("no controller named %q (have: %s)", words[2], strings.Join(r.c.ControllerNames(), ", "))
	}
	return "", nil
}

// endLine ends output that stops mid-line (kubectl -o jsonpath prints no
// final newline) so the next prompt starts on a line of its own, as a
// transcript reads best.
func endLine(out string) string {
	if out != "" && !strings.HasSuffix(out, "\n") {
		return out + "\n"
	}
	return out
}

// faultUsage is the fault command's grammar.
const faultUsage = "usage: fault stale CONTROLLER N [--for DURATION] [--kind KIND] | fault drop CONTROLLER N | " +
	"fault delay CONTROLLER DURATION [N] | fault crash CONTROLLER [--after N] [--times K] | " +
	"fault error CONTROLLER N [--code 409|500|429|503] | fault clear CONTROLLER"

// fault turns on a control-plane fault (see sim.Fault):
//
//	fault stale CTRL N [--for D] [--kind K]
//	                                its informers (K's only) lag N changes, none held over D (1s)
//	fault drop CTRL N               its next N watch events are lost
//	fault delay CTRL D [N]          its next N watch events (all) arrive D late
//	fault crash CTRL [--after N] [--times K]
//	                                its next (K) reconciles with more than N (1) writes crash after N
//	fault error CTRL N [--code C]   its next N writes fail with C (409)
//	fault clear CTRL                all of them off
func (r *Runner) fault(words []string, fail failFunc) (string, error) {
	if len(words) < 3 {
		return fail(faultUsage)
	}
	f, err := parseFault(words[1], words[3:])
	if err != nil {
		return fail("fault %s: %v (%s)", words[1], err, faultUsage)
	}
	if err := r.c.Inject(words[2], f); err != nil {
		return fail("fault: %v", err)
	}
	return "", nil
}

// parseFault reads a fault's arguments after its controller: positional
// ones first, then flags.
func parseFault(kind string, args []string) (sim.Fault, error) {
	f := sim.Fault{Kind: kind}
	pos, flags, err := splitFlags(args)
	if err != nil {
		return f, err
	}
	var wantPos, optPos int // positional arguments required, and allowed beyond them
	allowed := map[string]bool{}
	switch kind {
	case sim.FaultStale:
		wantPos, allowed["--for"], allowed["--kind"] = 1, true, true
	case sim.FaultDrop, sim.FaultError:
		wantPos, allowed["--code"] = 1, kind == sim.FaultError
	case sim.FaultDelay:
		wantPos, optPos = 1, 1
	case sim.FaultCrash:
		allowed["--after"], allowed["--times"] = true, true
		f.Count = 1 // crash after the first write, unless told
	case sim.FaultClear:
	default:
		return f, fmt.Errorf("unknown fault (want one of %s)", strings.Join(sim.FaultKinds, ", "))
	}
	if len(pos) < wantPos || len(pos) > wantPos+optPos {
		return f, fmt.Errorf("wrong number of arguments")
	}
	for _, name := range flags.names {
		if !allowed[name] {
			return f, fmt.Errorf("unknown flag %q", name)
		}
	}
	if kind == sim.FaultDelay {
		if f.For, err = parseSleep(pos[0]); err != nil {
			return f, err
		}
		pos = pos[1:]
	}
	if len(pos) == 1 {
		if f.Count, err = parseCount(pos[0]); err != nil {
			return f, err
		}
	}
	if v, ok := flags.values["--for"]; ok {
		if f.For, err = parseSleep(v); err != nil {
			return f, err
		}
	}
	f.ObjectKind = flags.values["--kind"]
	if v, ok := flags.values["--after"]; ok {
		if f.Count, err = parseCount(v); err != nil {
			return f, err
		}
	}
	if v, ok := flags.values["--times"]; ok {
		if f.Times, err = parseCount(v); err != nil || f.Times == 0 {
			return f, fmt.Errorf("--times %q is not a number from 1 up", v)
		}
	}
	if v, ok := flags.values["--code"]; ok {
		if f.Code, err = strconv.Atoi(v); err != nil {
			return f, fmt.Errorf("--code %q is not a number", v)
		}
	}
	return f, nil
}

// faultFlags are the flags of a fault line, in the order given.
type faultFlags struct {
	names  []string
	values map[string]string
}

// splitFlags separates positional arguments from --flag VALUE and
// --flag=VALUE pairs.
func splitFlags(args []string) ([]string, faultFlags, error) {
	var pos []string
	flags := faultFlags{values: map[string]string{}}
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "--") {
			pos = append(pos, args[i])
			continue
		}
		name, value, inline := strings.Cut(args[i], "=")
		if !inline {
			if i+1 >= len(args) {
				return nil, flags, fmt.Errorf("%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if _, twice := flags.values[name]; twice {
			return nil, flags, fmt.Errorf("%s given twice", name)
		}
		flags.names = append(flags.names, name)
		flags.values[name] = value
	}
	return pos, flags, nil
}

// parseCount reads a count of changes, events or writes.
func parseCount(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("count %q is not a number from 0 up", s)
	}
	return n, nil
}
