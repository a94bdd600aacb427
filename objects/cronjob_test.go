package objects

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validCronJob returns the tutorial's hello CronJob, defaulted.
func validCronJob() *CronJob {
	c := &CronJob{
		TypeMeta:   TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: ObjectMeta{Name: "hello", Namespace: "default"},
		Spec: CronJobSpec{Schedule: "*/1 * * * *", JobTemplate: JobTemplateSpec{Spec: JobSpec{Template: PodTemplateSpec{Spec: PodSpec{
			RestartPolicy: RestartPolicyOnFailure,
			Containers:    []Container{{Name: "hello", Image: "busybox", Args: []string{"/bin/sh", "-c", "date"}}},
		}}}}},
	}
	Default(c)
	return c
}

// SetDefaults_CronJob, pkg/apis/batch/v1/defaults.go.
func TestDefaultCronJob(t *testing.T) {
	c := validCronJob()
	assert.Equal(t, AllowConcurrent, c.Spec.ConcurrencyPolicy)
	assert.False(t, *c.Spec.Suspend)
	assert.Equal(t, int32(3), *c.Spec.SuccessfulJobsHistoryLimit)
	assert.Equal(t, int32(1), *c.Spec.FailedJobsHistoryLimit)
	assert.Nil(t, c.Spec.StartingDeadlineSeconds)
	assert.Nil(t, c.Spec.TimeZone)
	// The template's pod spec is defaulted, its Job spec is not.
	assert.Equal(t, DefaultSchedulerName, c.Spec.JobTemplate.Spec.Template.Spec.SchedulerName)
	assert.Nil(t, c.Spec.JobTemplate.Spec.BackoffLimit)
	assert.Nil(t, c.Spec.JobTemplate.Spec.Completions)

	kept := validCronJob()
	kept.Spec.ConcurrencyPolicy = ForbidConcurrent
	kept.Spec.SuccessfulJobsHistoryLimit = ptrTo(int32(0))
	Default(kept)
	assert.Equal(t, ForbidConcurrent, kept.Spec.ConcurrencyPolicy)
	assert.Equal(t, int32(0), *kept.Spec.SuccessfulJobsHistoryLimit)
}

