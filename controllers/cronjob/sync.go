package cronjob

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// syncer is one run of upstream's sync for one CronJob: cj is the working
// copy whose status the sync changes and writes once at the end.
type syncer struct {
	now           time.Time
	loc           *time.Location
	schedules     *scheduleCache
	orig          *objects.CronJob
	cj            *objects.CronJob
	r             storage.Reader
	jobs          []*objects.Job
	plan          plan
	statusChanged bool
}

// sync is upstream's sync: history cleanup, then syncCronJob, then one
// status write if either changed the status.
func (s *syncer) sync() controllers.Result {
	s.cleanupFinishedJobs()
	requeue := s.syncCronJob()
	if s.statusChanged {
		s.plan.act(controllers.Action{Verb: controllers.UpdateStatus, Object: s.cj})
	}
	return s.plan.result(requeue)
}

// normal and warning record an event about the CronJob.
func (s *syncer) normal(reason, format string, args ...any) {
	s.plan.event(controllers.Normal(s.orig, reason, fmt.Sprintf(format, args...)))
}

func (s *syncer) warning(reason, format string, args ...any) {
	s.plan.event(controllers.Warning(s.orig, reason, fmt.Sprintf(format, args...)))
}

// syncCronJob is upstream's syncCronJob: it tracks the owned Jobs, then
// starts the Job of the most recent unmet slot if the policy allows, and
// returns when to look again (zero: not until something changes).
func (s *syncer) syncCronJob() time.Duration {
	s.reconcileJobs()
	s.dropMissingJobs()
	cj := s.cj
	if cj.DeletionTimestamp != nil {
		return 0
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil {
			s.warning(ReasonUnknownTimeZone, msgUnknownTimeZone, *tz, err)
			return 0
		}
	}
	if objects.IsCronJobSuspended(cj) {
		return 0
	}
	text, legacy := formatSchedule(cj)
	if legacy {
		s.warning(ReasonUnsupportedSchedule, msgUnsupportedSched, cj.Spec.Schedule)
	}
	parsed, err := s.schedules.parse(text)
	if err != nil {
		s.warning(ReasonUnparseableSchedule, msgUnparseableSched, cj.Spec.Schedule, err)
		return 0
	}
	return s.startDue(cachedSchedule{cache: s.schedules, text: text, local: localSchedule{sched: parsed, loc: s.loc}})
}

// startDue starts the Job of the most recent unmet slot of sched, if any
// and if the concurrency policy allows, and returns the requeue delay.
func (s *syncer) startDue(sched cron.Schedule) time.Duration {
	cj := s.cj
	next, err := nextScheduleTime(cj, s.now, sched)
	if next.tooMany {
		s.warning(ReasonTooManyMissedTimes, msgTooManyMissed)
	}
	if err != nil {
		s.warning(ReasonInvalidSchedule, msgInvalidSchedule, cj.Spec.Schedule, err)
		return 0
	}
	if next.at == nil {
		return s.requeue(sched)
	}
	slot := *next.at
	if tooLate(cj, slot, s.now) {
		// Unreachable, as upstream's: a slot found is within the deadline.
		s.warning(ReasonMissSchedule, msgMissSchedule, slot.UTC().Format(time.RFC1123Z))
		return s.requeue(sched)
	}
	name := jobName(cj, slot)
	if inActiveByName(cj, name) || (cj.Status.LastScheduleTime != nil && cj.Status.LastScheduleTime.Equal(slot)) {
		return s.requeue(sched)
	}
	if cj.Spec.ConcurrencyPolicy == objects.ForbidConcurrent && len(cj.Status.Active) > 0 && !mutant.On("cronjob-forbid-concurrent") { // #107827: Forbid not honoured
		s.normal(ReasonJobAlreadyActive, msgJobAlreadyActive)
		return s.requeue(sched)
	}
	if cj.Spec.ConcurrencyPolicy == objects.ReplaceConcurrent && !mutant.On("cronjob-replace-keeps-old") && !s.replaceActive() { // #115335: Replace leaves the old Job
		return 0
	}
	if !s.createJob(slot, name) {
		return 0
	}
	return s.requeue(sched)
}

