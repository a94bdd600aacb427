package job

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// Pod failure and success policies, after upstream's pod_failure_policy.go
// and success_policy.go.

// policyMatch is what matching a failed pod against a podFailurePolicy says.
type policyMatch struct {
	// failJob is the Job's failure message when a FailJob rule matched.
	failJob string
	// count is false when an Ignore rule matched: the failure does not count.
	count bool
	// action is the matched rule's action, "" when none matched.
	action string
}

// matchPodFailurePolicy tries the rules in order; the first match wins.
// With no policy or no match, the failure counts.
func matchPodFailurePolicy(p *objects.PodFailurePolicy, pod *objects.Pod) policyMatch {
	if p == nil {
		return policyMatch{count: true}
	}
	for i, r := range p.Rules {
		var msg string
		switch {
		case r.OnExitCodes != nil:
			c := matchOnExitCodes(&pod.Status, r.OnExitCodes)
			if c == nil {
				continue
			}
			msg = fmt.Sprintf("Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
				c.Name, pod.Namespace, pod.Name, c.State.Terminated.ExitCode, r.Action, i)
		case r.OnPodConditions != nil:
			c := matchOnPodConditions(&pod.Status, r.OnPodConditions)
			if c == nil {
				continue
			}
			msg = fmt.Sprintf("Pod %s/%s has condition %s matching %s rule at index %d", pod.Namespace, pod.Name, c.Type, r.Action, i)
		default:
			continue
		}
		switch r.Action {
		case objects.PodFailurePolicyActionIgnore:
			return policyMatch{count: false, action: r.Action}
		case objects.PodFailurePolicyActionFailIndex, objects.PodFailurePolicyActionCount:
			return policyMatch{count: true, action: r.Action}
		case objects.PodFailurePolicyActionFailJob:
			return policyMatch{failJob: msg, count: true, action: r.Action}
		}
	}
	return policyMatch{count: true}
}

// matchOnExitCodes returns the first terminated container (regular ones
// first, then init containers) with a non-zero exit code the requirement
// matches.
func matchOnExitCodes(st *objects.PodStatus, r *objects.PodFailurePolicyOnExitCodesRequirement) *objects.ContainerStatus {
	for _, list := range [][]objects.ContainerStatus{st.ContainerStatuses, st.InitContainerStatuses} {
		for i := range list {
			c := &list[i]
			t := c.State.Terminated
			if t == nil || t.ExitCode == 0 || (r.ContainerName != nil && *r.ContainerName != c.Name) {
				continue
			}
			if exitCodeMatches(t.ExitCode, r) {
				return c
			}
		}
	}
	return nil
}

// exitCodeMatches applies the In or NotIn operator.
func exitCodeMatches(code int32, r *objects.PodFailurePolicyOnExitCodesRequirement) bool {
	in := false
	for _, v := range r.Values {
		in = in || v == code
	}
	switch r.Operator {
	case objects.PodFailurePolicyOnExitCodesOpIn:
		return in
	case objects.PodFailurePolicyOnExitCodesOpNotIn:
		return !in
	}
	return false
}

// matchOnPodConditions returns the first pod condition any pattern matches.
func matchOnPodConditions(st *objects.PodStatus, patterns []objects.PodFailurePolicyOnPodConditionsPattern) *objects.PodCondition {
	for i := range st.Conditions {
		for _, p := range patterns {
			if st.Conditions[i].Type == p.Type && st.Conditions[i].Status == p.Status {
				return &st.Conditions[i]
			}
		}
	}
	return nil
}

// failJobMessage returns the message of the first failed pod matching a
// FailJob rule, or "".
func failJobMessage(job *objects.Job, pods []*objects.Pod) string {
	if job.Spec.PodFailurePolicy == nil {
		return ""
	}
	for _, p := range pods {
		if isPodFailed(p, job) {
			if m := matchPodFailurePolicy(job.Spec.PodFailurePolicy, p); m.failJob != "" {
				return m.failJob
			}
		}
	}
	return ""
}

// countedFailures counts the failed pods no Ignore rule matches.
func countedFailures(job *objects.Job, failed []*objects.Pod) int32 {
	n := int32(len(failed))
	if job.Spec.PodFailurePolicy != nil {
		for _, p := range failed {
			if !matchPodFailurePolicy(job.Spec.PodFailurePolicy, p).count {
				n--
			}
		}
	}
	return n
}

// matchSuccessPolicy returns "Matched rules at index <i>" for the first
// rule the succeeded indexes meet: all (or succeededCount) of its
// succeededIndexes, or succeededCount indexes in all.
func matchSuccessPolicy(p *objects.SuccessPolicy, completions int32, succeeded intervals) (string, bool) {
	if p == nil || len(succeeded) == 0 {
		return "", false
	}
	for i, r := range p.Rules {
		if r.SucceededIndexes != nil {
			required := parseIntervals(*r.SucceededIndexes, int(completions))
			if len(required) > 0 && succeededIndexesRuleMet(required, succeeded, r.SucceededCount) {
				return fmt.Sprintf("Matched rules at index %d", i), true
			}
		} else if r.SucceededCount != nil && succeeded.total() >= int(*r.SucceededCount) {
			return fmt.Sprintf("Matched rules at index %d", i), true
		}
	}
	return "", false
}

// succeededIndexesRuleMet reports whether every required index succeeded,
// or at least count of them did.
func succeededIndexesRuleMet(required, succeeded intervals, count *int32) bool {
	contains := 0
	for _, r := range required {
		for _, s := range succeeded {
			if overlap := min(r.Last, s.Last) - max(r.First, s.First) + 1; overlap > 0 {
				contains += overlap
			}
		}
	}
	return contains == required.total() || (count != nil && contains >= int(*count))
}
