package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// This file is the cluster's door to the world outside the simulation: an
// API server in front of it (package serve), a test driving it at the
// pace of its own clock (package kubesimtest), and controllers written by
// kubesim's users.

// AddController registers a controller of the caller's own with the loop,
// after the built-in ones: from now on it is offered every store change,
// reconciles at virtual time and writes through a client of its own with
// kube-controller-manager's rate limits (or those of the component it
// names, see controllers.Placed), exactly as the built-in controllers do.
// As an informer's first list would, it is offered every object already
// stored, as created, at once. Its name must not be taken.
func (c *Cluster) AddController(ctrl controllers.Controller) error {
	if ctrl == nil {
		return errors.New("sim: AddController: the controller is nil")
	}
	if c.loopNamed(ctrl.Name()) != nil {
		return fmt.Errorf("sim: AddController: a controller named %q is already registered", ctrl.Name())
	}
	l := c.addNodeAgent(ctrl)
	var keys []objects.Key
	c.store.ScanAll(func(obj objects.Object) bool {
		keys = append(keys, ctrl.KeysFor(storage.WatchEvent{Type: storage.Added, Object: obj}, c.store)...)
		return true
	})
	for _, key := range keys {
		c.enqueue(l, key, c.clock.Now())
	}
	return nil
}

// Next returns the virtual time of the earliest work scheduled, and false
// when nothing is: a driver that lets virtual time follow a clock of its
// own sleeps until then.
func (c *Cluster) Next() (time.Time, bool) { return c.clock.Next() }

// AdvanceTo lets virtual time pass up to t, running every piece of work
// that falls due, each at its own time, in order; a t before Now does
// nothing. Unlike Advance it is meant for drivers that follow a clock of
// their own (serve's, a synctest bubble's).
func (c *Cluster) AdvanceTo(t time.Time) { c.clock.AdvanceTo(t) }

// SetPace makes the cluster tell pace, before it lets virtual time pass on
// its own (Advance, RunUntil: a scenario's sleep, kubectl's waits), the
// time it is about to reach: pace(until) returns once the cluster may go
// on to until, and may itself let time pass up to until (AdvanceTo)
// meanwhile. Package kubesimtest sets it so that clients outside the
// simulation act at the virtual times a property checker's scenario
// passes through; nil turns it off. AdvanceTo never paces.
func (c *Cluster) SetPace(pace func(until time.Time)) { c.pace = pace }

// paceTo tells the pace function that virtual time is about to reach t.
func (c *Cluster) paceTo(t time.Time) {
	if c.pace != nil && t.After(c.clock.Now()) {
		c.pace(t)
	}
}

// paceStep is clock.Step(limit) with the pace function told of the next
// item's time first; it reports whether an item ran (or time passed) and
// another may be due before limit.
func (c *Cluster) paceStep(limit time.Time) bool {
	if c.pace == nil {
		return c.clock.Step(limit)
	}
	next, ok := c.clock.Next()
	if !ok || next.After(limit) {
		return false
	}
	before := c.clock.Now()
	c.paceTo(next)
	if c.clock.Step(limit) || c.clock.Now().After(before) {
		return true
	}
	return false
}

// Client writes to the cluster as one actor: the trace and Observe name it
// as the writer. An API server in front of the cluster uses one per
// request, named after its user. Writes are single calls, as the
// apiserver's are: each is traced and offered to the controllers at once.
type Client struct {
	c     *Cluster
	actor string
}

// As returns a Client that writes as actor ("kubectl", a field manager, a
// controller's user agent).
func (c *Cluster) As(actor string) *Client {
	if actor == "" {
		actor = User
	}
	return &Client{c: c, actor: actor}
}

// Create creates one object, with the checks CreateObjects makes first:
// the kind is served, the namespace exists, the object is valid, and its
// encoding is within the apiserver's request limit.
func (cl *Client) Create(obj objects.Object) (objects.Object, error) {
	if err := cl.c.precheck([]objects.Object{obj}, false); err != nil {
		return nil, err
	}
	if err := checkRequestSize(obj); err != nil {
		return nil, err
	}
	return cl.c.write(cl.actor, controllers.Action{Verb: controllers.Create, Object: obj})
}

// Update replaces an object, as a PUT does.
func (cl *Client) Update(obj objects.Object) (objects.Object, error) {
	return cl.c.write(cl.actor, controllers.Action{Verb: controllers.Update, Object: obj})
}

// UpdateStatus replaces an object's status, as a PUT to /status does.
func (cl *Client) UpdateStatus(obj objects.Object) (objects.Object, error) {
	return cl.c.write(cl.actor, controllers.Action{Verb: controllers.UpdateStatus, Object: obj})
}

// Delete deletes the object named by key with opts.
func (cl *Client) Delete(key objects.Key, opts storage.DeleteOptions) (objects.Object, error) {
	return cl.c.write(cl.actor, controllers.Action{Verb: controllers.Delete, Key: key, DeleteOptions: opts})
}

// Process is a command started in a container by StartExec. It runs live:
// as the cluster's virtual time passes (whoever moves it), the command
// runs up to that time, its writes landing in the container's files and
// its output growing. It is not safe for concurrent use.
type Process struct {
	c       *Cluster
	s       *kubelet.Session
	wake    *clock.Timer
	done    bool
	code    int
	stopped bool
}

// StartExec starts a command in a running container, as `kubectl exec`
// does, without waiting for it: unlike Exec, which lets the cluster's time
// pass until the command ends, it leaves the clock to its caller. The
// errors are Exec's. An empty container name means the pod's first
// container.
func (c *Cluster) StartExec(namespace, pod, container string, argv []string, stdin string) (*Process, error) {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return nil, err
	}
	if _, down := c.machines.down[k.NodeName()]; down {
		return nil, fmt.Errorf("error dialing backend: dial tcp %s:10250: connect: no route to host", k.NodeName())
	}
	s, err := k.Exec(key, name, argv, stdin, c.clock.Now())
	if err != nil {
		return nil, err
	}
	c.execs++
	s.RunUntil(c.clock.Now())
	if msg := s.StartError(); msg != "" {
		return nil, fmt.Errorf("Internal error occurred: error executing command in container: "+
			"failed to exec in container: failed to start exec %q: OCI runtime exec failed: exec failed: "+
			"unable to start container process: %s: unknown", c.execID(key, name), msg)
	}
	p := &Process{c: c, s: s}
	p.step()
	return p, nil
}

// step runs the command up to now and schedules its next wake.
func (p *Process) step() {
	if p.done {
		return
	}
	now := p.c.clock.Now()
	p.s.RunUntil(now)
	if code, at, ok := p.s.Done(); ok {
		if at.After(now) {
			p.schedule(at)
			return
		}
		p.done, p.code = true, code
		return
	}
	if wake, ok := p.s.NextWake(); ok {
		p.schedule(wake)
	}
}

// schedule runs step at t.
func (p *Process) schedule(t time.Time) {
	if p.wake != nil {
		p.wake.Stop()
	}
	p.wake = p.c.clock.At(t, p.step)
}

// Output returns every line the command printed up to now.
func (p *Process) Output() []string {
	p.step()
	return lines(p.s.Output())
}

// Done reports whether the command has ended and its exit status; a
// command killed with its container ends with 137.
func (p *Process) Done() (int, bool) {
	p.step()
	return p.code, p.done
}

// Kill stops the command, as a closed kubectl exec does.
func (p *Process) Kill() {
	if p.done {
		return
	}
	if p.wake != nil {
		p.wake.Stop()
	}
	p.s.Kill()
	p.done, p.code, p.stopped = true, 137, true
}
