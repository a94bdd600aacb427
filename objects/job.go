package objects

import (
	"math"
	"reflect"
)

// This file holds the batch/v1 Job kind (k8s.io/api batch/v1 types.go), its
// defaulting (pkg/apis/batch/v1/defaults.go SetDefaults_Job) and the part of
// the registry strategy's PrepareForCreate that generates the selector
// (pkg/registry/batch/job/strategy.go generateSelector). Validation is in
// jobvalidation.go.

// Job runs pods until a number of them succeed (batch/v1 Job).
type Job struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       JobSpec   `json:"spec"`
	Status     JobStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the job.
func (j *Job) DeepCopyObject() Object { return j.DeepCopy() }

// PodTemplateSpec is the pod a workload creates: metadata and spec
// (core/v1 PodTemplateSpec).
type PodTemplateSpec struct {
	ObjectMeta `json:"metadata,omitzero"`
	Spec       PodSpec `json:"spec"`
}

// JobSpec is what a Job asks for (batch/v1 JobSpec).
type JobSpec struct {
	Parallelism             *int32            `json:"parallelism,omitempty"`
	Completions             *int32            `json:"completions,omitempty"`
	ActiveDeadlineSeconds   *int64            `json:"activeDeadlineSeconds,omitempty"`
	PodFailurePolicy        *PodFailurePolicy `json:"podFailurePolicy,omitempty"`
	SuccessPolicy           *SuccessPolicy    `json:"successPolicy,omitempty"`
	BackoffLimit            *int32            `json:"backoffLimit,omitempty"`
	BackoffLimitPerIndex    *int32            `json:"backoffLimitPerIndex,omitempty"`
	MaxFailedIndexes        *int32            `json:"maxFailedIndexes,omitempty"`
	Selector                *LabelSelector    `json:"selector,omitempty"`
	ManualSelector          *bool             `json:"manualSelector,omitempty"`
	Template                PodTemplateSpec   `json:"template"`
	TTLSecondsAfterFinished *int32            `json:"ttlSecondsAfterFinished,omitempty"`
	CompletionMode          *string           `json:"completionMode,omitempty"`
	Suspend                 *bool             `json:"suspend,omitempty"`
	PodReplacementPolicy    *string           `json:"podReplacementPolicy,omitempty"`
	ManagedBy               *string           `json:"managedBy,omitempty"`
}

// PodFailurePolicy decides what a pod failure means for its Job, by rules
// tried in order.
type PodFailurePolicy struct {
	Rules []PodFailurePolicyRule `json:"rules"`
}

// PodFailurePolicyRule is one rule: an action and exactly one of a
// container exit-code requirement or pod condition patterns.
type PodFailurePolicyRule struct {
	Action          string                                   `json:"action"`
	OnExitCodes     *PodFailurePolicyOnExitCodesRequirement  `json:"onExitCodes,omitempty"`
	OnPodConditions []PodFailurePolicyOnPodConditionsPattern `json:"onPodConditions,omitempty"`
}

// PodFailurePolicyOnExitCodesRequirement matches terminated containers by exit code.
type PodFailurePolicyOnExitCodesRequirement struct {
	ContainerName *string `json:"containerName,omitempty"`
	Operator      string  `json:"operator"`
	Values        []int32 `json:"values"`
}

// PodFailurePolicyOnPodConditionsPattern matches a pod condition by type and status.
type PodFailurePolicyOnPodConditionsPattern struct {
	Type   string `json:"type"`
	Status string `json:"status"`
}

// SuccessPolicy declares an Indexed Job succeeded before all its indexes do.
type SuccessPolicy struct {
	Rules []SuccessPolicyRule `json:"rules"`
}

// SuccessPolicyRule is met when the listed indexes (or succeededCount of
// them, or of all indexes) succeeded.
type SuccessPolicyRule struct {
	SucceededIndexes *string `json:"succeededIndexes,omitempty"`
	SucceededCount   *int32  `json:"succeededCount,omitempty"`
}

