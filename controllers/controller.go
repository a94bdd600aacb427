package controllers

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Controller is one control loop, stepped by the simulation.
type Controller interface {
	// Name is the controller's name as kube-controller-manager spells it
	// ("job-controller"); events it records carry it as their source.
	Name() string
	// KeysFor maps a store change to the keys this controller must
	// reconcile, or none. It reads the view r to follow owner references.
	// The caller reads the keys before it calls KeysFor again, so a
	// controller may hand out the same room each time (KeyBuffer).
	KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key
	// Reconcile computes the controller's response to the state of key at
	// now. It must not write: the returned Result is applied by the caller.
	Reconcile(now time.Time, r storage.Reader, key objects.Key) Result
}

// Result is what one reconcile decided.
type Result struct {
	// Actions are store writes, applied in order. If one fails, the rest
	// are skipped and the key is retried with back-off, as a reconcile that
	// returns an error is.
	Actions []Action
	// Events are recorded after the actions, whatever their outcome.
	Events []Event
	// RequeueAfter asks for another reconcile of the same key after this
	// long; zero means none. The earliest pending request wins.
	RequeueAfter time.Duration
}

// Requeue returns a Result that only asks to look again after d.
func Requeue(d time.Duration) Result { return Result{RequeueAfter: d} }

// Verb is the kind of store write an Action makes.
type Verb int

// The store writes a controller can ask for.
const (
	Create Verb = iota + 1
	Update
	UpdateStatus
	Delete
	// Bind assigns a pod to a node, as the scheduler's binding subresource
	// does: it sets spec.nodeName and the PodScheduled condition at once.
	Bind
	// Finalize writes a Namespace's spec.finalizers through its finalize
	// subresource, as the namespace controller does once it is empty.
	Finalize
)

// String returns the verb in lower case, as traces print it.
func (v Verb) String() string {
	switch v {
	case Create:
		return "create"
	case Update:
		return "update"
	case UpdateStatus:
		return "update-status"
	case Delete:
		return "delete"
	case Bind:
		return "bind"
	case Finalize:
		return "finalize"
	}
	return "unknown"
}

// Action is one store write.
type Action struct {
	Verb Verb
	// Object is the object to create or the new state to write. Unused by Delete.
	Object objects.Object
	// Key names the object to delete or bind. Unused by other verbs.
	Key objects.Key
	// NodeName is the node a Bind assigns the pod to.
	NodeName string
	// DeleteOptions are passed to the store's Delete.
	DeleteOptions storage.DeleteOptions
	// Batch groups writes that upstream issues at once, from the goroutines
	// of one slow-start batch or of one parallel delete: consecutive actions
	// with the same non-zero Batch are all attempted even when one of them
	// fails, and the failure skips only the actions after the batch. Zero
	// means the action is a batch of its own. See SlowStart.
	Batch int
	// Then, when set, returns the events to record once the write is done:
	// written is the object as stored (nil on error). It lets an event name a
	// generated name, as "Created pod: pi-rq5rl" does.
	Then func(written objects.Object, err error) []Event
}

// SlowStartInitialBatchSize is the size of a slow start's first batch
// (upstream's controller.SlowStartInitialBatchSize).
const SlowStartInitialBatchSize = 1

// SlowStart groups actions into upstream's slow-start batches
// (slowStartBatch in the ReplicaSet and Job controllers): 1, 2, 4, ...
// writes, each batch twice the last, numbered 1, 2, 3... in Batch. A batch
// runs to its end, and a failure in it skips every later batch, so a
// controller whose creates all fail (a full quota) makes one attempt, not
// hundreds. The Result must not hold another batch right next to these.
func SlowStart(actions []Action) {
	size, batch := SlowStartInitialBatchSize, 1
	for i := 0; i < len(actions); batch++ {
		end := min(i+size, len(actions))
		for ; i < end; i++ {
			actions[i].Batch = batch
		}
		size *= 2
	}
}

// Concurrently puts actions into one batch, numbered batch: upstream issues
// them from a goroutine each and waits for all (the ReplicaSet controller's
// pod deletions), so one failing does not stop the others.
func Concurrently(actions []Action, batch int) {
	for i := range actions {
		actions[i].Batch = batch
	}
}

