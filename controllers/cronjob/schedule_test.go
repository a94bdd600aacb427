package cronjob

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// at parses an RFC 3339 time for the tables.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func ptr[T any](v T) *T { return &v }

// cronJobAt returns a CronJob on schedule created at created, last
// scheduled at lst (none when empty).
func cronJobAt(t *testing.T, schedule, created, lst string) *objects.CronJob {
	cj := &objects.CronJob{ObjectMeta: objects.ObjectMeta{Name: "mycronjob", Namespace: "snazzycats",
		CreationTimestamp: objects.NewTime(at(t, created))}, Spec: objects.CronJobSpec{Schedule: schedule}}
	if lst != "" {
		cj.Status.LastScheduleTime = objects.NewTimePtr(at(t, lst))
	}
	return cj
}

// parse parses the CronJob's formatted schedule in UTC.
func parse(t *testing.T, cj *objects.CronJob, loc *time.Location) localSchedule {
	t.Helper()
	text, _ := formatSchedule(cj)
	s, err := objects.ParseCronSchedule(text)
	require.NoError(t, err)
	return localSchedule{sched: s, loc: loc}
}

// Cases after upstream's utils_test.go TestMostRecentScheduleTime.
func TestMostRecentScheduleTime(t *testing.T) {
	tests := []struct {
		name, schedule, created, lst, now string
		sds                               *int64
		tz                                *string
		includeSDS                        bool
		want                              string // "" for nil
		missed                            missed
		err                               bool
	}{
		{name: "before the first slot", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", now: "2016-05-19T09:53:00Z"},
		{name: "created on a slot: that slot is not run", schedule: "0 * * * *", created: "2016-05-19T10:00:00Z", now: "2016-05-19T10:30:00Z"},
		{name: "just after the first slot", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", now: "2016-05-19T10:00:02Z",
			want: "2016-05-19T10:00:00Z"},
		{name: "last ran, none due", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T10:02:00Z"},
		{name: "last ran, one due", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T11:05:00Z", want: "2016-05-19T11:00:00Z"},
		{name: "two due: only the most recent", schedule: "0 * * * *", created: "2016-05-19T08:00:00Z", lst: "2016-05-19T09:00:00Z",
			now: "2016-05-19T11:05:00Z", want: "2016-05-19T11:00:00Z", missed: fewMissed},
		{name: "ten days overdue: many", schedule: "0 * * * *", created: "2016-05-19T08:00:00Z", lst: "2016-05-19T09:00:00Z",
			now: "2016-05-29T11:00:00Z", want: "2016-05-29T11:00:00Z", missed: manyMissed},
		{name: "ten days overdue, short deadline: few", schedule: "0 * * * *", created: "2016-05-19T08:00:00Z", lst: "2016-05-19T09:00:00Z",
			now: "2016-05-29T11:05:00Z", sds: ptr(int64(2 * 3600)), includeSDS: true, want: "2016-05-29T11:00:00Z", missed: fewMissed},
		{name: "deadline ignored when not asked", schedule: "0 * * * *", created: "2016-05-19T08:00:00Z", lst: "2016-05-19T09:00:00Z",
			now: "2016-05-29T11:05:00Z", sds: ptr(int64(2 * 3600)), want: "2016-05-29T11:00:00Z", missed: manyMissed},
		{name: "past the deadline", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T11:10:00Z", sds: ptr(int64(300)), includeSDS: true},
		{name: "within the deadline", schedule: "0 * * * *", created: "2016-05-19T09:50:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T11:04:00Z", sds: ptr(int64(300)), includeSDS: true, want: "2016-05-19T11:00:00Z"},
		{name: "deadline 0 never starts", schedule: "*/1 * * * *", created: "2016-05-19T09:50:00Z",
			now: "2016-05-19T11:00:00Z", sds: ptr(int64(0)), includeSDS: true},
		{name: "100 missed: few", schedule: "*/1 * * * *", created: "2016-05-19T09:00:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T11:40:00Z", want: "2016-05-19T11:40:00Z", missed: fewMissed},
		{name: "101 missed: many", schedule: "*/1 * * * *", created: "2016-05-19T09:00:00Z", lst: "2016-05-19T10:00:00Z",
			now: "2016-05-19T11:41:00Z", want: "2016-05-19T11:41:00Z", missed: manyMissed},
		{name: "uneven schedule overshoots: nil though slots were missed", schedule: "30 10,11,12 * * 1-5",
			created: "2024-05-16T09:00:00Z", lst: "2024-05-16T10:30:00Z", now: "2024-05-17T16:30:00Z", missed: fewMissed},
		{name: "uneven schedule over a weekend", schedule: "30 6-16/4 * * 1-5",
			created: "2024-05-17T06:00:00Z", lst: "2024-05-17T14:30:00Z", now: "2024-05-20T07:00:00Z", want: "2024-05-20T06:30:00Z"},
		{name: "@every counts from the last run", schedule: "@every 1h", created: "2016-05-19T08:59:00Z", lst: "2016-05-19T09:59:00Z",
			now: "2016-05-19T12:30:00Z", want: "2016-05-19T11:59:00Z", missed: fewMissed},
		{name: "@every with a deadline shorter than its interval never starts", schedule: "@every 1h", created: "2016-05-19T08:59:00Z",
			now: "2016-05-19T09:59:01Z", sds: ptr(int64(60)), includeSDS: true},
		{name: "impossible date", schedule: "59 23 31 2 *", created: "2016-05-19T08:00:00Z", now: "2016-05-19T09:00:00Z", err: true},
		{name: "spring forward: 02:30 does not exist on 10 March", schedule: "30 2 * * *", tz: ptr("America/New_York"),
			created: "2024-03-08T00:00:00Z", lst: "2024-03-09T07:30:00Z", now: "2024-03-11T07:00:00Z", want: "2024-03-11T06:30:00Z"},
		{name: "hourly across spring forward", schedule: "0 * * * *", tz: ptr("America/New_York"),
			created: "2024-03-10T00:00:00Z", lst: "2024-03-10T06:00:00Z", now: "2024-03-10T07:00:30Z", want: "2024-03-10T07:00:00Z"},
		{name: "fall back: 01:30 EDT", schedule: "30 1 * * *", tz: ptr("America/New_York"),
			created: "2024-11-01T00:00:00Z", lst: "2024-11-02T05:30:00Z", now: "2024-11-03T05:45:00Z", want: "2024-11-03T05:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cj := cronJobAt(t, tc.schedule, tc.created, tc.lst)
			cj.Spec.StartingDeadlineSeconds, cj.Spec.TimeZone = tc.sds, tc.tz
			w, err := mostRecentScheduleTime(cj, at(t, tc.now), parse(t, cj, time.UTC), tc.includeSDS)
			if tc.err {
				assert.EqualError(t, err, "time difference between two schedules is less than 1 second")
				return
			}
			require.NoError(t, err)
			if tc.want == "" {
				assert.Nil(t, w.most)
			} else if assert.NotNil(t, w.most) {
				assert.Equal(t, at(t, tc.want).UTC(), w.most.UTC())
			}
			assert.Equal(t, tc.missed, w.missed)
		})
	}
}

// The fall-back hour repeats: a daily 01:30 in New York runs twice on 3
// November 2024, at 05:30Z and 06:30Z.
func TestFallBackRunsTwice(t *testing.T) {
	cj := cronJobAt(t, "30 1 * * *", "2024-11-01T00:00:00Z", "2024-11-03T05:30:00Z")
	cj.Spec.TimeZone = ptr("America/New_York")
	next, err := nextScheduleTime(cj, at(t, "2024-11-03T06:30:00.1Z"), parse(t, cj, time.UTC))
	require.NoError(t, err)
	require.NotNil(t, next.at)
	assert.Equal(t, at(t, "2024-11-03T06:30:00Z"), next.at.UTC())
	ts, err := scheduledTimestamp(cj, *next.at)
	require.NoError(t, err)
	assert.Equal(t, "2024-11-03T01:30:00-05:00", ts)
	assert.Equal(t, "mycronjob-28843590", jobName(cj, *next.at))
}

// Upstream's TestNextScheduleTimeDuration: 100ms after the next slot.
func TestNextScheduleTimeDuration(t *testing.T) {
	tests := []struct {
		name, schedule, created, lst, now string
		want                              time.Duration
	}{
		{"before the first slot", "0 * * * *", "2016-05-19T09:50:00Z", "", "2016-05-19T09:53:00Z", 7*time.Minute + nextScheduleDelta},
		{"just ran", "*/1 * * * *", "2016-05-19T09:50:00Z", "2016-05-19T10:00:00Z", "2016-05-19T10:00:00.1Z", time.Minute},
		{"missed some: next after the most recent", "0 * * * *", "2016-05-19T08:00:00Z", "2016-05-19T09:00:00Z",
			"2016-05-19T11:05:00Z", 55*time.Minute + nextScheduleDelta},
		{"@every from the last run", "@every 1h", "2016-05-19T08:59:00Z", "2016-05-19T09:59:00Z", "2016-05-19T10:00:00Z",
			59*time.Minute + nextScheduleDelta},
		{"uneven overshoot: from now", "30 10,11,12 * * 1-5", "2024-05-16T09:00:00Z", "2024-05-16T10:30:00Z",
			"2024-05-17T16:30:00Z", 66*time.Hour + nextScheduleDelta},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cj := cronJobAt(t, tc.schedule, tc.created, tc.lst)
			assert.Equal(t, tc.want, nextScheduleTimeDuration(cj, at(t, tc.now), parse(t, cj, time.UTC)))
		})
	}
}

// Without spec.timeZone a schedule is read in the controller's local zone;
// the annotation is still in UTC.
func TestControllerLocalZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	cj := cronJobAt(t, "0 2 * * *", "2024-05-01T00:00:00Z", "")
	next, err := nextScheduleTime(cj, at(t, "2024-05-01T06:00:01Z"), parse(t, cj, ny))
	require.NoError(t, err)
	require.NotNil(t, next.at)
	assert.Equal(t, at(t, "2024-05-01T06:00:00Z"), next.at.UTC())
	ts, err := scheduledTimestamp(cj, *next.at)
	require.NoError(t, err)
	assert.Equal(t, "2024-05-01T06:00:00Z", ts)
}

func TestJobName(t *testing.T) {
	cj := cronJobAt(t, "0 * * * *", "2016-05-19T09:00:00Z", "")
	assert.Equal(t, "mycronjob-24394200", jobName(cj, at(t, "2016-05-19T10:00:00Z")))
	assert.Equal(t, "mycronjob-24404280", jobName(cj, at(t, "2016-05-26T10:00:00Z")))
	cj.Name = "hello"
	assert.Equal(t, "hello-28397974", jobName(cj, at(t, "2023-12-29T19:34:00Z")))
}

func TestFormatSchedule(t *testing.T) {
	cj := cronJobAt(t, "0 * * * *", "2016-05-19T09:00:00Z", "")
	s, legacy := formatSchedule(cj)
	assert.Equal(t, "0 * * * *", s)
	assert.False(t, legacy)
	cj.Spec.TimeZone = ptr("Europe/Rome")
	s, _ = formatSchedule(cj)
	assert.Equal(t, "TZ=Europe/Rome 0 * * * *", s)
	cj.Spec.Schedule = "CRON_TZ=UTC 0 * * * *"
	s, legacy = formatSchedule(cj)
	assert.Equal(t, "CRON_TZ=UTC 0 * * * *", s)
	assert.True(t, legacy)
}
