package statefulset

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name, the source of its events.
const Name = "statefulset-controller"

// Event reasons (stateful_pod_control.go).
const (
	ReasonSuccessfulCreate = "SuccessfulCreate"
	ReasonFailedCreate     = "FailedCreate"
	ReasonSuccessfulDelete = "SuccessfulDelete"
	ReasonFailedDelete     = "FailedDelete"
)

// Event message formats (recordPodEvent, recordClaimEvent): verb, object
// name(s), set name. Since 1.35 the verb is title-cased ("Create").
const (
	msgPodSuccess   = "%s Pod %s in StatefulSet %s successful"
	msgPodFailure   = "%s Pod %s in StatefulSet %s failed error: %v"
	msgClaimSuccess = "%s Claim %s Pod %s in StatefulSet %s success"
	msgClaimFailure = "%s Claim %s for Pod %s in StatefulSet %s failed error: %v"
)

// Delays of the controller.
const (
	// staleRetry is how soon a sync that found its own writes missing from
	// its view looks again.
	staleRetry = time.Second
	// availabilityEpsilon puts the requeue for a pod turning available just
	// past its boundary.
	availabilityEpsilon = time.Nanosecond
)

// Config holds the controller's version switches.
type Config struct {
	// LowerCaseVerbs words events as Kubernetes 1.34 and earlier did
	// ("create Pod web-0 in StatefulSet web successful"); false gives
	// 1.35+'s "Create Pod ...".
	LowerCaseVerbs bool
}

// Controller is kube-controller-manager's StatefulSet controller. Its state
// is the resourceVersion of its last write for each set and the templates
// of the revisions it has seen. Not safe for concurrent use.
type Controller struct {
	cfg       Config
	written   controllers.OwnWrites
	revisions map[string]*objects.PodTemplateSpec // by "<namespace>/<revision name>"
}

var _ controllers.Controller = (*Controller)(nil)

// New returns a StatefulSet controller as of Kubernetes 1.37.
func New() *Controller { return NewWithConfig(Config{}) }

// NewWithConfig returns a StatefulSet controller with the given switches.
func NewWithConfig(cfg Config) *Controller {
	return &Controller{cfg: cfg, written: controllers.OwnWrites{}, revisions: map[string]*objects.PodTemplateSpec{}}
}

// Name returns "statefulset-controller".
func (c *Controller) Name() string { return Name }

// Reconcile syncs the StatefulSet at key: it creates, deletes and replaces
// pods (and creates claims) as UpdateStatefulSet does, then writes status.
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		c.written.Forget(key)
		return controllers.Result{}
	}
	if c.written.Stale(r, key) {
		return controllers.Requeue(staleRetry)
	}
	set := obj.(*objects.StatefulSet).DeepCopy() // the store's objects are shared and read-only: work on a copy
	s := c.newSyncer(now, r, key, set)
	s.sync()
	return controllers.Result{Actions: s.actions, Events: s.events, RequeueAfter: s.requeue}
}

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the StatefulSet controller watches StatefulSets and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"StatefulSet", "Pod"}

// KeysFor maps a change to the sets to sync: a StatefulSet change syncs it;
// a pod change syncs the set controlling it (and the one that controlled
// it before, when that changed).
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.StatefulSet:
		return []objects.Key{objects.KeyOf(obj)}
	case *objects.Pod:
		var keys []objects.Key
		if old, ok := ev.Old.(*objects.Pod); ok {
			if k, ok := setKey(old); ok {
				keys = append(keys, k)
			}
		}
		if k, ok := setKey(obj); ok && (len(keys) == 0 || keys[0] != k) {
			keys = append(keys, k)
		}
		return keys
	}
	return nil
}

// setKey names the StatefulSet controlling p, if one does.
func setKey(p *objects.Pod) (objects.Key, bool) {
	ref := p.ControllerRef()
	if ref == nil || ref.Kind != "StatefulSet" {
		return objects.Key{}, false
	}
	return objects.Key{Kind: "StatefulSet", Namespace: p.Namespace, Name: ref.Name}, true
}

// rememberRevision records the template of a revision of a set in ns.
func (c *Controller) rememberRevision(ns, name string, t *objects.PodTemplateSpec) {
	if _, ok := c.revisions[ns+"/"+name]; !ok {
		c.revisions[ns+"/"+name] = t.DeepCopy()
	}
}

// revisionTemplate returns the remembered template of a revision, or nil.
func (c *Controller) revisionTemplate(ns, name string) *objects.PodTemplateSpec {
	return c.revisions[ns+"/"+name]
}