// Event is an event a controller records about an object.
type Event struct {
	// Regarding is the object the event is about.
	Regarding objects.ObjectReference
	Type      string // objects.EventNormal or objects.EventWarning
	Reason    string
	Message   string
	// Action is what was done or failed, for a component that records
	// through the events.k8s.io/v1 API (the scheduler): such an event has
	// an eventTime, and its repeats are counted in a series, as client-go's
	// tools/events recorder counts them. Empty for the core API's events.
	Action string
}

// RefTo returns a reference to obj suitable for Event.Regarding.
func RefTo(obj objects.Object) objects.ObjectReference {
	t, m := obj.GetTypeMeta(), obj.GetObjectMeta()
	return objects.ObjectReference{Kind: t.Kind, APIVersion: t.APIVersion, Namespace: m.Namespace,
		Name: m.Name, UID: m.UID, ResourceVersion: m.ResourceVersion}
}

// Normal returns a Normal event about obj.
func Normal(obj objects.Object, reason, message string) Event {
	return Event{Regarding: RefTo(obj), Type: objects.EventNormal, Reason: reason, Message: message}
}

// Warning returns a Warning event about obj.
func Warning(obj objects.Object, reason, message string) Event {
	return Event{Regarding: RefTo(obj), Type: objects.EventWarning, Reason: reason, Message: message}
}

// Components a controller can belong to. A controller says which by
// implementing Placed; one that does not runs in the controller manager.
const (
	ControllerManager = "kube-controller-manager"
	Scheduler         = "kube-scheduler"
	Kubelet           = "kubelet"
)

// Placed is implemented by controllers that do not run in
// kube-controller-manager, so that stopping "the controller manager" leaves
// them running.
type Placed interface {
	// Component returns ControllerManager, Scheduler or Kubelet.
	Component() string
}

// ComponentOf returns the component ctrl runs in.
func ComponentOf(ctrl Controller) string {
	if p, ok := ctrl.(Placed); ok {
		return p.Component()
	}
	return ControllerManager
}

// EventWatcher is implemented by controllers that react to Event objects
// (the PV binder forwards its recycler pod's events). Events are half of
// all writes and no other controller looks at them, so the simulation
// offers an Event change only to the controllers that say so, as an
// informer watches only the kinds its controller asked for.
type EventWatcher interface {
	WatchesEvents() bool
}

// WatchesEvents reports whether ctrl wants Event changes.
func WatchesEvents(ctrl Controller) bool {
	w, ok := ctrl.(EventWatcher)
	return ok && w.WatchesEvents()
}

// KindWatcher is implemented by controllers whose informers watch a few
// kinds only, as upstream's do (the Job controller watches Jobs and Pods).
// The simulation offers such a controller only the changes of those kinds:
// with some twenty controllers and three kubelets, offering every change to
// every one of them cost more than most of their work. A controller that
// does not implement it is offered every kind but Events (see EventWatcher).
type KindWatcher interface {
	// WatchedKinds lists the kinds whose changes KeysFor can map to keys.
	// KeysFor must return no keys, and do nothing else, for a change of
	// any other kind.
	WatchedKinds() []string
}

// WatchedKinds returns the kinds ctrl watches, or nil when it watches
// every kind.
func WatchedKinds(ctrl Controller) []string {
	if w, ok := ctrl.(KindWatcher); ok {
		return w.WatchedKinds()
	}
	return nil
}

// Batcher is implemented by controllers that let the reconcile a change
// asks for wait, so that the changes of the next moments are handled in one
// reconcile, as upstream's Job controller enqueues a Job after a pod change
// with AddAfter(syncJobBatchPeriod). A key already queued for sooner keeps
// its earlier time.
type Batcher interface {
	// BatchDelay returns how long after ev the reconcile of key, one of
	// the keys KeysFor mapped ev to, is wanted.
	BatchDelay(ev storage.WatchEvent, key objects.Key) time.Duration
}

// BatchDelay returns how long ctrl lets the reconcile of key wait after
// ev: zero unless ctrl is a Batcher.
func BatchDelay(ctrl Controller, ev storage.WatchEvent, key objects.Key) time.Duration {
	if b, ok := ctrl.(Batcher); ok {
		return b.BatchDelay(ev, key)
	}
	return 0
}

