package sim

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Change is one store change as an observer sees it: when it happened, who
// made it (a controller's name, "kubectl", a kubelet), and the watch event.
// The event's object is shared with the store and must not be changed.
type Change struct {
	At    time.Time
	Actor string
	Event storage.WatchEvent
	// Seen is, for a controller's write, the store revision its view of
	// the reconciled object's kind held when it decided on the write:
	// older than the store's when that informer lagged (a fault), so an
	// invariant can tell a decision made on a stale view from one made
	// against what it could see. Zero for everyone else's changes
	// (users, kubelets, events).
	Seen int64
	// Lagging is, for a controller's write decided while its informer
	// held changes back (a stale or delay fault), the revision its cache
	// held of each kind it lagged on; nil when it lagged on none. An
	// object created or changed after that revision was in neither the
	// controller's caches nor what it built from them (the garbage
	// collector's graph of owners and dependents), whatever view it read
	// the reconciled object from. Shared by the writes of one reconcile:
	// it must not be changed.
	Lagging map[string]int64
}

// Observe calls fn with every store change from now on, in order, as it
// happens (Events included). Property checkers use it for invariants over
// time: ordering, monotonicity, who deleted what. fn must not write to the
// cluster.
func (c *Cluster) Observe(fn func(Change)) { c.observers = append(c.observers, fn) }

// notify tells the observers of a change.
func (c *Cluster) notify(ev storage.WatchEvent) {
	if len(c.observers) == 0 {
		return
	}
	ch := Change{At: c.clock.Now(), Actor: c.actor, Event: ev, Seen: c.actorView, Lagging: c.actorLagging}
	for _, fn := range c.observers {
		fn(ch)
	}
}

// verifyUnchanged panics when Config.CheckMutations is on and a stored
// object was changed since it was stored; who names what ran last.
func (c *Cluster) verifyUnchanged(who string) {
	if err := c.store.VerifyUnchanged(); err != nil {
		panic(fmt.Sprintf("sim: %v (found after %s)", err, who))
	}
}

// mutationCheckEveryReconcile bounds the store size up to which
// CheckMutations checks after every reconcile (it compares every object,
// so the cost grows with the store); beyond it, it checks before every
// write from the API and at VerifyUnchanged.
const mutationCheckEveryReconcile = 300

// verifyAfterReconcile is verifyUnchanged after ctrl reconciled key, while
// the store is small enough for a check per reconcile.
func (c *Cluster) verifyAfterReconcile(ctrl controllers.Controller, key objects.Key) {
	if c.cfg.CheckMutations && c.store.Len() <= mutationCheckEveryReconcile {
		c.verifyUnchanged(ctrl.Name() + " reconciling " + key.String())
	}
}

// VerifyUnchanged checks, with Config.CheckMutations on, that no stored
// object was changed since it was stored, and returns an error naming the
// first that was. It returns nil when the check is off.
func (c *Cluster) VerifyUnchanged() error {
	if err := c.store.VerifyUnchanged(); err != nil {
		return fmt.Errorf("sim: %v", err)
	}
	return nil
}

// Close stops every process the cluster's machines run (containers, exec
// sessions), releasing the coroutines they hold. A cluster is of no
// further use afterwards. A program that makes many clusters (a property
// checker, a test suite) should Close each: a running process's coroutine
// keeps its cluster in memory.
func (c *Cluster) Close() {
	if c.onClose != nil {
		stop := c.onClose
		c.onClose = nil
		stop()
	}
	for _, name := range c.kubeletNames() {
		c.kubelets[name].Close()
	}
}

// kubeletNames lists the machines in configuration order.
func (c *Cluster) kubeletNames() []string {
	names := make([]string, 0, len(c.cfg.Nodes))
	for _, n := range c.cfg.Nodes {
		if c.kubelets[n.Name] != nil {
			names = append(names, n.Name)
		}
	}
	return names
}

// verifyUnwatched panics when Config.CheckMutations is on and l's
// controller maps a change of a kind it says it does not watch to keys:
// routing by kind (controllers.KindWatcher) would lose that reconcile.
func (c *Cluster) verifyUnwatched(l *loop, ev storage.WatchEvent) {
	if !c.cfg.CheckMutations || ev.Object.GetTypeMeta().Kind == eventKind {
		return
	}
	if keys := l.ctrl.KeysFor(ev, c.viewFor(l)); len(keys) > 0 {
		panic(fmt.Sprintf("sim: %s maps a change of %s, a kind it does not list in WatchedKinds, to %v",
			l.ctrl.Name(), objects.KeyOf(ev.Object), keys))
	}
}
