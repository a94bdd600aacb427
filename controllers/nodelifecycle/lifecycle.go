package nodelifecycle

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// MonitorGracePeriod is how long a node may go without a heartbeat before
// it is considered unreachable (kube-controller-manager
// --node-monitor-grace-period, 50s since v1.32).
const MonitorGracePeriod = 50 * time.Second

// Names and texts, as upstream spells them.
const (
	LifecycleName           = "node-lifecycle-controller"
	ReasonNodeNotReady      = "NodeNotReady"
	ReasonNodeStatusUnknown = "NodeStatusUnknown"
	MessageStoppedPosting   = "Kubelet stopped posting node status."
)

// Heartbeats tells when each node's kubelet last posted its status.
type Heartbeats interface {
	// LastHeartbeat returns the time of the node's last heartbeat and
	// whether the kubelet is still posting (then the time is "now").
	LastHeartbeat(node string) (at time.Time, alive bool)
}

// Lifecycle is the node lifecycle controller.
type Lifecycle struct {
	beats Heartbeats
}

var _ controllers.Controller = (*Lifecycle)(nil)

// NewLifecycle returns a controller watching the given heartbeats.
func NewLifecycle(beats Heartbeats) *Lifecycle { return &Lifecycle{beats: beats} }

// Name returns "node-lifecycle-controller".
func (l *Lifecycle) Name() string { return LifecycleName }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the node lifecycle controller watches Nodes here (pods are the eviction part's).
func (*Lifecycle) WatchedKinds() []string { return watchedLifecycle }

var watchedLifecycle = []string{"Node"}

// KeysFor returns the node's key for every node change.
func (l *Lifecycle) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	if n, ok := ev.Object.(*objects.Node); ok && ev.Type != storage.Deleted {
		return []objects.Key{objects.KeyOf(n)}
	}
	return nil
}

// Reconcile checks one node's health at now.
func (l *Lifecycle) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	node := obj.(*objects.Node).DeepCopy() // the store's objects are shared and read-only: work on a copy
	last, alive := l.beats.LastHeartbeat(node.Name)
	if alive {
		return restore(node)
	}
	if deadline := last.Add(MonitorGracePeriod); now.Before(deadline) {
		return controllers.Requeue(deadline.Sub(now))
	}
	return markUnreachable(now, r, node)
}

// restore removes the unreachable taints from a node whose kubelet posts
// Ready again.
func restore(node *objects.Node) controllers.Result {
	if !hasTaint(node, objects.TaintNodeUnreachable) || readyStatus(node) != objects.ConditionTrue {
		return controllers.Result{}
	}
	updated := node.DeepCopy()
	var kept []objects.Taint
	for _, t := range updated.Spec.Taints {
		if t.Key != objects.TaintNodeUnreachable {
			kept = append(kept, t)
		}
	}
	updated.Spec.Taints = kept
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: updated}}}
}

// markUnreachable turns the node's conditions Unknown, taints it and marks
// its pods not ready.
func markUnreachable(now time.Time, r storage.Reader, node *objects.Node) controllers.Result {
	var res controllers.Result
	statusWritten := false
	if readyStatus(node) != objects.ConditionUnknown {
		statusWritten = true
		st := node.DeepCopy()
		for i := range st.Status.Conditions {
			c := &st.Status.Conditions[i]
			c.Status, c.Reason, c.Message = objects.ConditionUnknown, ReasonNodeStatusUnknown, MessageStoppedPosting
			c.LastTransitionTime = objects.NewTime(now)
		}
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.UpdateStatus, Object: st})
		res.Events = append(res.Events, controllers.Normal(node, ReasonNodeNotReady,
			fmt.Sprintf("Node %s status is now: %s", node.Name, ReasonNodeNotReady)))
		res.Actions = append(res.Actions, markPodsNotReady(now, r, node.Name, &res)...)
	}
	if !hasTaint(node, objects.TaintNodeUnreachable) {
		tainted := node.DeepCopy()
		added := objects.NewTimePtr(now)
		tainted.Spec.Taints = append(tainted.Spec.Taints,
			objects.Taint{Key: objects.TaintNodeUnreachable, Effect: objects.TaintNoSchedule},
			objects.Taint{Key: objects.TaintNodeUnreachable, Effect: objects.TaintNoExecute, TimeAdded: added})
		// After the status write above, which bumps the resourceVersion,
		// this write goes unconditionally, as upstream's taint patch does.
		// As the first write of the node it is conditional on the version
		// read: from a stale view it must not overwrite a spec (taints,
		// unschedulable) written meanwhile.
		if statusWritten {
			tainted.ResourceVersion = ""
		}
		tainted.Status = objects.NodeStatus{}
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Update, Object: tainted})
	}
	return res
}

// markPodsNotReady sets Ready=False on every pod of the node, as upstream's
// MarkPodsNotReady does, with a NodeNotReady event on each. It scans the
// cluster's pods and copies only those of the node.
func markPodsNotReady(now time.Time, r storage.Reader, node string, res *controllers.Result) []controllers.Action {
	var out []controllers.Action
	r.ScanIndex(storage.IndexNode, node, "Pod", func(obj objects.Object) bool {
		pod := obj.(*objects.Pod)
		updated := pod.DeepCopy()
		changed := false
		for i := range updated.Status.Conditions {
			c := &updated.Status.Conditions[i]
			if c.Type == objects.PodReady && c.Status != objects.ConditionFalse {
				c.Status = objects.ConditionFalse
				c.LastTransitionTime = objects.NewTime(now)
				changed = true
			}
		}
		if changed {
			out = append(out, controllers.Action{Verb: controllers.UpdateStatus, Object: updated})
			res.Events = append(res.Events, controllers.Warning(pod, ReasonNodeNotReady, "Node is not ready"))
		}
		return true
	})
	return out
}

func readyStatus(node *objects.Node) string {
	for _, c := range node.Status.Conditions {
		if c.Type == objects.NodeReady {
			return c.Status
		}
	}
	return objects.ConditionUnknown
}

func hasTaint(node *objects.Node, key string) bool {
	for _, t := range node.Spec.Taints {
		if t.Key == key {
			return true
		}
	}
	return false
}
