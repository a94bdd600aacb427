package cronjob

import (
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name, the source of its events.
const Name = "cronjob-controller"

// Event reasons, as cronjob_controllerv2.go records them.
const (
	ReasonSuccessfulCreate    = "SuccessfulCreate"
	ReasonFailedCreate        = "FailedCreate"
	ReasonSuccessfulDelete    = "SuccessfulDelete"
	ReasonFailedDelete        = "FailedDelete"
	ReasonSawCompletedJob     = "SawCompletedJob"
	ReasonJobAlreadyActive    = "JobAlreadyActive"
	ReasonTooManyMissedTimes  = "TooManyMissedTimes"
	ReasonMissSchedule        = "MissSchedule"
	ReasonUnexpectedJob       = "UnexpectedJob"
	ReasonMissingJob          = "MissingJob"
	ReasonUnknownTimeZone     = "UnknownTimeZone"
	ReasonUnsupportedSchedule = "UnsupportedSchedule"
	ReasonUnparseableSchedule = "UnparseableSchedule"
	ReasonInvalidSchedule     = "InvalidSchedule"
)

// Event messages (format strings) of cronjob_controllerv2.go and utils.go.
const (
	msgCreated            = "Created job %v"
	msgFailedCreate       = "Error creating job: %v"
	msgDeleted            = "Deleted job %v"
	msgFailedDelete       = "Deleted job: %v"
	msgSawCompleted       = "Saw completed job: %s, condition: %v"
	msgJobAlreadyActive   = "Not starting job because prior execution is running and concurrency policy is Forbid"
	msgTooManyMissed      = "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
	msgMissSchedule       = "Missed scheduled time to start a job: %s"
	msgUnexpectedJob      = "Saw a job that the controller did not create or forgot: %s"
	msgMissingJob         = "Active job went missing: %v"
	msgUnknownTimeZone    = "invalid timeZone: %q: %s"
	msgUnsupportedSched   = "CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
	msgUnparseableSched   = "unparseable schedule: %q : %s"
	msgInvalidSchedule    = "invalid schedule: %s : %s"
	cronJobAPIVersion     = "batch/v1"
	cronJobKind           = "CronJob"
	jobAPIVersion         = "batch/v1"
	jobKind               = "Job"
	deletePropagationJobs = storage.DeletePropagationBackground
)

// Controller is kube-controller-manager's CronJob controller v2. Its only
// memory is upstream's informer index of Jobs by controller uid, kept from
// the watch events KeysFor sees; everything else is in the CronJobs'
// status. Not safe for concurrent use.
type Controller struct {
	// loc is the controller manager's local zone, in which schedules
	// without spec.timeZone are read.
	loc *time.Location
	// jobsByOwner maps a controller uid to the keys of the Jobs it
	// controls, in key order (a CronJob's history limits keep them few).
	jobsByOwner map[string][]objects.Key
	// ownerOf is the reverse of jobsByOwner.
	ownerOf map[objects.Key]string
	// schedules remembers parsed schedules and their slots.
	schedules *scheduleCache
	keys      controllers.KeyBuffer // KeysFor's
	// spare is a working copy the last sync neither wrote nor kept.
	spare *objects.CronJob
}

var _ controllers.Controller = (*Controller)(nil)

// New returns a CronJob controller whose local zone is loc (UTC when nil).
func New(loc *time.Location) *Controller {
	if loc == nil {
		loc = time.UTC
	}
	return &Controller{loc: loc, jobsByOwner: map[string][]objects.Key{}, ownerOf: map[objects.Key]string{},
		schedules: newScheduleCache()}
}

// Name returns "cronjob-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the CronJob controller watches CronJobs and Jobs.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"CronJob", "Job"}

// KeysFor maps a change to the CronJob to sync, as upstream's handlers
// enqueue: any change of a CronJob, and any change of a Job whose
// controller reference resolves to a CronJob (by name and uid).
//
// Upstream delays the sync after a schedule or timeZone change to the
// new schedule's next slot; here it is immediate, which only matters when
// the new schedule has a slot between the last run and now (it starts at
// once instead of at the next wakeup).
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.CronJob:
		return c.keys.One(objects.KeyOf(obj))
	case *objects.Job:
		c.index(obj, ev.Type == storage.Deleted)
		keys := c.keys.Empty()
		if old, ok := ev.Old.(*objects.Job); ok {
			if ref := old.ControllerRef(); ref != nil && !sameRef(ref, obj.ControllerRef()) {
				keys = appendOwner(keys, r, old.Namespace, ref)
			}
		}
		if ref := obj.ControllerRef(); ref != nil {
			keys = appendOwner(keys, r, obj.Namespace, ref)
		}
		return c.keys.Keep(keys)
	}
	return nil
}

