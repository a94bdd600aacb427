package workload

import (
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// Run runs the process from its start up to the virtual offset horizon and
// reports what it did.
//
// Run is deterministic: the same Process gives the same Result, so callers
// see further by running again with a larger horizon, and the result for a
// smaller horizon is a prefix of the result for a larger one: its Output
// and Writes are exactly those of the larger run with Offset <= the smaller
// horizon (as long as neither run hit MaxOutputBytes). Run never changes
// p.FS; it never panics, and every run is bounded by MaxSteps,
// MaxOutputBytes, MaxFileBytes and MaxStringBytes.
//
// Commands take no virtual time except sleep (and what waits for it), bc
// (see bcLibCost) and the servers' startup. With p.DurationOverride set,
// the process exits at exactly that offset: with its own status if it
// ended sooner (it lingers until then), otherwise with status 0; what it
// would have done later never happens.
func Run(p Process, horizon time.Duration) Result {
	horizon = max(horizon, 0)
	limit := horizon
	if p.DurationOverride != nil {
		limit = min(horizon, max(*p.DurationOverride, 0))
	}
	run, root, io := newRun(p, limit)
	res := execute(run, root, p.Argv, io)
	finish(&res, run, p, horizon)
	return res
}

// newRun prepares the shared run state, a root "runtime" shell holding the
// container's environment, and the process's standard streams.
func newRun(p Process, limit time.Duration) (*shRun, *shell, *shIO) {
	// The image's root filesystem is built only when the caller brings no
	// files of its own: Run is called at every container start and re-run.
	var base vfs.Filesystem
	if p.FS != nil {
		base = p.FS.Fork()
	} else {
		base = p.Image.RootFS(p.Start)
	}
	run := &shRun{start: p.Start, horizon: limit, image: p.Image, hostname: p.Hostname,
		net: p.Net, search: p.DNSSearch}
	root := newShell(run, containerEnv(p), dialectFor("sh", p.Image))
	run.fs = &recorder{fs: base, start: p.Start}
	io := &shIO{stdin: &shInput{data: p.Stdin}, stdout: logSink{stream: Stdout}, stderr: logSink{stream: Stderr}}
	return run, root, io
}

// containerEnv is the environment a container process starts with: the
// image's (PATH first), HOSTNAME, the pod's variables in order, then HOME.
// A later setting of the same name replaces the earlier one in place.
func containerEnv(p Process) []EnvVar {
	var env []EnvVar
	set := func(name, value string) {
		for i := range env {
			if env[i].Name == name {
				env[i].Value = value
				return
			}
		}
		env = append(env, EnvVar{Name: name, Value: value})
	}
	set("PATH", defaultPath)
	for _, e := range p.Image.Env {
		set(e.Name, e.Value)
	}
	set("HOSTNAME", p.Hostname)
	for _, e := range p.Env {
		set(e.Name, e.Value)
	}
	if !hasEnv(env, "HOME") {
		set("HOME", "/root")
	}
	return env
}

func hasEnv(env []EnvVar, name string) bool {
	for _, e := range env {
		if e.Name == name {
			return true
		}
	}
	return false
}

// execute starts argv the way a container runtime does: the program must
// exist in the image, and no shell parses argv.
func execute(run *shRun, root *shell, argv []string, io *shIO) Result {
	if len(argv) == 0 {
		return Result{Stop: StopStartError, ExitCode: 128, StartError: "no command specified"}
	}
	prog, ok := root.lookup(argv[0])
	if !ok {
		msg := `exec: "` + argv[0] + `": executable file not found in $PATH`
		if strings.Contains(argv[0], "/") {
			msg = `exec: "` + argv[0] + `": stat ` + argv[0] + `: no such file or directory`
		}
		return Result{Stop: StopStartError, ExitCode: 128, StartError: msg}
	}
	root.line = 1
	err := prog(root, argv, io)
	res := Result{Stop: StopExited, ExitCode: root.status}
	var exit *shExit
	var halt *shHalt
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.code
	case errors.As(err, &halt):
		res.Stop = halt.reason
	}
	if res.Stop == StopExited {
		res.Exited, res.Duration = true, root.now
	}
	return res
}

// finish fills in the output and writes, in offset order, and applies
// the duration override.
func finish(res *Result, run *shRun, p Process, horizon time.Duration) {
	lines := run.lines
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Offset < lines[j].Offset })
	writes := run.fs.writes
	sort.SliceStable(writes, func(i, j int) bool { return writes[i].Offset < writes[j].Offset })
	res.Output, res.Writes, res.OutputTruncated = lines, writes, run.truncated
	if p.DurationOverride == nil || res.Stop == StopStartError {
		return
	}
	d := max(*p.DurationOverride, 0)
	if d > horizon {
		// The override ends the process later than the horizon: it is
		// still running now, whatever the model said.
		res.Exited, res.Duration, res.ExitCode, res.Stop = false, 0, 0, StopHorizon
		return
	}
	if !res.Exited {
		res.ExitCode = 0
	}
	res.Exited, res.Duration, res.Stop = true, d, StopExited
}
