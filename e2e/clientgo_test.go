package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/kubesim/kubesim/e2e/labeler"
	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// quietClientErrors replaces apimachinery's handlers of the errors
// client-go cannot return (a watch that broke): their rudimentary back-off
// remembers the wall-clock time the process started, and inside a
// synctest bubble, whose clock starts in 2000, it would sleep for decades
// of bubble time on the first error. The errors are dropped: the tests
// judge the cluster's state, and a broken watch is what faults are for.
func quietClientErrors() {
	utilruntime.ErrorHandlers = []utilruntime.ErrorHandler{
		func(context.Context, error, string, ...any) {},
	}
}

// restConfig is a client-go configuration for a kubesimtest cluster: its
// Host and in-memory Dial, and the user agent the trace names the client by.
func restConfig(c *kubesimtest.Cluster, userAgent string) *rest.Config {
	return &rest.Config{Host: c.Host(), Dial: c.Dial, UserAgent: userAgent}
}

// startLabeler runs the labeler (client-go: informers, listers, a work
// queue) against the cluster until ctx ends.
func startLabeler(ctx context.Context, c *kubesimtest.Cluster, cfg labeler.Config, userAgent string) {
	client := kubernetes.NewForConfigOrDie(restConfig(c, userAgent))
	factory := informers.NewSharedInformerFactory(client, 0)
	ctrl := labeler.New(client, factory, cfg)
	factory.Start(ctx.Done())
	go func() { _ = ctrl.Run(ctx) }()
}

// jobsManifest holds a Job that succeeds, one that fails, and a CronJob
// that makes a Job every 10 minutes.
const jobsManifest = `
apiVersion: batch/v1
kind: Job
metadata: {name: ok}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 30; echo done"]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: broken}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 5; exit 1"]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: every10}
spec:
  schedule: "*/10 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 60"]}
`

// labelledWithReport reports whether a Job is labelled and has its report.
func labelledWithReport(r storage.Reader, name string) bool {
	job, ok := kubesimtest.Of[*objects.Job](r, "default", name)
	if !ok || job.Labels[labeler.Label] != labeler.Value {
		return false
	}
	_, ok = kubesimtest.Of[*objects.ConfigMap](r, "default", labeler.ReportName(name))
	return ok
}

// jobFinished reports whether a Job has a Complete or Failed condition.
func jobFinished(job *objects.Job) bool {
	for _, c := range job.Status.Conditions {
		if (c.Type == "Complete" || c.Type == "Failed") && c.Status == "True" {
			return true
		}
	}
	return false
}

// runLabeler runs the labeler for three virtual hours beside the Jobs and
// the CronJob, checks what it did, and returns the cluster's trace.
func runLabeler(t *testing.T) string {
	var trace string
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{})
		start := time.Now()
		startLabeler(t.Context(), c, labeler.Config{}, "labeler")
		c.Apply(jobsManifest)

		c.Eventually(func(r storage.Reader) bool {
			return labelledWithReport(r, "ok") && labelledWithReport(r, "broken")
		}, 5*time.Minute, "the finished Jobs labelled")
		time.Sleep(3 * time.Hour) // virtual: the bubble's clock, which the cluster follows

		// Let the run that started on the hour finish.
		time.Sleep(5 * time.Minute)
		cronJobs := 0
		for _, job := range kubesimtest.List[*objects.Job](c, "default", nil) {
			if !jobFinished(job) {
				t.Errorf("Job %s has not finished", job.Name)
				continue
			}
			if strings.HasPrefix(job.Name, "every10-") {
				cronJobs++
			}
			if !c.Check(func(r storage.Reader) bool { return labelledWithReport(r, job.Name) }) {
				t.Errorf("Job %s is finished but not labelled with a report: %v", job.Name, job.Labels)
			}
		}
		// The CronJob keeps its last 3 successful Jobs (successfulJobsHistoryLimit).
		if cronJobs != 3 {
			t.Errorf("found %d of the CronJob's Jobs, want the 3 it keeps", cronJobs)
		}
		if elapsed := c.Now().Sub(start); elapsed < 3*time.Hour {
			t.Errorf("virtual time passed: %s, want 3h or more", elapsed)
		}
		trace = c.Trace()
	})
	return trace
}

// TestLabelerAtVirtualTime runs a client-go controller (informers, a
// rate-limited work queue) against a simulated cluster inside a synctest
// bubble: three virtual hours of a CronJob and two Jobs, with every
// finished Job labelled, in a fraction of a second of wall time; and the
// same run twice gives the same trace.
func TestLabelerAtVirtualTime(t *testing.T) {
	wall := time.Now()
	first := runLabeler(t)
	t.Logf("three virtual hours in %s of wall time", time.Since(wall))
	if !strings.Contains(first, "labeler update Job/default/ok") {
		t.Errorf("the trace does not show the labeler's update of Job ok:\n%s", tail(first, 30))
	}
	second := runLabeler(t)
	if first != second {
		t.Errorf("two runs gave different traces:\n%s", firstDifference(first, second))
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// firstDifference shows where two traces part.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  first:  %s\n  second: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one trace is longer: %d lines vs %d", len(la), len(lb))
}
