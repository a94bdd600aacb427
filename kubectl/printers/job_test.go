package printers

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// jobLabels are the labels the Job strategy generates for a Job's pods
// (and, when the user gave none, the Job itself), plus extra ones.
func jobLabels(name, uid string, extra map[string]string) map[string]string {
	l := map[string]string{
		objects.ControllerUIDLabel: uid, objects.JobNameLabel: name,
		objects.LegacyControllerUIDLabel: uid, objects.LegacyJobNameLabel: name,
	}
	for k, v := range extra {
		l[k] = v
	}
	return l
}

// newJob returns a Job created at t0+created as the apiserver stores it
// after defaulting and selector generation: parallelism and completions 1,
// backoffLimit 6, NonIndexed, not suspended; one container.
func newJob(name, uid string, created time.Duration, c objects.Container) *objects.Job {
	return &objects.Job{
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default", UID: uid,
			CreationTimestamp: at(created), Labels: jobLabels(name, uid, nil)},
		Spec: objects.JobSpec{
			Parallelism: ptr(int32(1)), Completions: ptr(int32(1)), BackoffLimit: ptr(int32(6)),
			Selector:       &objects.LabelSelector{MatchLabels: map[string]string{objects.ControllerUIDLabel: uid}},
			ManualSelector: ptr(false), CompletionMode: ptr(objects.NonIndexedCompletion), Suspend: ptr(false),
			PodReplacementPolicy: ptr(objects.TerminatingOrFailed),
			Template: objects.PodTemplateSpec{
				ObjectMeta: objects.ObjectMeta{Labels: jobLabels(name, uid, nil)},
				Spec:       objects.PodSpec{RestartPolicy: "Never", Containers: []objects.Container{c}},
			},
		},
		Status: objects.JobStatus{Ready: ptr(int32(0)), Terminating: ptr(int32(0))},
	}
}

// jobCondition returns a True condition that last changed at t0+d.
func jobCondition(typ, reason, message string, d time.Duration) objects.JobCondition {
	return objects.JobCondition{Type: typ, Status: "True", Reason: reason, Message: message,
		LastProbeTime: at(d), LastTransitionTime: at(d)}
}

// jobEvent returns an event the job controller recorded about a Job at t0+d.
func jobEvent(name, typ, reason, job, message string, d time.Duration) *objects.Event {
	return &objects.Event{
		ObjectMeta:     meta("default", name, d),
		InvolvedObject: objects.ObjectReference{Kind: "Job", Namespace: "default", Name: job, APIVersion: "batch/v1"},
		Reason:         reason, Message: message, Type: typ, Count: 1,
		Source:         objects.EventSource{Component: "job-controller"},
		FirstTimestamp: at(d), LastTimestamp: at(d),
	}
}

// completedPiJob is the tutorial's pi Job: started at t0, its pod
// succeeded and the Job completed at 2m5s.
func completedPiJob() *objects.Job {
	j := newJob("pi", "8e3c", 0, objects.Container{Name: "pi", Image: "perl:5.34.0",
		Command: []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}})
	j.Status.StartTime, j.Status.CompletionTime, j.Status.Succeeded = atPtr(0), atPtr(2*time.Minute+5*time.Second), 1
	j.Status.Conditions = []objects.JobCondition{
		jobCondition(objects.JobSuccessCriteriaMet, objects.JobReasonCompletionsReached, "Reached expected number of succeeded pods", 2*time.Minute+5*time.Second),
		jobCondition(objects.JobComplete, objects.JobReasonCompletionsReached, "Reached expected number of succeeded pods", 2*time.Minute+5*time.Second),
	}
	return j
}

// piEvents are the events of the pi Job.
func piEvents() []*objects.Event {
	return []*objects.Event{
		jobEvent("pi.2", "Normal", "Completed", "pi", "Job completed", 2*time.Minute+5*time.Second),
		jobEvent("pi.1", "Normal", "SuccessfulCreate", "pi", "Created pod: pi-rq5rl", 0),
	}
}

// sleepyJob wants two completions, two pods at once: one pod has
// succeeded, the other is running and ready.
func sleepyJob() *objects.Job {
	j := newJob("sleepy", "a0b1", 30*time.Second, objects.Container{Name: "sleepy", Image: "busybox:1.36"})
	j.Spec.Parallelism, j.Spec.Completions = ptr(int32(2)), ptr(int32(2))
	j.Status.StartTime, j.Status.Active, j.Status.Ready, j.Status.Succeeded = atPtr(30*time.Second), 1, ptr(int32(1)), 1
	return j
}

