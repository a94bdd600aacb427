package objects

import (
	"encoding/json"
	"fmt"
)

// StatefulSet validation, after upstream's
// pkg/apis/apps/validation/validation.go (ValidateStatefulSet,
// ValidateStatefulSetSpec, ValidatePodTemplateSpecForStatefulSet,
// ValidateStatefulSetUpdate) in Kubernetes 1.37.

// Messages of StatefulSet validation, as upstream words them.
const (
	emptyStatefulSetSelectorMsg  = "empty selector is invalid for statefulset"
	statefulSetActiveDeadlineMsg = "activeDeadlineSeconds in StatefulSet is not Supported"
	isNotPositiveErrorMsg        = "must be greater than zero"
	statefulSetUpdateForbidden   = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)

// validateStatefulSet is ValidateStatefulSet: a StatefulSet's name must
// be a DNS label, because its pods' hostnames are built from it.
func validateStatefulSet(s *StatefulSet) ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta, true, nameIsDNSLabel, "metadata")
	return append(errs, validateStatefulSetSpec(&s.Spec, NewFieldPath("spec"))...)
}

// validateStatefulSetUpdate is ValidateStatefulSetUpdate without the
// object metadata (ValidateUpdate checks that): the new spec is valid and
// only the fields upstream lets change did.
func validateStatefulSetUpdate(s, old *StatefulSet) ErrorList {
	errs := validateStatefulSetSpec(&s.Spec, NewFieldPath("spec"))
	clone := s.Spec.DeepCopy()
	clone.Replicas = old.Spec.Replicas
	clone.Template = old.Spec.Template
	clone.UpdateStrategy = old.Spec.UpdateStrategy
	clone.MinReadySeconds = old.Spec.MinReadySeconds
	clone.Ordinals = old.Spec.Ordinals
	clone.RevisionHistoryLimit = old.Spec.RevisionHistoryLimit
	clone.PersistentVolumeClaimRetentionPolicy = old.Spec.PersistentVolumeClaimRetentionPolicy
	if !jsonEqual(clone, &old.Spec) {
		errs = append(errs, ForbiddenError(NewFieldPath("spec"), statefulSetUpdateForbidden))
	}
	return errs
}

// jsonEqual compares two values by their JSON encodings, which, like
// Semantic.DeepEqual, treats nil and empty maps and lists alike.
func jsonEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// validateStatefulSetSpec is ValidateStatefulSetSpec.
func validateStatefulSetSpec(s *StatefulSetSpec, spec FieldPath) ErrorList {
	errs := validatePodManagementPolicy(s.PodManagementPolicy, spec.Child("podManagementPolicy"))
	errs = append(errs, validateStatefulSetUpdateStrategy(&s.UpdateStrategy, spec.Child("updateStrategy"))...)
	errs = append(errs, validateRetentionPolicy(s.PersistentVolumeClaimRetentionPolicy, spec.Child("persistentVolumeClaimRetentionPolicy"))...)
	errs = append(errs, validateNonNegative(int32Or(s.Replicas, 0), spec.Child("replicas"))...)
	errs = append(errs, validateNonNegative(s.MinReadySeconds, spec.Child("minReadySeconds"))...)
	if s.Ordinals != nil {
		errs = append(errs, validateNonNegative(s.Ordinals.Start, spec.Child("ordinals.start"))...)
	}
	if s.ServiceName != "" {
		for _, msg := range IsDNS1123Label(s.ServiceName) {
			errs = append(errs, InvalidError(spec.Child("serviceName"), s.ServiceName, msg))
		}
	}
	errs = append(errs, validateStatefulSetSelector(s.Selector, &s.Template, spec)...)
	tspec := spec.Child("template").Child("spec")
	if s.Template.Spec.RestartPolicy != RestartPolicyAlways {
		errs = append(errs, NotSupportedError(tspec.Child("restartPolicy"), s.Template.Spec.RestartPolicy, []string{RestartPolicyAlways}))
	}
	if s.Template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, ForbiddenError(tspec.Child("activeDeadlineSeconds"), statefulSetActiveDeadlineMsg))
	}
	return errs
}

// validatePodManagementPolicy checks for OrderedReady or Parallel.
func validatePodManagementPolicy(p string, fld FieldPath) ErrorList {
	switch p {
	case "":
		return ErrorList{RequiredError(fld, "")}
	case OrderedReadyPodManagement, ParallelPodManagement:
		return nil
	}
	return ErrorList{InvalidError(fld, p, fmt.Sprintf("must be '%s' or '%s'", OrderedReadyPodManagement, ParallelPodManagement))}
}