// requeue is nextScheduleTimeDuration for the working copy, at least 1ns
// (upstream's AddAfter of a non-positive delay adds at once).
func (s *syncer) requeue(sched cron.Schedule) time.Duration {
	return max(nextScheduleTimeDuration(s.cj, s.now, sched), time.Nanosecond)
}

// tooLate reports whether slot is older than startingDeadlineSeconds.
func tooLate(cj *objects.CronJob, slot, now time.Time) bool {
	sds := cj.Spec.StartingDeadlineSeconds
	return sds != nil && slot.Add(time.Duration(*sds)*time.Second).Before(now)
}

// reconcileJobs is the first loop of syncCronJob: unfinished Jobs missing
// from status.active are reported, finished ones leave it, and succeeded
// ones move lastSuccessfulTime forward.
func (s *syncer) reconcileJobs() {
	cj := s.cj
	for _, j := range s.jobs {
		found := inActive(cj, j.UID)
		cond := finishedCondition(j)
		switch {
		case !found && cond == "":
			s.warning(ReasonUnexpectedJob, msgUnexpectedJob, j.Name)
		case cond != "":
			if found {
				removeFromActive(cj, j.UID)
				s.normal(ReasonSawCompletedJob, msgSawCompleted, j.Name, cond)
				s.statusChanged = true
			}
			if objects.JobConditionTrue(j.Status.Conditions, objects.JobComplete) {
				s.observeSuccess(j)
			}
		}
	}
}

// observeSuccess moves lastSuccessfulTime to the Job's completion time if
// that is later (or it is unset), as upstream does.
func (s *syncer) observeSuccess(j *objects.Job) {
	st := &s.cj.Status
	if st.LastSuccessfulTime == nil {
		st.LastSuccessfulTime = copyTime(j.Status.CompletionTime)
		s.statusChanged = true
	}
	if c := j.Status.CompletionTime; c != nil && c.After(st.LastSuccessfulTime.Time) {
		st.LastSuccessfulTime = copyTime(c)
		s.statusChanged = true
	}
}

// copyTime returns an independent copy of an optional time.
func copyTime(t *objects.Time) *objects.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// dropMissingJobs is the second loop of syncCronJob: an active reference
// to a Job that no longer exists is removed (MissingJob).
func (s *syncer) dropMissingJobs() {
	owned := make(map[string]bool, len(s.jobs))
	for _, j := range s.jobs {
		owned[j.UID] = true
	}
	for _, ref := range append([]objects.ObjectReference(nil), s.cj.Status.Active...) {
		if owned[ref.UID] {
			continue
		}
		// A Job the lister lacks may be one it has not heard of yet:
		// upstream GETs it from the apiserver before calling it missing.
		_, err := controllers.Live(s.r).Get(objects.Key{Kind: jobKind, Namespace: ref.Namespace, Name: ref.Name})
		if errors.Is(err, storage.ErrNotFound) {
			s.normal(ReasonMissingJob, msgMissingJob, ref.Name)
			removeFromActive(s.cj, ref.UID)
			s.statusChanged = true
		}
	}
}

// replaceActive deletes every active Job (Replace policy). It reports
// false when one could not be read, as upstream's FailedGet exit.
func (s *syncer) replaceActive() bool {
	for _, ref := range append([]objects.ObjectReference(nil), s.cj.Status.Active...) {
		obj, err := controllers.Live(s.r).Get(objects.Key{Kind: jobKind, Namespace: ref.Namespace, Name: ref.Name})
		if err != nil {
			s.warning("FailedGet", "Get job: %v", err)
			return false
		}
		s.deleteJob(obj.(*objects.Job))
	}
	return true
}

