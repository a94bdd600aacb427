package cronjob_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// t0 is 2023-12-22T00:00:00Z, minute 28386720 since the epoch.
var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

var helloKey = objects.Key{Kind: "CronJob", Namespace: "default", Name: "hello"}

// fixture is a store holding the hello CronJob, created at t0.
type fixture struct {
	t    *testing.T
	clk  *clock.Fake
	st   *storage.Store
	ctrl *cronjob.Controller
}

func newFixture(t *testing.T, change func(*objects.CronJob)) *fixture {
	t.Helper()
	st, clk := controllertest.NewStoreWithClock(t, t0)
	cj := &objects.CronJob{
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "hello"},
		Spec: objects.CronJobSpec{Schedule: "*/1 * * * *", JobTemplate: objects.JobTemplateSpec{
			ObjectMeta: objects.ObjectMeta{Labels: map[string]string{"app": "hello"}, Annotations: map[string]string{"note": "x"}},
			Spec: objects.JobSpec{Template: objects.PodTemplateSpec{Spec: objects.PodSpec{
				RestartPolicy: objects.RestartPolicyOnFailure, Containers: []objects.Container{{Name: "hello", Image: "busybox"}}}}}}},
	}
	if change != nil {
		change(cj)
	}
	_, err := st.Create(cj)
	require.NoError(t, err)
	f := &fixture{t: t, clk: clk, st: st, ctrl: cronjob.New(nil)}
	f.watch()
	return f
}

// watch feeds the store's pending watch events to the controller's index.
func (f *fixture) watch() {
	controllertest.Feed(f.st, f.ctrl)
}

// cronJob returns the stored CronJob.
func (f *fixture) cronJob() *objects.CronJob {
	obj, err := f.st.Get(helloKey)
	require.NoError(f.t, err)
	return obj.(*objects.CronJob).DeepCopy()
}

// reconcile runs the controller at now and applies its result as sim
// does, returning the result and every event recorded.
func (f *fixture) reconcile(now time.Time) (controllers.Result, []controllers.Event) {
	f.t.Helper()
	f.clk.AdvanceTo(now)
	f.watch()
	res := f.ctrl.Reconcile(now, f.st, helloKey)
	applied := controllertest.Apply(f.st, nil, res)
	require.NoError(f.t, applied.Err)
	return res, applied.Events
}

// finish marks the Job name Complete (or Failed), started at start.
func (f *fixture) finish(name string, start time.Time, cond string) {
	obj, err := f.st.Get(objects.Key{Kind: "Job", Namespace: "default", Name: name})
	require.NoError(f.t, err)
	j := obj.(*objects.Job).DeepCopy()
	s, done := objects.NewTime(start), objects.NewTime(start.Add(2*time.Second))
	j.Status.StartTime = &s
	if cond == objects.JobComplete {
		j.Status.CompletionTime = &done
		j.Status.Succeeded = 1
		j.Status.Conditions = []objects.JobCondition{{Type: objects.JobSuccessCriteriaMet, Status: objects.ConditionTrue}}
	} else {
		j.Status.Failed = 1
		j.Status.Conditions = []objects.JobCondition{{Type: objects.JobFailureTarget, Status: objects.ConditionTrue}}
	}
	j.Status.Conditions = append(j.Status.Conditions, objects.JobCondition{Type: cond, Status: objects.ConditionTrue})
	_, err = f.st.UpdateStatus(j)
	require.NoError(f.t, err)
}

// reasons lists the events' reasons and messages.
func reasons(events []controllers.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Reason+": "+e.Message)
	}
	return out
}

// slot is the n-th minute after t0 plus 100ms, when the controller wakes.
func slot(n int) time.Time { return t0.Add(time.Duration(n)*time.Minute + 100*time.Millisecond) }

