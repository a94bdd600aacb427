package sim

import (
	"slices"
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
	ctrl   controllers.Controller
	queued map[objects.Key]*queuedKey
	// spare are queue entries that ran, kept to queue keys again: a pod
	// is queued some twenty times in its life.
	spare    []*queuedKey
	failures map[objects.Key]int
	down     bool
	// parked holds keys that fell due while the controller was down.
	parked map[objects.Key]bool
	// relisting is set while a relist after lost watch events is pending.
	relisting bool
	// bucket is the controller's API client rate limiter (nil: none).
	bucket *tokenBucket
	// busy holds the reconciles whose writes wait for client tokens, by
	// key: a worker blocked in its sync.
	busy map[objects.Key]*inflight
	// limit is the client's rate limit, for the fresh client of a restart.
	limit ClientLimit
	// build makes the controller anew for a restart (nil: a kubelet,
	// which is not restarted).
	build func() controllers.Controller
	// epoch counts restarts: work scheduled by an earlier incarnation
	// (a blocked write, a relist) is dropped when it falls due.
	epoch int
	// inf is the controller's informer, and faults the faults a scenario
	// injected into it.
	inf    informer
	faults injected
	// kinds are the kinds the controller watches (controllers.KindWatcher);
	// nil: every kind but Events, or with Events too when events is set.
	kinds  []string
	events bool
}

func newLoop(ctrl controllers.Controller, bucket *tokenBucket) *loop {
	l := &loop{queued: map[objects.Key]*queuedKey{},
		failures: map[objects.Key]int{}, parked: map[objects.Key]bool{},
		bucket: bucket, busy: map[objects.Key]*inflight{}}
	l.setController(ctrl)
	return l
}

// setController makes ctrl l's controller and notes what it watches.
func (l *loop) setController(ctrl controllers.Controller) {
	l.ctrl = ctrl
	l.kinds = controllers.WatchedKinds(ctrl)
	l.events = controllers.WatchesEvents(ctrl)
}

// watches reports whether l's informers watch kind: whether a change of
// kind can make it reconcile anything.
func (l *loop) watches(kind string) bool {
	if l.kinds == nil {
		return kind != eventKind || l.events
	}
	return slices.Contains(l.kinds, kind)
}

const eventKind = "Event"

// enqueue asks for key to be reconciled by l at time at, unless it already
// is at that time or earlier. A key whose last reconcile is still writing
// is not reconciled again before those writes are done: as client-go's
// work queue holds a key re-added while a worker processes it, the
// request waits for the reconcile to finish.
func (c *Cluster) enqueue(l *loop, key objects.Key, at time.Time) {
	if f := l.busy[key]; f != nil {
		f.again(at)
		return
	}
	if t, ok := l.queued[key]; ok {
		if !t.When().After(at) {
			return
		}
		// Wanted sooner: the same entry moves, in the place a new one
		// would take.
		t.Stop()
		c.clock.Schedule(&t.Timer, at, t)
		return
	}
	q := l.entry()
	q.c, q.l, q.key = c, l, key
	c.clock.Schedule(&q.Timer, at, q)
	l.queued[key] = q
}

// queuedKey is one key in a loop's queue: its clock timer and the work
// the timer runs, in one allocation, used again once it ran.
type queuedKey struct {
	clock.Timer
	c   *Cluster
	l   *loop
	key objects.Key
}

// Run reconciles the key, then gives the entry back to its loop.
func (q *queuedKey) Run() {
	q.c.process(q.l, q.key)
	*q = queuedKey{l: q.l}
	q.l.spare = append(q.l.spare, q)
}

// entry returns a spare queue entry, or a new one.
func (l *loop) entry() *queuedKey {
	if n := len(l.spare); n > 0 {
		q := l.spare[n-1]
		l.spare = l.spare[:n-1]
		return q
	}
	return new(queuedKey)
}

