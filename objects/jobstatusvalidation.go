package objects

import (
	"fmt"
	"slices"
)

// Job status validation, after upstream's validateJobStatus and
// ValidateJobStatusUpdate with the options the status strategy passes
// (getStatusValidationOptions, JobManagedBy on): each rule is enforced only
// when a field it reads changed, so that a status valid before stays
// writable, and so that updates through the main endpoint, which keep the
// stored status, never trip them.

// jobStatusChanges says which parts of a Job's status an update changed.
type jobStatusChanges struct {
	finished, complete, failed, failureTarget, successCriteriaMet bool
	completedIndexes, failedIndexes, active, ready, terminating   bool
	startTime, completionTime, uncounted                          bool
}

// changesBetween compares the status of j with old's.
func changesBetween(j, old *Job) jobStatusChanges {
	s, o := &j.Status, &old.Status
	cond := func(t string) bool {
		return JobConditionTrue(s.Conditions, t) != JobConditionTrue(o.Conditions, t)
	}
	return jobStatusChanges{
		finished: IsJobFinished(j) != IsJobFinished(old), complete: cond(JobComplete), failed: cond(JobFailed),
		failureTarget: cond(JobFailureTarget), successCriteriaMet: cond(JobSuccessCriteriaMet),
		completedIndexes: s.CompletedIndexes != o.CompletedIndexes,
		failedIndexes:    !ptrsEqual(s.FailedIndexes, o.FailedIndexes),
		active:           s.Active != o.Active, ready: !ptrsEqual(s.Ready, o.Ready),
		terminating: !ptrsEqual(s.Terminating, o.Terminating),
		startTime:   !encodedTimesEqual(s.StartTime, o.StartTime), completionTime: !encodedTimesEqual(s.CompletionTime, o.CompletionTime),
		uncounted: !uncountedEqual(s.UncountedTerminatedPods, o.UncountedTerminatedPods),
	}
}

// The comparisons below are semanticDeepEqual (equal JSON encodings) for
// the status fields' types, without encoding them: a Job's status is
// written at every change of its pods.

// ptrsEqual compares two optional values: both unset, or both set alike.
func ptrsEqual[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// encodedTimesEqual reports whether two optional times encode alike: as
// null (unset or the zero time), or as the same RFC 3339 second.
func encodedTimesEqual(a, b *Time) bool {
	aNull, bNull := a == nil || a.IsZero(), b == nil || b.IsZero()
	if aNull || bNull {
		return aNull == bNull
	}
	return a.Unix() == b.Unix()
}

// uncountedEqual compares two optional lists of uncounted pods (an empty
// list and none encode alike: both are left out).
func uncountedEqual(a, b *UncountedTerminatedPods) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Succeeded, b.Succeeded) && slices.Equal(a.Failed, b.Failed)
}

// validateJobStatusUpdate checks the new status and its transition from old's.
func validateJobStatusUpdate(j, old *Job) ErrorList {
	ch := changesBetween(j, old)
	fld := NewFieldPath("status")
	errs := validateJobStatusCounters(&j.Status, fld)
	errs = append(errs, validateJobStatusConditions(j, ch, fld)...)
	errs = append(errs, validateFinishedJobStatus(j, ch, fld)...)
	errs = append(errs, validateJobStatusIndexes(j, ch, fld)...)
	return append(errs, validateJobStatusTransition(j, old, ch, fld)...)
}

