package objects

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testJobUID = "11111111-2222-4333-8444-555555555555"

var testTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// validJob returns a Job as the store keeps it after create: defaulted,
// with the uid and the generated selector and labels.
func validJob() *Job {
	j := &Job{
		TypeMeta:   TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: ObjectMeta{Name: "pi", Namespace: "default", UID: testJobUID},
		Spec: JobSpec{Template: PodTemplateSpec{Spec: PodSpec{
			RestartPolicy: RestartPolicyNever,
			Containers:    []Container{{Name: "pi", Image: "perl:5.34", Command: []string{"perl"}}},
		}}},
	}
	Default(j)
	GenerateJobSelector(j)
	return j
}

// SetDefaults_Job, pkg/apis/batch/v1/defaults.go.
func TestDefaultJob(t *testing.T) {
	tests := []struct {
		name  string
		spec  JobSpec
		check func(t *testing.T, s *JobSpec)
	}{
		{"neither count set: both 1", JobSpec{}, func(t *testing.T, s *JobSpec) {
			assert.Equal(t, int32(1), *s.Completions)
			assert.Equal(t, int32(1), *s.Parallelism)
			assert.Equal(t, int32(6), *s.BackoffLimit)
			assert.Equal(t, NonIndexedCompletion, *s.CompletionMode)
			assert.False(t, *s.Suspend)
			assert.False(t, *s.ManualSelector)
			assert.Equal(t, TerminatingOrFailed, *s.PodReplacementPolicy)
		}},
		{"parallelism only: work queue keeps completions nil", JobSpec{Parallelism: ptrTo(int32(3))}, func(t *testing.T, s *JobSpec) {
			assert.Nil(t, s.Completions)
			assert.Equal(t, int32(3), *s.Parallelism)
		}},
		{"completions only: parallelism 1", JobSpec{Completions: ptrTo(int32(5))}, func(t *testing.T, s *JobSpec) {
			assert.Equal(t, int32(5), *s.Completions)
			assert.Equal(t, int32(1), *s.Parallelism)
		}},
		{"backoffLimitPerIndex: no global limit", JobSpec{BackoffLimitPerIndex: ptrTo(int32(1))}, func(t *testing.T, s *JobSpec) {
			assert.Equal(t, int32(math.MaxInt32), *s.BackoffLimit)
		}},
		{"podFailurePolicy: replace failed pods only; pattern status True", JobSpec{PodFailurePolicy: &PodFailurePolicy{Rules: []PodFailurePolicyRule{
			{Action: PodFailurePolicyActionIgnore, OnPodConditions: []PodFailurePolicyOnPodConditionsPattern{{Type: DisruptionTarget}}},
		}}}, func(t *testing.T, s *JobSpec) {
			assert.Equal(t, ReplaceFailed, *s.PodReplacementPolicy)
			assert.Equal(t, ConditionTrue, s.PodFailurePolicy.Rules[0].OnPodConditions[0].Status)
		}},
		{"template gets pod defaults", JobSpec{}, func(t *testing.T, s *JobSpec) {
			assert.Equal(t, RestartPolicyAlways, s.Template.Spec.RestartPolicy)
			assert.Equal(t, int64(30), *s.Template.Spec.TerminationGracePeriodSeconds)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := &Job{Spec: tc.spec}
			Default(j)
			tc.check(t, &j.Spec)
		})
	}
}

func TestDefaultJobCopiesTemplateLabels(t *testing.T) {
	j := &Job{Spec: JobSpec{Template: PodTemplateSpec{ObjectMeta: ObjectMeta{Labels: map[string]string{"app": "pi"}}}}}
	SchemeDefault(j)
	assert.Equal(t, map[string]string{"app": "pi"}, j.Labels)

	own := &Job{ObjectMeta: ObjectMeta{Labels: map[string]string{"team": "a"}},
		Spec: JobSpec{Template: PodTemplateSpec{ObjectMeta: ObjectMeta{Labels: map[string]string{"app": "pi"}}}}}
	SchemeDefault(own)
	assert.Equal(t, map[string]string{"team": "a"}, own.Labels)
}

