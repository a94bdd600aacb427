package e2e_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// finishedJobTTL is how long the cleaner keeps a finished Job.
const finishedJobTTL = 30 * time.Minute

// jobCleaner is a controller-runtime reconciler of the kind users write:
// it deletes each finished Job finishedJobTTL after it finished, asking
// to be requeued until then (a TTL-after-finished controller of its own).
type jobCleaner struct {
	client.Client
}

// Reconcile deletes the Job once its time has come, or requeues it for then.
func (r *jobCleaner) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var job batchv1.Job
	if err := r.Get(ctx, req.NamespacedName, &job); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	finishedAt, ok := finishTime(&job)
	if !ok || job.DeletionTimestamp != nil {
		return ctrl.Result{}, nil
	}
	if wait := finishedAt.Add(finishedJobTTL).Sub(time.Now()); wait > 0 {
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	err := r.Delete(ctx, &job, client.PropagationPolicy("Background"))
	if apierrors.IsNotFound(err) {
		err = nil
	}
	return ctrl.Result{}, err
}

// finishTime is when a Job's Complete or Failed condition became true.
func finishTime(job *batchv1.Job) (time.Time, bool) {
	for _, c := range job.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.Time, true
		}
	}
	return time.Time{}, false
}

// startManager runs a controller-runtime manager with the cleaner against
// the cluster until ctx ends: no metrics or health servers (they would
// open sockets), no leader election.
func startManager(t *testing.T, ctx context.Context, c *kubesimtest.Cluster) {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	log.SetLogger(zap.New(zap.WriteTo(discard{})))
	mgr, err := ctrl.NewManager(restConfig(c, "job-cleaner"), ctrl.Options{
		Scheme:  scheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each test run makes a manager of its own: controller-runtime's
	// process-wide check of unique controller names does not apply.
	skip := true
	err = ctrl.NewControllerManagedBy(mgr).For(&batchv1.Job{}).
		WithOptions(controller.Options{SkipNameValidation: &skip}).
		Complete(&jobCleaner{Client: mgr.GetClient()})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := mgr.Start(ctx); err != nil {
			t.Errorf("manager: %v", err)
		}
	}()
}

// discard is a writer that drops what the manager logs.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestJobCleanerAtVirtualTime runs a controller-runtime manager and
// reconciler in a synctest bubble: a CronJob makes a Job every 10 minutes
// for two virtual hours, and each finished Job is deleted exactly
// finishedJobTTL after it finished, by the cleaner's requeues; and the
// same run twice gives the same trace.
func TestJobCleanerAtVirtualTime(t *testing.T) {
	wall := time.Now()
	first := runJobCleaner(t)
	t.Logf("three virtual hours in %s of wall time", time.Since(wall))
	if !strings.Contains(first, "job-cleaner delete Job/default/every10-") {
		t.Errorf("the trace does not show the cleaner's deletes:\n%s", tail(first, 30))
	}
	if second := runJobCleaner(t); first != second {
		t.Errorf("two runs gave different traces:\n%s", firstDifference(first, second))
	}
}

// runJobCleaner runs the cleaner for three virtual hours beside a CronJob,
// checks what it deleted and when, and returns the cluster's trace.
func runJobCleaner(t *testing.T) string {
	var trace string
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{})
		var mu sync.Mutex
		finished, deleted := map[string]time.Time{}, map[string]time.Time{}
		// The observer runs under the server's lock: it reads the change only.
		c.Do(func(sc *sim.Cluster) {
			sc.Observe(func(ch sim.Change) {
				job, ok := ch.Event.Object.(*objects.Job)
				if !ok {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if ch.Actor == "job-cleaner" && ch.Event.Type == storage.Deleted {
					deleted[job.Name] = ch.At
				}
				for _, cond := range job.Status.Conditions {
					if cond.Type == "Complete" && cond.Status == "True" {
						finished[job.Name] = cond.LastTransitionTime.Time
					}
				}
			})
		})
		startManager(t, t.Context(), c)
		c.Apply(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: every10}
spec:
  schedule: "*/10 * * * *"
  successfulJobsHistoryLimit: 100
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 60"]}
`)
		time.Sleep(2*time.Hour + time.Second) // the 2:00 run is created at 2:00:00.1
		c.Do(func(sc *sim.Cluster) { sc.SetControllerDown("cronjob-controller", true) })
		time.Sleep(time.Hour)
		// The trace first: the observer takes mu under the server's lock.
		trace = c.Trace()

		mu.Lock()
		defer mu.Unlock()
		if len(deleted) != 12 {
			t.Fatalf("the cleaner deleted %d Jobs, want the 12 the CronJob made in two hours", len(deleted))
		}
		for name, at := range deleted {
			if want := finished[name].Add(finishedJobTTL); !at.Equal(want) {
				t.Errorf("Job %s deleted at %s, want %s (finished %s + %s)", name, at.Format(time.TimeOnly),
					want.Format(time.TimeOnly), finished[name].Format(time.TimeOnly), finishedJobTTL)
			}
		}
	})
	return trace
}