// flakyJob failed: its three pods exited 1 and backoffLimit is 2. It is
// run by a CronJob and has a deadline and a TTL.
func flakyJob() *objects.Job {
	j := newJob("flaky", "3f7a", 0, objects.Container{Name: "flaky", Image: "busybox:1.36", Command: []string{"sh", "-c", "exit 1"}})
	j.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: "nightly", UID: "9c9c", Controller: ptr(true)}}
	j.Spec.BackoffLimit, j.Spec.TTLSecondsAfterFinished, j.Spec.ActiveDeadlineSeconds = ptr(int32(2)), ptr(int32(100)), ptr(int64(600))
	j.Status.StartTime, j.Status.Failed = atPtr(0), 3
	j.Status.Conditions = []objects.JobCondition{
		jobCondition(objects.JobFailureTarget, objects.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit", 3*time.Minute),
		jobCondition(objects.JobFailed, objects.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit", 3*time.Minute),
	}
	return j
}

// flakyEvents are the events of the flaky Job.
func flakyEvents() []*objects.Event {
	return []*objects.Event{
		jobEvent("flaky.1", "Normal", "SuccessfulCreate", "flaky", "Created pod: flaky-7bq2x", 0),
		jobEvent("flaky.2", "Normal", "SuccessfulCreate", "flaky", "Created pod: flaky-k8d4w", time.Minute),
		jobEvent("flaky.3", "Normal", "SuccessfulCreate", "flaky", "Created pod: flaky-zx5mt", 2*time.Minute),
		jobEvent("flaky.4", "Warning", "BackoffLimitExceeded", "flaky", "Job has reached the specified backoff limit", 3*time.Minute),
	}
}

// pausedJob was created suspended 10s ago and never started; it has a
// label of its own and an annotation, and its status has no ready count.
func pausedJob() *objects.Job {
	j := newJob("paused", "c4d2", 3*time.Minute+50*time.Second, objects.Container{Name: "main", Image: "busybox:1.36"})
	j.Labels["app"], j.Spec.Template.Labels["app"] = "paused", "paused"
	j.Annotations = map[string]string{"kubesim.io/owner": "team-a"}
	j.Spec.Suspend = ptr(true)
	j.Status = objects.JobStatus{Conditions: []objects.JobCondition{
		jobCondition(objects.JobSuspended, "JobSuspended", "Job suspended", 3*time.Minute+50*time.Second)}}
	return j
}

// indexedJob is an Indexed Job of 5 completions, 3 at once: indexes 0 and
// 2 succeeded, three pods run, two of them ready.
func indexedJob() *objects.Job {
	j := newJob("indexed", "b71c", time.Minute, objects.Container{Name: "worker", Image: "busybox:1.36",
		Command: []string{"sh", "-c", "echo $JOB_COMPLETION_INDEX"}})
	j.Spec.Parallelism, j.Spec.Completions, j.Spec.CompletionMode = ptr(int32(3)), ptr(int32(5)), ptr(objects.IndexedCompletion)
	j.Status.StartTime, j.Status.Active, j.Status.Ready, j.Status.Succeeded = atPtr(time.Minute), 3, ptr(int32(2)), 2
	j.Status.CompletedIndexes = "0,2"
	return j
}

// queueJob is a work-queue Job: no completions, three workers at once.
func queueJob() *objects.Job {
	j := newJob("queue", "5d1a", 2*time.Minute, objects.Container{Name: "worker", Image: "busybox:1.36"})
	j.Spec.Parallelism, j.Spec.Completions = ptr(int32(3)), nil
	j.Status.StartTime, j.Status.Active, j.Status.Ready = atPtr(2*time.Minute), 3, ptr(int32(3))
	return j
}

// printers.go printJob: STATUS from the conditions, COMPLETIONS per
// kind of Job, DURATION until completion or now, empty before the start.
func TestGetJobs(t *testing.T) {
	assert.Equal(t, ""+
		"NAME      STATUS      COMPLETIONS   DURATION   AGE\n"+
		"pi        Complete    1/1           2m5s       4m\n"+
		"sleepy    Running     1/2           3m30s      3m30s\n"+
		"flaky     Failed      0/1           4m         4m\n"+
		"paused    Suspended   0/1                      10s\n"+
		"indexed   Running     2/5           3m         3m\n"+
		"queue     Running     0/1 of 3      2m         2m\n",
		table(t, Options{Now: now}, completedPiJob(), sleepyJob(), flakyJob(), pausedJob(), indexedJob(), queueJob()))
}

// -o wide adds the template's containers and images and the selector.
func TestGetJobsWide(t *testing.T) {
	assert.Equal(t, ""+
		"NAME    STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES         SELECTOR\n"+
		"pi      Complete   1/1           2m5s       4m    pi           perl:5.34.0    batch.kubernetes.io/controller-uid=8e3c\n"+
		"queue   Running    0/1 of 3      2m         2m    worker       busybox:1.36   batch.kubernetes.io/controller-uid=5d1a\n",
		table(t, Options{Now: now, Wide: true}, completedPiJob(), queueJob()))
}

// A Job listed with pods gets its own table, named job.batch/<name>.
func TestGetJobsWithPods(t *testing.T) {
	assert.Equal(t, ""+
		"NAME           READY   STATUS      RESTARTS   AGE\n"+
		"pod/pi-rq5rl   0/1     Completed   0          4m\n"+
		"\n"+
		"NAME           STATUS     COMPLETIONS   DURATION   AGE\n"+
		"job.batch/pi   Complete   1/1           2m5s       4m\n",
		table(t, Options{Now: now}, completedPi(), completedPiJob()))
}

// The order in which printJob tries the conditions and the deletion
// timestamp, and that only the first condition of each type counts.
func TestJobStatusColumn(t *testing.T) {
	with := func(conds ...objects.JobCondition) *objects.Job {
		j := newJob("j", "u", 0, objects.Container{Name: "c", Image: "busybox"})
		j.Status.Conditions = conds
		return j
	}
	cond := func(typ string) objects.JobCondition { return jobCondition(typ, "", "", 0) }
	falseCond := func(typ string) objects.JobCondition {
		c := cond(typ)
		c.Status = "False"
		return c
	}
	deleting := func(j *objects.Job) *objects.Job {
		j.DeletionTimestamp = atPtr(time.Minute)
		return j
	}
	for _, tt := range []struct {
		name string
		job  *objects.Job
		want string
	}{
		{"no conditions", with(), "Running"},
		{"complete", with(cond(objects.JobSuccessCriteriaMet), cond(objects.JobComplete)), "Complete"},
		{"failed", with(cond(objects.JobFailureTarget), cond(objects.JobFailed)), "Failed"},
		{"complete outranks failed", with(cond(objects.JobFailed), cond(objects.JobComplete)), "Complete"},
		{"deleted", deleting(with()), "Terminating"},
		{"deleted after completion", deleting(with(cond(objects.JobComplete))), "Complete"},
		{"deleted while suspended", deleting(with(cond(objects.JobSuspended))), "Terminating"},
		{"suspended", with(cond(objects.JobSuspended)), "Suspended"},
		{"resumed", with(falseCond(objects.JobSuspended)), "Running"},
		{"suspended outranks failure target", with(cond(objects.JobFailureTarget), cond(objects.JobSuspended)), "Suspended"},
		{"failure target", with(cond(objects.JobFailureTarget)), "FailureTarget"},
		{"failure target outranks success criteria", with(cond(objects.JobSuccessCriteriaMet), cond(objects.JobFailureTarget)), "FailureTarget"},
		{"success criteria met", with(cond(objects.JobSuccessCriteriaMet)), "SuccessCriteriaMet"},
		{"first condition of a type decides", with(falseCond(objects.JobComplete), cond(objects.JobComplete)), "Running"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, JobDisplayStatus(tt.job))
			assert.Equal(t, tt.want, jobRow(tt.job, now)[1])
		})
	}
	assert.Empty(t, JobDisplayStatus(nil))
}

