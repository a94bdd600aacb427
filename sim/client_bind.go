package sim

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