// Deferrer is implemented by controllers that want the reconcile a change
// asks for no sooner than a time of their own, as kube-scheduler tries a
// pod that failed again only once its backoff has passed.
type Deferrer interface {
	// NotBefore returns the earliest time the reconcile of key, one of the
	// keys KeysFor mapped ev to, is wanted; the zero time for at once.
	NotBefore(ev storage.WatchEvent, key objects.Key) time.Time
}

// WantedAt returns when ctrl wants key, one of the keys KeysFor mapped ev
// to, reconciled after ev at now: after its BatchDelay, and no sooner than
// a Deferrer says.
func WantedAt(ctrl Controller, ev storage.WatchEvent, key objects.Key, now time.Time) time.Time {
	at := now.Add(BatchDelay(ctrl, ev, key))
	if d, ok := ctrl.(Deferrer); ok {
		if nb := d.NotBefore(ev, key); nb.After(at) {
			at = nb
		}
	}
	return at
}

// APIReader is implemented by controllers that, when they reconcile, read
// the apiserver rather than their informers' caches, as upstream's garbage
// collector does before it deletes anything (attemptToDeleteItem GETs the
// object and each of its owners, so a cache that lags cannot make it delete
// the dependents of a live owner). Their Reconcile is handed the live
// store; only what KeysFor hears lags behind with their informers.
type APIReader interface {
	// ReadsAPI reports whether Reconcile reads the live store.
	ReadsAPI() bool
}

// Live returns the apiserver's current objects behind r, a controller's
// view: what a GET past the informer's cache reads. Upstream's CronJob
// controller GETs an active Job its lister lacks before it calls the Job
// missing, and every Job it is about to replace; a create answered
// AlreadyExists is the apiserver's answer too. A view that lags (an
// informer's cache under a fault) says where its live store is; any other
// reader is live already.
func Live(r storage.Reader) storage.Reader {
	if v, ok := r.(interface{ Live() storage.Reader }); ok {
		return v.Live()
	}
	return r
}

// EventSourcer is implemented by controllers whose events carry a source
// other than their name, like a kubelet's (component "kubelet", host the node).
type EventSourcer interface {
	EventSource() objects.EventSource
}

// Writer is the write side of the store an Action is carried out on.
type Writer interface {
	Create(obj objects.Object) (objects.Object, error)
	Update(obj objects.Object) (objects.Object, error)
	UpdateStatus(obj objects.Object) (objects.Object, error)
	Delete(key objects.Key, opts storage.DeleteOptions) (objects.Object, error)
	Bind(key objects.Key, nodeName string) (objects.Object, error)
	FinalizeNamespace(ns *objects.Namespace) (*objects.Namespace, error)
}

// Perform carries out one action on w and returns the object as written.
// It is the one place a Verb turns into a store call: the event loop and
// controller tests both use it.
func Perform(w Writer, a Action) (objects.Object, error) {
	switch a.Verb {
	case Create:
		return w.Create(a.Object)
	case Update:
		return w.Update(a.Object)
	case UpdateStatus:
		return w.UpdateStatus(a.Object)
	case Delete:
		return w.Delete(a.Key, a.DeleteOptions)
	case Bind:
		return w.Bind(a.Key, a.NodeName)
	case Finalize:
		ns, ok := a.Object.(*objects.Namespace)
		if !ok {
			return nil, fmt.Errorf("finalize needs a Namespace, not %T", a.Object)
		}
		return w.FinalizeNamespace(ns)
	}
	return nil, fmt.Errorf("unknown action verb %d", a.Verb)
}

// KeyBuffer is room for the keys a controller's KeysFor returns, used
// again by its next call (which comes after the caller has read them):
// most changes map to a key or two, and a new slice for each was a good
// part of a simulation's allocations. The zero value is ready to use.
type KeyBuffer struct{ keys []objects.Key }

// One returns a slice holding key alone.
func (b *KeyBuffer) One(key objects.Key) []objects.Key {
	b.keys = append(b.keys[:0], key)
	return b.keys
}

// Empty returns an empty slice to append keys to; hand the result to Keep.
func (b *KeyBuffer) Empty() []objects.Key { return b.keys[:0] }

// Keep returns keys (appended to Empty's slice), keeping their room, grown
// or not, for the next call.
func (b *KeyBuffer) Keep(keys []objects.Key) []objects.Key {
	if cap(keys) > cap(b.keys) {
		b.keys = keys[:0]
	}
	return keys
}
