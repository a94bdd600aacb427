// Package namespace models kube-controller-manager's namespace controller:
// a namespace being deleted is emptied — every object in it deleted — and,
// once nothing is left, its "kubernetes" finalizer is removed so the store
// can let it go.
//
// It imports controllers, storage and objects. It needs a store view that
// can list every kind (storage.Store and its snapshots can), since a
// namespace may hold kinds kubesim does not model.
package namespace

import (
	"slices"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name.
const Name = "namespace-controller"

// finalizerKubernetes is the spec finalizer the namespace controller owns.
const finalizerKubernetes = "kubernetes"

// allKinds is the part of a store view that walks every object.
type allKinds interface {
	ScanAll(visit func(objects.Object) bool)
}

// Controller is the namespace controller.
type Controller struct{}

var _ controllers.Controller = (*Controller)(nil)

// New returns the namespace controller.
func New() *Controller { return &Controller{} }

// Name returns "namespace-controller".
func (c *Controller) Name() string { return Name }

// KeysFor returns a namespace being deleted, and the namespace of any
// object deleted from a namespace (it may now be empty).
func (c *Controller) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	if ns, ok := ev.Object.(*objects.Namespace); ok {
		if ns.DeletionTimestamp != nil && ev.Type != storage.Deleted {
			return []objects.Key{objects.KeyOf(ns)}
		}
		return nil
	}
	if m := ev.Object.GetObjectMeta(); ev.Type == storage.Deleted && m.Namespace != "" {
		return []objects.Key{{Kind: "Namespace", Name: m.Namespace}}
	}
	return nil
}

// Reconcile deletes what is left in a terminating namespace, or releases
// the namespace once it is empty.
func (c *Controller) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	ns := obj.(*objects.Namespace).DeepCopy() // the store's objects are shared and read-only: work on a copy
	all, ok := r.(allKinds)
	if ns.DeletionTimestamp == nil || !ok {
		return controllers.Result{}
	}
	var res controllers.Result
	remaining := 0
	all.ScanAll(func(o objects.Object) bool {
		m := o.GetObjectMeta()
		if m.Namespace != ns.Name {
			return true
		}
		remaining++
		if m.DeletionTimestamp == nil {
			res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(o),
				DeleteOptions: storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground,
					Preconditions: &storage.Preconditions{UID: m.UID}}})
		}
		return true
	})
	if remaining == 0 && slices.Contains(ns.Spec.Finalizers, finalizerKubernetes) {
		done := ns.DeepCopy()
		done.Spec.Finalizers = slices.DeleteFunc(done.Spec.Finalizers, func(f string) bool { return f == finalizerKubernetes })
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Finalize, Object: done})
	}
	return res
}