func TestFirstRunCreatesJob(t *testing.T) {
	f := newFixture(t, nil)
	res, _ := f.reconcile(t0.Add(30 * time.Second))
	assert.Empty(t, res.Actions)
	assert.Equal(t, 30*time.Second+100*time.Millisecond, res.RequeueAfter)

	res, events := f.reconcile(slot(1))
	assert.Equal(t, []string{"SuccessfulCreate: Created job hello-28386721"}, reasons(events))
	assert.Equal(t, time.Minute, res.RequeueAfter)
	obj, err := f.st.Get(objects.Key{Kind: "Job", Namespace: "default", Name: "hello-28386721"})
	require.NoError(t, err)
	j := obj.(*objects.Job).DeepCopy()
	assert.Equal(t, "2023-12-22T00:01:00Z", j.Annotations[objects.CronJobScheduledTimestampAnnotation])
	assert.Equal(t, "x", j.Annotations["note"])
	assert.Equal(t, "hello", j.Labels["app"])
	ref := j.ControllerRef()
	require.NotNil(t, ref)
	cj := f.cronJob()
	assert.Equal(t, objects.OwnerReference{APIVersion: "batch/v1", Kind: "CronJob", Name: "hello", UID: cj.UID,
		Controller: ref.Controller, BlockOwnerDeletion: ref.BlockOwnerDeletion}, *ref)
	assert.True(t, *ref.BlockOwnerDeletion)
	require.Len(t, cj.Status.Active, 1)
	assert.Equal(t, objects.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Namespace: "default", Name: "hello-28386721",
		UID: j.UID, ResourceVersion: j.ResourceVersion}, cj.Status.Active[0])
	assert.Equal(t, t0.Add(time.Minute), cj.Status.LastScheduleTime.Time)

	// The same slot again: nothing to do.
	res, events = f.reconcile(slot(1).Add(time.Second))
	assert.Empty(t, res.Actions)
	assert.Empty(t, events)
}

func TestCompletedJobLeavesActive(t *testing.T) {
	f := newFixture(t, nil)
	f.reconcile(slot(1))
	f.finish("hello-28386721", t0.Add(time.Minute), objects.JobComplete)
	_, events := f.reconcile(slot(1).Add(3 * time.Second))
	assert.Equal(t, []string{"SawCompletedJob: Saw completed job: hello-28386721, condition: Complete"}, reasons(events))
	cj := f.cronJob()
	assert.Empty(t, cj.Status.Active)
	assert.Equal(t, t0.Add(time.Minute+2*time.Second), cj.Status.LastSuccessfulTime.Time)
}

func TestForbidSkipsWhileActive(t *testing.T) {
	f := newFixture(t, func(cj *objects.CronJob) { cj.Spec.ConcurrencyPolicy = objects.ForbidConcurrent })
	f.reconcile(slot(1))
	res, events := f.reconcile(slot(2))
	assert.Equal(t, []string{"JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid"}, reasons(events))
	assert.Empty(t, res.Actions)
	assert.Equal(t, t0.Add(time.Minute), f.cronJob().Status.LastScheduleTime.Time, "lastScheduleTime not advanced")
	// The blocker finishes at 02:30: the skipped 02:00 slot starts late.
	f.finish("hello-28386721", t0.Add(time.Minute), objects.JobComplete)
	_, events = f.reconcile(t0.Add(150 * time.Second))
	assert.Equal(t, []string{"SawCompletedJob: Saw completed job: hello-28386721, condition: Complete",
		"SuccessfulCreate: Created job hello-28386722"}, reasons(events))
}

func TestReplaceDeletesActive(t *testing.T) {
	f := newFixture(t, func(cj *objects.CronJob) { cj.Spec.ConcurrencyPolicy = objects.ReplaceConcurrent })
	f.reconcile(slot(1))
	res, events := f.reconcile(slot(2))
	assert.Equal(t, []string{"SuccessfulDelete: Deleted job hello-28386721", "SuccessfulCreate: Created job hello-28386722"}, reasons(events))
	require.Len(t, res.Actions, 3)
	assert.Equal(t, storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground}, res.Actions[0].DeleteOptions)
	cj := f.cronJob()
	require.Len(t, cj.Status.Active, 1)
	assert.Equal(t, "hello-28386722", cj.Status.Active[0].Name)
}

func TestHistoryLimits(t *testing.T) {
	f := newFixture(t, nil)
	for n := 1; n <= 5; n++ {
		f.reconcile(slot(n))
		f.finish(jobAt(n), t0.Add(time.Duration(n)*time.Minute), objects.JobComplete)
	}
	f.reconcile(slot(6))
	f.finish(jobAt(6), t0.Add(6*time.Minute), objects.JobFailed)
	f.reconcile(slot(7))
	f.finish(jobAt(7), t0.Add(7*time.Minute), objects.JobFailed)
	_, events := f.reconcile(slot(7).Add(5 * time.Second))
	assert.Contains(t, reasons(events), "SuccessfulDelete: Deleted job hello-28386726")
	var names []string
	for _, o := range f.st.List("Job", "default", nil) {
		names = append(names, o.GetObjectMeta().Name)
	}
	assert.Equal(t, []string{jobAt(3), jobAt(4), jobAt(5), jobAt(7)}, names)
	assert.Empty(t, cronjob.CheckSettled(f.st))
}