// generateSelector leaves a user's conflicting label for validation to reject.
func TestGenerateJobSelectorKeepsUserLabels(t *testing.T) {
	j := validJob()
	j.Spec.Template.Labels = map[string]string{LegacyJobNameLabel: "other"}
	j.Spec.Selector = nil
	GenerateJobSelector(j)
	assert.Equal(t, "other", j.Spec.Template.Labels[LegacyJobNameLabel])
	assert.Equal(t, "pi", j.Spec.Template.Labels[JobNameLabel])
	errs := ValidateCreate(j)
	require.Len(t, errs, 1)
	assert.Equal(t, `spec.template.metadata.labels[job-name]: Invalid value: {"batch.kubernetes.io/controller-uid":"`+testJobUID+
		`","batch.kubernetes.io/job-name":"pi","controller-uid":"`+testJobUID+`","job-name":"other"}: must be 'pi'`, errs[0].Error())

	manual := validJob()
	manual.Spec.ManualSelector = ptrTo(true)
	manual.Spec.Selector = nil
	manual.Spec.Template.Labels = nil
	GenerateJobSelector(manual)
	assert.Nil(t, manual.Spec.Selector)
	assert.Equal(t, []string{"spec.selector: Required value",
		"spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`"}, errorStrings(ValidateCreate(manual)))
}

