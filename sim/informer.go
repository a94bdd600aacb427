package sim

import (
	"slices"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// informer is one controller's watch on the store, as client-go's
// informers are: for each kind of object, the changes it has been told of,
// in order, and the cache they add up to. A healthy informer is told of
// every change as it happens and its cache is the live store. A lagging
// one (a stale or delay fault) holds the newest changes of a kind back in
// that kind's stream: what the controller reads of the kind is the store
// as it was after the last change of it that arrived, a view that is old
// but consistent, and that never goes back in time. Each held change is
// handed to the controller's KeysFor when it arrives, with the view it
// leads to, so what a controller reacts to and what it reads agree.
//
// Upstream, a controller has one informer per resource, each with a watch
// of its own, consistent in itself but not with the others: one resource's
// informer may lag while another's is current, which is how a Job
// controller hears of its own status update before its pod informer shows
// the pods it just created (kubernetes#27997). So each kind lags on its
// own.
type informer struct {
	// streams are the watches with changes on their way, or a fault that
	// holds changes back, one per kind, in the order they were needed. Nil
	// when the informer is current.
	streams []*stream
	// closed is set when the apiserver closed the watch of an informer
	// too far behind (maxBacklog): every change is lost until it relists.
	closed bool
	// lostDeletes are deleted objects whose deletion the informer missed
	// (a lost event, a closed watch): its relist tells the controller of
	// them, as a reflector's Replace reports objects gone from the list.
	lostDeletes []objects.Object
}

// stream is the watch of one kind of object of a lagging informer.
type stream struct {
	kind string
	// pending are the changes on their way, oldest first.
	pending []heldEvent
	// view is the cache of the stream's kind while changes are pending:
	// the store after the last change delivered.
	view storage.Reader
	// wake delivers the next held change when its time comes.
	wake *clock.Timer
}

// heldEvent is a change on its way to a lagging informer.
type heldEvent struct {
	ev storage.WatchEvent
	// view is the store just after the change: what the controller's
	// cache holds once the change is delivered.
	view storage.Reader
	// at is when the change happened, and readyAt when a delay fault lets
	// it arrive (zero: as soon as the changes before it have).
	at, readyAt time.Time
}

// MaxStaleDepth is the deepest stale view a fault may ask for, in store
// changes.
const MaxStaleDepth = 1000

// maxBacklog is how many changes a watch may have on their way before the
// apiserver gives up on it: upstream's watch cache closes the watch of a
// client that does not keep up ("Forcing watcher close due to
// unresponsiveness"), and the reflector lists again. It bounds the
// snapshots a lagging informer keeps.
const maxBacklog = MaxStaleDepth

// streamOf returns the stream of kind, or nil.
func (in *informer) streamOf(kind string) *stream {
	for _, s := range in.streams {
		if s.kind == kind {
			return s
		}
	}
	return nil
}

// pending reports whether any change is on its way.
func (in *informer) pending() bool {
	for _, s := range in.streams {
		if len(s.pending) > 0 {
			return true
		}
	}
	return false
}

// lags reports whether l's informer holds changes back, or a fault tells
// it to: the changes that reach it must then queue behind each other.
func (c *Cluster) lags(l *loop) bool {
	return l.inf.pending() || l.faults.lagging() || c.configLag(l) > 0
}

// anyLags reports whether some informer lags, so that every change must
// be snapshotted for it.
func (c *Cluster) anyLags() bool {
	if !c.mayLag {
		return false
	}
	for _, l := range c.loops {
		if c.lags(l) {
			return true
		}
	}
	return false
}

// holdsBack reports whether a change of kind must go through a stream of
// l's informer rather than straight to the controller.
func (c *Cluster) holdsBack(l *loop, kind string) bool {
	if s := l.inf.streamOf(kind); s != nil && len(s.pending) > 0 {
		return true
	}
	f := &l.faults
	return f.staleOf(kind) || f.delay > 0 && f.delayLeft != 0 || c.configLag(l) > 0
}

// streamFor returns the stream of kind, making it if needed.
func (in *informer) streamFor(kind string) *stream {
	if s := in.streamOf(kind); s != nil {
		return s
	}
	s := &stream{kind: kind}
	in.streams = append(in.streams, s)
	return s
}

// hold queues a change on its way to l's lagging informer; before is the
// store as it was before the change, the view of a stream that had
// nothing pending.
func (c *Cluster) hold(l *loop, ev storage.WatchEvent, view, before storage.Reader) {
	s := l.inf.streamFor(ev.Object.GetTypeMeta().Kind)
	if len(s.pending) == 0 {
		s.view = before
	}
	now := c.clock.Now()
	h := heldEvent{ev: ev, view: view, at: now}
	if d := l.faults.takeDelay(); d > 0 {
		h.readyAt = now.Add(d)
	}
	s.pending = append(s.pending, h)
	c.pump(l, s)
	if len(s.pending) > maxBacklog {
		c.closeWatch(l)
	}
}

// pump delivers the held changes of l's stream s that may arrive now,
// oldest first, and schedules the delivery of the next. A watch is one
// ordered stream: a change waits for every change before it, whatever its
// own delay.
func (c *Cluster) pump(l *loop, s *stream) {
	now := c.clock.Now()
	delivered := 0
	for delivered < len(s.pending) && !c.holdsHead(l, s, s.pending[delivered:], now) {
		h := s.pending[delivered]
		s.pending[delivered] = heldEvent{}
		delivered++
		s.view = h.view
		c.enqueueKeysFor(l, h.ev, c.viewFor(l))
	}
	s.pending = s.pending[delivered:]
	if len(s.pending) == 0 {
		s.pending, s.view = nil, nil
	}
	c.scheduleWake(l, s)
	if len(s.pending) == 0 && s.wake == nil {
		l.inf.streams = slices.DeleteFunc(l.inf.streams, func(x *stream) bool { return x == s })
	}
}

// pumpAll pumps every stream of l's informer, as a fault changes.
func (c *Cluster) pumpAll(l *loop) {
	for _, s := range slices.Clone(l.inf.streams) {
		c.pump(l, s)
	}
}

// holdsHead reports whether the first of pending, in l's stream s, must
// wait: a delay fault has not let it arrive, or a stale fault on the
// stream keeps its view that many changes behind and the change has not
// been held its longest yet.
func (c *Cluster) holdsHead(l *loop, s *stream, pending []heldEvent, now time.Time) bool {
	head := pending[0]
	if now.Before(head.readyAt) {
		return true
	}
	if f := &l.faults; f.staleOf(s.kind) && len(pending) <= f.stale && now.Before(head.at.Add(f.staleFor)) {
		return true
	}
	lag := c.configLag(l)
	return lag > 0 && len(pending) <= lag && now.Before(head.at.Add(c.cfg.Faults.staleFor()))
}

// scheduleWake sets the timer of l's stream s for the next moment a held
// change may be delivered.
func (c *Cluster) scheduleWake(l *loop, s *stream) {
	now := c.clock.Now()
	var at time.Time
	consider := func(t time.Time) {
		if t.After(now) && (at.IsZero() || t.Before(at)) {
			at = t
		}
	}
	if len(s.pending) > 0 {
		head := s.pending[0]
		consider(head.readyAt)
		if l.faults.staleOf(s.kind) {
			consider(head.at.Add(l.faults.staleFor))
		}
		if lag := c.configLag(l); lag > 0 {
			consider(head.at.Add(c.cfg.Faults.staleFor()))
		}
	}
	if s.wake != nil {
		if !at.IsZero() && s.wake.When().Equal(at) {
			return
		}
		s.wake.Stop()
		s.wake = nil
	}
	if at.IsZero() {
		return
	}
	s.wake = c.clock.At(at, func() {
		s.wake = nil
		c.pump(l, s)
	})
}

// releaseHeld lets every held change of l arrive now, as its faults are
// cleared.
func (c *Cluster) releaseHeld(l *loop) {
	for _, s := range l.inf.streams {
		for i := range s.pending {
			s.pending[i].readyAt = time.Time{}
		}
	}
	c.pumpAll(l)
}

// closeWatch is the apiserver closing the watch of an informer too far
// behind: the held changes are lost, and so is every change until the
// reflector lists again.
func (c *Cluster) closeWatch(l *loop) {
	in := &l.inf
	n := 0
	for _, s := range in.streams {
		n += len(s.pending)
	}
	c.traceNote(l.ctrl.Name(), "watch closed %d changes behind; relisting", n)
	for _, s := range in.streams {
		for _, h := range s.pending {
			in.noteLost(h.ev)
		}
		s.pending = nil
		if s.wake != nil {
			s.wake.Stop()
			s.wake = nil
		}
	}
	in.closed = true
	c.relistLater(l)
}

// noteLost remembers a deletion the informer will not be told of.
func (in *informer) noteLost(ev storage.WatchEvent) {
	if ev.Type == storage.Deleted {
		in.lostDeletes = append(in.lostDeletes, ev.Object)
	}
}

// reset empties the informer, as a relist or a restarted process does.
func (in *informer) reset() {
	for _, s := range in.streams {
		if s.wake != nil {
			s.wake.Stop()
		}
	}
	*in = informer{}
}

// viewFor returns the store view l's controller reads: its informer's
// cache, each kind as its stream has it, the live store for the kinds it
// is current on.
func (c *Cluster) viewFor(l *loop) storage.Reader {
	var byKind map[string]storage.Reader
	for _, s := range l.inf.streams {
		if s.view != nil {
			if byKind == nil {
				byKind = map[string]storage.Reader{}
			}
			byKind[s.kind] = s.view
		}
	}
	if byKind == nil {
		return c.store
	}
	return &mixedView{Reader: c.store, byKind: byKind}
}

// reconcileView is what l's controller reconciles against: its informer's
// cache, or the live store for a controller that reads the apiserver
// (controllers.APIReader).
func (c *Cluster) reconcileView(l *loop) storage.Reader {
	if r, ok := l.ctrl.(controllers.APIReader); ok && r.ReadsAPI() {
		return c.store
	}
	return c.viewFor(l)
}

// mixedView is the cache of a lagging informer: each lagging kind read
// from its own stream's view, the others from the live store (the
// embedded Reader).
type mixedView struct {
	storage.Reader
	byKind map[string]storage.Reader
}

func (v *mixedView) of(kind string) storage.Reader {
	if r, ok := v.byKind[kind]; ok {
		return r
	}
	return v.Reader
}

// lagging returns the revision the informer's cache holds of each kind
// whose changes it holds back, or nil when it is current (Change.Lagging).
func (inf *informer) lagging() map[string]int64 {
	var out map[string]int64
	for _, s := range inf.streams {
		if s.view != nil {
			if out == nil {
				out = map[string]int64{}
			}
			out[s.kind] = s.view.ResourceVersion()
		}
	}
	return out
}

// viewRevision is the revision view holds of kind: a lagging informer's
// for that kind, or the store's.
func viewRevision(view storage.Reader, kind string) int64 {
	if v, ok := view.(*mixedView); ok {
		return v.of(kind).ResourceVersion()
	}
	return view.ResourceVersion()
}

// Live returns the live store (controllers.Live).
func (v *mixedView) Live() storage.Reader { return v.Reader }

// Get reads key from its kind's view.
func (v *mixedView) Get(key objects.Key) (objects.Object, error) { return v.of(key.Kind).Get(key) }

// List lists kind from its view.
func (v *mixedView) List(kind, namespace string, sel objects.Selector) []objects.Object {
	return v.of(kind).List(kind, namespace, sel)
}

// Scan scans kind in its view.
func (v *mixedView) Scan(kind, namespace string, visit func(objects.Object) bool) {
	v.of(kind).Scan(kind, namespace, visit)
}

// ScanIndex scans an index of kind in its view.
func (v *mixedView) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
	v.of(kind).ScanIndex(index, value, kind, visit)
}

// ResourceVersion is the oldest of the views' revisions: a controller
// comparing it with its own last write (controllers.OwnWrites) waits
// until every kind it reads has caught up.
func (v *mixedView) ResourceVersion() int64 {
	rv := v.Reader.ResourceVersion()
	for _, r := range v.byKind {
		rv = min(rv, r.ResourceVersion())
	}
	return rv
}

// configLag is the lag Config.Faults.StaleReads gives l's informer.
func (c *Cluster) configLag(l *loop) int {
	if c.cfg.Faults == nil || len(c.cfg.Faults.StaleReads) == 0 {
		return 0 // without asking a kubelet its name, which allocates
	}
	return c.cfg.Faults.staleness(l.ctrl.Name())
}
