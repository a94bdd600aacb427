package garbagecollector

import (
	"slices"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name.
const Name = "garbage-collector-controller"

// Finalizers the collector acts on.
const (
	FinalizerOrphan     = storage.FinalizerOrphanDependents
	FinalizerForeground = storage.FinalizerDeleteDependents
)

// Collector is the garbage collector. Not safe for concurrent use.
type Collector struct {
	// dependents maps an owner uid to the keys of objects that name it.
	dependents map[string]map[objects.Key]bool
	// owners maps a dependent to the owner uids it names, to keep the
	// index right when references change.
	owners map[objects.Key][]string
	keys   controllers.KeyBuffer // KeysFor's
}

var (
	_ controllers.Controller = (*Collector)(nil)
	_ controllers.APIReader  = (*Collector)(nil)
)

// New returns a collector with an empty graph.
func New() *Collector {
	return &Collector{dependents: map[string]map[objects.Key]bool{}, owners: map[objects.Key][]string{}}
}

// Name returns "garbage-collector-controller".
func (g *Collector) Name() string { return Name }

// ReadsAPI returns true: upstream's collector decides on live reads (it
// GETs an object and its owners from the apiserver before deleting it,
// isDangling), so only its graph, fed by its informers, may lag.
func (g *Collector) ReadsAPI() bool { return true }

// KeysFor updates the graph and returns what to look at: an object with
// owners (are they alive?), an owner being deleted with a GC finalizer,
// and the dependents of a deleted owner.
func (g *Collector) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	obj := ev.Object
	key := objects.KeyOf(obj)
	m := obj.GetObjectMeta()
	indexed := sameOwners(g.owners[key], m.OwnerReferences)
	refsChanged := ev.Type != storage.Modified || ev.Old == nil || !indexed
	if ev.Type == storage.Deleted || !indexed {
		g.index(key, m, ev.Type == storage.Deleted)
	}
	keys := g.keys.Empty()
	if ev.Type != storage.Deleted && len(m.OwnerReferences) > 0 && refsChanged &&
		!allOwnersSeen(r, key.Namespace, m.OwnerReferences) {
		// A new object, or new references, naming an owner the collector
		// has not seen: is it alive? Upstream's graph builder makes a
		// virtual node for such an owner and looks it up; an owner it has
		// seen asks nothing (nor does an update that leaves the
		// references as they were). An owner's deletion brings its
		// dependents here through dependentsOf.
		keys = append(keys, key)
	}
	if ev.Type != storage.Deleted && m.DeletionTimestamp != nil &&
		(m.HasFinalizer(FinalizerOrphan) || m.HasFinalizer(FinalizerForeground)) {
		keys = append(keys, key)
	}
	if ev.Type == storage.Deleted || m.DeletionTimestamp != nil {
		keys = g.appendDependentsOf(keys, m.UID)
	}
	if ev.Type == storage.Deleted {
		// An owner in foreground deletion may be waiting for this one (and
		// only such an owner is looked at again, as upstream's graph
		// builder checks isDeletingDependents).
		for _, ref := range m.OwnerReferences {
			if owner := seenOwner(r, key.Namespace, ref); owner != nil && deletingDependents(owner.GetObjectMeta()) {
				keys = append(keys, ownerKey(key.Namespace, ref))
			}
		}
	}
	return g.keys.Keep(keys)
}

// seenOwner returns the object ref points to in the collector's view, if
// it is there with ref's uid.
func seenOwner(r storage.Reader, namespace string, ref objects.OwnerReference) objects.Object {
	owner, err := r.Get(ownerKey(namespace, ref))
	if err != nil || owner.GetObjectMeta().UID != ref.UID {
		return nil
	}
	return owner
}

// allOwnersSeen reports whether every owner refs name is in the
// collector's view: nodes its graph holds, so that nothing need be looked
// up for them.
func allOwnersSeen(r storage.Reader, namespace string, refs []objects.OwnerReference) bool {
	for _, ref := range refs {
		if seenOwner(r, namespace, ref) == nil {
			return false
		}
	}
	return true
}

// deletingDependents reports whether an owner waits for its dependents'
// deletion (foreground): upstream's node.isDeletingDependents.
func deletingDependents(m *objects.ObjectMeta) bool {
	return m.DeletionTimestamp != nil && m.HasFinalizer(FinalizerForeground)
}

// ownerKey is where an owner reference points: the dependent's namespace,
// or none for a cluster-scoped owner.
func ownerKey(namespace string, ref objects.OwnerReference) objects.Key {
	if !objects.KindInfoFor(ref.Kind, ref.APIVersion).Namespaced {
		namespace = ""
	}
	return objects.Key{Kind: ref.Kind, Namespace: namespace, Name: ref.Name}
}

// index records (or forgets) key's owner references; KeysFor calls it only
// when they differ from what is indexed (most changes leave them as they
// were) or the object is gone.
func (g *Collector) index(key objects.Key, m *objects.ObjectMeta, deleted bool) {
	for _, uid := range g.owners[key] {
		delete(g.dependents[uid], key)
		if len(g.dependents[uid]) == 0 {
			delete(g.dependents, uid)
		}
	}
	delete(g.owners, key)
	if deleted {
		return
	}
	for _, ref := range m.OwnerReferences {
		if g.dependents[ref.UID] == nil {
			g.dependents[ref.UID] = map[objects.Key]bool{}
		}
		g.dependents[ref.UID][key] = true
		g.owners[key] = append(g.owners[key], ref.UID)
	}
}