// deleteJob plans upstream's deleteJob: a background-cascading delete,
// the Job out of status.active, and SuccessfulDelete (or FailedDelete).
func (s *syncer) deleteJob(j *objects.Job) {
	name := j.Name
	s.plan.act(controllers.Action{
		Verb: controllers.Delete, Key: objects.KeyOf(j),
		DeleteOptions: storage.DeleteOptions{PropagationPolicy: deletePropagationJobs},
		Then: func(_ objects.Object, err error) []controllers.Event {
			if err != nil {
				return []controllers.Event{controllers.Warning(s.orig, ReasonFailedDelete, fmt.Sprintf(msgFailedDelete, err))}
			}
			return []controllers.Event{controllers.Normal(s.orig, ReasonSuccessfulDelete, fmt.Sprintf(msgDeleted, name))}
		},
	})
	removeFromActive(s.cj, j.UID)
	s.statusChanged = true
}

// createJob plans the Job of slot and its place in the status. A Job of
// that name already in the view stands for upstream's AlreadyExists: one
// the CronJob controls but does not list is adopted without an event;
// otherwise nothing more happens. It reports whether the sync goes on to
// requeue.
func (s *syncer) createJob(slot time.Time, name string) bool {
	cj := s.cj
	if obj, err := controllers.Live(s.r).Get(objects.Key{Kind: jobKind, Namespace: cj.Namespace, Name: name}); err == nil {
		existing := obj.(*objects.Job)
		if ref := existing.ControllerRef(); ref == nil || ref.UID != cj.UID || inActive(cj, existing.UID) {
			return false
		}
		s.markStarted(controllers.RefTo(existing), slot)
		return true
	}
	job, err := jobFromTemplate(cj, slot)
	if err != nil {
		return false
	}
	s.markStarted(objects.ObjectReference{Kind: jobKind, APIVersion: jobAPIVersion, Namespace: cj.Namespace, Name: name}, slot)
	s.plan.act(controllers.Action{Verb: controllers.Create, Object: job,
		Then: func(written objects.Object, err error) []controllers.Event {
			switch {
			case err == nil:
				// The status write that follows names the Job as stored.
				setActiveRef(cj, controllers.RefTo(written))
				return []controllers.Event{controllers.Normal(s.orig, ReasonSuccessfulCreate, fmt.Sprintf(msgCreated, written.GetObjectMeta().Name))}
			case errors.Is(err, storage.ErrAlreadyExists):
				return nil
			}
			return []controllers.Event{controllers.Warning(s.orig, ReasonFailedCreate, fmt.Sprintf(msgFailedCreate, err))}
		}})
	return true
}

// setActiveRef replaces the active reference of the same name with ref.
func setActiveRef(cj *objects.CronJob, ref objects.ObjectReference) {
	for i := range cj.Status.Active {
		if cj.Status.Active[i].Name == ref.Name && cj.Status.Active[i].UID == "" {
			cj.Status.Active[i] = ref
		}
	}
}

// markStarted adds ref to status.active and sets lastScheduleTime to slot.
func (s *syncer) markStarted(ref objects.ObjectReference, slot time.Time) {
	s.cj.Status.Active = append(s.cj.Status.Active, ref)
	s.cj.Status.LastScheduleTime = objects.NewTimePtr(slot)
	s.statusChanged = true
}

// jobFromTemplate is upstream's getJobFromTemplate2: the template's labels,
// annotations plus the scheduled timestamp, the CronJob as controller, the
// template's spec.
func jobFromTemplate(cj *objects.CronJob, slot time.Time) (*objects.Job, error) {
	ts, err := scheduledTimestamp(cj, slot)
	if err != nil {
		return nil, err
	}
	annotations := copyMap(cj.Spec.JobTemplate.Annotations)
	annotations[objects.CronJobScheduledTimestampAnnotation] = ts
	yes := true
	j := &objects.Job{
		TypeMeta: objects.TypeMeta{APIVersion: jobAPIVersion, Kind: jobKind},
		ObjectMeta: objects.ObjectMeta{Name: jobName(cj, slot), Namespace: cj.Namespace,
			Labels: copyMap(cj.Spec.JobTemplate.Labels), Annotations: annotations,
			OwnerReferences: []objects.OwnerReference{{APIVersion: cronJobAPIVersion, Kind: cronJobKind,
				Name: cj.Name, UID: cj.UID, Controller: &yes, BlockOwnerDeletion: &yes}}},
	}
	cj.Spec.JobTemplate.Spec.DeepCopyInto(&j.Spec)
	if mutant.On("cronjob-two-jobs-one-slot") { // a generated name: a create repeated after a lost status write makes a second Job
		j.GenerateName, j.Name = j.Name+"-", ""
	}
	return j, nil
}

