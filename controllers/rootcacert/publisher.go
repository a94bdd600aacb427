// Package rootcacert models kube-controller-manager's
// root-ca-certificate-publisher-controller
// (pkg/controller/certificates/rootcacertpublisher): every namespace has
// the ConfigMap kube-root-ca.crt holding the cluster's CA bundle under
// ca.crt, so that pods can verify the apiserver they reach at
// kubernetes.default.svc.
//
// # What it decides
//
// A namespace is looked at when it is created, when it is updated while
// Active, and when its kube-root-ca.crt ConfigMap is updated or deleted. A
// missing ConfigMap is created (not in a namespace being deleted, where
// upstream's create fails and is not retried); one whose data is not
// exactly {ca.crt: <the bundle>} or that lost its description annotation
// is put back, other annotations and labels kept.
//
// # Imports and determinism
//
// rootcacert imports controllers, storage and objects. The bundle is given
// to New; the controller keeps no other state.
package rootcacert

import (
	"maps"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name in kube-controller-manager.
const Name = "root-ca-certificate-publisher-controller"

// The ConfigMap the controller publishes, as upstream names and describes
// it.
const (
	ConfigMapName         = "kube-root-ca.crt"
	DataKey               = "ca.crt"
	DescriptionAnnotation = "kubernetes.io/description"
	Description           = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
		"No other usage is guaranteed across distributions of Kubernetes clusters."
)

// Controller is the root CA certificate publisher.
type Controller struct {
	rootCA string
}

var _ controllers.Controller = (*Controller)(nil)

// New returns the publisher of rootCA, a PEM bundle.
func New(rootCA string) *Controller { return &Controller{rootCA: rootCA} }

// Name returns "root-ca-certificate-publisher-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the root CA publisher watches Namespaces and ConfigMaps.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Namespace", "ConfigMap"}

// KeysFor returns the namespace of a namespace created, or updated while
// Active, and of a kube-root-ca.crt ConfigMap updated or deleted.
func (c *Controller) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.Namespace:
		if ev.Type == storage.Added || ev.Type == storage.Modified && o.Status.Phase == objects.NamespaceActive {
			return []objects.Key{objects.KeyOf(o)}
		}
	case *objects.ConfigMap:
		if o.Name == ConfigMapName && ev.Type != storage.Added {
			return []objects.Key{{Kind: "Namespace", Name: o.Namespace}}
		}
	}
	return nil
}

// Reconcile creates or repairs the namespace's kube-root-ca.crt
// (syncNamespace).
func (c *Controller) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(objects.Key{Kind: "ConfigMap", Namespace: key.Name, Name: ConfigMapName})
	if err != nil {
		if !c.takesContent(r, key) {
			return controllers.Result{}
		}
		return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Create, Object: c.ConfigMap(key.Name)}}}
	}
	cm := obj.(*objects.ConfigMap).DeepCopy() // the store's objects are shared and read-only: work on a copy
	if c.upToDate(cm) {
		return controllers.Result{}
	}
	cm.Data = c.data()
	if cm.Annotations == nil {
		cm.Annotations = map[string]string{}
	}
	cm.Annotations[DescriptionAnnotation] = Description
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: cm}}}
}

// ConfigMap is the ConfigMap the controller creates in namespace.
func (c *Controller) ConfigMap(namespace string) *objects.ConfigMap {
	return &objects.ConfigMap{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Name: ConfigMapName, Namespace: namespace,
			Annotations: map[string]string{DescriptionAnnotation: Description}},
		Data: c.data(),
	}
}

// data is the ConfigMap's data: the bundle under ca.crt.
func (c *Controller) data() map[string]string { return map[string]string{DataKey: c.rootCA} }

// upToDate reports whether cm holds exactly the bundle and a description.
func (c *Controller) upToDate(cm *objects.ConfigMap) bool {
	return maps.Equal(cm.Data, c.data()) && cm.Annotations[DescriptionAnnotation] != ""
}

// takesContent reports whether the namespace named by key exists and is
// not being deleted.
func (c *Controller) takesContent(r storage.Reader, key objects.Key) bool {
	obj, err := r.Get(key)
	if err != nil {
		return false
	}
	ns := obj.(*objects.Namespace)
	return ns.DeletionTimestamp == nil && ns.Status.Phase != objects.NamespaceTerminating
}
