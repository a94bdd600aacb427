package objects

import (
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Deployment and ReplicaSet validation, after upstream's
// pkg/apis/apps/validation/validation.go (ValidateDeployment,
// ValidateDeploymentUpdate, ValidateReplicaSet, ValidateReplicaSetUpdate)
// as the apps/v1 registry strategies call it: the selector is immutable.

// Messages of apps validation, as upstream words them.
const (
	// emptySelectorMsg is upstream's text for Deployments and ReplicaSets alike.
	emptySelectorMsg        = "empty selector is invalid for deployment"
	invalidSelectorMsg      = "invalid label selector"
	selectorMismatchMsg     = "`selector` does not match template `labels`"
	activeDeadlineForbidden = "activeDeadlineSeconds in ReplicaSet is not Supported"
	progressDeadlineMsg     = "must be greater than minReadySeconds"
	rollingUpdateDefaulted  = "this should be defaulted and never be nil"
	bothFencepostsZeroMsg   = "may not be 0 when `maxSurge` is 0"
	moreThan100PercentMsg   = "must not be greater than 100%"
)

// validateDeployment is ValidateDeployment, plus ValidateDeploymentUpdate's
// immutable selector when old is set.
func validateDeployment(d, old *Deployment) ErrorList {
	errs := validateObjectMeta(&d.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	spec := NewFieldPath("spec")
	s := &d.Spec
	errs = append(errs, validateNonNegative(int32Or(s.Replicas, 0), spec.Child("replicas"))...)
	errs = append(errs, validateWorkloadSelector(s.Selector, &s.Template, int32Or(s.Replicas, 0), spec)...)
	errs = append(errs, validateDeploymentStrategy(&s.Strategy, spec.Child("strategy"))...)
	errs = append(errs, validateNonNegative(s.MinReadySeconds, spec.Child("minReadySeconds"))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, validateNonNegative(*s.RevisionHistoryLimit, spec.Child("revisionHistoryLimit"))...)
	}
	if p := s.ProgressDeadlineSeconds; p != nil {
		errs = append(errs, validateNonNegative(*p, spec.Child("progressDeadlineSeconds"))...)
		if *p <= s.MinReadySeconds {
			errs = append(errs, InvalidError(spec.Child("progressDeadlineSeconds"), *p, progressDeadlineMsg))
		}
	}
	if old != nil {
		errs = append(errs, validateImmutable(d.Spec.Selector, old.Spec.Selector, spec.Child("selector"))...)
	}
	return errs
}

// validateReplicaSet is ValidateReplicaSet, plus the immutable selector
// of an update when old is set.
func validateReplicaSet(rs, old *ReplicaSet) ErrorList {
	errs := validateObjectMeta(&rs.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	spec := NewFieldPath("spec")
	s := &rs.Spec
	errs = append(errs, validateNonNegative(int32Or(s.Replicas, 0), spec.Child("replicas"))...)
	errs = append(errs, validateNonNegative(s.MinReadySeconds, spec.Child("minReadySeconds"))...)
	errs = append(errs, validateWorkloadSelector(s.Selector, &s.Template, int32Or(s.Replicas, 0), spec)...)
	if old != nil {
		errs = append(errs, validateImmutable(rs.Spec.Selector, old.Spec.Selector, spec.Child("selector"))...)
	}
	return errs
}

// validateWorkloadSelector checks a required, non-empty, valid selector
// and the template it must match (ValidatePodTemplateSpecForReplicaSet).
// A missing selector also fails the match: it selects nothing.
func validateWorkloadSelector(ls *LabelSelector, t *PodTemplateSpec, replicas int32, spec FieldPath) ErrorList {
	var errs ErrorList
	if ls == nil {
		errs = append(errs, RequiredError(spec.Child("selector"), ""))
	} else {
		errs = append(errs, ValidateLabelSelector(ls, spec.Child("selector"))...)
		if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
			errs = append(errs, InvalidError(spec.Child("selector"), ls, emptySelectorMsg))
		}
	}
	sel, err := LabelSelectorAsSelector(ls)
	if err != nil {
		return append(errs, InvalidError(spec.Child("selector"), ls, invalidSelectorMsg))
	}
	return append(errs, validateReplicaSetTemplate(t, sel, spec.Child("template"))...)
}

// validateReplicaSetTemplate is ValidatePodTemplateSpecForReplicaSet: the
// selector matches the labels, the pod template is valid, pods restart
// Always and have no active deadline.
func validateReplicaSetTemplate(t *PodTemplateSpec, sel Selector, fld FieldPath) ErrorList {
	var errs ErrorList
	if !sel.Empty() && !sel.Matches(t.Labels) {
		errs = append(errs, InvalidError(fld.Child("metadata").Child("labels"), t.Labels, selectorMismatchMsg))
	}
	errs = append(errs, validatePodTemplateSpec(t, fld)...)
	spec := fld.Child("spec")
	if t.Spec.RestartPolicy != RestartPolicyAlways {
		errs = append(errs, NotSupportedError(spec.Child("restartPolicy"), t.Spec.RestartPolicy, []string{RestartPolicyAlways}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, ForbiddenError(spec.Child("activeDeadlineSeconds"), activeDeadlineForbidden))
	}
	return errs
}

// validateDeploymentStrategy is ValidateDeploymentStrategy.
func validateDeploymentStrategy(s *DeploymentStrategy, fld FieldPath) ErrorList {
	switch s.Type {
	case RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			return ErrorList{ForbiddenError(fld.Child("rollingUpdate"),
				"may not be specified when strategy `type` is '"+RecreateDeploymentStrategyType+"'")}
		}
		return nil
	case RollingUpdateDeploymentStrategyType:
		if s.RollingUpdate == nil {
			return ErrorList{RequiredError(fld.Child("rollingUpdate"), rollingUpdateDefaulted)}
		}
		return validateRollingUpdate(s.RollingUpdate, fld.Child("rollingUpdate"))
	}
	return ErrorList{NotSupportedError(fld, *s, []string{RecreateDeploymentStrategyType, RollingUpdateDeploymentStrategyType})}
}

// validateRollingUpdate is ValidateRollingUpdateDeployment.
func validateRollingUpdate(ru *RollingUpdateDeployment, fld FieldPath) ErrorList {
	unavailable, surge := intOrStringOrZero(ru.MaxUnavailable), intOrStringOrZero(ru.MaxSurge)
	errs := validatePositiveIntOrPercent(unavailable, fld.Child("maxUnavailable"))
	errs = append(errs, validatePositiveIntOrPercent(surge, fld.Child("maxSurge"))...)
	if intOrPercentValue(unavailable) == 0 && intOrPercentValue(surge) == 0 {
		errs = append(errs, InvalidError(fld.Child("maxUnavailable"), unavailable, bothFencepostsZeroMsg))
	}
	if v, isPercent := percentValue(unavailable); isPercent && v > 100 {
		errs = append(errs, InvalidError(fld.Child("maxUnavailable"), unavailable, moreThan100PercentMsg))
	}
	return errs
}

// validatePositiveIntOrPercent is ValidatePositiveIntOrPercent: a
// percentage string (util/validation's IsValidPercent) or a non-negative
// integer.
func validatePositiveIntOrPercent(v IntOrString, fld FieldPath) ErrorList {
	if v.Type == IntOrStringString {
		var errs ErrorList
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, InvalidError(fld, v, msg))
		}
		return errs
	}
	return validateNonNegative(v.IntVal, fld)
}

// percentValue is upstream's getPercentValue: "25%" is 25; isPercent is
// false for anything else.
func percentValue(v IntOrString) (int, bool) {
	if v.Type != IntOrStringString || len(validation.IsValidPercent(v.StrVal)) != 0 {
		return 0, false
	}
	n, _ := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%"))
	return n, true
}

// intOrPercentValue is upstream's getIntOrPercentValue: the percentage's
// number, or else IntValue (a string that is not a percentage is read as
// a number, 0 when it is none: "1" counts as 1 though validation refuses it).
func intOrPercentValue(v IntOrString) int {
	if n, isPercent := percentValue(v); isPercent {
		return n
	}
	return v.IntValue()
}

// intOrStringOrZero dereferences v, the integer 0 when nil.
func intOrStringOrZero(v *IntOrString) IntOrString {
	if v == nil {
		return FromInt(0)
	}
	return *v
}

// validateNonNegative is ValidateNonnegativeField.
func validateNonNegative(v int32, fld FieldPath) ErrorList {
	if v < 0 {
		return ErrorList{InvalidError(fld, v, isNegativeErrorMsg)}
	}
	return nil
}

// int32Or dereferences p, def when nil.
func int32Or(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}
