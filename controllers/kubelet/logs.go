package kubelet

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/kubesim/kubesim/objects"
)

// Logs returns what a container of a pod on this node printed up to now,
// one line per element: the current run, or the one before it when
// previous is set. Errors read like the kubelet's.
func (k *Kubelet) Logs(pod objects.Key, containerName string, previous bool, now time.Time) ([]string, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return nil, err
	}
	inst := c.current
	if previous {
		inst = c.previous
		if inst == nil {
			return nil, fmt.Errorf("previous terminated container %q in pod %q not found", containerName, pod.Name)
		}
	}
	if inst == nil {
		return nil, c.waitingToStart(pod.Name)
	}
	limit := now
	if !inst.end.IsZero() && inst.end.Before(limit) {
		limit = inst.end
	}
	return joinLines(inst.proc.Output(), inst.started, limit), nil
}

// joinLines turns a process's output up to limit into log lines, joining
// partial pieces (echo -n) with what follows them, as kubectl logs shows.
func joinLines(output []workload.Line, started, limit time.Time) []string {
	var lines []string
	var partial strings.Builder
	for _, l := range output {
		if started.Add(l.Offset).After(limit) {
			break
		}
		partial.WriteString(l.Text)
		if !l.Partial {
			lines = append(lines, partial.String())
			partial.Reset()
		}
	}
	if partial.Len() > 0 {
		lines = append(lines, partial.String())
	}
	return lines
}

// Kill ends a running container's process now with code, as a crash or an
// outside kill would; the restart policy applies on the next reconcile.
func (k *Kubelet) Kill(pod objects.Key, containerName string, code int32, now time.Time) error {
	c, err := k.container(pod, containerName)
	if err != nil {
		return err
	}
	if !c.running {
		return fmt.Errorf("container %q in pod %q is not running", containerName, pod.Name)
	}
	c.stopAt, c.stopCode, c.graceful = now, code, false
	return nil
}

// Session is a command started in a container (Exec) or on a machine
// (StartSession). It runs live, as far as its caller's clock: the caller runs
// it up to now, lets time pass until NextWake, and runs it again, until it
// is done. What it writes lands in the files at the time it writes it.
type Session struct {
	proc  *workload.Proc
	start time.Time
	net   workload.Network
	// c and inst are the container run the command belongs to; when that
	// run ends, the runtime kills the command too (nil on a node).
	c    *container
	inst *instance
	// killedAt is set when the container's end killed the command.
	killedAt time.Time
}

// RunUntil runs the command up to now.
func (s *Session) RunUntil(now time.Time) {
	if s.c != nil && s.killedAt.IsZero() && (s.c.current != s.inst || !s.c.running) {
		// The container stopped meanwhile: its processes went with it.
		s.killedAt = s.inst.end
		if s.killedAt.IsZero() {
			s.killedAt = now
		}
		s.proc.Kill()
		return
	}
	s.proc.RunUntil(now.Sub(s.start), s.net)
}

// Done reports whether the command has ended, its exit status and when.
// A command killed with its container ends with status 137.
func (s *Session) Done() (code int, at time.Time, ok bool) {
	if !s.killedAt.IsZero() {
		return int(sigkillExit), s.killedAt, true
	}
	c, d, ok := s.proc.Exited()
	return c, s.start.Add(d), ok
}

// NextWake is when the command next has something to do, or false when it
// waits for nothing that will come (it would run forever).
func (s *Session) NextWake() (time.Time, bool) {
	d, ok := s.proc.NextWake()
	return s.start.Add(d), ok
}

// Output is what the command printed so far, partial pieces joined.
func (s *Session) Output() []workload.Line { return mergePartial(s.proc.Output()) }

// StartError is the runtime's message when the command could not start
// (`exec: "foo": executable file not found in $PATH`), or "".
func (s *Session) StartError() string { return s.proc.Result().StartError }

// Kill ends the command, as a closed kubectl exec does.
func (s *Session) Kill() { s.proc.Kill() }