// validateStatefulSetUpdateStrategy checks for RollingUpdate (with valid
// parameters) or OnDelete (without them).
func validateStatefulSetUpdateStrategy(u *StatefulSetUpdateStrategy, fld FieldPath) ErrorList {
	switch u.Type {
	case "":
		return ErrorList{RequiredError(fld, "")}
	case OnDeleteStatefulSetStrategyType:
		if u.RollingUpdate != nil {
			return ErrorList{InvalidError(fld.Child("rollingUpdate"), u.RollingUpdate,
				fmt.Sprintf("only allowed for updateStrategy '%s'", RollingUpdateStatefulSetStrategyType))}
		}
		return nil
	case RollingUpdateStatefulSetStrategyType:
		if u.RollingUpdate != nil {
			return validateRollingUpdateStatefulSet(u.RollingUpdate, fld.Child("rollingUpdate"))
		}
		return nil
	}
	return ErrorList{InvalidError(fld, u, fmt.Sprintf("must be '%s' or '%s'", RollingUpdateStatefulSetStrategyType, OnDeleteStatefulSetStrategyType))}
}

// validateRollingUpdateStatefulSet is validateRollingUpdateStatefulSet: a
// non-negative partition and a positive maxUnavailable of at most 100%.
func validateRollingUpdateStatefulSet(ru *RollingUpdateStatefulSetStrategy, fld FieldPath) ErrorList {
	errs := validateNonNegative(int32Or(ru.Partition, 0), fld.Child("partition"))
	if ru.MaxUnavailable == nil {
		return errs
	}
	mu, muFld := *ru.MaxUnavailable, fld.Child("maxUnavailable")
	errs = append(errs, validatePositiveIntOrPercent(mu, muFld)...)
	if intOrPercentValue(mu) == 0 {
		errs = append(errs, InvalidError(muFld, mu, isNotPositiveErrorMsg))
	}
	if v, isPercent := percentValue(mu); isPercent && v > 100 {
		errs = append(errs, InvalidError(muFld, mu, moreThan100PercentMsg))
	}
	return errs
}

// validateRetentionPolicy checks that both policies are Retain or Delete.
func validateRetentionPolicy(p *StatefulSetPersistentVolumeClaimRetentionPolicy, fld FieldPath) ErrorList {
	if p == nil {
		return nil
	}
	valid := []string{RetainPersistentVolumeClaimRetentionPolicyType, DeletePersistentVolumeClaimRetentionPolicyType}
	var errs ErrorList
	for _, f := range []struct {
		name, value string
	}{{"whenDeleted", p.WhenDeleted}, {"whenScaled", p.WhenScaled}} {
		if f.value != valid[0] && f.value != valid[1] {
			errs = append(errs, NotSupportedError(fld.Child(f.name), f.value, valid))
		}
	}
	return errs
}

// validateStatefulSetSelector checks a required, non-empty, valid selector
// and the template it must match. Like upstream's
// ValidatePodTemplateSpecForStatefulSet it checks only the template's
// labels and annotations, not its pod spec: the template's volume mounts
// may name volumeClaimTemplates that only the created pods will have.
func validateStatefulSetSelector(ls *LabelSelector, t *PodTemplateSpec, spec FieldPath) ErrorList {
	var errs ErrorList
	if ls == nil {
		errs = append(errs, RequiredError(spec.Child("selector"), ""))
	} else {
		errs = append(errs, ValidateLabelSelector(ls, spec.Child("selector"))...)
		if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
			errs = append(errs, InvalidError(spec.Child("selector"), ls, emptyStatefulSetSelectorMsg))
		}
	}
	sel, err := LabelSelectorAsSelector(ls)
	if err != nil {
		return append(errs, InvalidError(spec.Child("selector"), ls, ""))
	}
	meta := spec.Child("template").Child("metadata")
	if !sel.Empty() && !sel.Matches(t.Labels) {
		errs = append(errs, InvalidError(meta.Child("labels"), t.Labels, selectorMismatchMsg))
	}
	errs = append(errs, ValidateLabels(t.Labels, meta.Child("labels"))...)
	return append(errs, validateAnnotations(t.Annotations, meta.Child("annotations"))...)
}