// sameOwners reports whether refs name the owner uids indexed, in order.
func sameOwners(indexed []string, refs []objects.OwnerReference) bool {
	if len(indexed) != len(refs) {
		return false
	}
	for i, ref := range refs {
		if indexed[i] != ref.UID {
			return false
		}
	}
	return true
}

// dependentsOf lists the objects naming uid as an owner, in key order.
func (g *Collector) dependentsOf(uid string) []objects.Key {
	return g.appendDependentsOf(nil, uid)
}

// appendDependentsOf appends dependentsOf(uid) to keys.
func (g *Collector) appendDependentsOf(keys []objects.Key, uid string) []objects.Key {
	start := len(keys)
	for k := range g.dependents[uid] {
		keys = append(keys, k)
	}
	added := keys[start:]
	slices.SortFunc(added, objects.Key.Compare)
	return keys
}

// Reconcile decides what the collector does about the object at key.
func (g *Collector) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	m := obj.GetObjectMeta()
	if m.DeletionTimestamp != nil && m.HasFinalizer(FinalizerOrphan) {
		return g.orphan(r, obj)
	}
	if m.DeletionTimestamp != nil && m.HasFinalizer(FinalizerForeground) {
		return g.foreground(r, obj)
	}
	if m.DeletionTimestamp == nil && len(m.OwnerReferences) > 0 && !anyOwnerAlive(r, key.Namespace, m.OwnerReferences) &&
		!mutant.On("gc-background-leaves-dependents") { // #44046: the dependents of a deleted owner stay
		return deleteDependent(obj, storage.DeletePropagationBackground)
	}
	return controllers.Result{}
}

// orphan strips the owner's references from its dependents, then its
// orphan finalizer.
func (g *Collector) orphan(r storage.Reader, owner objects.Object) controllers.Result {
	var res controllers.Result
	uid := owner.GetObjectMeta().UID
	for _, key := range g.dependentsOf(uid) {
		dep, err := r.Get(key)
		if err != nil {
			continue
		}
		if mutant.On("gc-orphan-deletes-dependents") { // #42501: an orphaning delete takes the dependents along
			res.Actions = append(res.Actions, deleteDependent(dep, storage.DeletePropagationBackground).Actions...)
			continue
		}
		dep = dep.DeepCopyObject() // what the store hands out is shared and read-only
		dm := dep.GetObjectMeta()
		dm.OwnerReferences = slices.DeleteFunc(dm.OwnerReferences, func(ref objects.OwnerReference) bool { return ref.UID == uid })
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Update, Object: dep})
	}
	res.Actions = append(res.Actions, removeFinalizer(owner, FinalizerOrphan))
	return res
}

// foreground deletes the owner's dependents and releases the owner once no
// blocking dependent is left.
func (g *Collector) foreground(r storage.Reader, owner objects.Object) controllers.Result {
	var res controllers.Result
	blocked := false
	uid := owner.GetObjectMeta().UID
	for _, key := range g.dependentsOf(uid) {
		dep, err := r.Get(key)
		if err != nil || !slices.ContainsFunc(dep.GetObjectMeta().OwnerReferences, func(ref objects.OwnerReference) bool { return ref.UID == uid }) {
			// Gone, or no longer the owner's: released (a controller
			// dropped its reference) after the graph, which a lagging
			// informer feeds, last saw it. Upstream's attemptToDeleteItem
			// reads the dependent live and leaves one without the reference.
			continue
		}
		if blocks(dep.GetObjectMeta(), uid) {
			blocked = true
		}
		if dep.GetObjectMeta().DeletionTimestamp == nil {
			res.Actions = append(res.Actions, deleteDependent(dep, storage.DeletePropagationForeground).Actions...)
		}
	}
	if !blocked {
		res.Actions = append(res.Actions, removeFinalizer(owner, FinalizerForeground))
	}
	return res
}

// blocks reports whether a dependent holds up its owner's foreground deletion.
func blocks(m *objects.ObjectMeta, ownerUID string) bool {
	for _, ref := range m.OwnerReferences {
		if ref.UID == ownerUID && ref.BlockOwnerDeletion != nil && *ref.BlockOwnerDeletion {
			return true
		}
	}
	return false
}

// anyOwnerAlive reports whether some owner reference resolves to a live
// object with the same uid. Owners live in the dependent's namespace, or
// are cluster-scoped.
func anyOwnerAlive(r storage.Reader, namespace string, refs []objects.OwnerReference) bool {
	for _, ref := range refs {
		owner, err := r.Get(ownerKey(namespace, ref))
		if err == nil && owner.GetObjectMeta().UID == ref.UID {
			return true
		}
	}
	return false
}

func deleteDependent(dep objects.Object, policy string) controllers.Result {
	return controllers.Result{Actions: []controllers.Action{{
		Verb: controllers.Delete, Key: objects.KeyOf(dep),
		DeleteOptions: storage.DeleteOptions{PropagationPolicy: policy,
			Preconditions: &storage.Preconditions{UID: dep.GetObjectMeta().UID}},
	}}}
}

func removeFinalizer(obj objects.Object, finalizer string) controllers.Action {
	obj = obj.DeepCopyObject() // what the store hands out is shared and read-only
	m := obj.GetObjectMeta()
	m.Finalizers = slices.DeleteFunc(slices.Clone(m.Finalizers), func(f string) bool { return f == finalizer })
	return controllers.Action{Verb: controllers.Update, Object: obj}
}