// validateJobStatusCounters checks counters are non-negative, uncounted
// UIDs non-empty and unique, and ready at most active.
func validateJobStatusCounters(s *JobStatus, fld FieldPath) ErrorList {
	var errs ErrorList
	for _, f := range []struct {
		name  string
		value *int32
	}{{"active", &s.Active}, {"succeeded", &s.Succeeded}, {"failed", &s.Failed}, {"ready", s.Ready}, {"terminating", s.Terminating}} {
		if f.value != nil && *f.value < 0 {
			errs = append(errs, InvalidError(fld.Child(f.name), int64(*f.value), isNegativeErrorMsg))
		}
	}
	if u := s.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		seen := make(map[string]bool, len(u.Succeeded)+len(u.Failed))
		for _, l := range []struct {
			name string
			uids []string
		}{{"succeeded", u.Succeeded}, {"failed", u.Failed}} {
			// The path is spelled for an error only.
			at := func(i int) FieldPath { return fld.Child("uncountedTerminatedPods").Child(l.name).Index(i) }
			for i, uid := range l.uids {
				switch {
				case uid == "":
					errs = append(errs, InvalidError(at(i), uid, "must not be empty"))
				case seen[uid]:
					errs = append(errs, DuplicateError(at(i), uid))
				}
				seen[uid] = true
			}
		}
	}
	return errs
}

// validateJobStatusConditions checks the combinations of terminal conditions.
func validateJobStatusConditions(j *Job, ch jobStatusChanges, fld FieldPath) ErrorList {
	c := j.Status.Conditions
	complete, failed := JobConditionTrue(c, JobComplete), JobConditionTrue(c, JobFailed)
	target, met := JobConditionTrue(c, JobFailureTarget), JobConditionTrue(c, JobSuccessCriteriaMet)
	conds := fld.Child("conditions")
	var errs ErrorList
	for _, r := range []struct {
		when bool
		msg  string
	}{
		{(ch.complete || ch.failed) && complete && failed, "cannot set Complete=True and Failed=true conditions"},
		{(ch.complete || ch.failureTarget) && complete && target, "cannot set Complete=True and FailureTarget=true conditions"},
		{(ch.failed || ch.failureTarget) && failed && !target, "cannot set Failed=True condition without the FailureTarget=true condition"},
		{(ch.complete || ch.successCriteriaMet) && complete && !met, "cannot set Complete=True condition without the SuccessCriteriaMet=true condition"},
		{met && failed, "cannot set SuccessCriteriaMet=True and Failed=true conditions"},
		{met && target, "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"},
	} {
		if r.when {
			errs = append(errs, InvalidError(conds, OmitValue, r.msg))
		}
	}
	return errs
}

// validateFinishedJobStatus checks what a finished Job's status must hold,
// and the completionTime rules.
func validateFinishedJobStatus(j *Job, ch jobStatusChanges, fld FieldPath) ErrorList {
	s := &j.Status
	finished, complete := IsJobFinished(j), JobConditionTrue(s.Conditions, JobComplete)
	var errs ErrorList
	if (ch.complete || ch.completionTime) && s.CompletionTime != nil && !complete {
		errs = append(errs, InvalidError(fld.Child("completionTime"), s.CompletionTime, "cannot set completionTime when there is no Complete=True condition"))
	}
	if (ch.complete || ch.completionTime) && s.CompletionTime == nil && complete {
		errs = append(errs, RequiredError(fld.Child("completionTime"), "completionTime is required for Complete jobs"))
	}
	if (ch.startTime || ch.completionTime) && s.StartTime != nil && s.CompletionTime != nil && s.CompletionTime.Before(s.StartTime.Time) {
		errs = append(errs, InvalidError(fld.Child("completionTime"), s.CompletionTime, "completionTime cannot be set before startTime"))
	}
	if !finished {
		return errs
	}
	if (ch.finished || ch.active) && s.Active > 0 {
		errs = append(errs, InvalidError(fld.Child("active"), s.Active, "active>0 is invalid for finished job"))
	}
	if (ch.finished || ch.startTime) && s.StartTime == nil {
		errs = append(errs, RequiredError(fld.Child("startTime"), "startTime is required for finished job"))
	}
	if u := s.UncountedTerminatedPods; (ch.finished || ch.uncounted) && u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		errs = append(errs, InvalidError(fld.Child("uncountedTerminatedPods"), u, "uncountedTerminatedPods needs to be empty for finished job"))
	}
	if (ch.finished || ch.terminating) && s.Terminating != nil && *s.Terminating > 0 {
		errs = append(errs, InvalidError(fld.Child("terminating"), s.Terminating, "terminating>0 is invalid for finished job"))
	}
	return errs
}

