package workload

import (
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// Run runs the process from its start up to the virtual offset horizon and
// reports what it did, without changing p.FS: the run works on a copy and
// reports its changes as Writes.
//
// Run is deterministic: the same Process gives the same Result, and the
// result for a smaller horizon is a prefix of the result for a larger one:
// its Output and Writes are exactly those of the larger run with Offset <=
// the smaller horizon (as long as neither run hit MaxOutputBytes). Run
// never panics, and every run is bounded by MaxIdleSteps, MaxWorkBytes,
// MaxOutputBytes, MaxFileBytes, MaxStringBytes, MaxThreads and MaxFrames.
//
// Commands take no virtual time except sleep (and what waits for it), bc
// (see bcLibCost) and the servers' startup. With p.DurationOverride set,
// the process exits at exactly that offset: with its own status if it
// ended sooner (it lingers until then), otherwise with status 0; what it
// would have done later never happens.
//
// Run suits short commands and tests; a container's long-running process
// is a Proc (Start), which works on the live files and runs as far as its
// caller's clock.
func Run(p Process, horizon time.Duration) Result {
	horizon = max(horizon, 0)
	var base vfs.Filesystem
	if p.FS != nil {
		base = p.FS.Fork()
	} else {
		base = p.Image.RootFS(p.Start)
	}
	pr := start(p, base, &recorder{fs: base, start: p.Start})
	pr.RunUntil(horizon, p.Net)
	res := pr.Result()
	pr.Kill()
	sort.SliceStable(res.Output, func(i, j int) bool { return res.Output[i].Offset < res.Output[j].Offset })
	sort.SliceStable(res.Writes, func(i, j int) bool { return res.Writes[i].Offset < res.Writes[j].Offset })
	return res
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
	var crash *shCrash
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.code
	case errors.As(err, &crash):
		res.ExitCode = crashStatus
	case errors.As(err, &halt):
		res.Stop = halt.reason
	}
	if res.Stop == StopExited {
		res.Exited, res.Duration = true, root.now
	}
	return res
}