// copyMap returns a non-nil copy of m, as upstream's copyLabels does.
func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// cleanupFinishedJobs is upstream's cleanupFinishedJobs: beyond each
// history limit, the oldest-started finished Jobs are deleted.
func (s *syncer) cleanupFinishedJobs() {
	spec := &s.cj.Spec
	if (spec.SuccessfulJobsHistoryLimit == nil && spec.FailedJobsHistoryLimit == nil) || mutant.On("cronjob-history-untrimmed") { // #64056: limits not applied
		return
	}
	var succeeded, failed []*objects.Job
	for _, j := range s.jobs {
		switch finishedCondition(j) {
		case objects.JobComplete:
			succeeded = append(succeeded, j)
		case objects.JobFailed:
			failed = append(failed, j)
		}
	}
	if spec.SuccessfulJobsHistoryLimit != nil {
		s.removeOldest(succeeded, *spec.SuccessfulJobsHistoryLimit)
	}
	if spec.FailedJobsHistoryLimit != nil {
		s.removeOldest(failed, *spec.FailedJobsHistoryLimit)
	}
}

// removeOldest deletes the Jobs of js beyond limit, oldest started first.
func (s *syncer) removeOldest(js []*objects.Job, limit int32) {
	n := len(js) - int(limit)
	if n <= 0 {
		return
	}
	for _, j := range byStartTime(js)[:n] {
		s.deleteJob(j)
	}
}

// byStartTime returns js sorted as upstream's byJobStartTime: by
// status.startTime, Jobs that have none last, then by name.
func byStartTime(js []*objects.Job) []*objects.Job {
	out := append([]*objects.Job(nil), js...)
	sort.SliceStable(out, func(a, b int) bool {
		sa, sb := out[a].Status.StartTime, out[b].Status.StartTime
		switch {
		case sa == nil && sb != nil:
			return false
		case sa != nil && sb == nil:
			return true
		case sa == nil || sa.Equal(sb.Time):
			return out[a].Name < out[b].Name
		}
		return sa.Before(sb.Time)
	})
	return out
}

// finishedCondition is upstream's getFinishedStatus: the type of the first
// Complete or Failed condition that is True, or "" for a running Job.
func finishedCondition(j *objects.Job) string {
	for _, c := range j.Status.Conditions {
		if (c.Type == objects.JobComplete || c.Type == objects.JobFailed) && c.Status == objects.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// inActive reports whether status.active holds the Job with uid.
func inActive(cj *objects.CronJob, uid string) bool {
	for _, r := range cj.Status.Active {
		if r.UID == uid {
			return true
		}
	}
	return false
}

// inActiveByName reports whether status.active names a Job name in the
// CronJob's namespace (upstream's inActiveListByName).
func inActiveByName(cj *objects.CronJob, name string) bool {
	for _, r := range cj.Status.Active {
		if r.Name == name && r.Namespace == cj.Namespace {
			return true
		}
	}
	return false
}

// removeFromActive drops the Job with uid from status.active.
func removeFromActive(cj *objects.CronJob, uid string) {
	var kept []objects.ObjectReference
	for _, r := range cj.Status.Active {
		if r.UID != uid {
			kept = append(kept, r)
		}
	}
	cj.Status.Active = kept
}
