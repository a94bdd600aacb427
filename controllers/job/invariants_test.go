package job_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// fakeReader serves a fixed list of objects, so that tests can hold states
// the store's validation would refuse.
type fakeReader []objects.Object

func (f fakeReader) Get(key objects.Key) (objects.Object, error) {
	for _, o := range f {
		if objects.KeyOf(o) == key {
			return o.DeepCopyObject(), nil
		}
	}
	return nil, storage.ErrNotFound
}

func (f fakeReader) List(kind, ns string, sel objects.Selector) []objects.Object {
	var out []objects.Object
	for _, o := range f {
		k := objects.KeyOf(o)
		if k.Kind == kind && (ns == "" || k.Namespace == ns) && (sel == nil || sel.Matches(o.GetObjectMeta().Labels)) {
			out = append(out, o.DeepCopyObject())
		}
	}
	return out
}

func (f fakeReader) Scan(kind, ns string, visit func(objects.Object) bool) {
	for _, o := range f {
		if k := objects.KeyOf(o); k.Kind == kind && (ns == "" || k.Namespace == ns) && !visit(o) {
			return
		}
	}
}

func (f fakeReader) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
	for _, o := range f {
		m := o.GetObjectMeta()
		if objects.KeyOf(o).Kind != kind {
			continue
		}
		if ref := m.ControllerRef(); index == storage.IndexController && ref != nil && ref.UID == value && !visit(o) {
			return
		}
	}
}

func (f fakeReader) ResourceVersion() int64 { return 1 }

// errorTexts runs a check and returns its errors' texts.
func errorTexts(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error())
	}
	return out
}

// invariantState returns a valid, defaulted Job with uid "u1" and a pod it owns.
func invariantState() (*objects.Job, *objects.Pod) {
	j := newJob(withCounts(2, 2))
	j.UID = "u1"
	objects.Default(j)
	objects.GenerateJobSelector(j)
	yes := true
	p := &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "pi-a", Labels: j.Spec.Template.Labels,
			OwnerReferences: []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "pi", UID: "u1", Controller: &yes}}},
		Status: objects.PodStatus{Phase: objects.PodRunning}}
	return j, p
}

func complete(j *objects.Job) {
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobSuccessCriteriaMet, Status: objects.ConditionTrue},
		{Type: objects.JobComplete, Status: objects.ConditionTrue}}
	j.Status.CompletionTime = objects.NewTimePtr(t0)
}

