package job

import (
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Pod-failure back-off, after upstream's backoff_utils.go: a Job that
// lost pods waits before it replaces them, 10s after one failure, doubling
// per consecutive failure up to 10 minutes, counted from the last failure.

// Back-off constants, as job_controller.go names them.
const (
	// DefaultPodFailureBackOff is the delay after one failure.
	DefaultPodFailureBackOff = 10 * time.Second
	// MaxPodFailureBackOff caps the delay.
	MaxPodFailureBackOff = 10 * time.Minute
)

// backoffRecord is the controller's memory of a Job's failures since its
// last success.
type backoffRecord struct {
	failuresAfterLastSuccess int32
	lastFailureTime          *time.Time
}

// nextBackoffRecord updates old with the pods that finished since the
// last sync. A success resets the count; only failures after the latest
// success then count.
func nextBackoffRecord(old backoffRecord, succeeded, failed []*objects.Pod) backoffRecord {
	rec := old
	succeeded = append([]*objects.Pod(nil), succeeded...)
	failed = append([]*objects.Pod(nil), failed...)
	sortByFinishedTime(succeeded)
	sortByFinishedTime(failed)
	if len(succeeded) == 0 {
		if len(failed) == 0 {
			return rec
		}
		t := finishedTime(failed[len(failed)-1])
		return backoffRecord{failuresAfterLastSuccess: rec.failuresAfterLastSuccess + int32(len(failed)), lastFailureTime: &t}
	}
	rec = backoffRecord{}
	lastSuccess := finishedTime(succeeded[len(succeeded)-1])
	for i := len(failed) - 1; i >= 0; i-- {
		t := finishedTime(failed[i])
		if !t.After(lastSuccess) {
			break
		}
		if rec.lastFailureTime == nil {
			rec.lastFailureTime = &t
		}
		rec.failuresAfterLastSuccess++
	}
	return rec
}

// remaining is how long the Job must still wait at now before it creates pods.
func (b backoffRecord) remaining(now time.Time) time.Duration {
	return remainingBackoff(now, b.failuresAfterLastSuccess, b.lastFailureTime)
}

// remainingBackoff is getRemainingTimeForFailuresCount.
func remainingBackoff(now time.Time, failures int32, last *time.Time) time.Duration {
	if failures == 0 || last == nil {
		return 0
	}
	elapsed := now.Sub(*last)
	d := backoffDelay(failures)
	if d < elapsed {
		return 0
	}
	return d - elapsed
}

// backoffDelay is the delay after n consecutive failures: 10s, 20s, 40s...
// capped at 10 minutes.
func backoffDelay(n int32) time.Duration {
	d := DefaultPodFailureBackOff
	for i := int32(1); i < n; i++ {
		d *= 2
		if d >= MaxPodFailureBackOff {
			return MaxPodFailureBackOff
		}
	}
	return d
}

// remainingPerIndex is getRemainingTimePerIndex: the back-off of an index
// whose last failed pod is last (nil when none).
func remainingPerIndex(now time.Time, last *objects.Pod) time.Duration {
	if last == nil {
		return 0
	}
	t := finishedTime(last)
	return remainingBackoff(now, indexAbsoluteFailureCount(last)+1, &t)
}
