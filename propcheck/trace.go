package propcheck

import (
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Trace invariants judge what a controller did at the moment it did it:
// a pod created while a Job's active pods already reached its
// parallelism, a StatefulSet's second ordinal created in the same sync as
// the first. A store checked after each command only shows where a run
// ended up; the changes (View.Changes, each with its actor) show how.
//
// Each trace invariant follows a run's changes with an index of the
// objects they left (index) and is told of every change with the index
// as it was just before it (observe).
//
// # What a controller saw
//
// A controller decides from its informer's view, which may lag the store
// (a stale or delayed informer, a fault); a trace invariant holds it only
// to what it must have seen. The Job, ReplicaSet, Deployment and
// StatefulSet controllers check that their view holds their own last
// write for a key before they act on it (controllers.OwnWrites, upstream's
// expectations), so a reconcile's view is at least as new as the last
// write of the reconcile before it. The changes do not say which writes
// one reconcile made, and a reconcile whose writes wait for its client's
// rate limiter spreads them out; the index takes writes for a key less
// than burstGap apart for one burst, and bounds a write's view by the
// last write before its burst (index.seenSince). Writes made in quick
// succession are thus judged leniently, spaced ones strictly. Bounds are
// positions in the run's changes (index.seq), not times: many changes
// share an instant.

// maxInformerLag bounds how far behind the store a controller's view may
// be, in virtual time: the faults propcheck injects (faults.go) make an
// informer lag at most 3 minutes (a stale view for up to 3m, events
// delayed by up to 3m each), a lost event is made up by a relist a second
// later, and a controller that comes back up or restarts lists afresh.
// Controllers that do not wait for their own writes (the scheduler) are
// held only to facts older than this.
const maxInformerLag = 5 * time.Minute

// burstGap is how far apart two writes of a controller for one key may be
// and still belong to one reconcile: its rate limiter (20 writes a second
// with bursts of 30) spaces a busy reconcile's writes by far less.
const burstGap = 5 * time.Second

// traceCheck is one run's trace invariant: observe is told of each change
// with the index as it was before the change.
type traceCheck interface {
	observe(ch sim.Change, ix *index) []error
}

// traceInvariant makes an Invariant of a trace check: newCheck returns one
// run's check; kinds are the kinds it is about (Invariant.Kinds) and
// indexed the kinds it needs indexed (nil: ownerKinds).
func traceInvariant(name string, kinds []string, indexed []string, newCheck func() traceCheck) Invariant {
	newFn := func() Check {
		// A group of one: the invariant's own index.
		g := &traceGroup{ix: newIndex(indexed), members: []traceMember{{check: newCheck()}}}
		return func(v View) []error {
			errs := make([][]error, 1)
			g.observe(v, errs)
			return errs[0]
		}
	}
	spec := &traceSpec{indexed: indexed, newCheck: newCheck, newPC: reflect.ValueOf(newFn).Pointer()}
	return Invariant{Name: name, Kinds: kinds, trace: spec, New: newFn}
}

// traceSpec is what a trace invariant is made of, kept so that a checker
// running several can share one index among those that index the same
// kinds (traceGroup): the index is most of a trace check's cost.
type traceSpec struct {
	indexed  []string
	newCheck func() traceCheck
	// newPC is the code of the New traceInvariant gave the invariant: a
	// copy whose New was replaced (a wrapper of the caller's) runs its
	// own New, not the shared index.
	newPC uintptr
}

// shares reports whether a checker may run inv, an invariant every step
// checks, in a traceGroup rather than through its New.
func (t *traceSpec) shares(inv Invariant) bool {
	return t != nil && !inv.Settled && inv.New != nil && reflect.ValueOf(inv.New).Pointer() == t.newPC
}

// indexSignature names the kinds a trace invariant indexes: invariants
// with the same signature can share an index.
func (t *traceSpec) indexSignature() string {
	if t.indexed == nil {
		return "\x00owners"
	}
	return strings.Join(t.indexed, ",")
}

// traceGroup is one run's trace checks that share an index: each change is
// observed by every member with the index as it was before the change, then
// applied to the index once, as each check's own index would have it.
type traceGroup struct {
	ix      *index
	seeded  bool
	members []traceMember
}

// traceMember is one check of a group and the position of its invariant.
type traceMember struct {
	pos   int
	check traceCheck
}

// observe runs the group's checks over v's changes, adding each check's
// errors to errs at its invariant's position.
func (g *traceGroup) observe(v View, errs [][]error) {
	if !g.seeded {
		g.ix.seed(v)
		g.seeded = true
	}
	for _, ch := range v.Changes {
		for _, m := range g.members {
			errs[m.pos] = append(errs[m.pos], m.check.observe(ch, g.ix)...)
		}
		g.ix.apply(ch)
	}
}

// index is the objects a run's changes left, by uid and by the uid of
// their controller, and when each actor last wrote for each object. Not
// safe for concurrent use.
type index struct {
	kinds map[string]bool // nil: every kind but Events
	byUID map[string]objects.Object
	byKey map[objects.Key]objects.Object
	// owned holds, by controller uid, the uids of the objects it controls.
	owned map[string]map[string]bool
	// writes holds, by actor and uid, the actor's writes of the object or
	// of objects it controls.
	writes map[actorUID]*burst
	bursts []burst // the current block of writes' bursts
	// seq counts the changes applied: the change being observed is the
	// seq+1st of the run.
	seq int
}

// actorUID names what an actor wrote for.
type actorUID struct{ actor, uid string }

// burst is an actor's latest run of writes for an object, each less than
// burstGap after the one before: when its last write was, and the
// positions of its last write and of the last write before it.
type burst struct {
	last              time.Time
	lastSeq, priorSeq int
}

// ownerKinds are the kinds that own or are owned in kubesim's cluster.
var ownerKinds = []string{"Deployment", "ReplicaSet", "StatefulSet", "Job", "CronJob", "Pod", "Node",
	"Service", "Endpoints", "EndpointSlice", "PersistentVolumeClaim", "PersistentVolume", "ConfigMap", "Secret"}

func newIndex(kinds []string) *index {
	if kinds == nil {
		kinds = ownerKinds
	}
	ix := &index{byUID: map[string]objects.Object{}, byKey: map[objects.Key]objects.Object{},
		owned: map[string]map[string]bool{}, writes: map[actorUID]*burst{}, kinds: map[string]bool{}}
	for _, k := range kinds {
		ix.kinds[k] = true
	}
	return ix
}

// keeps reports whether the index follows objects of kind.
func (ix *index) keeps(kind string) bool { return ix.kinds[kind] }

// seed fills the index with what existed before the first change it is
// told of: the objects the cluster was made with, which no change shows.
// An object v's changes touch is seeded as it was before the first of
// them; the others as stored.
func (ix *index) seed(v View) {
	first := map[string]objects.Object{} // uid -> its state before the changes, nil if created by them
	var order []string
	for _, ch := range v.Changes {
		uid := ch.Event.Object.GetObjectMeta().UID
		if _, seen := first[uid]; !seen {
			first[uid] = ch.Event.Old
			order = append(order, uid)
		}
	}
	kinds := make([]string, 0, len(ix.kinds))
	for k := range ix.kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		v.Store.Scan(kind, "", func(o objects.Object) bool {
			if _, touched := first[o.GetObjectMeta().UID]; !touched {
				ix.put(o)
			}
			return true
		})
	}
	for _, uid := range order {
		if old := first[uid]; old != nil && ix.keeps(objects.KeyOf(old).Kind) {
			ix.put(old)
		}
	}
}

