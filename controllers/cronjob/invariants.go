package cronjob

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Invariants of CronJobs, for the property checker. CheckInvariants holds
// after every step; CheckSettled once the controller has nothing due; a
// Checker adds the invariants that need memory of earlier steps.

// CheckInvariants returns one error per violated invariant:
//   - a Forbid CronJob lists at most one active Job (unless its policy was
//     changed while several ran: the check trusts the current policy);
//   - status.active names no Job twice;
//   - no two Jobs a CronJob controls were scheduled for the same slot (the
//     scheduled-timestamp annotation).
func CheckInvariants(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List(cronJobKind, "", nil) {
		cj := o.(*objects.CronJob)
		key := objects.KeyOf(cj)
		if cj.Spec.ConcurrencyPolicy == objects.ForbidConcurrent && len(cj.Status.Active) > 1 {
			errs = append(errs, fmt.Errorf("cronjob %s: concurrencyPolicy Forbid but %d active jobs", key, len(cj.Status.Active)))
		}
		seen := map[string]bool{}
		for _, ref := range cj.Status.Active {
			if seen[ref.Name] {
				errs = append(errs, fmt.Errorf("cronjob %s: job %s is listed active twice", key, ref.Name))
			}
			seen[ref.Name] = true
		}
		slots := map[string]string{}
		for _, j := range listOwnedJobs(r, cj) {
			ts, ok := j.Annotations[objects.CronJobScheduledTimestampAnnotation]
			if !ok {
				continue
			}
			if other, dup := slots[ts]; dup {
				errs = append(errs, fmt.Errorf("cronjob %s: jobs %s and %s share the slot %s", key, other, j.Name, ts))
			}
			slots[ts] = j.Name
		}
	}
	return errs
}

// CheckSettled returns one error per CronJob that keeps more finished Jobs
// than its history limits allow; it holds once the controller has synced
// every change (each sync trims the history first).
func CheckSettled(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List(cronJobKind, "", nil) {
		cj := o.(*objects.CronJob)
		var succeeded, failed int32
		for _, j := range listOwnedJobs(r, cj) {
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
