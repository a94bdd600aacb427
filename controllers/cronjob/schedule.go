package cronjob

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kubesim/kubesim/objects"
)

// nextScheduleDelta is how long after a slot the controller looks again
// (cronjob_controllerv2.go nextScheduleDelta).
const nextScheduleDelta = 100 * time.Millisecond

// tooManyMissed is the count of missed slots above which a start warns
// TooManyMissedTimes (utils.go: "somewhat arbitrarily picked 100").
const tooManyMissed = 100

// errTooClose is upstream's error for a schedule whose two next slots are
// less than a second apart, which is how robfig/cron reports an impossible
// date such as "59 23 31 2 *" (two zero times).
var errTooClose = errors.New("time difference between two schedules is less than 1 second")

// missed says how many slots passed since the window's start: none, few,
// or more than 100 (utils.go missedSchedulesType).
type missed int

const (
	noneMissed missed = iota
	fewMissed
	manyMissed
)

// window is what mostRecentScheduleTime finds.
type window struct {
	// earliest is where the search started: lastScheduleTime, else the
	// creation time, moved forward to now-startingDeadlineSeconds if asked.
	earliest time.Time
	// most is the most recent slot in (earliest, now], or nil.
	most *time.Time
	// missed classifies the estimated number of slots passed.
	missed missed
}

// mostRecentScheduleTime is upstream's mostRecentScheduleTime: the most
// recent slot of sched after the CronJob's last schedule (or creation) and
// no later than now, found with upstream's uniform-interval estimate.
// includeDeadline narrows the window to startingDeadlineSeconds.
func mostRecentScheduleTime(cj *objects.CronJob, now time.Time, sched cron.Schedule, includeDeadline bool) (window, error) {
	w := window{earliest: earliestTime(cj, now, includeDeadline)}
	t1 := sched.Next(w.earliest)
	t2 := sched.Next(t1)
	if now.Before(t1) {
		return w, nil
	}
	if now.Before(t2) {
		w.most = &t1
		return w, nil
	}
	interval := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if interval < 1 {
		return w, errTooClose
	}
	n := int64(now.Sub(t1).Seconds())/interval + 1
	// Walk from two estimated intervals before the last estimated slot, so
	// that uneven schedules (30 6-16/4 * * 1-5) land on a real slot.
	var most time.Time
	from := t1.Add(time.Duration((n-2)*interval) * time.Second)
	for t := sched.Next(from); !t.After(now); t = sched.Next(t) {
		most = t
	}
	w.missed = classifyMissed(n)
	if !most.IsZero() {
		w.most = &most
	}
	return w, nil
}

// classifyMissed maps an estimated number of missed slots to its class.
func classifyMissed(n int64) missed {
	switch {
	case n > tooManyMissed:
		return manyMissed
	case n > 0:
		return fewMissed
	}
	return noneMissed
}

// earliestTime is where the search for unmet slots starts: the last
// schedule time, or the creation time if none, and, with includeDeadline,
// no earlier than now less startingDeadlineSeconds.
func earliestTime(cj *objects.CronJob, now time.Time, includeDeadline bool) time.Time {
	earliest := cj.CreationTimestamp.Time
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time
	}
	if sds := cj.Spec.StartingDeadlineSeconds; includeDeadline && sds != nil {
		if deadline := now.Add(-time.Duration(*sds) * time.Second); deadline.After(earliest) {
			earliest = deadline
		}
	}
	return earliest
}

// scheduled is what nextScheduleTime decides.
type scheduled struct {
	// at is the slot to start a job for, or nil.
	at *time.Time
	// tooMany is set when a slot was found after more than 100 missed ones.
	tooMany bool
}

// nextScheduleTime is upstream's nextScheduleTime: the slot to start now,
// within startingDeadlineSeconds, and whether to warn TooManyMissedTimes.
func nextScheduleTime(cj *objects.CronJob, now time.Time, sched cron.Schedule) (scheduled, error) {
	w, err := mostRecentScheduleTime(cj, now, sched, true)
	if w.most == nil || w.most.IsZero() {
		return scheduled{}, err
	}
	return scheduled{at: w.most, tooMany: w.missed == manyMissed}, err
}

// nextScheduleTimeDuration is upstream's nextScheduleTimeDuration: how long
// until 100ms after the next slot, ignoring startingDeadlineSeconds.
func nextScheduleTimeDuration(cj *objects.CronJob, now time.Time, sched cron.Schedule) time.Duration {
	w, err := mostRecentScheduleTime(cj, now, sched, false)
	base := now
	switch {
	case err != nil:
	case w.most != nil:
		base = *w.most
	case w.missed == noneMissed:
		base = w.earliest
	}
	return sched.Next(base).Add(nextScheduleDelta).Sub(now)
}

// formatSchedule is upstream's formatSchedule: the schedule with a "TZ="
// prefix for spec.timeZone, or verbatim when it names a zone itself (then
// legacy is true: upstream warns UnsupportedSchedule) or the zone does not
// load.
func formatSchedule(cj *objects.CronJob) (schedule string, legacy bool) {
	s := cj.Spec.Schedule
	if strings.Contains(s, "TZ") {
		return s, true
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := time.LoadLocation(*tz); err == nil {
			return fmt.Sprintf("TZ=%s %s", *tz, s), false
		}
	}
	return s, false
}

// jobName is upstream's getJobName: the CronJob's name and the slot in
// minutes since the Unix epoch.
func jobName(cj *objects.CronJob, slot time.Time) string {
	return fmt.Sprintf("%s-%d", cj.Name, slot.Unix()/60)
}

// scheduledTimestamp is the scheduled-timestamp annotation's value: the
// slot in RFC 3339 in spec.timeZone, UTC without one (upstream loads
// LoadLocation(""), which is UTC, whatever the controller's zone).
func scheduledTimestamp(cj *objects.CronJob, slot time.Time) (string, error) {
	tz := ""
	if cj.Spec.TimeZone != nil {
		tz = *cj.Spec.TimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return "", err
	}
	return slot.In(loc).Format(time.RFC3339), nil
}
