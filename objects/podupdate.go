package objects

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// validatePodUpdate is upstream's ValidatePodUpdate for the modelled
// fields: the new pod must be valid, and its spec may differ from the old
// one only in container images, a lowered or newly set
// activeDeadlineSeconds, added tolerations (or changed tolerationSeconds),
// and terminationGracePeriodSeconds going from negative to 1.
//
// Upstream validates the whole new pod at every update. A pod spec an
// update leaves as stored gives the same answer it gave when it was
// stored, so that part is not worked out again: the store keeps only pod
// specs ValidatePodSpec passed (creates and updates are refused otherwise;
// status updates and deletions keep the stored spec), save for
// spec.nodeName, which a binding sets unchecked, as upstream's does. That
// is the spec's only check left for an unchanged spec. The Job
// controller's finalizer removals, the commonest pod update, change no spec.
func validatePodUpdate(p, old *Pod) ErrorList {
	// Compared through pointers: DeepEqual of the structs would box copies.
	specUnchanged := reflect.DeepEqual(&p.Spec, &old.Spec)
	errs := validateObjectMeta(&p.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	spec := FieldPath("spec")
	if specUnchanged {
		errs = append(errs, validateNodeName(p.Spec.NodeName, spec)...)
	} else {
		errs = append(errs, ValidatePodSpec(&p.Spec, spec)...)
	}
	cErrs, stop := validateContainerCountUpdate(p.Spec.Containers, old.Spec.Containers, spec.Child("containers"))
	errs = append(errs, cErrs...)
	if stop {
		return errs
	}
	iErrs, stop := validateContainerCountUpdate(p.Spec.InitContainers, old.Spec.InitContainers, spec.Child("initContainers"))
	errs = append(errs, iErrs...)
	if stop {
		return errs
	}
	if adErrs := validateActiveDeadlineUpdate(p.Spec.ActiveDeadlineSeconds, old.Spec.ActiveDeadlineSeconds, spec.Child("activeDeadlineSeconds")); len(adErrs) > 0 {
		return append(errs, adErrs...)
	}
	if specUnchanged {
		return errs // the tolerations too are as they were
	}
	errs = append(errs, validateOnlyAddedTolerations(p.Spec.Tolerations, old.Spec.Tolerations, spec.Child("tolerations"))...)
	if PodQOSClass(p) != PodQOSClass(old) {
		errs = append(errs, InvalidError("metadata", p.Status.QOSClass, "Pod QoS is immutable"))
	}
	munged := mungePodSpec(&p.Spec, &old.Spec)
	if !reflect.DeepEqual(munged, old.Spec) {
		errs = append(errs, ForbiddenError(spec, fmt.Sprintf("pod updates may not change fields other than %s\n%s",
			strings.Join(updatablePodSpecFields, ","), specDiff(&old.Spec, &munged))))
	}
	return errs
}

// validateContainerCountUpdate forbids adding or removing containers and
// checks updated images; stop is true when the lists cannot be compared.
func validateContainerCountUpdate(now, was []Container, fld FieldPath) (ErrorList, bool) {
	if len(now) != len(was) {
		return ErrorList{ForbiddenError(fld, "pod updates may not add or remove containers")}, true
	}
	var errs ErrorList
	for i := range now {
		if img := now[i].Image; strings.TrimSpace(img) != img {
			errs = append(errs, InvalidError(fld.Index(i).Child("image"), img, "must not have leading or trailing whitespace"))
		}
	}
	return errs, false
}

// validateActiveDeadlineUpdate allows setting or lowering the deadline, never raising or clearing it.
func validateActiveDeadlineUpdate(now, was *int64, fld FieldPath) ErrorList {
	switch {
	case now == nil && was != nil:
		return ErrorList{InvalidError(fld, now, "must not update from a positive integer to nil value")}
	case now == nil:
		return nil
	case *now < 0 || *now > math.MaxInt32:
		return ErrorList{InvalidError(fld, *now, inclusiveRangeError(0, math.MaxInt32))}
	case was != nil && *was < *now:
		return ErrorList{InvalidError(fld, *now, "must be less than or equal to previous value")}
	}
	return nil
}

// validateOnlyAddedTolerations requires every old toleration to survive,
// except that its tolerationSeconds may change.
func validateOnlyAddedTolerations(now, was []Toleration, fld FieldPath) ErrorList {
	for i := range was {
		if !slices.ContainsFunc(now, func(n Toleration) bool { return sameTolerationButSeconds(&was[i], &n) }) {
			return ErrorList{ForbiddenError(fld, "existing toleration can not be modified except its tolerationSeconds")}
		}
	}
	return nil
}

// sameTolerationButSeconds reports whether two tolerations agree on every
// field but tolerationSeconds, field by field rather than by reflection.
// TestTolerationFieldsAreCompared holds the list to the struct's fields.
func sameTolerationButSeconds(a, b *Toleration) bool {
	return a.Key == b.Key && a.Operator == b.Operator && a.Value == b.Value && a.Effect == b.Effect
}

// mungePodSpec returns the new spec with its updatable fields replaced by
// the old values, so that any remaining difference is forbidden.
func mungePodSpec(now, was *PodSpec) PodSpec {
	m := *now.DeepCopy()
	for i := range m.Containers {
		m.Containers[i].Image = was.Containers[i].Image
	}
	for i := range m.InitContainers {
		m.InitContainers[i].Image = was.InitContainers[i].Image
	}
	m.ActiveDeadlineSeconds = nil
	if was.ActiveDeadlineSeconds != nil {
		m.ActiveDeadlineSeconds = ptrTo(*was.ActiveDeadlineSeconds)
	}
	m.Tolerations = was.Tolerations
	if g, og := m.TerminationGracePeriodSeconds, was.TerminationGracePeriodSeconds; og != nil && *og < 0 && g != nil && *g == 1 {
		m.TerminationGracePeriodSeconds = og
	}
	return m
}

// specDiff lists the top-level spec fields that differ, as "- old" and
// "+ new" JSON lines. Upstream prints a go-cmp diff of its internal types,
// which kubesim cannot reproduce; this keeps the same purpose (showing what
// changed) in a stable form.
func specDiff(was, now *PodSpec) string {
	a, b := specFields(was), specFields(now)
	var lines []string
	for _, k := range sortedKeys(mergeKeys(a, b)) {
		if string(a[k]) == string(b[k]) {
			continue
		}
		if a[k] != nil {
			lines = append(lines, fmt.Sprintf("- %s: %s", k, a[k]))
		}
		if b[k] != nil {
			lines = append(lines, fmt.Sprintf("+ %s: %s", k, b[k]))
		}
	}
	return strings.Join(lines, "\n")
}

// specFields marshals a spec into its JSON fields.
func specFields(s *PodSpec) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	b, err := json.Marshal(s)
	if err == nil {
		_ = json.Unmarshal(b, &out) // a PodSpec always marshals to an object
	}
	return out
}

// mergeKeys returns the union of two maps' keys.
func mergeKeys(a, b map[string]json.RawMessage) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