// Exec starts argv in a running container, against its files, with stdin
// as its standard input.
func (k *Kubelet) Exec(pod objects.Key, containerName string, argv []string, stdin string, now time.Time) (*Session, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return nil, err
	}
	if !c.running {
		return nil, fmt.Errorf("unable to upgrade connection: container not found (%q)", containerName)
	}
	proc := workload.Process{Argv: argv, Env: c.env, Hostname: c.pr.hostname(), FS: c.fs,
		Start: now, Stdin: stdin, Image: c.image, DNSSearch: c.pr.k.podSearch(c.pr.pod)}
	return &Session{proc: workload.Start(proc), start: now, net: k.cfg.Network, c: c, inst: c.current}, nil
}

// ExecTTY starts argv in a running container with a terminal (kubectl
// exec -it): its standard input is in, which the caller writes the user's
// lines to; a shell (sh, bash) reads commands a line at a time and shows
// its prompt, as on a terminal.
func (k *Kubelet) ExecTTY(pod objects.Key, containerName string, argv []string, in *proc.Pipe, now time.Time) (*Session, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return nil, err
	}
	if !c.running {
		return nil, fmt.Errorf("unable to upgrade connection: container not found (%q)", containerName)
	}
	p := workload.Process{Argv: argv, Env: c.env, Hostname: c.pr.hostname(), FS: c.fs,
		Start: now, StdinPipe: in, TTY: true, Image: c.image, DNSSearch: c.pr.k.podSearch(c.pr.pod)}
	if len(argv) == 1 && isShell(argv[0]) {
		p.Interactive = true
	}
	return &Session{proc: workload.Start(p), start: now, net: k.cfg.Network, c: c, inst: c.current}, nil
}

// isShell reports whether a command names a shell (/bin/bash, sh...).
func isShell(cmd string) bool {
	switch path.Base(cmd) {
	case "sh", "bash", "ash", "dash":
		return true
	}
	return false
}

// TakeOutput is what the command printed since last asked, as it came
// (a piece not yet ended by a newline is Partial).
func (s *Session) TakeOutput() []workload.Line { return s.proc.TakeOutput() }

// Prompt is what the command shows while it waits for its user.
func (s *Session) Prompt() string { return s.proc.Prompt() }

// StartSession starts a command outside any container (on a machine, or
// a machine's login shell), reaching the cluster network net.
func StartSession(p workload.Process, net workload.Network) *Session {
	return &Session{proc: workload.Start(p), start: p.Start, net: net}
}

// mergePartial joins partial output pieces into whole lines.
func mergePartial(out []workload.Line) []workload.Line {
	var merged []workload.Line
	var cur *workload.Line
	for _, l := range out {
		if cur == nil {
			c := l
			cur = &c
		} else {
			cur.Text += l.Text
			cur.Partial = l.Partial
		}
		if !cur.Partial {
			merged = append(merged, *cur)
			cur = nil
		}
	}
	if cur != nil {
		cur.Partial = false
		merged = append(merged, *cur)
	}
	return merged
}

// AppendLog adds a line to what a running container's process printed on
// stderr, at now: what the process logs that the workload model does not
// run (a provisioner's library's errors).
func (k *Kubelet) AppendLog(pod objects.Key, containerName, line string, now time.Time) error {
	c, err := k.container(pod, containerName)
	if err != nil {
		return err
	}
	inst := c.current
	if inst == nil || !c.running {
		return fmt.Errorf("container %q in pod %q is not running", containerName, pod.Name)
	}
	inst.proc.Print(now.Sub(inst.started), proc.Stderr, line+"\n")
	return nil
}

// ContainerFS returns a running container's filesystem as it is now.
func (k *Kubelet) ContainerFS(pod objects.Key, containerName string, now time.Time) (*vfs.View, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return nil, err
	}
	if c.fs == nil {
		return nil, c.waitingToStart(pod.Name)
	}
	return c.fs, nil
}

// container finds a container of a pod on this node.
func (k *Kubelet) container(pod objects.Key, name string) (*container, error) {
	pr := k.pods[pod]
	if pr == nil {
		return nil, fmt.Errorf("pods %q not found", pod.Name)
	}
	for _, c := range pr.containers {
		if c.spec.Name == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("container %s is not valid for pod %s", name, pod.Name)
}

// Close kills every process of the node's containers, current and
// previous runs alike, releasing their coroutines.
func (k *Kubelet) Close() {
	for _, pr := range k.pods {
		for _, c := range pr.containers {
			for _, in := range []*instance{c.current, c.previous} {
				if in != nil {
					in.proc.Kill()
				}
			}
		}
	}
}