// jobAt names the Job of the n-th minute after t0.
func jobAt(n int) string { return "hello-" + itoa(28386720+n) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestSuspendedThenResumed(t *testing.T) {
	f := newFixture(t, func(cj *objects.CronJob) { cj.Spec.Suspend = ptr(true) })
	res, events := f.reconcile(t0.Add(3 * time.Hour))
	assert.Equal(t, controllers.Result{}, res, "suspended: no job, no requeue")
	assert.Empty(t, events)
	cj := f.cronJob()
	cj.Spec.Suspend = ptr(false)
	_, err := f.st.Update(cj)
	require.NoError(t, err)
	_, events = f.reconcile(t0.Add(3*time.Hour + 30*time.Second))
	assert.Equal(t, []string{
		"TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
		"SuccessfulCreate: Created job hello-28386900"}, reasons(events))
}

func TestMissingJob(t *testing.T) {
	f := newFixture(t, nil)
	f.reconcile(slot(1))
	_, err := f.st.Delete(objects.Key{Kind: "Job", Namespace: "default", Name: "hello-28386721"},
		storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationBackground})
	require.NoError(t, err)
	_, events := f.reconcile(slot(1).Add(time.Second))
	assert.Equal(t, []string{"MissingJob: Active job went missing: hello-28386721"}, reasons(events))
	assert.Empty(t, f.cronJob().Status.Active)
}

func TestUnexpectedJobIsAdoptedForItsSlot(t *testing.T) {
	// A crash between the create and the status write leaves the Job
	// unlisted: the next sync warns, then adopts it without a create.
	f := newFixture(t, nil)
	res := f.ctrl.Reconcile(slot(1), f.st, helloKey)
	f.clk.AdvanceTo(slot(1))
	_, err := f.st.Create(res.Actions[0].Object)
	require.NoError(t, err)
	res, events := f.reconcile(slot(1).Add(time.Second))
	assert.Equal(t, []string{"UnexpectedJob: Saw a job that the controller did not create or forgot: hello-28386721"}, reasons(events))
	require.Len(t, res.Actions, 1)
	assert.Equal(t, controllers.UpdateStatus, res.Actions[0].Verb)
	assert.Equal(t, "hello-28386721", f.cronJob().Status.Active[0].Name)
}

func TestInvariantsChecker(t *testing.T) {
	f := newFixture(t, nil)
	c := cronjob.NewChecker(nil)
	f.reconcile(slot(1))
	assert.Empty(t, c.Check(f.st))
	assert.Empty(t, cronjob.CheckInvariants(f.st))
	cj := f.cronJob()
	cj.Status.LastScheduleTime = objects.NewTimePtr(t0.Add(30 * time.Second))
	_, err := f.st.UpdateStatus(cj)
	require.NoError(t, err)
	errs := c.Check(f.st)
	require.Len(t, errs, 2)
	assert.Contains(t, errs[0].Error(), "moved back")
	assert.Contains(t, errs[1].Error(), "is not a slot")
}

func ptr[T any](v T) *T { return &v }

// A sync that writes nothing leaves its working copy for the next sync,
// of any CronJob: that copy must carry nothing of the one it held before.
func TestSyncReusesAnUnwrittenCopyCleanly(t *testing.T) {
	f := newFixture(t, nil)
	f.reconcile(slot(1))
	f.finish("hello-28386721", t0.Add(time.Minute), objects.JobComplete)
	f.reconcile(slot(1).Add(3 * time.Second))
	res, _ := f.reconcile(slot(1).Add(4 * time.Second))
	require.Empty(t, res.Actions, "hello is steady: its copy is left over")
	hello := f.cronJob()
	require.NotNil(t, hello.Status.LastSuccessfulTime)

	bye := f.cronJob()
	bye.ObjectMeta = objects.ObjectMeta{Namespace: "default", Name: "bye"}
	bye.Status = objects.CronJobStatus{}
	bye.Spec.Schedule = "*/2 * * * *"
	_, err := f.st.Create(bye)
	require.NoError(t, err)
	f.watch()
	byeKey := objects.Key{Kind: "CronJob", Namespace: "default", Name: "bye"}
	res = f.ctrl.Reconcile(slot(2), f.st, byeKey)
	require.NoError(t, controllertest.Apply(f.st, nil, res).Err)
	obj, err := f.st.Get(byeKey)
	require.NoError(t, err)
	written := obj.(*objects.CronJob)
	require.Len(t, written.Status.Active, 1)
	assert.Equal(t, "bye-28386722", written.Status.Active[0].Name, "only bye's own Job is active")
	assert.Nil(t, written.Status.LastSuccessfulTime, "nothing of hello's status in bye's")
	assert.Equal(t, hello, f.cronJob(), "hello as stored is untouched")
}
