package sim

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// RestartController restarts the controller called name, or every
// controller of kube-controller-manager when name is "all", as a crash of
// kube-controller-manager or a change of its leader does: the controller
// is built anew, so whatever it kept between reconciles (its record of
// its own writes, back-off records, indexes built from watch events) is
// lost; its work queue, pending retries and unsent writes go with the old
// process; it gets a fresh API client, and an informer that lists the
// live store and tells it of every object as added, so it resyncs
// everything. A stopped controller comes back up. Injected faults stay:
// they belong to the controller's surroundings, not to its process.
//
// A kubelet is a node's agent, not a controller, and is refused (take its
// node down and up instead), as is a controller added with AddController,
// which kubesim cannot build anew.
func (c *Cluster) RestartController(name string) error {
	matched := false
	for _, l := range c.loops {
		if name == "all" && controllers.ComponentOf(l.ctrl) != controllers.ControllerManager ||
			name != "all" && l.ctrl.Name() != name {
			continue
		}
		if l.build == nil && name == "all" {
			continue // a controller of the caller's own (AddController), not kube-controller-manager's
		}
		if l.build == nil {
			return notRestartable(l)
		}
		matched = true
		c.restart(l)
	}
	if !matched {
		return fmt.Errorf("no controller named %q (have: %s)", name, strings.Join(c.ControllerNames(), ", "))
	}
	return nil
}

// restart replaces l's controller with a new one and resyncs it.
func (c *Cluster) restart(l *loop) {
	unsent := 0
	for _, f := range l.busy {
		unsent += len(f.res.Actions) - f.next
	}
	for _, t := range l.queued {
		t.Stop()
	}
	l.epoch++
	l.queued = map[objects.Key]*queuedKey{}
	l.failures = map[objects.Key]int{}
	l.parked = map[objects.Key]bool{}
	l.busy = map[objects.Key]*inflight{}
	l.down, l.relisting = false, false
	l.inf.reset()
	l.bucket = newTokenBucket(l.limit, c.clock.Now())
	l.setController(l.build())
	c.routes, c.routed = nil, 0 // the new controller's kinds
	c.traceNote(l.ctrl.Name(), "restarted (in-memory state lost, %d writes unsent); relisting", unsent)
	var keys []objects.Key
	c.store.ScanAll(func(obj objects.Object) bool {
		ev := storage.WatchEvent{Type: storage.Added, Object: obj.DeepCopyObject()}
		keys = append(keys, l.ctrl.KeysFor(ev, c.store)...)
		return true
	})
	for _, key := range keys {
		c.enqueue(l, key, c.clock.Now())
	}
}

// notRestartable explains why l's controller cannot be restarted.
func notRestartable(l *loop) error {
	name := l.ctrl.Name()
	if controllers.ComponentOf(l.ctrl) == controllers.Kubelet {
		return fmt.Errorf("%s is a node's agent, not a controller: it cannot be restarted (node down/up)", name)
	}
	return fmt.Errorf("%s was added with AddController: kubesim cannot build it anew", name)
}