// COMPLETIONS and DURATION, case by case.
func TestJobCompletionsAndDuration(t *testing.T) {
	j := newJob("j", "u", 0, objects.Container{Name: "c", Image: "busybox"})
	j.Status.Succeeded = 2
	assert.Equal(t, "2/1", jobCompletions(j))
	j.Spec.Completions = nil
	assert.Equal(t, "2/1", jobCompletions(j), "work queue, one worker")
	j.Spec.Parallelism = nil
	assert.Equal(t, "2/1", jobCompletions(j), "no parallelism")
	j.Spec.Parallelism = ptr(int32(4))
	assert.Equal(t, "2/1 of 4", jobCompletions(j))
	j.Spec.Completions = ptr(int32(0))
	assert.Equal(t, "2/0", jobCompletions(j))

	assert.Empty(t, jobDuration(j, now), "not started")
	j.Status.StartTime = atPtr(time.Second)
	assert.Equal(t, "3m59s", jobDuration(j, now), "running")
	j.Status.CompletionTime = atPtr(3 * time.Hour)
	assert.Equal(t, "179m", jobDuration(j, now), "complete, measured to the completion time")
}

// -o wide prints the selector as metav1.FormatLabelSelector does.
func TestJobSelectorCell(t *testing.T) {
	j := newJob("j", "u", 0, objects.Container{Name: "c", Image: "busybox"})
	j.Spec.Selector = &objects.LabelSelector{MatchLabels: map[string]string{"app": "q"},
		MatchExpressions: []objects.LabelSelectorRequirement{{Key: "tier", Operator: "In", Values: []string{"b", "a"}}}}
	assert.Equal(t, "app=q,tier in (a,b)", jobRow(j, now)[7])
	j.Spec.Selector = nil
	assert.Equal(t, "<none>", jobRow(j, now)[7])
	j.Spec.Selector = &objects.LabelSelector{MatchExpressions: []objects.LabelSelectorRequirement{{Key: "tier", Operator: "Foo"}}}
	assert.Equal(t, "<error>", jobRow(j, now)[7])
}

