package cronjob

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kubesim/kubesim/objects"
)

// scheduleCache remembers what schedules say, so that a reconcile does not
// parse its CronJob's schedule again and walk robfig/cron's fields for slots
// it worked out a moment ago: a CronJob is reconciled at every change of
// its Jobs, four or five times a slot, and each asks for the same few
// slots (5% of a thousand every-minute CronJobs' run). Both answers are
// pure functions of their inputs (the controller's zone is fixed), so
// remembering them changes nothing but the time taken; both maps start
// over when full.
type scheduleCache struct {
	parsed map[string]parsedSchedule
	nexts  map[nextQuery]time.Time
}

// parsedSchedule is ParseCronSchedule's answer for a schedule text.
type parsedSchedule struct {
	sched cron.Schedule
	err   error
}

// nextQuery is one question to a schedule: its first slot after an instant.
type nextQuery struct {
	text string
	at   int64 // Unix nanoseconds
}

// maxCachedSchedules bounds each map of a scheduleCache.
const maxCachedSchedules = 4096

func newScheduleCache() *scheduleCache {
	return &scheduleCache{parsed: map[string]parsedSchedule{}, nexts: map[nextQuery]time.Time{}}
}

// parse is objects.ParseCronSchedule(text), remembered.
func (c *scheduleCache) parse(text string) (cron.Schedule, error) {
	if p, ok := c.parsed[text]; ok {
		return p.sched, p.err
	}
	sched, err := objects.ParseCronSchedule(text)
	if len(c.parsed) >= maxCachedSchedules {
		clear(c.parsed)
	}
	c.parsed[text] = parsedSchedule{sched, err}
	return sched, err
}

// cachedSchedule is a schedule, read in the controller's zone, whose slots
// the cache remembers.
type cachedSchedule struct {
	cache *scheduleCache
	text  string
	local localSchedule
}

// Next returns the first slot after t, as local.Next does.
func (s cachedSchedule) Next(t time.Time) time.Time {
	q := nextQuery{s.text, t.UnixNano()}
	if next, ok := s.cache.nexts[q]; ok {
		return next
	}
	next := s.local.Next(t)
	if len(s.cache.nexts) >= maxCachedSchedules {
		clear(s.cache.nexts)
	}
	s.cache.nexts[q] = next
	return next
}
