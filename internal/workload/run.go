package workload

import (
	"sort"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// The process model's vocabulary, which this package's API speaks.
type (
	// EnvVar is one environment variable, in the order the kubelet resolved it.
	EnvVar = sh.EnvVar
	// Line is one piece of output, as a container runtime logs it.
	Line = proc.Line
	// Stream is the output stream a line was written to.
	Stream = proc.Stream
	// Write is one change a process made to its filesystem.
	Write = proc.Write
	// Result is what a process did from its start up to the horizon.
	Result = proc.Result
	// StopReason says why a result ends where it does.
	StopReason = proc.StopReason
	// Network is the cluster network as a process sees it.
	Network = sh.Network
	// Scripts keeps parsed scripts for the processes that share it.
	Scripts = sh.Scripts
)

// NewScripts returns an empty Scripts, for Process.Scripts.
func NewScripts() *Scripts { return sh.NewScripts() }

// Streams and stop reasons, as package proc defines them.
const (
	Stdout         = proc.Stdout
	Stderr         = proc.Stderr
	StopExited     = proc.StopExited
	StopHorizon    = proc.StopHorizon
	StopSpinning   = proc.StopSpinning
	StopStepLimit  = proc.StopStepLimit
	StopStartError = proc.StopStartError
	StopKilled     = proc.StopKilled
)

// Process is a container's main process as the kubelet starts it (or a
// command a user starts on a machine or in a container).
type Process struct {
	// Argv is the command and arguments after Kubernetes' resolution (see
	// images.ResolveArgv), e.g. ["sh", "-c", "echo hi; exit 3"].
	Argv []string
	// Env is the container's environment in order. The process also sees
	// PATH (the image's), HOSTNAME and HOME, as a container does.
	Env []EnvVar
	// Hostname is the pod's hostname.
	Hostname string
	// FS is the container's view of files. Run never changes it: the run
	// works on a private copy and reports its changes in Result.Writes.
	// Nil means the image's root filesystem (Image.RootFS).
	FS vfs.Filesystem
	// Start is the virtual wall time at which the process starts.
	Start time.Time
	// Stdin is what the process reads on standard input.
	Stdin string
	// StdinPipe, when set, is the process's standard input instead of
	// Stdin: the caller writes to it while the process runs and closes it
	// at the end of the input (an interactive session's typed lines).
	StdinPipe *proc.Pipe
	// Dir is the working directory; empty means /.
	Dir string
	// Interactive makes the process a terminal's shell, reading commands
	// from StdinPipe a line at a time (see sh.Config.Interactive).
	Interactive bool
	// TTY gives the process a terminal on its standard input (see
	// sh.Config.TTY).
	TTY bool
	// DurationOverride, when set, is the process's total run time whatever
	// the model says: the process exits at exactly that offset (see Run).
	DurationOverride *time.Duration
	// Image is the container's image; it decides which programs exist and
	// whether argv starts a server. The zero Image is an unknown image
	// with a busybox-like userland.
	Image images.Image
	// Userland, when its Lookup is set, replaces the image's programs and
	// shell: a machine's system rather than a container image's.
	Userland sh.Userland
	// Net is the cluster network the process reaches (nslookup, curl,
	// wget) during Run; nil means no network: names do not resolve and
	// nothing answers. A started Proc is given its network by RunUntil.
	Net Network
	// DNSSearch is the search path of the process's resolv.conf, e.g.
	// ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"].
	DNSSearch []string
	// Scripts, when set, keeps the scripts the process's shells parse for
	// the other processes that share it (a node's containers).
	Scripts *Scripts
}

// Proc is a started process (see proc.Proc): its threads run as far as
// the caller's clock, against the live files.
type Proc struct {
	*proc.Proc
	shell *sh.Run
}

// Start prepares p's process at its start time; nothing runs until RunUntil.
// Unlike Run, the process works on p.FS itself (nil means a fresh copy of
// the image's root filesystem): what it writes lands there at the virtual
// time it writes it.
func Start(p Process) *Proc {
	fsys := p.FS
	if fsys == nil {
		fsys = p.Image.RootFS(p.Start)
	}
	return start(p, fsys, false)
}

// start builds the process over fsys, recording its writes when record is
// set.
func start(p Process, fsys vfs.Filesystem, record bool) *Proc {
	pr := proc.New(p.Start, fsys, proc.Options{Record: record, DurationOverride: p.DurationOverride})
	u := p.Userland
	if u.Lookup == nil {
		u = p.Image.Userland()
	}
	run := sh.Start(pr, sh.Config{Argv: p.Argv, Env: containerEnv(p), Hostname: p.Hostname, Userland: u,
		DNSSearch: p.DNSSearch, Stdin: p.Stdin, StdinPipe: p.StdinPipe, Dir: p.Dir, Interactive: p.Interactive, TTY: p.TTY,
		Scripts: p.Scripts})
	return &Proc{Proc: pr, shell: run}
}

// Dir is the working directory of the process's shell (a terminal's, as
// its user moved it).
func (p *Proc) Dir() string { return p.shell.Dir() }

// RunUntil runs the process's threads, earliest first, until each is
// blocked past offset (the virtual time since the start), waits forever,
// or has ended, and the main program has exited or cannot go on. Net is
// the cluster network the process reaches meanwhile (nil: none); it is
// not kept afterwards.
func (p *Proc) RunUntil(offset time.Duration, net Network) {
	p.shell.SetNetwork(net)
	defer p.shell.SetNetwork(nil)
	p.Proc.RunUntil(offset)
}

// Run runs the process from its start up to the virtual offset horizon and
// reports what it did, without changing p.FS: the run works on a copy and
// reports its changes as Writes.
//
// Run is deterministic: the same Process gives the same Result, and the
// result for a smaller horizon is a prefix of the result for a larger one:
// its Output and Writes are exactly those of the larger run with Offset <=
// the smaller horizon (as long as neither run hit proc.MaxOutputBytes).
// Run never panics, and every run is bounded by the limits of package
// proc.
//
// Commands take no virtual time except sleep (and what waits for it), bc
// (see bc.LibCost) and the servers' startup. With p.DurationOverride set,
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
	pr := start(p, base, true)
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
	env := make([]EnvVar, 0, len(p.Image.Env)+len(p.Env)+3)
	set := func(name, value string) {
		for i := range env {
			if env[i].Name == name {
				env[i].Value = value
				return
			}
		}
		env = append(env, EnvVar{Name: name, Value: value})
	}
	set("PATH", images.DefaultPath)
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
