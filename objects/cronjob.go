package objects

import (
	// Embedded IANA database: spec.timeZone must load the same way on every
	// machine, as it does in kube-apiserver and kube-controller-manager,
	// which embed it too (KEP-3140).
	_ "time/tzdata"
)

// This file holds the batch/v1 CronJob kind (k8s.io/api batch/v1 types.go)
// and its defaulting (pkg/apis/batch/v1/defaults.go SetDefaults_CronJob).
// Validation is in cronjobvalidation.go.

// CronJob creates Jobs on a repeating schedule (batch/v1 CronJob).
type CronJob struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       CronJobSpec   `json:"spec"`
	Status     CronJobStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the CronJob.
func (c *CronJob) DeepCopyObject() Object { return c.DeepCopy() }

// CronJobSpec is what a CronJob asks for (batch/v1 CronJobSpec).
type CronJobSpec struct {
	// Schedule is the cron schedule: five fields, a descriptor (@hourly) or @every.
	Schedule string `json:"schedule"`
	// TimeZone is the IANA zone the schedule is read in; nil means the
	// controller manager's local zone.
	TimeZone *string `json:"timeZone,omitempty"`
	// StartingDeadlineSeconds is how late a missed run may still start; nil means no deadline.
	StartingDeadlineSeconds *int64 `json:"startingDeadlineSeconds,omitempty"`
	// ConcurrencyPolicy is Allow, Forbid or Replace.
	ConcurrencyPolicy string `json:"concurrencyPolicy,omitempty"`
	// Suspend stops new runs (running Jobs are left alone).
	Suspend *bool `json:"suspend,omitempty"`
	// JobTemplate is the Job each run creates.
	JobTemplate JobTemplateSpec `json:"jobTemplate"`
	// SuccessfulJobsHistoryLimit is how many completed Jobs are kept.
	SuccessfulJobsHistoryLimit *int32 `json:"successfulJobsHistoryLimit,omitempty"`
	// FailedJobsHistoryLimit is how many failed Jobs are kept.
	FailedJobsHistoryLimit *int32 `json:"failedJobsHistoryLimit,omitempty"`
}

// JobTemplateSpec is the metadata and spec of the Jobs a CronJob creates
// (batch/v1 JobTemplateSpec).
type JobTemplateSpec struct {
	ObjectMeta `json:"metadata,omitzero"`
	Spec       JobSpec `json:"spec,omitzero"`
}

// CronJobStatus is what the CronJob controller reports (batch/v1 CronJobStatus).
type CronJobStatus struct {
	// Active references the Jobs the controller started that are still running.
	Active []ObjectReference `json:"active,omitempty"`
	// LastScheduleTime is the scheduled time of the last Job started.
	LastScheduleTime *Time `json:"lastScheduleTime,omitempty"`
	// LastSuccessfulTime is the latest completion time of a Job that succeeded.
	LastSuccessfulTime *Time `json:"lastSuccessfulTime,omitempty"`
}

// Concurrency policies (batch/v1 ConcurrencyPolicy).
const (
	AllowConcurrent   = "Allow"
	ForbidConcurrent  = "Forbid"
	ReplaceConcurrent = "Replace"
)

// CronJobScheduledTimestampAnnotation is set on each Job a CronJob creates
// to its scheduled time in RFC 3339, in the CronJob's time zone (batch/v1
// types.go CronJobScheduledTimestampAnnotation).
const CronJobScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

// CronJob defaults (SetDefaults_CronJob).
const (
	DefaultSuccessfulJobsHistoryLimit = 3
	DefaultFailedJobsHistoryLimit     = 1
)

// defaultCronJob is SetDefaults_CronJob plus the generated defaulters of
// the job template's pod spec. The job template's JobSpec itself gets no
// defaults (SetDefaults_Job is registered on Job, not JobSpec), so a stored
// CronJob's template shows no backoffLimit or completions, as upstream's does.
func defaultCronJob(c *CronJob) {
	s := &c.Spec
	if s.ConcurrencyPolicy == "" {
		s.ConcurrencyPolicy = AllowConcurrent
	}
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	if s.SuccessfulJobsHistoryLimit == nil {
		s.SuccessfulJobsHistoryLimit = ptrTo(int32(DefaultSuccessfulJobsHistoryLimit))
	}
	if s.FailedJobsHistoryLimit == nil {
		s.FailedJobsHistoryLimit = ptrTo(int32(DefaultFailedJobsHistoryLimit))
	}
	DefaultPodSpec(&s.JobTemplate.Spec.Template.Spec)
}

// IsCronJobSuspended reports whether spec.suspend is true.
func IsCronJobSuspended(c *CronJob) bool { return c.Spec.Suspend != nil && *c.Spec.Suspend }