// sameRef reports whether two controller references name the same owner.
func sameRef(a, b *objects.OwnerReference) bool {
	return b != nil && a.UID == b.UID && a.Kind == b.Kind && a.Name == b.Name
}

// appendOwner adds the key of the CronJob ref names, if it exists with
// that uid (upstream's resolveControllerRef).
func appendOwner(keys []objects.Key, r storage.Reader, ns string, ref *objects.OwnerReference) []objects.Key {
	if cj := controllers.ResolveControllerRef(r, cronJobKind, ns, ref); cj != nil {
		return append(keys, objects.KeyOf(cj))
	}
	return keys
}

// Reconcile syncs the CronJob at key at now: history cleanup, then the
// schedule, returning the writes, events and next wakeup of upstream's sync.
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	orig := obj.(*objects.CronJob)
	cj := c.syncCopy(orig)
	s := &syncer{now: now, loc: c.loc, schedules: c.schedules, orig: orig, cj: cj, r: r, jobs: c.ownedJobs(r, orig)}
	res := s.sync()
	if len(res.Actions) == 0 {
		// No write carries the copy, and no callback (Then) keeps the
		// syncer: the next sync copies into it. Most syncs (an owned
		// Job's status moved) write nothing.
		c.spare = cj
	}
	return res
}

// syncCopy is workingCopy in the copy the last sync left unused, if any.
func (c *Controller) syncCopy(orig *objects.CronJob) *objects.CronJob {
	cj := c.spare
	if cj == nil {
		return workingCopy(orig)
	}
	c.spare = nil
	*cj = *orig
	cj.Status.Active = slices.Clone(orig.Status.Active)
	return cj
}

// workingCopy returns the copy of cj a sync changes: a sync changes only
// the status (and writes nothing else back), assigning its times and
// rebuilding or appending to its active list, so the copy shares the rest
// with the stored CronJob (read-only) and has an active list of its own.
func workingCopy(cj *objects.CronJob) *objects.CronJob {
	c := *cj
	c.Status.Active = slices.Clone(cj.Status.Active)
	return &c
}

// index records (or, for a deleted Job, forgets) the Job's controller uid
// (1.37's jobControllerUID informer index).
func (c *Controller) index(j *objects.Job, deleted bool) {
	key := objects.KeyOf(j)
	ref := j.ControllerRef()
	uid, indexed := c.ownerOf[key]
	if indexed && !deleted && ref != nil && ref.UID == uid {
		return // most changes: a status
	}
	if indexed {
		keys := c.jobsByOwner[uid]
		if i, found := slices.BinarySearchFunc(keys, key, objects.Key.Compare); found {
			keys = slices.Delete(keys, i, i+1)
		}
		if len(keys) == 0 {
			delete(c.jobsByOwner, uid)
		} else {
			c.jobsByOwner[uid] = keys
		}
		delete(c.ownerOf, key)
	}
	if deleted || ref == nil {
		return
	}
	keys := c.jobsByOwner[ref.UID]
	i, _ := slices.BinarySearchFunc(keys, key, objects.Key.Compare)
	c.jobsByOwner[ref.UID] = slices.Insert(keys, i, key)
	c.ownerOf[key] = ref.UID
}

// ownedJobs returns the Jobs the index lists for the CronJob that the view
// still holds under its uid, by key.
func (c *Controller) ownedJobs(r storage.Reader, cj *objects.CronJob) []*objects.Job {
	var out []*objects.Job
	for _, k := range c.jobsByOwner[cj.UID] {
		obj, err := r.Get(k)
		if err != nil {
			continue
		}
		if j := obj.(*objects.Job); isControlledBy(j, cj) {
			out = append(out, j)
		}
	}
	return out
}

// isControlledBy reports whether the Job's controller reference carries the CronJob's uid.
func isControlledBy(j *objects.Job, cj *objects.CronJob) bool {
	ref := j.ControllerRef()
	return ref != nil && ref.UID == cj.UID
}

// listOwnedJobs lists the Jobs whose controller reference carries the
// CronJob's uid (1.37's jobControllerUID index), by name.
func listOwnedJobs(r storage.Reader, cj *objects.CronJob) []*objects.Job {
	var out []*objects.Job
	for _, o := range r.List(jobKind, cj.Namespace, nil) {
		j := o.(*objects.Job)
		if isControlledBy(j, cj) {
			out = append(out, j)
		}
	}
	return out
}

// localSchedule reads a schedule without a zone of its own in the
// controller's local zone: robfig/cron evaluates such a schedule in the
// zone of the time it is given, so each time is moved to loc first.
type localSchedule struct {
	sched cron.Schedule
	loc   *time.Location
}

// Next returns the first slot after t.
func (s localSchedule) Next(t time.Time) time.Time { return s.sched.Next(t.In(s.loc)) }
