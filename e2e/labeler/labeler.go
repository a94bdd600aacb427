// Package labeler is an example of a controller a kubesim user writes
// with client-go, and tests at virtual time: it labels every finished Job
// (complete or failed) finished=true, and records each one it labelled in
// a ConfigMap of its own, job-report-<job>.
//
// It is written as client-go's sample controller is: a shared informer
// factory, listers, a rate-limited work queue, workers that sync one key
// at a time. The property test (e2e/property_test.go) runs it against
// kubesim with faults at the API boundary; Config.WriteLabelFirst plants a
// bug that a crash between its two writes reveals.
package labeler

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	batchlisters "k8s.io/client-go/listers/batch/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// Label is the label put on finished Jobs, and its value.
const (
	Label = "finished"
	Value = "true"
)

// ReportName is the ConfigMap recording that job was labelled.
func ReportName(job string) string { return "job-report-" + job }

// Config shapes a Controller.
type Config struct {
	// WriteLabelFirst plants a bug: the Job is labelled before its report
	// is written, and a Job already labelled is skipped, so a crash
	// between the two writes leaves a labelled Job without a report for
	// good. The correct order writes the report first (creating it is
	// idempotent) and labels last.
	WriteLabelFirst bool
	// Workers is how many keys are synced at once; 0 means 1.
	Workers int
}

// Controller labels finished Jobs.
type Controller struct {
	cfg        Config
	client     kubernetes.Interface
	jobs       batchlisters.JobLister
	configMaps corelisters.ConfigMapLister
	synced     []cache.InformerSynced
	queue      workqueue.TypedRateLimitingInterface[string]
}

// New builds a controller on a shared informer factory's Job and
// ConfigMap informers.
func New(client kubernetes.Interface, factory informers.SharedInformerFactory, cfg Config) *Controller {
	jobs := factory.Batch().V1().Jobs()
	cms := factory.Core().V1().ConfigMaps()
	c := &Controller{cfg: cfg, client: client, jobs: jobs.Lister(), configMaps: cms.Lister(),
		synced: []cache.InformerSynced{jobs.Informer().HasSynced, cms.Informer().HasSynced},
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: "labeler"})}
	_, err := jobs.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    c.enqueue,
		UpdateFunc: func(_, obj any) { c.enqueue(obj) },
	})
	utilruntime.Must(err)
	return c
}

func (c *Controller) enqueue(obj any) {
	if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
		c.queue.Add(key)
	}
}

// Run syncs keys until ctx is done.
func (c *Controller) Run(ctx context.Context) error {
	defer c.queue.ShutDown()
	if !cache.WaitForCacheSync(ctx.Done(), c.synced...) {
		return fmt.Errorf("labeler: caches did not sync")
	}
	for range max(c.cfg.Workers, 1) {
		go wait.UntilWithContext(ctx, c.worker, time.Second)
	}
	<-ctx.Done()
	return nil
}

func (c *Controller) worker(ctx context.Context) {
	for c.next(ctx) {
	}
}

// next syncs one key, retrying it with back-off on error.
func (c *Controller) next(ctx context.Context) bool {
	key, quit := c.queue.Get()
	if quit {
		return false
	}
	defer c.queue.Done(key)
	if err := c.sync(ctx, key); err != nil {
		c.queue.AddRateLimited(key)
		return true
	}
	c.queue.Forget(key)
	return true
}

// finished reports whether a Job has ended, complete or failed.
func finished(job *batchv1.Job) bool {
	for _, cond := range job.Status.Conditions {
		if (cond.Type == batchv1.JobComplete || cond.Type == batchv1.JobFailed) && cond.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// sync labels one Job if it has finished, and writes its report.
func (c *Controller) sync(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	job, err := c.jobs.Jobs(ns).Get(name)
	if apierrors.IsNotFound(err) || err == nil && !finished(job) {
		return nil
	}
	if err != nil {
		return err
	}
	labelled := job.Labels[Label] == Value
	if c.cfg.WriteLabelFirst {
		if labelled {
			return nil // the bug: a labelled Job is taken as fully done
		}
		if err := c.label(ctx, job); err != nil {
			return err
		}
		return c.report(ctx, job)
	}
	if err := c.report(ctx, job); err != nil {
		return err
	}
	if labelled {
		return nil
	}
	return c.label(ctx, job)
}

// label puts the finished label on a Job.
func (c *Controller) label(ctx context.Context, job *batchv1.Job) error {
	job = job.DeepCopy()
	if job.Labels == nil {
		job.Labels = map[string]string{}
	}
	job.Labels[Label] = Value
	_, err := c.client.BatchV1().Jobs(job.Namespace).Update(ctx, job, metav1.UpdateOptions{})
	return err
}

// report creates the Job's report ConfigMap unless it exists.
func (c *Controller) report(ctx context.Context, job *batchv1.Job) error {
	if _, err := c.configMaps.ConfigMaps(job.Namespace).Get(ReportName(job.Name)); err == nil {
		return nil
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: ReportName(job.Name), Namespace: job.Namespace},
		Data: map[string]string{"job": job.Name}}
	_, err := c.client.CoreV1().ConfigMaps(job.Namespace).Create(ctx, cm, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}