// Cases from upstream's validation_test.go TestValidateCronJob* and
// TestValidateCronJobScheduleTZ, with their messages.
func TestValidateCronJob(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *CronJob)
		want   []string
	}{
		{"valid", func(*CronJob) {}, nil},
		{"descriptor", func(c *CronJob) { c.Spec.Schedule = "@hourly" }, nil},
		{"every", func(c *CronJob) { c.Spec.Schedule = "@every 5m" }, nil},
		{"time zone", func(c *CronJob) { c.Spec.TimeZone = ptrTo("America/New_York") }, nil},
		{"52 characters", func(c *CronJob) { c.Name = strings.Repeat("a", 52) }, nil},
		{"53 characters", func(c *CronJob) { c.Name = strings.Repeat("a", 53) },
			[]string{`metadata.name: Invalid value: "` + strings.Repeat("a", 53) + `": must be no more than 52 characters`}},
		{"no schedule", func(c *CronJob) { c.Spec.Schedule = "" }, []string{"spec.schedule: Required value"}},
		{"bad schedule", func(c *CronJob) { c.Spec.Schedule = "error" },
			[]string{`spec.schedule: Invalid value: "error": expected exactly 5 fields, found 1: [error]`}},
		{"seven for Sunday", func(c *CronJob) { c.Spec.Schedule = "0 0 * * 7" },
			[]string{`spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7`}},
		{"TZ in schedule", func(c *CronJob) { c.Spec.Schedule = "TZ=UTC 0 * * * *" },
			[]string{`spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`}},
		{"CRON_TZ without a space", func(c *CronJob) { c.Spec.Schedule = "CRON_TZ=UTC" }, []string{
			`spec.schedule: Invalid value: "CRON_TZ=UTC": invalid schedule format: runtime error: slice bounds out of range [:-1]`,
			`spec.schedule: Invalid value: "CRON_TZ=UTC": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`}},
		{"negative deadline", func(c *CronJob) { c.Spec.StartingDeadlineSeconds = ptrTo(int64(-70)) },
			[]string{"spec.startingDeadlineSeconds: Invalid value: -70: must be greater than or equal to 0"}},
		{"zero deadline", func(c *CronJob) { c.Spec.StartingDeadlineSeconds = ptrTo(int64(0)) }, nil},
		{"bad policy", func(c *CronJob) { c.Spec.ConcurrencyPolicy = "Sometimes" },
			[]string{`spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`}},
		{"negative history", func(c *CronJob) { c.Spec.FailedJobsHistoryLimit = ptrTo(int32(-1)) },
			[]string{"spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"}},
		{"empty time zone", func(c *CronJob) { c.Spec.TimeZone = ptrTo("") },
			[]string{`spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string`}},
		{"Local", func(c *CronJob) { c.Spec.TimeZone = ptrTo("Local") },
			[]string{`spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`}},
		{"unknown zone", func(c *CronJob) { c.Spec.TimeZone = ptrTo("Europe/InvalidRome") },
			[]string{`spec.timeZone: Invalid value: "Europe/InvalidRome": unknown time zone Europe/InvalidRome`}},
		{"bad zone characters", func(c *CronJob) { c.Spec.TimeZone = ptrTo("../etc/passwd") },
			[]string{`spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd`}},
		{"restartPolicy Always", func(c *CronJob) { c.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = RestartPolicyAlways },
			[]string{`spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`}},
		{"selector", func(c *CronJob) {
			c.Spec.JobTemplate.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{"a": "b"}}
		}, []string{"spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validCronJob()
			tc.change(c)
			errs := ValidateCreate(c)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// ValidateCronJobUpdate skips the name limit and grandfathers TZ in a schedule.
func TestValidateCronJobUpdate(t *testing.T) {
	old := validCronJob()
	old.Name = strings.Repeat("a", 60)
	old.Spec.Schedule = "TZ=UTC 0 * * * *"
	upd := old.DeepCopy()
	upd.Spec.Schedule = "TZ=UTC 5 * * * *"
	assert.Empty(t, ValidateUpdate(upd, old))
	upd.Spec.TimeZone = ptrTo("UTC")
	require.Len(t, ValidateUpdate(upd, old), 1)
	assert.Equal(t, `spec.schedule: Invalid value: "TZ=UTC 5 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule`,
		ValidateUpdate(upd, old)[0].Error())
}

// A status update of a CronJob is checked as upstream's status strategy
// checks it: the metadata update only (cronJobStatusStrategy.ValidateUpdate
// returns no errors of its own), not the spec kept from the stored version.
func TestValidateCronJobStatusUpdate(t *testing.T) {
	old := validCronJob()
	old.Spec.Schedule = "TZ=UTC 0 * * * *"
	old.Spec.TimeZone = ptrTo("UTC") // invalid together, as an update would say
	require.NotEmpty(t, ValidateUpdate(old.DeepCopy(), old))
	upd := old.DeepCopy()
	upd.Status.LastScheduleTime = NewTimePtr(testTime)
	assert.Empty(t, ValidateStatusUpdate(upd, old))
	upd.Namespace = "elsewhere"
	assert.Equal(t, []string{`metadata.namespace: Invalid value: "elsewhere": field is immutable`},
		errorStrings(ValidateStatusUpdate(upd, old)))
}

// The tutorial's batch/v1beta1 manifest decodes and is stored as batch/v1.
func TestDecodeCronJobV1beta1(t *testing.T) {
	obj, err := DecodeOne([]byte(`apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - {name: hello, image: busybox, args: [/bin/sh, -c, date]}
          restartPolicy: OnFailure
`))
	require.NoError(t, err)
	c, ok := obj.(*CronJob)
	require.True(t, ok)
	assert.Equal(t, "batch/v1", c.APIVersion)
	assert.Equal(t, "*/1 * * * *", c.Spec.Schedule)
	k, ok := LookupResource("cj")
	require.True(t, ok)
	assert.Equal(t, "CronJob", k.Kind)
	assert.Equal(t, "cronjobs.batch", k.GroupResource())
}