func TestCheckInvariants(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(j *objects.Job, p *objects.Pod)
		want   []string
	}{
		{"running job", func(j *objects.Job, p *objects.Pod) { j.Status.Active = 1 }, nil},
		{"ready above active", func(j *objects.Job, p *objects.Pod) { j.Status.Ready = ptr(int32(1)) },
			[]string{"job Job/default/pi: 1 ready pods but only 0 active"}},
		{"too many successes", func(j *objects.Job, p *objects.Pod) { j.Status.Succeeded = 3 },
			[]string{"job Job/default/pi: 3 succeeded, more than its 2 completions"}},
		{"too many successes, one of an adopted bare pod", func(j *objects.Job, p *objects.Pod) {
			j.Status.Succeeded = 3
			p.Name = "pod-37"
		}, nil},
		{"finished with an active pod", func(j *objects.Job, p *objects.Pod) { complete(j); j.Status.Succeeded = 2 },
			[]string{"job Job/default/pi: finished with 1 active pods"}},
		{"finished, pod done", func(j *objects.Job, p *objects.Pod) {
			complete(j)
			j.Status.Succeeded = 2
			p.Status.Phase = objects.PodSucceeded
		}, nil},
		{"complete without criteria", func(j *objects.Job, p *objects.Pod) {
			complete(j)
			j.Status.Conditions = j.Status.Conditions[1:]
			j.Status.Succeeded = 2
			p.Status.Phase = objects.PodSucceeded
		}, []string{"job Job/default/pi: Complete without SuccessCriteriaMet"}},
		{"failed without target", func(j *objects.Job, p *objects.Pod) {
			j.Status.Conditions = []objects.JobCondition{{Type: objects.JobFailed, Status: objects.ConditionTrue}}
			p.Status.Phase = objects.PodFailed
		}, []string{"job Job/default/pi: Failed without FailureTarget"}},
		{"indexed count", func(j *objects.Job, p *objects.Pod) {
			j.Spec.CompletionMode = ptr(objects.IndexedCompletion)
			j.Status.CompletedIndexes, j.Status.Succeeded = "0,1", 1
		}, []string{`job Job/default/pi: succeeded is 1 but completedIndexes "0,1" holds 2`}},
		{"another controller's job", func(j *objects.Job, p *objects.Pod) {
			j.Spec.ManagedBy = ptr("example.com/x")
			j.Status.Succeeded = 3
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, p := invariantState()
			tc.mutate(j, p)
			var got []string
			for _, err := range job.CheckInvariants(fakeReader{j, p}) {
				got = append(got, err.Error())
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCheckSettled(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(j *objects.Job, p *objects.Pod)
		want   []string
	}{
		{"in step", func(j *objects.Job, p *objects.Pod) { j.Status.Active = 1 }, nil},
		{"status behind", func(j *objects.Job, p *objects.Pod) {}, []string{"job Job/default/pi: status.active is 0 but 1 pods are active"}},
		{"suspended with a pod", func(j *objects.Job, p *objects.Pod) { j.Status.Active = 1; j.Spec.Suspend = ptr(true) },
			[]string{"job Job/default/pi: suspended but 1 pods are active"}},
		{"more than wanted", func(j *objects.Job, p *objects.Pod) { j.Status.Active = 1; j.Status.Succeeded = 2 },
			[]string{"job Job/default/pi: 1 pods are active, more than the 0 it wants"}},
		{"pod off the selector", func(j *objects.Job, p *objects.Pod) {
			j.Status.Active = 1
			p.Labels = map[string]string{"app": "x"}
		}, []string{"job Job/default/pi: owns pod pi-a, which its selector does not match"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, p := invariantState()
			p.Labels = map[string]string{}
			for k, v := range j.Spec.Template.Labels {
				p.Labels[k] = v
			}
			tc.mutate(j, p)
			var got []string
			for _, err := range job.CheckSettled(fakeReader{j, p}) {
				got = append(got, err.Error())
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCheckCompleteSucceeded(t *testing.T) {
	j, p := invariantState()
	complete(j)
	p.Status.Phase = objects.PodSucceeded
	j.Status.Succeeded = 1
	assert.Equal(t, []string{"job Job/default/pi: Complete with 1 succeeded, short of 2"}, errorTexts(job.CheckCompleteSucceeded(fakeReader{j, p})))
	j.Status.Succeeded = 2
	assert.Empty(t, job.CheckCompleteSucceeded(fakeReader{j, p}))
}

func TestCheckBackoffLimit(t *testing.T) {
	j, p := invariantState()
	j.Spec.BackoffLimit = ptr(int32(1))
	j.Status.Failed = 2
	assert.Equal(t, []string{"job Job/default/pi: 2 failed, past its backoffLimit 1, but not failing"}, errorTexts(job.CheckBackoffLimit(fakeReader{j, p})))
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobFailureTarget, Status: objects.ConditionTrue}}
	assert.Empty(t, job.CheckBackoffLimit(fakeReader{j, p}))
	j.Status.Conditions, j.Status.Failed = nil, 1
	assert.Empty(t, job.CheckBackoffLimit(fakeReader{j, p}))
}

func TestCheckSettledTerminal(t *testing.T) {
	j, p := invariantState()
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobSuccessCriteriaMet, Status: objects.ConditionTrue,
		LastTransitionTime: objects.NewTime(t0)}}
	p.Status.Phase = objects.PodSucceeded
	later := t0.Add(10 * time.Minute)
	assert.Equal(t, []string{"job Job/default/pi: SuccessCriteriaMet but not Complete"}, errorTexts(job.CheckSettledTerminal(fakeReader{j, p}, later)))
	// Just set, the Job may still be finishing.
	assert.Empty(t, job.CheckSettledTerminal(fakeReader{j, p}, t0.Add(10*time.Second)))
	// Suspended and never started, it cannot be Complete without a startTime.
	j.Spec.Suspend = ptr(true)
	assert.Empty(t, job.CheckSettledTerminal(fakeReader{j, p}, later))
	j.Spec.Suspend, j.Status.StartTime = nil, objects.NewTimePtr(t0)
	assert.Len(t, job.CheckSettledTerminal(fakeReader{j, p}, later), 1)

	j, p = invariantState()
	p.Status.Phase = objects.PodFailed
	p.Finalizers = []string{objects.JobTrackingFinalizer}
	assert.Equal(t, []string{"pod default/pi-a: finished but still carries the tracking finalizer"}, errorTexts(job.CheckSettledTerminal(fakeReader{j, p}, later)))
	// Relabelled out of the selector of its Job, which is being deleted
	// and unfinished: upstream neither releases it nor drops the finalizer.
	p.Labels = map[string]string{objects.ControllerUIDLabel: "other"}
	assert.Len(t, job.CheckSettledTerminal(fakeReader{j, p}, later), 1, "its Job is not being deleted")
	j.DeletionTimestamp = objects.NewTimePtr(t0)
	assert.Empty(t, job.CheckSettledTerminal(fakeReader{j, p}, later))
	// Nor once the Job has finished after the pod did: a finished Job's
	// cleanupPodFinalizers looks for its pods by its selector
	// (testdata/job-relabelled-pod-foreground-delete.txt).
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue}}
	assert.Empty(t, job.CheckSettledTerminal(fakeReader{j, p}, later), "its Job finished, being deleted")
	j.Status.Conditions = nil
	assert.Empty(t, job.CheckSettledTerminal(fakeReader{p}, later), "its Job is gone, and looked for it by its selector")
	p.Labels = j.Spec.Template.Labels
	assert.Len(t, job.CheckSettledTerminal(fakeReader{p}, later), 1, "its Job is gone, and its selector still matches it")
	j.DeletionTimestamp, p.Labels = nil, nil
	j.Status.UncountedTerminatedPods = &objects.UncountedTerminatedPods{Failed: []string{"x"}}
	p.Finalizers = nil
	assert.Equal(t, []string{"job Job/default/pi: uncountedTerminatedPods still holds pods"}, errorTexts(job.CheckSettledTerminal(fakeReader{j, p}, later)))
}

func TestCheckSettledDeadline(t *testing.T) {
	j, p := invariantState()
	j.Spec.ActiveDeadlineSeconds = ptr(int64(30))
	j.Status.StartTime = objects.NewTimePtr(t0)
	assert.Equal(t, []string{"job Job/default/pi: still running 4m30s after its activeDeadlineSeconds passed"},
		errorTexts(job.CheckSettledDeadline(fakeReader{j, p}, t0.Add(5*time.Minute))))
	assert.Empty(t, job.CheckSettledDeadline(fakeReader{j, p}, t0.Add(time.Minute)), "its pods may still be terminating")
	j.Spec.Suspend = ptr(true)
	assert.Empty(t, job.CheckSettledDeadline(fakeReader{j, p}, t0.Add(5*time.Minute)), "a suspended Job's deadline waits")
}