// describe.go describeJob for a completed Job, with its events.
func TestDescribeCompletedJob(t *testing.T) {
	golden(t, "describe_job_complete.txt", describe(t, completedPiJob(), DescribeOptions{Now: now, Events: piEvents()}))
}

// A failed Job: controlled by a CronJob, with a TTL and a deadline, no
// completion time and so no Duration.
func TestDescribeFailedJob(t *testing.T) {
	golden(t, "describe_job_failed.txt", describe(t, flakyJob(), DescribeOptions{Now: now, Events: flakyEvents()}))
}

// An Indexed Job prints its completed indexes; --show-events=false drops
// the Events section.
func TestDescribeIndexedJob(t *testing.T) {
	golden(t, "describe_job_indexed.txt", describe(t, indexedJob(), DescribeOptions{Now: now, HideEvents: true}))
}

// A suspended Job that never started: no Start Time, and a status without
// a ready count prints Pods Statuses without "(n Ready)".
func TestDescribeSuspendedJob(t *testing.T) {
	golden(t, "describe_job_suspended.txt", describe(t, pausedJob(), DescribeOptions{Now: now}))
}

// A work-queue Job has no completions; an invalid selector is reported in
// place.
func TestDescribeJobEdges(t *testing.T) {
	out := describe(t, queueJob(), DescribeOptions{Now: now, HideEvents: true})
	assert.Contains(t, out, "\nParallelism:      3\nCompletions:      <unset>\nCompletion Mode:  NonIndexed\n")
	assert.Contains(t, out, "\nPods Statuses:    3 Active (3 Ready) / 0 Succeeded / 0 Failed\nPod Template:\n")
	assert.NotContains(t, out, "Completed Indexes")
	assert.NotContains(t, out, "Events")

	j := queueJob()
	j.Spec.Selector = &objects.LabelSelector{MatchExpressions: []objects.LabelSelectorRequirement{{Key: "tier", Operator: "Foo"}}}
	j.Spec.Parallelism, j.Spec.CompletionMode, j.Spec.Suspend, j.Spec.BackoffLimit = nil, nil, nil, nil
	out = describe(t, j, DescribeOptions{Now: now, HideEvents: true})
	assert.True(t, strings.HasPrefix(out, ""+
		"Name:           queue\n"+
		"Namespace:      default\n"+
		"Selector:       Failed to get selector: \"Foo\" is not a valid label selector operator\n"+
		"Labels:         batch.kubernetes.io/controller-uid=5d1a\n"+
		"                batch.kubernetes.io/job-name=queue\n"+
		"                controller-uid=5d1a\n"+
		"                job-name=queue\n"+
		"Annotations:    <none>\n"+
		"Completions:    <unset>\n"+
		"Start Time:     Fri, 22 Dec 2023 00:02:00 +0000\n"+
		"Pods Statuses:  3 Active (3 Ready) / 0 Succeeded / 0 Failed\n"+
		"Pod Template:\n"), out)
}

// describe.go capIndexesListOrNone cuts at the first comma from byte 50 on.
func TestCapIndexesListOrNone(t *testing.T) {
	assert.Equal(t, "<none>", capIndexesListOrNone("", 50))
	assert.Equal(t, "0-3,7", capIndexesListOrNone("0-3,7", 50))
	long := "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38"
	assert.Equal(t, "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,...", capIndexesListOrNone(long, 50))
	exact := "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,3"
	assert.Equal(t, exact, capIndexesListOrNone(exact, 50), "no comma after the limit")
	assert.Equal(t, "0,...", capIndexesListOrNone("0,1-99", 1))
}
