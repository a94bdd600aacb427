package ttlafterfinished

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name as kube-controller-manager registers it.
const Name = "ttl-after-finished-controller"

// Controller deletes finished Jobs whose TTL has expired. It is stateless.
type Controller struct{}

var _ controllers.Controller = (*Controller)(nil)

// New returns a TTL-after-finished controller.
func New() *Controller { return &Controller{} }

// Name returns "ttl-after-finished-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the TTL-after-finished controller watches Jobs.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Job"}

// KeysFor returns the Job of an added or updated Job event when the Job
// needs cleaning up and is not being deleted.
func (c *Controller) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	j, ok := ev.Object.(*objects.Job)
	if !ok || ev.Type == storage.Deleted || j.DeletionTimestamp != nil || !needsCleanup(j) {
		return nil
	}
	return []objects.Key{objects.KeyOf(j)}
}

// Reconcile deletes the Job at key if its TTL expired at now, or asks to
// look again when it will.
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	j := obj.(*objects.Job).DeepCopy() // the store's objects are shared and read-only: work on a copy
	if j.DeletionTimestamp != nil || !needsCleanup(j) {
		return controllers.Result{}
	}
	left, ok := timeLeft(j, now)
	if !ok {
		return controllers.Result{}
	}
	if left > 0 && !mutant.On("ttl-deletes-early") { // KEP-592: deleted before its TTL
		return controllers.Requeue(left)
	}
	return controllers.Result{Actions: []controllers.Action{{
		Verb: controllers.Delete, Key: key,
		DeleteOptions: storage.DeleteOptions{
			PropagationPolicy: storage.DeletePropagationForeground,
			Preconditions:     &storage.Preconditions{UID: j.UID},
		},
	}}}
}

// needsCleanup reports whether the Job is finished and sets a TTL.
func needsCleanup(j *objects.Job) bool {
	return j.Spec.TTLSecondsAfterFinished != nil && objects.IsJobFinished(j)
}

// finishTime is the lastTransitionTime of the Job's first terminal
// condition; ok is false when that time is missing.
func finishTime(j *objects.Job) (time.Time, bool) {
	for _, c := range j.Status.Conditions {
		if (c.Type == objects.JobComplete || c.Type == objects.JobFailed) && c.Status == objects.ConditionTrue {
			return c.LastTransitionTime.Time, !c.LastTransitionTime.IsZero()
		}
	}
	return time.Time{}, false
}

// timeLeft is how long after now the finished Job expires (zero or less
// when it has).
func timeLeft(j *objects.Job, now time.Time) (time.Duration, bool) {
	finished, ok := finishTime(j)
	if !ok {
		return 0, false
	}
	expire := finished.Add(time.Duration(*j.Spec.TTLSecondsAfterFinished) * time.Second)
	return expire.Sub(now), true
}
