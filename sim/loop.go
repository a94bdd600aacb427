package sim

import (
	"sort"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// loop is one controller's work queue: each key at most once, at the
// earliest time anyone asked for it.
type loop struct {
	ctrl     controllers.Controller
	queued   map[objects.Key]*clock.Timer
	failures map[objects.Key]int
	down     bool
	// parked holds keys that fell due while the controller was down.
	parked map[objects.Key]bool
	// relisting is set while a relist after lost watch events is pending.
	relisting bool
}

func newLoop(ctrl controllers.Controller) *loop {
	return &loop{ctrl: ctrl, queued: map[objects.Key]*clock.Timer{},
		failures: map[objects.Key]int{}, parked: map[objects.Key]bool{}}
}

// enqueue asks for key to be reconciled by l at time at, unless it already
// is at that time or earlier.
func (c *Cluster) enqueue(l *loop, key objects.Key, at time.Time) {
	if t, ok := l.queued[key]; ok {
		if !t.When().After(at) {
			return
		}
		t.Stop()
	}
	l.queued[key] = c.clock.At(at, func() { c.process(l, key) })
}

// process reconciles key with l's controller and applies the result.
func (c *Cluster) process(l *loop, key objects.Key) {
	delete(l.queued, key)
	if l.down {
		l.parked[key] = true
		return
	}
	view, stale := c.viewFor(l)
	res := l.ctrl.Reconcile(c.clock.Now(), view, key)
	c.apply(l, key, res)
	if stale {
		// The informer catches up: look again once the view is fresh.
		c.enqueue(l, key, c.clock.Now().Add(c.cfg.Faults.staleFor()))
	}
}

// Upstream's default controller rate limiter retries a failing key after
// 5ms, doubling up to 1000s (client-go workqueue.DefaultControllerRateLimiter).
const (
	retryBase = 5 * time.Millisecond
	retryMax  = 1000 * time.Second
)

func retryDelay(failures int) time.Duration {
	d := retryBase
	for i := 1; i < failures && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// apply carries out a reconcile's result: its writes in order (stopping at
// the first failure, or where a crash fault strikes), its events, and its
// requeue request.
func (c *Cluster) apply(l *loop, key objects.Key, res controllers.Result) {
	name := l.ctrl.Name()
	crashAt := c.crashPoint(name, key, len(res.Actions))
	failed := false
	for i, a := range res.Actions {
		if i == crashAt {
			c.traceNote(name, "crashed after %d of %d writes reconciling %s", i, len(res.Actions), key)
			// A crashed controller loses the rest of its decision; when it
			// comes back it resyncs, which the requeue stands for.
			c.enqueue(l, key, c.clock.Now().Add(crashRestartDelay))
			return
		}
		written, err := c.write(name, a)
		if a.Then != nil {
			c.events.recordAll(l.ctrl, a.Then(written, err))
		}
		if err != nil {
			c.traceNote(name, "%s %s failed: %v", a.Verb, actionKey(a), err)
			failed = true
			break
		}
	}
	c.events.recordAll(l.ctrl, res.Events)
	now := c.clock.Now()
	switch {
	case failed:
		l.failures[key]++
		c.enqueue(l, key, now.Add(retryDelay(l.failures[key])))
	case res.RequeueAfter > 0:
		delete(l.failures, key)
		c.enqueue(l, key, now.Add(res.RequeueAfter))
	default:
		delete(l.failures, key)
	}
}

// crashRestartDelay is how long a crashed controller takes to come back.
const crashRestartDelay = 10 * time.Second

// actionKey names the object an action writes.
func actionKey(a controllers.Action) objects.Key {
	if a.Verb == controllers.Delete {
		return a.Key
	}
	return objects.KeyOf(a.Object)
}

// write performs one store write on behalf of actor and dispatches the
// resulting watch events.
func (c *Cluster) write(actor string, a controllers.Action) (objects.Object, error) {
	prev := c.actor
	c.actor = actor
	defer func() { c.actor = prev }()
	out, err := controllers.Perform(c.store, a)
	c.dispatch()
	return out, err
}

// dispatch drains the store's watch stream: each change is traced and
// offered to every controller, in registration order.
func (c *Cluster) dispatch() {
	for _, ev := range c.store.DrainEvents() {
		c.traceChange(ev)
		c.views.record(c.store, c.clock.Now())
		for _, l := range c.loops {
			if c.dropsEvent(l.ctrl.Name(), ev) {
				c.traceNote(l.ctrl.Name(), "missed %s of %s", eventVerb(ev.Type), objects.KeyOf(ev.Object))
				c.relistLater(l)
				continue
			}
			for _, key := range l.ctrl.KeysFor(ev, c.store) {
				c.enqueue(l, key, c.clock.Now())
			}
		}
	}
}

// viewFor returns the store view l's controller reconciles against: the
// live store, or an older snapshot when a stale-read fault says so.
func (c *Cluster) viewFor(l *loop) (storage.Reader, bool) {
	if lag := c.staleness(l.ctrl.Name()); lag > 0 {
		return c.views.ago(lag, c.cfg.Faults.staleFor(), c.clock.Now(), c.store)
	}
	return c.store, false
}

// SetControllerDown stops (down=true) or restarts the controller called
// name, or every controller of kube-controller-manager when name is "all"
// (the scheduler and kubelets keep running, as they do when only the
// controller manager is down). A stopped controller's due
// work is parked; on restart every parked key is reconciled at once, as a
// restarted kube-controller-manager resyncs. It reports whether any
// controller matched.
func (c *Cluster) SetControllerDown(name string, down bool) bool {
	matched := false
	for _, l := range c.loops {
		if name == "all" && controllers.ComponentOf(l.ctrl) != controllers.ControllerManager ||
			name != "all" && l.ctrl.Name() != name {
			continue
		}
		matched = true
		if l.down == down {
			continue
		}
		l.down = down
		if down {
			c.traceNote(l.ctrl.Name(), "stopped")
			continue
		}
		c.traceNote(l.ctrl.Name(), "started")
		keys := make([]objects.Key, 0, len(l.parked))
		for k := range l.parked {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
		l.parked = map[objects.Key]bool{}
		for _, k := range keys {
			c.enqueue(l, k, c.clock.Now())
		}
	}
	return matched
}

// ControllerNames lists the controllers in the order they are offered work.
func (c *Cluster) ControllerNames() []string {
	out := make([]string, len(c.loops))
	for i, l := range c.loops {
		out[i] = l.ctrl.Name()
	}
	return out
}

// relistDelay is how long a controller's informer takes to notice a broken
// watch and list again (client-go's reflector backs off about a second).
const relistDelay = time.Second

// relistLater schedules a relist for a controller that lost watch events:
// as a reflector does after a broken watch, it lists everything again and
// the controller sees every object as changed, so a lost event delays a
// reaction but does not erase it.
func (c *Cluster) relistLater(l *loop) {
	if l.relisting {
		return
	}
	l.relisting = true
	c.clock.AfterFunc(relistDelay, func() {
		l.relisting = false
		c.traceNote(l.ctrl.Name(), "relisted after lost watch events")
		var keys []objects.Key
		c.store.ScanAll(func(obj objects.Object) bool {
			ev := storage.WatchEvent{Type: storage.Modified, Object: obj.DeepCopyObject(), Old: obj.DeepCopyObject()}
			keys = append(keys, l.ctrl.KeysFor(ev, c.store)...)
			return true
		})
		for _, key := range keys {
			c.enqueue(l, key, c.clock.Now())
		}
	})
}
