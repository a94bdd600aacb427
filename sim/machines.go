package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/host"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/kubesim/kubesim/objects"
)

// machines tracks which nodes' kubelets answer; it is the heartbeat source
// of the node lifecycle controller.
type machines struct {
	c    *Cluster
	down map[string]time.Time // node → when its kubelet stopped posting
	// all are the network's machines, nodes and others (hostTable builds
	// them); extra are the machines AddMachine added.
	all   []*host.Machine
	extra []MachineConfig
	// api is the apiserver as its static pod manifest runs it.
	api apiserver
}

// LastHeartbeat returns when node's kubelet last posted status: now while
// it runs, the moment it stopped otherwise.
func (m *machines) LastHeartbeat(node string) (time.Time, bool) {
	if at, ok := m.down[node]; ok {
		return at, false
	}
	return m.c.clock.Now(), true
}

// SetNodeDown stops (down=true) or restarts a node's machine. A stopped
// machine's kubelet does nothing and posts no status; after the grace
// period the node lifecycle controller marks it unreachable and its pods
// are evicted once their tolerations run out, as in a real cluster. When
// the machine comes back its kubelet posts Ready and catches up.
func (c *Cluster) SetNodeDown(name string, down bool) error {
	k := c.kubelets[name]
	if k == nil {
		return fmt.Errorf("no node named %q", name)
	}
	_, isDown := c.machines.down[name]
	if down == isDown {
		return nil
	}
	loop := c.loopNamed(k.Name())
	if down {
		c.machines.down[name] = c.clock.Now()
		c.traceNote(k.Name(), "machine down")
	} else {
		delete(c.machines.down, name)
		c.traceNote(k.Name(), "machine up")
		if err := c.postNodeReady(name); err != nil {
			return err
		}
	}
	c.SetControllerDown(loop.ctrl.Name(), down)
	if l := c.loopNamed(nodeLifecycleName); l != nil {
		c.enqueue(l, objects.Key{Kind: "Node", Name: name}, c.clock.Now())
	}
	return nil
}

// postNodeReady is the kubelet reporting its node Ready after a restart.
func (c *Cluster) postNodeReady(name string) error {
	obj, err := c.store.Get(objects.Key{Kind: "Node", Name: name})
	if err != nil {
		return err
	}
	node := obj.(*objects.Node).DeepCopy() // stored objects are shared and read-only
	now := objects.NewTime(c.clock.Now())
	for i := range node.Status.Conditions {
		cond := &node.Status.Conditions[i]
		if cond.Type == objects.NodeReady {
			if cond.Status != objects.ConditionTrue {
				cond.LastTransitionTime = now
			}
			cond.Status, cond.Reason, cond.Message = objects.ConditionTrue, "KubeletReady", "kubelet is posting ready status"
			cond.LastHeartbeatTime = now
		}
	}
	_, err = c.write("kubelet/"+name, controllers.Action{Verb: controllers.UpdateStatus, Object: node})
	return err
}

// Kill makes a pod's container exit now with code, as if its process
// crashed or was killed; the pod's restart policy then applies. An empty
// container name means the pod's first container.
func (c *Cluster) Kill(namespace, pod, container string, code int32) error {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return err
	}
	if _, down := c.machines.down[k.NodeName()]; down {
		return fmt.Errorf("node %s is down", k.NodeName())
	}
	if err := k.Kill(key, name, code, c.clock.Now()); err != nil {
		return err
	}
	c.traceNote(k.Name(), "killed container %s of %s with exit code %d", name, key, code)
	c.enqueue(c.loopNamed(k.Name()), key, c.clock.Now())
	c.clock.Advance(0)
	return nil
}

// ExecResult is what a command run in a container printed, in order, and
// how it exited.
type ExecResult struct {
	Output   []string
	ExitCode int
	// Unfinished is set when the command was still running after
	// ExecLimit of virtual time, when Exec stops waiting for it (it is
	// killed, as a closed kubectl exec's command is).
	Unfinished bool
}

// ExecLimit bounds how long Exec and HostExec wait, in virtual time, for a
// command that does not end (`tail -f`, `sleep infinity`, a server).
const ExecLimit = 24 * time.Hour

// Exec runs a command in a running container, as `kubectl exec` does: it
// sees the container's files and environment, and its writes land in them
// at the virtual time it makes them. Virtual time passes while it runs,
// and the rest of the cluster goes on meanwhile; Exec returns when the
// command ends (or after ExecLimit). An empty container name means the
// pod's first container.
func (c *Cluster) Exec(namespace, pod, container string, argv []string, stdin string) (ExecResult, error) {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return ExecResult{}, err
	}
	if _, down := c.machines.down[k.NodeName()]; down {
		return ExecResult{}, fmt.Errorf("error dialing backend: dial tcp %s:10250: connect: no route to host", k.NodeName())
	}
	s, err := k.Exec(key, name, argv, stdin, c.clock.Now())
	if err != nil {
		return ExecResult{}, err
	}
	c.execs++
	res := c.drive(s)
	if msg := s.StartError(); msg != "" {
		return ExecResult{}, fmt.Errorf("Internal error occurred: error executing command in container: "+
			"failed to exec in container: failed to start exec %q: OCI runtime exec failed: exec failed: "+
			"unable to start container process: %s: unknown", c.execID(key, name), msg)
	}
	return res, nil
}

// Terminal is a user's terminal as a command run with one (kubectl exec
// -it) sees it: the lines the user types, the screen, and the prompt it
// shows. A console's kubectl implements it over the console's own
// terminal.
type Terminal interface {
	// ReadLine waits for the user's next line; false at the end of the
	// input. An error (the terminal closing) must end the session.
	ReadLine() (string, bool, error)
	// Write shows output.
	Write(s string)
	// SetPrompt shows the command's prompt while it waits.
	SetPrompt(p string)
}