// JobStatus is what the Job controller reports (batch/v1 JobStatus).
type JobStatus struct {
	Conditions              []JobCondition           `json:"conditions,omitempty"`
	StartTime               *Time                    `json:"startTime,omitempty"`
	CompletionTime          *Time                    `json:"completionTime,omitempty"`
	Active                  int32                    `json:"active,omitempty"`
	Succeeded               int32                    `json:"succeeded,omitempty"`
	Failed                  int32                    `json:"failed,omitempty"`
	Terminating             *int32                   `json:"terminating,omitempty"`
	CompletedIndexes        string                   `json:"completedIndexes,omitempty"`
	FailedIndexes           *string                  `json:"failedIndexes,omitempty"`
	UncountedTerminatedPods *UncountedTerminatedPods `json:"uncountedTerminatedPods,omitempty"`
	Ready                   *int32                   `json:"ready,omitempty"`
}

// UncountedTerminatedPods lists the UIDs of finished pods the controller
// has not yet added to the succeeded and failed counters.
type UncountedTerminatedPods struct {
	Succeeded []string `json:"succeeded,omitempty"`
	Failed    []string `json:"failed,omitempty"`
}

// JobCondition is one condition of a Job.
type JobCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastProbeTime      Time   `json:"lastProbeTime,omitzero"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitzero"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// Labels, annotations and the finalizer of Jobs and their pods, as
// k8s.io/api batch/v1 types.go and pkg/apis/batch/types.go name them.
const (
	JobNameLabel                          = "batch.kubernetes.io/job-name"
	ControllerUIDLabel                    = "batch.kubernetes.io/controller-uid"
	LegacyJobNameLabel                    = "job-name"
	LegacyControllerUIDLabel              = "controller-uid"
	JobCompletionIndexAnnotation          = "batch.kubernetes.io/job-completion-index"
	JobTrackingFinalizer                  = "batch.kubernetes.io/job-tracking"
	JobIndexFailureCountAnnotation        = "batch.kubernetes.io/job-index-failure-count"
	JobIndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count"
	// JobControllerName is the managedBy value of the built-in Job controller.
	JobControllerName = "kubernetes.io/job-controller"
)

// Completion modes.
const (
	NonIndexedCompletion = "NonIndexed"
	IndexedCompletion    = "Indexed"
)

// Pod replacement policies.
const (
	TerminatingOrFailed = "TerminatingOrFailed"
	ReplaceFailed       = "Failed"
)

// Job condition types.
const (
	JobSuspended          = "Suspended"
	JobComplete           = "Complete"
	JobFailed             = "Failed"
	JobFailureTarget      = "FailureTarget"
	JobSuccessCriteriaMet = "SuccessCriteriaMet"
)

// Job condition reasons (batch/v1 types.go JobReason*).
const (
	JobReasonPodFailurePolicy         = "PodFailurePolicy"
	JobReasonBackoffLimitExceeded     = "BackoffLimitExceeded"
	JobReasonDeadlineExceeded         = "DeadlineExceeded"
	JobReasonMaxFailedIndexesExceeded = "MaxFailedIndexesExceeded"
	JobReasonFailedIndexes            = "FailedIndexes"
	JobReasonSuccessPolicy            = "SuccessPolicy"
	JobReasonCompletionsReached       = "CompletionsReached"
)

// Pod failure policy actions and exit-code operators.
const (
	PodFailurePolicyActionFailJob      = "FailJob"
	PodFailurePolicyActionFailIndex    = "FailIndex"
	PodFailurePolicyActionIgnore       = "Ignore"
	PodFailurePolicyActionCount        = "Count"
	PodFailurePolicyOnExitCodesOpIn    = "In"
	PodFailurePolicyOnExitCodesOpNotIn = "NotIn"
)

// Job defaults (SetDefaults_Job).
const (
	DefaultJobBackoffLimit = 6
	// DefaultJobBackoffLimitPerIndexed is the backoffLimit of a Job that
	// sets backoffLimitPerIndex: no global limit.
	DefaultJobBackoffLimitPerIndexed = math.MaxInt32
)

// defaultJob is SetDefaults_Job plus the pod template's defaults; it runs
// on every write, as upstream's decode-time defaulting does.
func defaultJob(j *Job) {
	s := &j.Spec
	if s.Completions == nil && s.Parallelism == nil {
		s.Completions, s.Parallelism = ptrTo(int32(1)), ptrTo(int32(1))
	}
	if s.Parallelism == nil {
		s.Parallelism = ptrTo(int32(1))
	}
	if s.BackoffLimit == nil {
		if s.BackoffLimitPerIndex != nil {
			s.BackoffLimit = ptrTo(int32(DefaultJobBackoffLimitPerIndexed))
		} else {
			s.BackoffLimit = ptrTo(int32(DefaultJobBackoffLimit))
		}
	}
	if len(s.Template.Labels) > 0 && len(j.Labels) == 0 {
		j.Labels = copyStringMap(s.Template.Labels)
	}
	setStringIfNil(&s.CompletionMode, NonIndexedCompletion)
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	defaultPodFailurePolicy(s.PodFailurePolicy)
	if s.PodFailurePolicy != nil {
		setStringIfNil(&s.PodReplacementPolicy, ReplaceFailed)
	} else {
		setStringIfNil(&s.PodReplacementPolicy, TerminatingOrFailed)
	}
	if s.ManualSelector == nil {
		s.ManualSelector = ptrTo(false)
	}
	DefaultPodSpec(&s.Template.Spec)
}

// defaultPodFailurePolicy defaults each onPodConditions pattern's status to True.
func defaultPodFailurePolicy(p *PodFailurePolicy) {
	if p == nil {
		return
	}
	for i := range p.Rules {
		for k := range p.Rules[i].OnPodConditions {
			if p.Rules[i].OnPodConditions[k].Status == "" {
				p.Rules[i].OnPodConditions[k].Status = ConditionTrue
			}
		}
	}
}

// setStringIfNil points *p at v when it is nil.
func setStringIfNil(p **string, v string) {
	if *p == nil {
		*p = ptrTo(v)
	}
}

// copyStringMap returns an independent copy of m.
func copyStringMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// GenerateJobSelector is the Job strategy's PrepareForCreate step that
// needs the Job's uid (generateSelectorIfNeeded): unless manualSelector is
// true, it adds the job-name and controller-uid template labels (both the
// batch.kubernetes.io/ and the legacy keys, each only when absent, so that
// a conflicting user value is left for validation to reject) and selects
// batch.kubernetes.io/controller-uid=<uid>.
//
// Upstream's Job labels end up equal to the template labels when the user
// gave none, because defaulting copies (in fact aliases) the template's
// label map to the Job before the generated labels are added. A Job whose
// labels are empty or equal to its template's therefore gets the final
// template labels here.
func GenerateJobSelector(j *Job) {
	if j.Spec.ManualSelector != nil && *j.Spec.ManualSelector {
		return
	}
	labelsFollowTemplate := len(j.Labels) == 0 || reflect.DeepEqual(j.Labels, j.Spec.Template.Labels)
	t := &j.Spec.Template
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	for _, kv := range [][2]string{
		{LegacyJobNameLabel, j.Name}, {JobNameLabel, j.Name},
		{LegacyControllerUIDLabel, j.UID}, {ControllerUIDLabel, j.UID},
	} {
		if _, found := t.Labels[kv[0]]; !found {
			t.Labels[kv[0]] = kv[1]
		}
	}
	if j.Spec.Selector == nil {
		j.Spec.Selector = &LabelSelector{}
	}
	if j.Spec.Selector.MatchLabels == nil {
		j.Spec.Selector.MatchLabels = map[string]string{}
	}
	if _, found := j.Spec.Selector.MatchLabels[ControllerUIDLabel]; !found {
		j.Spec.Selector.MatchLabels[ControllerUIDLabel] = j.UID
	}
	if labelsFollowTemplate {
		j.Labels = copyStringMap(t.Labels)
	}
}

// IsJobFinished reports whether j has a Complete=True or Failed=True condition.
func IsJobFinished(j *Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == JobComplete || c.Type == JobFailed) && c.Status == ConditionTrue {
			return true
		}
	}
	return false
}

// JobConditionTrue reports whether the first condition of type t in conds is True.
func JobConditionTrue(conds []JobCondition, t string) bool {
	c := FindJobCondition(conds, t)
	return c != nil && c.Status == ConditionTrue
}

// FindJobCondition returns the first condition of type t, or nil.
func FindJobCondition(conds []JobCondition, t string) *JobCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}