// process reconciles key with l's controller and applies the result.
func (c *Cluster) process(l *loop, key objects.Key) {
	delete(l.queued, key)
	if l.down {
		l.parked[key] = true
		return
	}
	view := c.reconcileView(l)
	res := l.ctrl.Reconcile(c.clock.Now(), view, key)
	c.verifyAfterReconcile(l.ctrl, key)
	c.apply(l, key, res, viewRevision(view, key.Kind), l.inf.lagging())
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

// apply carries out a reconcile's result: its writes in order (stopping
// after the batch of the first failure, or where a crash fault strikes),
// its events, and its requeue request. Each write takes a token from the
// controller's client rate limiter; a write that finds none waits for one,
// and the rest of the result is carried out when it comes (see inflight).
// viewRV is the revision of the view the reconcile decided on (Change.Seen),
// lagging what its informer lagged on (Change.Lagging).
func (c *Cluster) apply(l *loop, key objects.Key, res controllers.Result, viewRV int64, lagging map[string]int64) {
	// On the stack unless it must wait for a token (block keeps a copy).
	f := inflight{key: key, res: res, crashAt: c.crashPoint(l, key, len(res.Actions)), viewRV: viewRV, lagging: lagging}
	c.proceed(l, &f)
}

// proceed performs f's writes from the next one on until one must wait for
// a token, then finishes the reconcile once all are done.
func (c *Cluster) proceed(l *loop, f *inflight) {
	name := l.ctrl.Name()
	acts := f.res.Actions
	for ; f.next < len(acts); f.next++ {
		i := f.next
		if i == f.crashAt {
			c.traceNote(name, "crashed after %d of %d writes reconciling %s", i, len(acts), f.key)
			// A crashed controller loses the rest of its decision; when it
			// comes back it resyncs, which the requeue stands for.
			c.release(l, f)
			c.enqueue(l, f.key, c.clock.Now().Add(crashRestartDelay))
			return
		}
		if !f.reserved {
			f.reserved = true
			if wait := l.bucket.reserve(c.clock.Now()); wait > 0 {
				c.block(l, f, wait)
				return
			}
		}
		f.reserved = false
		a := acts[i]
		c.actorView, c.actorLagging = f.viewRV, f.lagging
		written, err := c.perform(l, a)
		c.actorView, c.actorLagging = 0, nil
		if a.Then != nil {
			c.events.recordAll(l.ctrl, a.Then(written, err))
		}
		if err != nil {
			c.traceNote(name, "%s %s failed: %v", a.Verb, actionKey(a), err)
			f.failed = true
		}
		if f.failed && !sameBatch(acts, i) {
			break
		}
	}
	c.release(l, f)
	c.finish(l, f)
}

// sameBatch reports whether the action after acts[i] belongs to its batch.
func sameBatch(acts []controllers.Action, i int) bool {
	return i+1 < len(acts) && acts[i].Batch != 0 && acts[i+1].Batch == acts[i].Batch
}

// block parks a copy of f until its reserved token arrives, wait from now.
func (c *Cluster) block(l *loop, blocked *inflight, wait time.Duration) {
	w := &waiting{c: c, l: l, epoch: l.epoch, f: *blocked}
	f := &w.f
	// The key is busy until the result is carried out: a reconcile of it
	// asked for by the writes so far, or later, waits for the worker.
	if q, ok := l.queued[f.key]; ok {
		f.again(q.When())
		q.Stop()
		delete(l.queued, f.key)
		*q = queuedKey{l: l}
		l.spare = append(l.spare, q)
	}
	l.busy[f.key] = f
	c.clock.Schedule(&w.Timer, c.clock.Now().Add(max(wait, 0)), w)
}

// waiting is a reconcile's result waiting for a client token: the timer
// that wakes it and the work it resumes, in one allocation.
type waiting struct {
	clock.Timer
	c     *Cluster
	l     *loop
	epoch int
	f     inflight
}

// Run resumes the writes once the token has come.
func (w *waiting) Run() {
	c, l, f := w.c, w.l, &w.f
	if l.epoch != w.epoch {
		return // the controller restarted: this worker is gone
	}
	if l.down {
		// kube-controller-manager stopped with the worker blocked: the
		// process and its unsent writes are gone; it resyncs on restart.
		c.traceNote(l.ctrl.Name(), "stopped with %d of %d writes unsent reconciling %s",
			len(f.res.Actions)-f.next, len(f.res.Actions), f.key)
		c.release(l, f)
		l.parked[f.key] = true
		return
	}
	c.proceed(l, f)
}

// release ends f's hold on its key and queues any reconcile asked for
// while it was writing.
func (c *Cluster) release(l *loop, f *inflight) {
	if l.busy[f.key] != f {
		return
	}
	delete(l.busy, f.key)
	if f.wanted {
		c.enqueue(l, f.key, maxTime(f.wantedAt, c.clock.Now()))
	}
}

// finish records f's events and queues the retry or requeue it asks for.
func (c *Cluster) finish(l *loop, f *inflight) {
	key := f.key
	c.events.recordAll(l.ctrl, f.res.Events)
	now := c.clock.Now()
	switch {
	case f.failed:
		l.failures[key]++
		c.enqueue(l, key, now.Add(retryDelay(l.failures[key])))
	case f.res.RequeueAfter > 0:
		delete(l.failures, key)
		c.enqueue(l, key, now.Add(f.res.RequeueAfter))
	default:
		delete(l.failures, key)
	}
}

// inflight is one reconcile's result being carried out: the writes done so
// far, and whether the key was asked for again meanwhile.
type inflight struct {
	key     objects.Key
	res     controllers.Result
	crashAt int
	viewRV  int64 // the revision of the view it was decided on
	// lagging is what the controller's informer lagged on when it decided
	// (Change.Lagging).
	lagging map[string]int64
	// next is the index of the next write; reserved says its token is
	// already taken (the write waited for it).
	next     int
	reserved bool
	failed   bool
	// wanted and wantedAt record the earliest reconcile of the key asked
	// for while the writes were under way.
	wanted   bool
	wantedAt time.Time
}

// again remembers a request to reconcile f's key at at, once f is done.
func (f *inflight) again(at time.Time) {
	if !f.wanted || at.Before(f.wantedAt) {
		f.wanted, f.wantedAt = true, at
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// crashRestartDelay is how long a crashed controller takes to come back.
const crashRestartDelay = 10 * time.Second

// actionKey names the object an action writes: deletes and binds name it
// by key, the other verbs carry it.
func actionKey(a controllers.Action) objects.Key {
	if a.Verb == controllers.Delete || a.Object == nil {
		return a.Key
	}
	return objects.KeyOf(a.Object)
}

// perform carries out one of l's writes, or fails it as an error fault
// says, without reaching the store.
func (c *Cluster) perform(l *loop, a controllers.Action) (objects.Object, error) {
	if err := c.injectedError(l, a); err != nil {
		return nil, err
	}
	return c.write(l.ctrl.Name(), a)
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
// offered to every controller, in registration order. While some
// informer lags, the store is snapshotted once per drain: the view the
// changes lead to.
func (c *Cluster) dispatch() {
	// The drained slice becomes the store's next buffer once its changes
	// are offered; a dispatch nested in this one (an observer writing)
	// finds no spare and drains into a new one.
	evs := c.store.DrainEventsInto(c.drained)
	c.drained = nil
	defer func() { c.drained = evs }()
	if len(evs) == 0 {
		return
	}
	var view, before storage.Reader
	if c.anyLags() {
		view, before = c.store.Snapshot(), c.lastView
		if before == nil {
			before = view
		}
		c.lastView = view
	} else {
		c.lastView = nil
	}
	straight := c.allPassStraight(view)
	for _, ev := range evs {
		c.traceChange(ev)
		c.notify(ev)
		kind := ev.Object.GetTypeMeta().Kind
		if straight {
			for _, l := range c.routeFor(kind) {
				c.offer(l, ev, view, before)
			}
			continue
		}
		for _, l := range c.loops {
			if !l.watches(kind) && c.passesStraight(l, kind, view) {
				c.verifyUnwatched(l, ev)
				continue
			}
			c.offer(l, ev, view, before)
		}
	}
	// Each Event written gets its TTL once the controllers have had the
	// change: where the recorder, once the only writer of Events to get
	// one, reserved it.
	for _, ev := range evs {
		if ev.Object.GetTypeMeta().Kind == eventKind {
			c.events.leased(ev)
		}
	}
}

// allPassStraight reports whether every change of any kind passes
// straight to the KeysFor of every loop (see passesStraight): no informer
// lags (view is nil), none lost its watch or drops changes. Then a change
// need reach only the loops that watch its kind. With CheckMutations on it
// is false, so that the skipped loops are checked (verifyUnwatched).
func (c *Cluster) allPassStraight(view storage.Reader) bool {
	if view != nil || c.cfg.CheckMutations {
		return false
	}
	if !c.mayLag {
		return true // no fault: nothing closes a watch or drops a change
	}
	for _, l := range c.loops {
		if !c.losesNothing(l) {
			return false
		}
	}
	return true
}

// losesNothing reports whether l's watch neither is closed nor drops
// changes (a drop counter, a DropEvent fault).
func (c *Cluster) losesNothing(l *loop) bool {
	return !l.inf.closed && l.faults.drop == 0 && (c.cfg.Faults == nil || c.cfg.Faults.DropEvent == nil)
}

// routeFor returns the loops that watch kind, in registration order.
func (c *Cluster) routeFor(kind string) []*loop {
	if c.routed != len(c.loops) {
		c.routes, c.routed = map[string][]*loop{}, len(c.loops)
	}
	route, ok := c.routes[kind]
	if !ok {
		for _, l := range c.loops {
			if l.watches(kind) {
				route = append(route, l)
			}
		}
		c.routes[kind] = route
	}
	return route
}

// passesStraight reports whether offering a change of kind to l would
// hand it straight to l's KeysFor, no fault or lag intervening. A change
// of a kind l does not watch is then skipped: KeysFor would map it to
// nothing (controllers.KindWatcher), and offering it to all two dozen
// controllers cost more than most of their work. Where a fault stands
// between (a closed watch, a drop counter, a lagging informer), the
// change still goes through the informer as it did before routing, so
// the faults count and hold changes as they always have. Events are the
// exception: no controller but the binder ever saw them.
func (c *Cluster) passesStraight(l *loop, kind string, view storage.Reader) bool {
	if kind == eventKind {
		return true
	}
	return c.losesNothing(l) && (view == nil || !c.holdsBack(l, kind))
}

// offer hands one change to l's informer: lost (a closed watch, a drop
// fault), held back (a lagging informer), or delivered at once.
func (c *Cluster) offer(l *loop, ev storage.WatchEvent, view, before storage.Reader) {
	switch {
	case l.inf.closed:
		l.inf.noteLost(ev)
	case c.dropsEvent(l, ev):
		c.traceNote(l.ctrl.Name(), "missed %s of %s", eventVerb(ev.Type), objects.KeyOf(ev.Object))
		l.inf.noteLost(ev)
		c.relistLater(l)
	case view != nil && c.holdsBack(l, ev.Object.GetTypeMeta().Kind):
		c.hold(l, ev, view, before)
	default:
		c.enqueueKeysFor(l, ev, c.viewFor(l))
	}
}

// enqueueKeysFor queues the keys l's controller maps ev to, read in view,
// each as soon as the controller wants it (controllers.Batcher).
func (c *Cluster) enqueueKeysFor(l *loop, ev storage.WatchEvent, view storage.Reader) {
	now := c.clock.Now()
	for _, key := range l.ctrl.KeysFor(ev, view) {
		c.enqueue(l, key, controllers.WantedAt(l.ctrl, ev, key, now))
	}
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
	epoch := l.epoch
	c.clock.AfterFunc(relistDelay, func() {
		if l.epoch != epoch {
			return // a restart relisted already
		}
		l.relisting = false
		c.traceNote(l.ctrl.Name(), "relisted after lost watch events")
		c.relist(l)
	})
}

// relist replaces l's informer cache with the live store, as a
// reflector's list and Replace do: the changes it still held are
// dropped, an object it knew and the list lacks is reported deleted, one
// it did not know added, and every other one updated from what its cache
// held; the keys all that asks for are queued.
func (c *Cluster) relist(l *loop) {
	in := &l.inf
	var cache storage.Reader // nil: the informer was caught up
	if slices.ContainsFunc(in.streams, func(s *stream) bool { return s.view != nil }) {
		cache = c.viewFor(l)
	}
	for _, s := range in.streams {
		for _, h := range s.pending {
			in.noteLost(h.ev)
		}
	}
	lost := in.lostDeletes
	in.reset()
	// The keys are queued once all are known, each as soon as the
	// controller wants it after the change that asked for it (a Job
	// controller batches pod changes, as its handlers do on a Replace).
	type queued struct {
		key objects.Key
		at  time.Time
	}
	var keys []queued
	now := c.clock.Now()
	note := func(ev storage.WatchEvent) {
		for _, key := range l.ctrl.KeysFor(ev, c.store) {
			keys = append(keys, queued{key, controllers.WantedAt(l.ctrl, ev, key, now)})
		}
	}
	for _, obj := range lost {
		if _, err := c.store.Get(objects.KeyOf(obj)); err == nil {
			continue // listed again under its name: Replace reports an update
		}
		note(storage.WatchEvent{Type: storage.Deleted, Object: obj})
	}
	c.store.ScanAll(func(obj objects.Object) bool {
		ev := storage.WatchEvent{Type: storage.Modified, Object: obj.DeepCopyObject(), Old: obj.DeepCopyObject()}
		if cache != nil {
			if old, err := cache.Get(objects.KeyOf(obj)); err == nil {
				ev.Old = old
			} else {
				ev.Type, ev.Old = storage.Added, nil
			}
		}
		note(ev)
		return true
	})
	for _, q := range keys {
		c.enqueue(l, q.key, q.at)
	}
}