// ExecTTY runs a command in a running container with a terminal, as
// `kubectl exec -it` does: each line the user types is the command's
// input (a shell runs it and shows its prompt; mysql's monitor answers),
// and what it prints is shown as it comes, as virtual time passes. It
// returns the command's exit status when it ends (or the user's input
// does and it ends then).
func (c *Cluster) ExecTTY(namespace, pod, container string, argv []string, term Terminal) (int, error) {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return 0, err
	}
	if _, down := c.machines.down[k.NodeName()]; down {
		return 0, fmt.Errorf("error dialing backend: dial tcp %s:10250: connect: no route to host", k.NodeName())
	}
	in := proc.NewPipe(1)
	start := c.clock.Now()
	s, err := k.ExecTTY(key, name, argv, in, start)
	if err != nil {
		return 0, err
	}
	c.execs++
	defer s.Kill()
	for {
		code, done, err := c.driveTTY(s, in)
		for _, l := range s.TakeOutput() {
			if l.Partial {
				term.Write(l.Text)
			} else {
				term.Write(l.Text + "\n")
			}
		}
		if msg := s.StartError(); msg != "" {
			return 0, fmt.Errorf("Internal error occurred: error executing command in container: "+
				"failed to exec in container: failed to start exec %q: OCI runtime exec failed: exec failed: "+
				"unable to start container process: %s: unknown", c.execID(key, name), msg)
		}
		if done || err != nil {
			return code, err
		}
		term.SetPrompt(s.Prompt())
		line, ok, err := term.ReadLine()
		if err != nil {
			return 0, err
		}
		at := c.clock.Now().Sub(start)
		if !ok {
			in.Close(at)
			continue
		}
		in.Write(at, line+"\n")
	}
}

// driveTTY runs an interactive session until it ends or waits for its
// user, letting the cluster's time pass up to each moment it has
// something to do, for at most ExecLimit.
func (c *Cluster) driveTTY(s *kubelet.Session, in *proc.Pipe) (int, bool, error) {
	deadline := c.clock.Now().Add(ExecLimit)
	for {
		s.RunUntil(c.clock.Now())
		if code, at, ok := s.Done(); ok {
			if at.After(c.clock.Now()) {
				c.clock.AdvanceTo(at)
			}
			return code, true, nil
		}
		if in.Waiting() {
			return 0, false, nil
		}
		wake, ok := s.NextWake()
		if !ok || wake.After(deadline) {
			return 0, true, fmt.Errorf("kubesim: the command was still running after %v of virtual time, the longest kubesim waits for kubectl exec; it was stopped", ExecLimit)
		}
		if wake.After(c.clock.Now()) {
			c.clock.AdvanceTo(wake)
		}
	}
}

// execID is the runtime's id of an exec session: 64 hex digits, the same
// for the same pod, container and session count in every replay.
func (c *Cluster) execID(pod objects.Key, container string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", pod, container, c.execs)))
	return hex.EncodeToString(sum[:])
}

// HostExec runs a command on a machine of the cluster outside any pod (the
// tutorial's `ll /mnt/data` on the master), against the machine's own
// filesystem, with stdin as its standard input, letting virtual time pass
// as Exec does.
func (c *Cluster) HostExec(machine string, argv []string, stdin string) (ExecResult, error) {
	h := c.hostNamed(machine)
	if h == nil {
		return ExecResult{}, fmt.Errorf("no machine named %q", machine)
	}
	return c.drive(c.hostSession(h, argv, stdin)), nil
}

// drive runs a command session to its end, letting the cluster's time pass
// up to each moment the command has something to do, for at most
// ExecLimit.
func (c *Cluster) drive(s *kubelet.Session) ExecResult {
	deadline := c.clock.Now().Add(ExecLimit)
	for {
		s.RunUntil(c.clock.Now())
		if code, at, ok := s.Done(); ok {
			if at.After(c.clock.Now()) {
				c.clock.AdvanceTo(at)
			}
			return ExecResult{Output: lines(s.Output()), ExitCode: code}
		}
		wake, ok := s.NextWake()
		if !ok || wake.After(deadline) {
			c.clock.AdvanceTo(deadline)
			s.RunUntil(deadline)
			if code, _, ok := s.Done(); ok {
				return ExecResult{Output: lines(s.Output()), ExitCode: code}
			}
			s.Kill()
			return ExecResult{Output: lines(s.Output()), Unfinished: true}
		}
		c.clock.AdvanceTo(wake)
	}
}

func lines(out []workload.Line) []string {
	texts := make([]string, 0, len(out))
	for _, l := range out {
		texts = append(texts, l.Text)
	}
	return texts
}

// NodeHeartbeat returns when a node's kubelet last renewed its lease: now
// while the machine runs, the moment it went down otherwise. It reports
// false when there is no such node.
func (c *Cluster) NodeHeartbeat(node string) (time.Time, bool) {
	if c.kubelets[node] == nil {
		return time.Time{}, false
	}
	at, _ := c.machines.LastHeartbeat(node)
	return at, true
}

// ConsoleHost is the machine a scenario's user types on: the first
// control-plane node (the tutorial's k8s-master), or the first node.
func (c *Cluster) ConsoleHost() string {
	for _, n := range c.cfg.Nodes {
		if n.ControlPlane {
			return n.Name
		}
	}
	return c.cfg.Nodes[0].Name
}
