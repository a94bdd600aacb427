// Package serviceaccount models kube-controller-manager's
// serviceaccount-controller (pkg/controller/serviceaccount,
// ServiceAccountsController): every active namespace has a ServiceAccount
// named "default", the identity of pods that name none.
//
// # What it decides
//
// A namespace is looked at when it is created or updated, and when a
// ServiceAccount in it is deleted. If the namespace is Active and has no
// ServiceAccount "default", the controller creates one, with nothing but
// its name (since 1.24 no token Secret comes with it). A namespace being
// deleted gets nothing: its content is going.
//
// # Token Secrets, up to 1.23
//
// Tokens (tokens.go) is the token controller of the releases before 1.24:
// every ServiceAccount gets a Secret <name>-token-xxxxx of type
// kubernetes.io/service-account-token, referenced from its secrets, made
// again when deleted. Its name's suffix and token come from the account's
// uid, not a random source.
//
// # Imports and determinism
//
// serviceaccount imports controllers, storage and objects. It keeps no
// state: each reconcile reads the namespace and its ServiceAccount.
package serviceaccount

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name in kube-controller-manager.
const Name = "serviceaccount-controller"

// DefaultName is the ServiceAccount every namespace gets
// (DefaultServiceAccountsControllerOptions).
const DefaultName = "default"

// serviceAccountKind is the kind the controller keeps.
const serviceAccountKind = "ServiceAccount"

// Controller is the serviceaccount controller.
type Controller struct{}

var _ controllers.Controller = (*Controller)(nil)

// New returns the serviceaccount controller.
func New() *Controller { return &Controller{} }

// Name returns "serviceaccount-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the service account controller watches Namespaces and ServiceAccounts.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Namespace", serviceAccountKind}

// KeysFor returns the namespace of a namespace created or updated, and of a
// ServiceAccount deleted, as upstream's informer handlers do.
func (c *Controller) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.Namespace:
		if ev.Type != storage.Deleted {
			return []objects.Key{objects.KeyOf(o)}
		}
	default:
		if m := ev.Object.GetObjectMeta(); ev.Type == storage.Deleted && ev.Object.GetTypeMeta().Kind == serviceAccountKind {
			return []objects.Key{{Kind: "Namespace", Name: m.Namespace}}
		}
	}
	return nil
}

// Reconcile creates the namespace's default ServiceAccount if it is
// missing and the namespace is active (syncNamespace).
func (c *Controller) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	ns := obj.(*objects.Namespace)
	if !active(ns) {
		return controllers.Result{}
	}
	saKey := objects.Key{Kind: serviceAccountKind, Namespace: ns.Name, Name: DefaultName}
	if _, err := r.Get(saKey); err == nil {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Create, Object: DefaultServiceAccount(ns.Name)}}}
}

// DefaultServiceAccount is the ServiceAccount the controller creates in
// namespace.
func DefaultServiceAccount(namespace string) *objects.Unstructured {
	return &objects.Unstructured{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: serviceAccountKind},
		ObjectMeta: objects.ObjectMeta{Name: DefaultName, Namespace: namespace},
		Content:    map[string]any{},
	}
}

// active reports whether ns takes new content: Active, and not being
// deleted.
func active(ns *objects.Namespace) bool {
	return ns.DeletionTimestamp == nil && ns.Status.Phase != objects.NamespaceTerminating
}
