package kubelet

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
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
		return nil, fmt.Errorf("container %q in pod %q is waiting to start: %s", containerName, pod.Name, WaitingContainerCreating)
	}
	if !previous {
		c.followTo(now)
	}
	limit := now
	if !inst.end.IsZero() && inst.end.Before(limit) {
		limit = inst.end
	}
	var lines []string
	for _, l := range inst.result.Output {
		if inst.started.Add(l.Offset).After(limit) {
			break
		}
		lines = append(lines, l.Text)
	}
	return lines, nil
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
