package cronjob

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Invariants of CronJobs, for the property checker. CheckActiveUnique
// holds after every step; CheckSettledHistory once the controller has
// nothing due; a Checker adds the invariants that need memory of earlier
// steps. The concurrency policies and the one Job a slot are judged from
// the store's changes, by the property checker's trace invariants: the
// store alone cannot tell a Forbid CronJob with two active Jobs left from
// an Allow policy from one that broke Forbid.

// CheckActiveUnique returns one error per CronJob whose status.active
// names a Job twice.
func CheckActiveUnique(r storage.Reader) []error {
	var errs []error
	r.Scan(cronJobKind, "", func(o objects.Object) bool {
		cj := o.(*objects.CronJob)
		seen := map[string]bool{}
		for _, ref := range cj.Status.Active {
			if seen[ref.Name] {
				errs = append(errs, fmt.Errorf("cronjob %s: job %s is listed active twice", objects.KeyOf(cj), ref.Name))
			}
			seen[ref.Name] = true
		}
		return true
	})
	return errs
}

// historySlack is how long after a Job finishes its CronJob may still
// keep it beyond the history limits: until its next sync, which a busy
// controller's rate limit may delay.
const historySlack = time.Minute

// CheckSettledHistory returns one error per CronJob that keeps more
// finished Jobs than its history limits allow at now; it holds once the
// controller has synced every change (each sync trims the history first).
// A Job that finished within historySlack of now is not counted: a
// CronJob that keeps running Jobs is never quite settled.
func CheckSettledHistory(r storage.Reader, now time.Time) []error {
	var errs []error
	for _, o := range r.List(cronJobKind, "", nil) {
		cj := o.(*objects.CronJob)
		var succeeded, failed int32
		for _, j := range listOwnedJobs(r, cj) {
			if at := finishTime(j); now.Sub(at) < historySlack {
				continue
			}
			switch finishedCondition(j) {
			case objects.JobComplete:
				succeeded++
			case objects.JobFailed:
				failed++
			}
		}
		if l := cj.Spec.SuccessfulJobsHistoryLimit; l != nil && succeeded > *l {
			errs = append(errs, fmt.Errorf("cronjob %s: %d succeeded jobs kept, limit %d", objects.KeyOf(cj), succeeded, *l))
		}
		if l := cj.Spec.FailedJobsHistoryLimit; l != nil && failed > *l {
			errs = append(errs, fmt.Errorf("cronjob %s: %d failed jobs kept, limit %d", objects.KeyOf(cj), failed, *l))
		}
	}
	return errs
}

// Checker checks the invariants that need memory: a CronJob's
// lastScheduleTime never moves backwards and is always a slot of its
// schedule. It remembers each CronJob (by uid) between calls. Not safe for
// concurrent use.
type Checker struct {
	loc  *time.Location
	last map[string]time.Time
}

// NewChecker returns a Checker for a controller whose local zone is loc
// (UTC when nil), as given to New.
func NewChecker(loc *time.Location) *Checker {
	if loc == nil {
		loc = time.UTC
	}
	return &Checker{loc: loc, last: map[string]time.Time{}}
}

// Check returns one error per violated invariant in r, then remembers r's
// lastScheduleTimes.
func (c *Checker) Check(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List(cronJobKind, "", nil) {
		cj := o.(*objects.CronJob)
		lst := cj.Status.LastScheduleTime
		if lst == nil {
			continue
		}
		key := objects.KeyOf(cj)
		prev, seen := c.last[cj.UID]
		if seen && lst.Before(prev) {
			errs = append(errs, fmt.Errorf("cronjob %s: lastScheduleTime moved back from %s to %s", key,
				prev.UTC().Format(time.RFC3339), lst.UTC().Format(time.RFC3339)))
		}
		// Only a new value is checked: an old one may predate a schedule change.
		if (!seen || !lst.Equal(prev)) && !c.isSlot(cj, lst.Time) {
			errs = append(errs, fmt.Errorf("cronjob %s: lastScheduleTime %s is not a slot of %q", key,
				lst.UTC().Format(time.RFC3339), cj.Spec.Schedule))
		}
		c.last[cj.UID] = lst.Time
	}
	return errs
}

// isSlot reports whether t is a slot of the CronJob's schedule. @every
// schedules count from the last run, so any time is one of their slots;
// so is any time of a schedule that no longer parses.
func (c *Checker) isSlot(cj *objects.CronJob, t time.Time) bool {
	if strings.HasPrefix(strings.TrimSpace(cj.Spec.Schedule), "@every") {
		return true
	}
	text, _ := formatSchedule(cj)
	parsed, err := objects.ParseCronSchedule(text)
	if err != nil {
		return true
	}
	sched := localSchedule{sched: parsed, loc: c.loc}
	return sched.Next(t.Add(-time.Second)).Equal(t)
}

// CheckInvariants runs every check that holds after every step.
func CheckInvariants(r storage.Reader) []error { return CheckActiveUnique(r) }

// CheckSettled runs every check of a settled cluster, long after its
// last change.
func CheckSettled(r storage.Reader) []error {
	return CheckSettledHistory(r, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
}

// finishTime is when a Job's terminal condition became true, zero when
// it has none.
func finishTime(j *objects.Job) time.Time {
	for _, c := range j.Status.Conditions {
		if (c.Type == objects.JobComplete || c.Type == objects.JobFailed) && c.Status == objects.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}