// errorStrings prints each error.
func errorStrings(errs ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// A manifest checked before the store assigned a uid validates as if the
// selector were generated.
func TestValidateJobBeforeUID(t *testing.T) {
	j := &Job{ObjectMeta: ObjectMeta{Name: "pi", Namespace: "default"}, Spec: validJob().Spec}
	j.Spec.Selector, j.Spec.Template.Labels = nil, nil
	assert.Empty(t, ValidateCreate(j))
	assert.Nil(t, j.Spec.Selector, "validation must not change the object")
}

// validateJobSpec, pkg/apis/batch/validation/validation.go.
func TestValidateCreateJob(t *testing.T) {
	ix := func(s *JobSpec) { s.CompletionMode = ptrTo(IndexedCompletion) }
	tests := []struct {
		name   string
		mutate func(j *Job)
		want   []string
	}{
		{"valid", func(j *Job) {}, nil},
		{"restartPolicy Always", func(j *Job) { j.Spec.Template.Spec.RestartPolicy = RestartPolicyAlways },
			[]string{`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`}},
		{"restartPolicy unknown", func(j *Job) { j.Spec.Template.Spec.RestartPolicy = "Sometimes" }, []string{
			`spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
			`spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"`}},
		{"podFailurePolicy with OnFailure", func(j *Job) {
			j.Spec.Template.Spec.RestartPolicy = RestartPolicyOnFailure
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{{Action: PodFailurePolicyActionFailJob,
				OnExitCodes: &PodFailurePolicyOnExitCodesRequirement{Operator: PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}}}}
			j.Spec.PodReplacementPolicy = ptrTo(ReplaceFailed)
		}, []string{`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`}},
		{"negative counts", func(j *Job) {
			j.Spec.Parallelism, j.Spec.BackoffLimit, j.Spec.ActiveDeadlineSeconds = ptrTo(int32(-1)), ptrTo(int32(-2)), ptrTo(int64(-3))
		}, []string{"spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
			"spec.activeDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0",
			"spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0"}},
		{"zero is fine", func(j *Job) {
			j.Spec.Parallelism, j.Spec.Completions, j.Spec.ActiveDeadlineSeconds = ptrTo(int32(0)), ptrTo(int32(0)), ptrTo(int64(0))
		}, nil},
		{"selector does not match", func(j *Job) {
			j.Spec.ManualSelector = ptrTo(true)
			j.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{"app": "x"}}
		}, []string{`spec.template.metadata.labels: Invalid value: {"batch.kubernetes.io/controller-uid":"` + testJobUID +
			`","batch.kubernetes.io/job-name":"pi","controller-uid":"` + testJobUID + `","job-name":"pi"}: ` + "`selector` does not match template `labels`"}},
		{"selector not generated", func(j *Job) { j.Spec.Selector.MatchLabels["app"] = "x"; j.Spec.Template.Labels["app"] = "x" },
			[]string{`spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/controller-uid":"` + testJobUID + `"}}: ` + "`selector` not auto-generated"}},
		{"indexed needs completions", func(j *Job) { ix(&j.Spec); j.Spec.Completions = nil },
			[]string{"spec.completions: Required value: when completion mode is Indexed"}},
		{"unknown completion mode", func(j *Job) { j.Spec.CompletionMode = ptrTo("Sparse") },
			[]string{`spec.completionMode: Unsupported value: "Sparse": supported values: "NonIndexed", "Indexed"`}},
		{"per-index limit needs indexed", func(j *Job) { j.Spec.BackoffLimitPerIndex = ptrTo(int32(1)) },
			[]string{"spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"}},
		{"maxFailedIndexes alone", func(j *Job) { ix(&j.Spec); j.Spec.MaxFailedIndexes = ptrTo(int32(1)) },
			[]string{"spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"}},
		{"maxFailedIndexes above completions", func(j *Job) {
			ix(&j.Spec)
			j.Spec.BackoffLimitPerIndex, j.Spec.MaxFailedIndexes = ptrTo(int32(1)), ptrTo(int32(2))
		}, []string{"spec.maxFailedIndexes: Invalid value: 2: must be less than or equal to completions"}},
		{"indexed name too long for hostnames", func(j *Job) {
			ix(&j.Spec)
			j.Spec.Completions = ptrTo(int32(10))
			j.Name = "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijab"
			j.Spec.Template.Labels[LegacyJobNameLabel], j.Spec.Template.Labels[JobNameLabel] = j.Name, j.Name
		}, []string{`metadata.name: Invalid value: "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijab": will not able to create pod with invalid DNS label: abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijab-9`}},
		{"successPolicy on NonIndexed", func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: ptrTo(int32(1))}}}
		}, []string{`spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode`}},
		{"successPolicy bad indexes", func(j *Job) {
			ix(&j.Spec)
			j.Spec.Completions = ptrTo(int32(5))
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: ptrTo("3,1")}, {SucceededCount: ptrTo(int32(6))}}}
		}, []string{`spec.successPolicy.rules[0].succeededIndexes: Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1`,
			"spec.successPolicy.rules[1].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)"}},
		{"podFailurePolicy rules", func(j *Job) {
			j.Spec.PodReplacementPolicy = ptrTo(ReplaceFailed)
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{
				{Action: PodFailurePolicyActionFailIndex, OnExitCodes: &PodFailurePolicyOnExitCodesRequirement{
					Operator: PodFailurePolicyOnExitCodesOpIn, Values: []int32{0, 2, 1}, ContainerName: ptrTo("nope")}},
				{Action: "Explode"},
			}}
		}, []string{
			`spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set`,
			`spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template`,
			"spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
			"spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,2,1]: must be ordered",
			`spec.podFailurePolicy.rules[1].action: Unsupported value: "Explode": supported values: "Count", "FailIndex", "FailJob", "Ignore"`,
			"spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"}},
		{"podReplacementPolicy with podFailurePolicy", func(j *Job) {
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{{Action: PodFailurePolicyActionIgnore,
				OnPodConditions: []PodFailurePolicyOnPodConditionsPattern{{Type: DisruptionTarget, Status: ConditionTrue}}}}}
		}, []string{`spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"`}},
		{"managedBy not a path", func(j *Job) { j.Spec.ManagedBy = ptrTo("kueue") },
			[]string{`spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := validJob()
			tc.mutate(j)
			assert.Equal(t, tc.want, errorStrings(ValidateCreate(j)))
		})
	}
}

// ValidateJobSpecUpdate and the strategy's options.
func TestValidateJobUpdate(t *testing.T) {
	tests := []struct {
		name   string
		old    func(j *Job)
		mutate func(j *Job)
		want   []string
	}{
		{"parallelism is mutable", nil, func(j *Job) { j.Spec.Parallelism = ptrTo(int32(4)) }, nil},
		{"completions is immutable", nil, func(j *Job) { j.Spec.Completions = ptrTo(int32(4)) },
			[]string{"spec.completions: Invalid value: 4: field is immutable"}},
		{"indexed completions change with parallelism", func(j *Job) { j.Spec.CompletionMode = ptrTo(IndexedCompletion) }, func(j *Job) {
			j.Spec.Completions, j.Spec.Parallelism = ptrTo(int32(4)), ptrTo(int32(4))
		}, nil},
		{"indexed completions alone", func(j *Job) { j.Spec.CompletionMode = ptrTo(IndexedCompletion) }, func(j *Job) {
			j.Spec.Completions = ptrTo(int32(4))
		}, []string{"spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism"}},
		{"completionMode is immutable", nil, func(j *Job) { j.Spec.CompletionMode = ptrTo(IndexedCompletion) },
			[]string{`spec.completionMode: Invalid value: "Indexed": field is immutable`}},
		{"selector is immutable", func(j *Job) {
			j.Spec.ManualSelector = ptrTo(true)
			j.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{LegacyJobNameLabel: "pi"}}
		}, func(j *Job) {
			j.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{LegacyControllerUIDLabel: testJobUID}}
		}, []string{`spec.selector: Invalid value: {"matchLabels":{"controller-uid":"` + testJobUID + `"}}: field is immutable`}},
		{"suspended job may change node selector", func(j *Job) { j.Spec.Suspend = ptrTo(true) }, func(j *Job) {
			j.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"}
		}, nil},
		{"but not the image", func(j *Job) { j.Spec.Suspend = ptrTo(true) }, func(j *Job) {
			j.Spec.Template.Spec.Containers[0].Image = "perl:5.36"
		}, []string{"spec.template: field is immutable"}},
		{"running job may not change node selector", nil, func(j *Job) {
			j.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"}
		}, []string{"spec.template: field is immutable"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validJob()
			if tc.old != nil {
				tc.old(old)
			}
			j := old.DeepCopy()
			tc.mutate(j)
			got := errorStrings(ValidateUpdate(j, old))
			if len(tc.want) == 1 && tc.want[0] == "spec.template: field is immutable" {
				require.Len(t, got, 1)
				assert.Regexp(t, `^spec\.template: Invalid value: \{.*\}: field is immutable$`, got[0])
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// ValidateJobStatusUpdate with the rules the status strategy enforces.
func TestValidateJobStatusUpdate(t *testing.T) {
	started := func(j *Job) { j.Status.StartTime = NewTimePtr(testTime) }
	tests := []struct {
		name   string
		old    func(j *Job)
		mutate func(j *Job)
		want   []string
	}{
		{"counters grow", started, func(j *Job) { j.Status.Active, j.Status.Ready = 2, ptrTo(int32(1)) }, nil},
		{"ready above active", started, func(j *Job) { j.Status.Ready = ptrTo(int32(1)) },
			[]string{"status.ready: Invalid value: 1: cannot set more ready pods than active"}},
		{"failed decreases", func(j *Job) { started(j); j.Status.Failed = 2 }, func(j *Job) { j.Status.Failed = 1 },
			[]string{"status.failed: Invalid value: 1: cannot decrease the failed counter"}},
		{"complete with criteria", started, func(j *Job) {
			j.Status.Conditions = []JobCondition{{Type: JobSuccessCriteriaMet, Status: ConditionTrue}, {Type: JobComplete, Status: ConditionTrue}}
			j.Status.CompletionTime = NewTimePtr(testTime)
		}, nil},
		{"complete without completionTime", started, func(j *Job) {
			j.Status.Conditions = []JobCondition{{Type: JobSuccessCriteriaMet, Status: ConditionTrue}, {Type: JobComplete, Status: ConditionTrue}}
		}, []string{"status.completionTime: Required value: completionTime is required for Complete jobs"}},
		{"failed without target", started, func(j *Job) {
			j.Status.Conditions = []JobCondition{{Type: JobFailed, Status: ConditionTrue}}
		}, []string{"status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition"}},
		{"finished with active pods", func(j *Job) { started(j); j.Status.Active = 1 }, func(j *Job) {
			j.Status.Conditions = []JobCondition{{Type: JobFailureTarget, Status: ConditionTrue}, {Type: JobFailed, Status: ConditionTrue}}
		}, []string{"status.active: Invalid value: 1: active>0 is invalid for finished job"}},
		{"terminal condition removed", func(j *Job) {
			started(j)
			j.Status.Conditions = []JobCondition{{Type: JobFailureTarget, Status: ConditionTrue}}
		}, func(j *Job) { j.Status.Conditions = nil }, []string{"status.conditions: Invalid value: cannot disable the terminal FailureTarget=True condition"}},
		{"startTime of a running job", started, func(j *Job) { j.Status.StartTime = nil },
			[]string{"status.startTime: Required value: startTime cannot be removed for unsuspended job"}},
		{"startTime of a suspended job", func(j *Job) { started(j); j.Spec.Suspend = ptrTo(true) }, func(j *Job) { j.Status.StartTime = nil }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validJob()
			tc.old(old)
			j := old.DeepCopy()
			tc.mutate(j)
			assert.Equal(t, tc.want, errorStrings(ValidateUpdate(j, old)))
		})
	}
}

// The Job of the Kubernetes tutorial decodes strictly into the typed kind.
func TestDecodeJobManifest(t *testing.T) {
	obj, err := DecodeOne([]byte(`apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: pi
        operator: In
        values: [42]
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
`))
	require.NoError(t, err)
	j, ok := obj.(*Job)
	require.True(t, ok)
	assert.Equal(t, int32(4), *j.Spec.BackoffLimit)
	assert.Equal(t, []int32{42}, j.Spec.PodFailurePolicy.Rules[0].OnExitCodes.Values)
	assert.Equal(t, RestartPolicyNever, j.Spec.Template.Spec.RestartPolicy)

	_, err = DecodeOne([]byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec: {completion: 3}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "spec.completion"`)
}
