package storage_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// job returns a valid Job as a user writes it: no selector, restartPolicy Never.
func job(ns, name string) *objects.Job {
	return &objects.Job{
		TypeMeta:   objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: objects.ObjectMeta{Namespace: ns, Name: name},
		Spec: objects.JobSpec{Template: objects.PodTemplateSpec{Spec: objects.PodSpec{
			RestartPolicy: objects.RestartPolicyNever,
			Containers:    []objects.Container{{Name: "pi", Image: "perl:5.34"}},
		}}},
	}
}

func jobKey(name string) objects.Key {
	return objects.Key{Kind: "Job", Namespace: "default", Name: name}
}

// Upstream's Job strategy generates the selector from the uid the store
// assigned (strategy.go generateSelector) and the Job's labels follow its
// template's when the user gave none (defaults.go SetDefaults_Job).
func TestCreateJobGeneratesSelectorAndLabels(t *testing.T) {
	f := newFixture(t)
	out := f.mustCreate(t, job("default", "pi")).(*objects.Job)
	uid := out.UID
	require.NotEmpty(t, uid)
	want := map[string]string{
		objects.ControllerUIDLabel: uid, objects.LegacyControllerUIDLabel: uid,
		objects.JobNameLabel: "pi", objects.LegacyJobNameLabel: "pi",
	}
	assert.Equal(t, want, out.Spec.Template.Labels)
	assert.Equal(t, want, out.Labels)
	assert.Equal(t, &objects.LabelSelector{MatchLabels: map[string]string{objects.ControllerUIDLabel: uid}}, out.Spec.Selector)
	assert.Equal(t, int64(1), out.Generation)
	assert.Equal(t, int32(6), *out.Spec.BackoffLimit)
	assert.Equal(t, objects.TerminatingOrFailed, *out.Spec.PodReplacementPolicy)
	assert.False(t, *out.Spec.ManualSelector)
}

// A user's template labels are kept; the Job's labels (empty) follow the
// template's final labels, generated ones included.
func TestCreateJobLabelsFollowTemplate(t *testing.T) {
	f := newFixture(t)
	j := job("default", "pi")
	j.Spec.Template.Labels = map[string]string{"app": "pi"}
	out := f.mustCreate(t, j).(*objects.Job)
	assert.Equal(t, "pi", out.Spec.Template.Labels["app"])
	assert.Equal(t, out.Spec.Template.Labels, out.Labels)
	assert.Len(t, out.Labels, 5)

	own := job("default", "own")
	own.Labels = map[string]string{"team": "a"}
	out = f.mustCreate(t, own).(*objects.Job)
	assert.Equal(t, map[string]string{"team": "a"}, out.Labels)
}

func TestCreateJobStatusIsCleared(t *testing.T) {
	f := newFixture(t)
	j := job("default", "pi")
	j.Status.Active = 3
	out := f.mustCreate(t, j).(*objects.Job)
	assert.Equal(t, objects.JobStatus{}, out.Status)
}

func TestCreateJobRejectsRestartPolicyAlways(t *testing.T) {
	f := newFixture(t)
	j := job("default", "pi")
	j.Spec.Template.Spec.RestartPolicy = ""
	before := f.s.ResourceVersion()
	_, err := f.s.Create(j)
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrInvalid))
	assert.Equal(t, `Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`, err.Error())
	assert.Equal(t, before, f.s.ResourceVersion())
	_, err = f.s.Get(jobKey("pi"))
	assert.True(t, errors.Is(err, storage.ErrNotFound))
}

// A spec change bumps the generation; the template of a running Job is immutable.
func TestUpdateJobSpec(t *testing.T) {
	f := newFixture(t)
	out := f.mustCreate(t, job("default", "pi")).(*objects.Job)
	out.Spec.Parallelism = ptr(int32(3))
	upd, err := f.s.Update(out)
	require.NoError(t, err)
	assert.Equal(t, int64(2), upd.GetObjectMeta().Generation)

	changed := upd.(*objects.Job)
	changed.Spec.Template.Spec.Containers[0].Image = "perl:5.36"
	_, err = f.s.Update(changed)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "spec.template: Invalid value: ")
	assert.Contains(t, err.Error(), ": field is immutable")
}

// The status subresource writes status only; the status strategy refuses
// a Complete condition without SuccessCriteriaMet.
func TestUpdateJobStatus(t *testing.T) {
	f := newFixture(t)
	out := f.mustCreate(t, job("default", "pi")).(*objects.Job)
	out.Status.Active = 1
	out.Spec.Parallelism = ptr(int32(5))
	upd, err := f.s.UpdateStatus(out)
	require.NoError(t, err)
	got := upd.(*objects.Job)
	assert.Equal(t, int32(1), got.Status.Active)
	assert.Equal(t, int32(1), *got.Spec.Parallelism)

	got.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue}}
	got.Status.Active = 0
	got.Status.StartTime = objects.NewTimePtr(t0)
	got.Status.CompletionTime = objects.NewTimePtr(t0)
	_, err = f.s.UpdateStatus(got)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition")
	stored, err := f.s.Get(jobKey("pi"))
	require.NoError(t, err)
	assert.Empty(t, stored.(*objects.Job).Status.Conditions)
}
