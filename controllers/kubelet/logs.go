package kubelet

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
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
	if !previous {
		c.followTo(now)
	}
	limit := now
	if !inst.end.IsZero() && inst.end.Before(limit) {
		limit = inst.end
	}
	return joinLines(inst.result.Output, inst.started, limit), nil
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
	c.stopAt, c.stopCode = now, code
	return nil
}

// Exec runs argv in a running container, against its files as they are at
// now, and puts what the command writes into them. It reports what the
// command printed and how long it ran (at most limit).
func (k *Kubelet) Exec(pod objects.Key, containerName string, argv []string, stdin string, now time.Time, limit time.Duration) (workload.Result, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return workload.Result{}, err
	}
	if !c.running {
		return workload.Result{}, fmt.Errorf("unable to upgrade connection: container not found (%q)", containerName)
	}
	fs, err := k.ContainerFS(pod, containerName, now)
	if err != nil {
		return workload.Result{}, err
	}
	proc := workload.Process{Argv: argv, Env: c.env, Hostname: c.pr.hostname(), FS: fs,
		Start: now, Stdin: stdin, Image: c.image, Net: k.cfg.Network, DNSSearch: dnsSearch(c.pr.pod)}
	return runAndApply(proc, fs, limit), nil
}

// HostExec runs argv on the node itself, against its own filesystem, with
// stdin as its standard input.
func (k *Kubelet) HostExec(argv []string, stdin string, now time.Time, limit time.Duration) workload.Result {
	proc := workload.Process{Argv: argv, Hostname: k.cfg.NodeName, FS: k.host, Start: now, Stdin: stdin,
		Image: workload.LookupImage("centos:7"), Net: k.cfg.Network}
	return runAndApply(proc, k.host, limit)
}

// runAndApply runs a short-lived command to its end (or limit) and applies
// its writes at once.
func runAndApply(proc workload.Process, fs vfs.Filesystem, limit time.Duration) workload.Result {
	res := workload.Run(proc, limit)
	for _, w := range res.Writes {
		_ = w.Apply(fs, proc.Start)
	}
	if !res.Exited {
		res.Duration = limit
	}
	res.Output = mergePartial(res.Output)
	return res
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

// ContainerFS returns a running container's filesystem as it is at now.
func (k *Kubelet) ContainerFS(pod objects.Key, containerName string, now time.Time) (*vfs.View, error) {
	c, err := k.container(pod, containerName)
	if err != nil {
		return nil, err
	}
	if c.fs == nil {
		return nil, fmt.Errorf("container %q in pod %q is waiting to start: %s", containerName, pod.Name, WaitingContainerCreating)
	}
	c.followTo(now)
	if c.running {
		c.applyWrites(now)
	}
	return c.fs, nil
}

// followTo makes sure the current run's model reaches now, for a reader
// looking further ahead than the kubelet has had reason to.
func (c *container) followTo(now time.Time) {
	cur := c.current
	for cur != nil && cur.end.IsZero() && !cur.result.Exited && cur.horizon < maxHorizon &&
		now.After(cur.started.Add(cur.horizon)) {
		c.extend()
	}
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