// validateJobStatusIndexes checks completedIndexes and failedIndexes, and ready <= active.
func validateJobStatusIndexes(j *Job, ch jobStatusChanges, fld FieldPath) ErrorList {
	s, spec := &j.Status, &j.Spec
	var errs ErrorList
	if ch.completedIndexes && spec.Completions != nil {
		if _, err := validateIndexesFormat(s.CompletedIndexes, *spec.Completions); err != nil {
			errs = append(errs, InvalidError(fld.Child("completedIndexes"), s.CompletedIndexes, "error parsing completedIndexes: "+err.Error()))
		}
	}
	if ch.completedIndexes && s.CompletedIndexes != "" && !isIndexed(spec) {
		errs = append(errs, InvalidError(fld.Child("completedIndexes"), s.CompletedIndexes, "cannot set non-empty completedIndexes when non-indexed completion mode"))
	}
	if ch.failedIndexes && s.FailedIndexes != nil {
		if spec.BackoffLimitPerIndex == nil {
			errs = append(errs, InvalidError(fld.Child("failedIndexes"), *s.FailedIndexes, "cannot set non-null failedIndexes when backoffLimitPerIndex is null"))
		} else if spec.Completions != nil {
			if _, err := validateIndexesFormat(*s.FailedIndexes, *spec.Completions); err != nil {
				errs = append(errs, InvalidError(fld.Child("failedIndexes"), s.FailedIndexes, "error parsing failedIndexes: "+err.Error()))
			}
		}
	}
	if (ch.ready || ch.active) && s.Ready != nil && *s.Ready > s.Active {
		errs = append(errs, InvalidError(fld.Child("ready"), *s.Ready, "cannot set more ready pods than active"))
	}
	return errs
}

// validateJobStatusTransition checks what an update may not undo:
// terminal conditions, counters, completionTime and a running Job's startTime.
func validateJobStatusTransition(j, old *Job, ch jobStatusChanges, fld FieldPath) ErrorList {
	s, o := &j.Status, &old.Status
	var errs ErrorList
	for _, t := range []string{JobFailed, JobComplete, JobFailureTarget} {
		if JobConditionTrue(o.Conditions, t) && !JobConditionTrue(s.Conditions, t) {
			errs = append(errs, InvalidError(fld.Child("conditions"), OmitValue, fmt.Sprintf("cannot disable the terminal %s=True condition", t)))
		}
	}
	if s.Failed < o.Failed {
		errs = append(errs, InvalidError(fld.Child("failed"), s.Failed, "cannot decrease the failed counter"))
	}
	elastic := isIndexed(&j.Spec) && semanticDeepEqual(j.Spec.Completions, j.Spec.Parallelism)
	if s.Succeeded < o.Succeeded && !elastic {
		errs = append(errs, InvalidError(fld.Child("succeeded"), s.Succeeded, "cannot decrease the succeeded counter"))
	}
	if s.CompletionTime != nil && o.CompletionTime != nil && !s.CompletionTime.Equal(o.CompletionTime.Time) {
		errs = append(errs, InvalidError(fld.Child("completionTime"), s.CompletionTime, "completionTime cannot be mutated"))
	}
	suspended := j.Spec.Suspend != nil && *j.Spec.Suspend
	if ch.startTime && o.StartTime != nil && !suspended {
		errs = append(errs, RequiredError(fld.Child("startTime"), "startTime cannot be removed for unsuspended job"))
	}
	if JobConditionTrue(o.Conditions, JobSuccessCriteriaMet) && !JobConditionTrue(s.Conditions, JobSuccessCriteriaMet) {
		errs = append(errs, InvalidError(fld.Child("conditions"), OmitValue, "cannot disable the SuccessCriteriaMet=True condition"))
	}
	return errs
}
