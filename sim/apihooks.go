package sim

// Hooks for an API server in front of the cluster (package serve): writes
// and questions its clients have that the scenario language does not.

import (
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// Bind assigns a pending pod to a node as actor's write, as a POST to the
// pod's binding subresource does: a scheduler of the user's own, outside
// the simulation, binds through the API server this way. The errors are
// the store's (the pod already bound, being deleted, or missing).
func (cl *Client) Bind(key objects.Key, nodeName string) (objects.Object, error) {
	return cl.c.write(cl.actor, controllers.Action{Verb: controllers.Bind, Key: key, NodeName: nodeName})
}

// The control-plane components ComponentDown takes, for callers outside
// the core (an API server) that do not import controllers.
const (
	ControllerManager = controllers.ControllerManager
	Scheduler         = controllers.Scheduler
)

// ComponentDown reports whether every controller of component
// (ControllerManager, Scheduler) is stopped, as
// `controller down all` stops the controller manager: an API server's
// componentstatuses probe then finds it gone.
func (c *Cluster) ComponentDown(component string) bool {
	found := false
	for _, l := range c.loops {
		if controllers.ComponentOf(l.ctrl) != component {
			continue
		}
		found = true
		if !l.down {
			return false
		}
	}
	return found
}
