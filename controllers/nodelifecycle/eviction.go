package nodelifecycle

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Names and texts of the taint eviction controller.
const (
	EvictionName                 = "taint-eviction-controller"
	ReasonTaintManagerEviction   = "TaintManagerEviction"
	ReasonDeletionByTaintManager = "DeletionByTaintManager"
)

// Eviction is the taint eviction controller.
type Eviction struct{}

var _ controllers.Controller = (*Eviction)(nil)

// NewEviction returns the taint eviction controller.
func NewEviction() *Eviction { return &Eviction{} }

// Name returns "taint-eviction-controller".
func (e *Eviction) Name() string { return EvictionName }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// taint eviction watches Pods and Nodes.
func (*Eviction) WatchedKinds() []string { return watchedEviction }

var watchedEviction = []string{"Pod", "Node"}

// KeysFor returns a pod's key when it changes on a node with a NoExecute
// taint, and every pod of a node whose taints change. A pod on an
// untainted node is left alone, as upstream's handlePodUpdate cancels its
// work at once when the node has no NoExecute taint; should the node gain
// one, its change brings the node's pods here.
func (e *Eviction) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.Pod:
		if ev.Type != storage.Deleted && o.Spec.NodeName != "" && o.DeletionTimestamp == nil && nodeHasNoExecute(r, o.Spec.NodeName) {
			return []objects.Key{objects.KeyOf(o)}
		}
	case *objects.Node:
		if ev.Type == storage.Deleted || !hasNoExecute(o) {
			return nil
		}
		var keys []objects.Key
		r.ScanIndex(storage.IndexNode, o.Name, "Pod", func(obj objects.Object) bool {
			keys = append(keys, objects.KeyOf(obj))
			return true
		})
		return keys
	}
	return nil
}

// nodeHasNoExecute reports whether the node called name, as r holds it,
// has a NoExecute taint.
func nodeHasNoExecute(r storage.Reader, name string) bool {
	obj, err := r.Get(objects.Key{Kind: "Node", Name: name})
	return err == nil && hasNoExecute(obj.(*objects.Node))
}

// Reconcile evicts the pod at key when its node's NoExecute taints say so.
func (e *Eviction) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	pod := obj.(*objects.Pod) // shared and read-only: evictPod writes a copy
	if pod.DeletionTimestamp != nil || pod.Spec.NodeName == "" {
		return controllers.Result{}
	}
	nodeObj, err := r.Get(objects.Key{Kind: "Node", Name: pod.Spec.NodeName})
	if err != nil {
		return controllers.Result{}
	}
	at, evict := evictionTime(pod, nodeObj.(*objects.Node))
	if !evict {
		return controllers.Result{}
	}
	if now.Before(at) {
		return controllers.Requeue(at.Sub(now))
	}
	return evictPod(now, pod)
}

// evictionTime returns when pod must go because of node's NoExecute taints:
// at once for a taint it does not tolerate, else when the shortest
// matching tolerationSeconds runs out; false if it may stay.
func evictionTime(pod *objects.Pod, node *objects.Node) (time.Time, bool) {
	var when time.Time
	evict := false
	for _, t := range node.Spec.Taints {
		if t.Effect != objects.TaintNoExecute {
			continue
		}
		since := time.Time{}
		if t.TimeAdded != nil {
			since = t.TimeAdded.Time
		}
		tol, ok := matchingToleration(pod.Spec.Tolerations, t)
		switch {
		case !ok:
			return since, true
		case tol.TolerationSeconds == nil:
			continue // tolerated forever
		}
		at := since.Add(time.Duration(max(*tol.TolerationSeconds, 0)) * time.Second)
		if !evict || at.Before(when) {
			when, evict = at, true
		}
	}
	return when, evict
}

// matchingToleration finds a toleration of taint t.
func matchingToleration(tols []objects.Toleration, t objects.Taint) (objects.Toleration, bool) {
	for _, tol := range tols {
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key != "" && tol.Key != t.Key {
			continue
		}
		if tol.Operator == "Exists" || tol.Value == t.Value {
			return tol, true
		}
	}
	return objects.Toleration{}, false
}

// evictPod marks the pod DisruptionTarget and deletes it.
func evictPod(now time.Time, pod *objects.Pod) controllers.Result {
	marked := pod.DeepCopy()
	marked.Status.Conditions = append(marked.Status.Conditions, objects.PodCondition{
		Type: objects.DisruptionTarget, Status: objects.ConditionTrue, Reason: ReasonDeletionByTaintManager,
		Message: "Taint manager: deleting due to NoExecute taint", LastTransitionTime: objects.NewTime(now)})
	return controllers.Result{
		Actions: []controllers.Action{
			{Verb: controllers.UpdateStatus, Object: marked},
			{Verb: controllers.Delete, Key: objects.KeyOf(pod),
				DeleteOptions: storage.DeleteOptions{Preconditions: &storage.Preconditions{UID: pod.UID}}},
		},
		Events: []controllers.Event{controllers.Normal(pod, ReasonTaintManagerEviction,
			fmt.Sprintf("Marking for deletion Pod %s/%s", pod.Namespace, pod.Name))},
	}
}

func hasNoExecute(node *objects.Node) bool {
	for _, t := range node.Spec.Taints {
		if t.Effect == objects.TaintNoExecute {
			return true
		}
	}
	return false
}