// apply records a change.
func (ix *index) apply(ch sim.Change) {
	ix.seq++
	obj := ch.Event.Object
	kind := objects.KeyOf(obj).Kind
	if !ix.keeps(kind) {
		return
	}
	m := obj.GetObjectMeta()
	ix.noteWrite(ch, m)
	if old, ok := ix.byUID[m.UID]; ok {
		if ref := old.GetObjectMeta().ControllerRef(); ref != nil {
			delete(ix.owned[ref.UID], m.UID)
		}
	}
	if ch.Event.Type == storage.Deleted {
		delete(ix.byUID, m.UID)
		if cur, ok := ix.byKey[objects.KeyOf(obj)]; ok && cur.GetObjectMeta().UID == m.UID {
			delete(ix.byKey, objects.KeyOf(obj))
		}
		return
	}
	ix.put(obj)
}

// put records obj as the current state of its object.
func (ix *index) put(obj objects.Object) {
	m := obj.GetObjectMeta()
	ix.byUID[m.UID] = obj
	ix.byKey[objects.KeyOf(obj)] = obj
	if ref := m.ControllerRef(); ref != nil {
		set := ix.owned[ref.UID]
		if set == nil {
			set = map[string]bool{}
			ix.owned[ref.UID] = set
		}
		set[m.UID] = true
	}
}

// noteWrite remembers that ch's actor wrote the object and, for its
// controller, the controller's object.
func (ix *index) noteWrite(ch sim.Change, m *objects.ObjectMeta) {
	ix.wrote(ch.Actor, m.UID, ch.At)
	if ref := m.ControllerRef(); ref != nil {
		ix.wrote(ch.Actor, ref.UID, ch.At)
	}
}

