package job

import (
	"reflect"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the Job controller's informers watch Jobs and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Job", "Pod"}

// KeysFor maps a change to the keys to reconcile, as upstream's event
// handlers enqueue them: a Job change syncs the Job (and, once it is
// finished or gone, puts its tracked pods on the orphan queue); a pod
// change syncs the Job controlling it, or, for an orphan, the Jobs whose
// selector matches it (to adopt it); a tracked pod no live Job will
// account for becomes a Pod key, whose reconcile removes the finalizer.
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.Job:
		key := objects.KeyOf(obj)
		if ev.Type == storage.Deleted || objects.IsJobFinished(obj) {
			return c.keys.Keep(appendTrackedPodKeys(append(c.keys.Empty(), key), obj, r))
		}
		return c.keys.One(key)
	case *objects.Pod:
		var old *objects.Pod
		if o, ok := ev.Old.(*objects.Pod); ok {
			old = o
		}
		return c.keys.Keep(appendPodKeys(c.keys.Empty(), ev.Type, obj, old, r))
	}
	return nil
}

// BatchDelay is how long the sync a change asks for waits
// (controllers.Batcher), as upstream's event handlers enqueue: a pod's
// add, update or delete syncs its Job after syncJobBatchPeriod
// (enqueueSyncJobBatched), so that a burst of pod changes makes one sync;
// so does an update of a Job's status alone. A Job's creation, deletion
// or spec change (a new generation) syncs it at once
// (enqueueSyncJobImmediately), as does a pod put on the orphan queue.
func (*Controller) BatchDelay(ev storage.WatchEvent, key objects.Key) time.Duration {
	if key.Kind != "Job" {
		return 0 // the orphan queue
	}
	switch obj := ev.Object.(type) {
	case *objects.Pod:
		return syncBatchPeriod
	case *objects.Job:
		if old, ok := ev.Old.(*objects.Job); ok && ev.Type == storage.Modified && old.Generation == obj.Generation {
			return syncBatchPeriod
		}
	}
	return 0
}

// appendTrackedPodKeys appends the pods the Job controls that still
// carry the tracking finalizer (upstream's cleanupPodFinalizers) to keys.
//
// The selector is parsed only once a pod still carries the finalizer: most
// finished Jobs' pods have let it go, and a day of CronJobs spent 1% of
// its time parsing selectors it never used.
func appendTrackedPodKeys(keys []objects.Key, j *objects.Job, r storage.Reader) []objects.Key {
	var sel objects.Selector
	controllers.ScanControlled(r, "Pod", j.Namespace, j.UID, func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if !hasTrackingFinalizer(p) || !controlledBy(p, j) {
			return true
		}
		if sel == nil {
			parsed, err := objects.LabelSelectorAsSelector(j.Spec.Selector)
			if err != nil {
				return false
			}
			sel = parsed
		}
		if sel.Matches(p.Labels) {
			keys = append(keys, objects.KeyOf(p))
		}
		return true
	})
	return keys
}

// appendPodKeys appends the keys of upstream's addPod, updatePod and
// deletePod to keys.
func appendPodKeys(keys []objects.Key, t storage.EventType, p, old *objects.Pod, r storage.Reader) []objects.Key {
	ref := p.ControllerRef()
	if old != nil {
		// The same reference (a version sharing its owner references) is
		// equal without a deep comparison.
		if oldRef := old.ControllerRef(); oldRef != nil && oldRef != ref && !reflect.DeepEqual(oldRef, ref) {
			if j := resolveJob(r, old.Namespace, oldRef); j != nil {
				keys = append(keys, objects.KeyOf(j))
			}
		}
	}
	deleting := t == storage.Deleted || p.DeletionTimestamp != nil
	if ref != nil {
		j := resolveJob(r, p.Namespace, ref)
		switch {
		case deleting && (j == nil || objects.IsJobFinished(j)):
			if hasTrackingFinalizer(p) && t != storage.Deleted {
				keys = append(keys, objects.KeyOf(p))
			}
		case j != nil:
			keys = append(keys, objects.KeyOf(j))
		}
		return keys
	}
	if hasTrackingFinalizer(p) && t != storage.Deleted {
		keys = append(keys, objects.KeyOf(p))
	}
	if t == storage.Deleted {
		return keys
	}
	if old == nil || !reflect.DeepEqual(old.Labels, p.Labels) || old.ControllerRef() != nil {
		keys = append(keys, matchingJobKeys(r, p)...)
	}
	return keys
}

// resolveJob returns the Job a controller reference names, if it exists
// with that uid.
func resolveJob(r storage.Reader, ns string, ref *objects.OwnerReference) *objects.Job {
	if obj := controllers.ResolveControllerRef(r, "Job", ns, ref); obj != nil {
		return obj.(*objects.Job)
	}
	return nil
}

// matchingJobKeys lists the Jobs of the pod's namespace whose selector
// matches its labels (GetPodJobs).
func matchingJobKeys(r storage.Reader, p *objects.Pod) []objects.Key {
	return controllers.KeysSelecting(r, "Job", p.Namespace, p.Labels, jobSelector)
}

// jobSelector reads a Job's label selector.
func jobSelector(o objects.Object) *objects.LabelSelector { return o.(*objects.Job).Spec.Selector }

// syncOrphanPod removes the tracking finalizer of a pod no live Job
// accounts for: its controller Job is gone or finished, or it has none.
// A pod controlled by something other than a batch/v1 Job is left alone.
func syncOrphanPod(r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	p := obj.(*objects.Pod)
	if ref := p.ControllerRef(); ref != nil {
		if ref.Kind != "Job" || ref.APIVersion != "batch/v1" {
			return controllers.Result{}
		}
		if j := resolveJob(r, p.Namespace, ref); j != nil && (managedByOther(j) || !objects.IsJobFinished(j)) {
			return controllers.Result{}
		}
	}
	if !hasTrackingFinalizer(p) {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{removeFinalizerAction(p, nil)}}
}

// removeFinalizerAction removes the tracking finalizer from p, as
// upstream's strategic-merge patch does for the same pod (uid
// precondition). An update here rewrites the whole pod, so it is
// conditional on the resourceVersion read: from a stale view it gets a
// Conflict, and the retry reads a fresher one, rather than overwrite what
// was written meanwhile (another finalizer, an owner reference, labels).
func removeFinalizerAction(p *objects.Pod, then func(objects.Object, error) []controllers.Event) controllers.Action {
	upd := shallowPod(p)
	dropTrackingFinalizer(upd) // a new slice: p's is shared
	return controllers.Action{Verb: controllers.Update, Object: upd, Then: then}
}

// dropTrackingFinalizer removes the tracking finalizer from p.
func dropTrackingFinalizer(p *objects.Pod) {
	var kept []string
	for _, f := range p.Finalizers {
		if f != objects.JobTrackingFinalizer {
			kept = append(kept, f)
		}
	}
	p.Finalizers = kept
}