func (ix *index) wrote(actor, uid string, at time.Time) {
	k := actorUID{actor, uid}
	w := ix.writes[k]
	if w == nil {
		// Bursts come in blocks: one allocation each was 4% of the
		// bytes the checker allocated.
		if len(ix.bursts) == cap(ix.bursts) {
			ix.bursts = make([]burst, 0, 64)
		}
		ix.bursts = append(ix.bursts, burst{last: at, lastSeq: ix.seq})
		ix.writes[k] = &ix.bursts[len(ix.bursts)-1]
		return
	}
	if at.Sub(w.last) >= burstGap {
		w.priorSeq = w.lastSeq
	}
	w.last, w.lastSeq = at, ix.seq
}

// seen returns how much of the run the view of the actor's reconcile
// that writes for uid at now holds at least: the changes up to the last
// write for uid before the burst the write at now belongs to (0 when
// there is none). It holds for controllers that wait for their own
// writes (controllers.OwnWrites).
func (ix *index) seen(actor, uid string, now time.Time) int {
	w := ix.writes[actorUID{actor, uid}]
	switch {
	case w == nil:
		return 0
	case now.Sub(w.last) >= burstGap:
		return w.lastSeq // the write at now starts a burst of its own
	}
	return w.priorSeq
}

// current is the position of the change being observed.
func (ix *index) current() int { return ix.seq + 1 }

// get returns the object of a uid, or nil.
func (ix *index) get(uid string) objects.Object { return ix.byUID[uid] }

// getKey returns the object at key, or nil.
func (ix *index) getKey(key objects.Key) objects.Object { return ix.byKey[key] }

// ownedBy lists the objects the controller of uid controls, by name.
func (ix *index) ownedBy(uid string) []objects.Object {
	set := ix.owned[uid]
	out := make([]objects.Object, 0, len(set))
	for u := range set {
		out = append(out, ix.byUID[u])
	}
	sort.Slice(out, func(i, j int) bool { return objects.KeyOf(out[i]).Less(objects.KeyOf(out[j])) })
	return out
}

// podsOf lists the pods the object of uid controls, by name.
func (ix *index) podsOf(uid string) []*objects.Pod {
	var out []*objects.Pod
	for _, o := range ix.ownedBy(uid) {
		if p, ok := o.(*objects.Pod); ok {
			out = append(out, p)
		}
	}
	return out
}

// listKind lists the indexed objects of a kind, by key.
func (ix *index) listKind(kind string) []objects.Object {
	var out []objects.Object
	for k, o := range ix.byKey {
		if k.Kind == kind {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return objects.KeyOf(out[i]).Less(objects.KeyOf(out[j])) })
	return out
}

// controllerOf returns the object controlling obj, or nil.
func (ix *index) controllerOf(obj objects.Object) objects.Object {
	if ref := obj.GetObjectMeta().ControllerRef(); ref != nil {
		return ix.byUID[ref.UID]
	}
	return nil
}

// Change shapes.

// created returns the object a change added, or nil.
func created(ch sim.Change) objects.Object {
	if ch.Event.Type == storage.Added {
		return ch.Event.Object
	}
	return nil
}

// deletionStarted reports whether a change deleted its object or gave it
// a deletionTimestamp: the moment someone asked for it to go.
func deletionStarted(ch sim.Change) bool {
	ev := ch.Event
	switch ev.Type {
	case storage.Deleted:
		return ev.Old == nil || ev.Old.GetObjectMeta().DeletionTimestamp == nil
	case storage.Modified:
		return ev.Old != nil && ev.Old.GetObjectMeta().DeletionTimestamp == nil && ev.Object.GetObjectMeta().DeletionTimestamp != nil
	}
	return false
}

// Pod states.

// podTerminal reports whether a pod Succeeded or Failed.
func podTerminal(p *objects.Pod) bool {
	return p.Status.Phase == objects.PodSucceeded || p.Status.Phase == objects.PodFailed
}

// podActive reports whether a pod runs or will, as the workload
// controllers count it: neither finished nor being deleted.
func podActive(p *objects.Pod) bool { return !podTerminal(p) && p.DeletionTimestamp == nil }

// podReady reports whether a pod is Running with its Ready condition true.
func podReady(p *objects.Pod) bool {
	return p.Status.Phase == objects.PodRunning && objects.PodHasReadyCondition(p)
}

// countActive counts the active pods of a list.
func countActive(pods []*objects.Pod) int {
	n := 0
	for _, p := range pods {
		if podActive(p) {
			n++
		}
	}
	return n
}
