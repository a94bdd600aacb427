package objects

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Validation reproduces the apiserver's checks for the kinds kubesim models,
// with upstream's field paths and messages (pkg/apis/core/validation and
// k8s.io/apimachinery/pkg/api/validation). The store calls ValidateCreate
// after Default and ValidateUpdate after SchemeDefault; a non-empty list
// means the write is refused and nothing changes.

// Messages shared by several checks, as upstream words them.
const (
	isNegativeErrorMsg     = "must be greater than or equal to 0"
	fieldImmutableErrorMsg = "field is immutable"
	totalAnnotationSizeB   = 256 * (1 << 10)
	finalizerOrphan        = "orphan"
	finalizerForeground    = "foregroundDeletion"
)

// nameValidator checks a name (prefix is true for a generateName).
type nameValidator func(name string, prefix bool) []string

// nameIsDNSSubdomain is upstream's NameIsDNSSubdomain: pod, node and event names.
func nameIsDNSSubdomain(name string, prefix bool) []string {
	if prefix {
		if masksTrailingDash(name) && maskedNameValid(name, true) {
			return nil
		}
		name = maskTrailingDash(name)
	}
	return IsDNS1123Subdomain(name)
}

// nameIsDNSLabel is upstream's NameIsDNSLabel: namespace names.
func nameIsDNSLabel(name string, prefix bool) []string {
	if prefix {
		if masksTrailingDash(name) && maskedNameValid(name, false) {
			return nil
		}
		name = maskTrailingDash(name)
	}
	return IsDNS1123Label(name)
}

// maskTrailingDash lets a generateName end in '-' as upstream does, quirk
// included: it replaces the last two characters with "a".
func maskTrailingDash(name string) string {
	if masksTrailingDash(name) {
		return name[:len(name)-2] + "a"
	}
	return name
}

// masksTrailingDash reports whether maskTrailingDash changes name.
func masksTrailingDash(name string) bool { return len(name) > 1 && strings.HasSuffix(name, "-") }

// ValidateCreate checks a new object. Kinds without rules validate as valid.
func ValidateCreate(obj Object) ErrorList {
	switch o := obj.(type) {
	case *Pod:
		return validatePod(o)
	case *Node:
		return validateObjectMeta(&o.ObjectMeta, false, nameIsDNSSubdomain, "metadata")
	case *Namespace:
		return validateNamespace(o)
	case *Event:
		return validateObjectMeta(&o.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	case *Job:
		return validateJobCreate(o)
	case *CronJob:
		return validateCronJobCreate(o)
	case *Secret:
		return validateSecret(o)
	case *ConfigMap:
		return validateConfigMap(o)
	case *Deployment:
		return validateDeployment(o, nil)
	case *ReplicaSet:
		return validateReplicaSet(o, nil)
	case *StatefulSet:
		return validateStatefulSet(o)
	case *Service:
		return validateService(o)
	case *Endpoints:
		return validateEndpoints(o)
	case *EndpointSlice:
		return validateEndpointSlice(o)
	case *PersistentVolume:
		return validatePersistentVolume(o)
	case *PersistentVolumeClaim:
		return validatePersistentVolumeClaim(o)
	case *StorageClass:
		return validateStorageClass(o)
	}
	return nil
}

// ValidateUpdate checks obj as a replacement for old: the new object must be
// valid, its identity (name, namespace, uid, timestamps) unchanged, and for
// pods only the mutable parts of the spec may differ.
func ValidateUpdate(obj, old Object) ErrorList {
	if reflect.TypeOf(obj) != reflect.TypeOf(old) {
		return ErrorList{InvalidError("kind", obj.GetTypeMeta().Kind,
			fmt.Sprintf("must not change from %q", old.GetTypeMeta().Kind))}
	}
	errs := validateObjectMetaUpdate(obj.GetObjectMeta(), old.GetObjectMeta(), "metadata")
	if p, ok := obj.(*Pod); ok {
		return append(errs, validatePodUpdate(p, old.(*Pod))...)
	}
	if j, ok := obj.(*Job); ok {
		return append(errs, validateJobUpdate(j, old.(*Job))...)
	}
	if cj, ok := obj.(*CronJob); ok {
		return append(errs, validateCronJobUpdate(cj, old.(*CronJob))...)
	}
	if s, ok := obj.(*Service); ok {
		errs = append(errs, validateServiceUpdate(s, old.(*Service))...)
		return append(errs, validateService(s)...)
	}
	switch o := obj.(type) {
	case *Secret:
		return append(errs, validateSecretUpdate(o, old.(*Secret))...)
	case *ConfigMap:
		return append(errs, validateConfigMapUpdate(o, old.(*ConfigMap))...)
	case *Deployment:
		return append(errs, validateDeployment(o, old.(*Deployment))...)
	case *ReplicaSet:
		return append(errs, validateReplicaSet(o, old.(*ReplicaSet))...)
	case *StatefulSet:
		return append(errs, validateStatefulSetUpdate(o, old.(*StatefulSet))...)
	case *PersistentVolume:
		return append(errs, validatePersistentVolumeUpdate(o, old.(*PersistentVolume))...)
	case *PersistentVolumeClaim:
		return append(errs, validatePersistentVolumeClaimUpdate(o, old.(*PersistentVolumeClaim))...)
	case *StorageClass:
		return append(errs, validateStorageClassUpdate(o, old.(*StorageClass))...)
	}
	return append(errs, ValidateCreate(obj)...)
}

// validateNamespace checks a namespace's name and spec finalizers.
func validateNamespace(ns *Namespace) ErrorList {
	errs := validateObjectMeta(&ns.ObjectMeta, false, nameIsDNSLabel, "metadata")
	for i, f := range ns.Spec.Finalizers {
		errs = append(errs, validateKubeFinalizerName(f, FieldPath("spec.finalizers").Index(i))...)
	}
	return errs
}

// validateKubeFinalizerName checks a namespace finalizer: qualified, and
// "kubernetes" is the only standard name without a '/'.
func validateKubeFinalizerName(f string, path FieldPath) ErrorList {
	var errs ErrorList
	for _, msg := range IsQualifiedName(f) {
		errs = append(errs, InvalidError(path, f, msg))
	}
	if !strings.Contains(f, "/") && f != FinalizerKubernetes {
		errs = append(errs, InvalidError(path, f, "name is neither a standard finalizer name nor is it fully qualified"))
	}
	return errs
}

// validateObjectMeta is upstream's ValidateObjectMeta for a create.
func validateObjectMeta(m *ObjectMeta, namespaced bool, nameFn nameValidator, path FieldPath) ErrorList {
	var errs ErrorList
	if m.GenerateName != "" {
		for _, msg := range nameFn(m.GenerateName, true) {
			errs = append(errs, InvalidError(path.Child("generateName"), m.GenerateName, msg))
		}
	}
	if m.Name == "" {
		errs = append(errs, RequiredError(path.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range nameFn(m.Name, false) {
			errs = append(errs, InvalidError(path.Child("name"), m.Name, msg))
		}
	}
	errs = append(errs, validateNamespaceField(m.Namespace, namespaced, path.Child("namespace"))...)
	if m.Generation < 0 {
		errs = append(errs, InvalidError(path.Child("generation"), m.Generation, isNegativeErrorMsg))
	}
	return append(errs, validateMetaMaps(m, path)...)
}

// validateNamespaceField requires a valid namespace on namespaced kinds and
// forbids one on cluster-scoped kinds.
func validateNamespaceField(ns string, namespaced bool, path FieldPath) ErrorList {
	switch {
	case namespaced && ns == "":
		return ErrorList{RequiredError(path, "")}
	case namespaced:
		var errs ErrorList
		for _, msg := range nameIsDNSLabel(ns, false) {
			errs = append(errs, InvalidError(path, ns, msg))
		}
		return errs
	case ns != "":
		return ErrorList{ForbiddenError(path, "not allowed on this type")}
	}
	return nil
}

// validateMetaMaps checks labels, annotations, owner references and
// finalizers, the part of metadata checked on both create and update.
func validateMetaMaps(m *ObjectMeta, path FieldPath) ErrorList {
	errs := ValidateLabels(m.Labels, path.Child("labels"))
	errs = append(errs, validateAnnotations(m.Annotations, path.Child("annotations"))...)
	errs = append(errs, validateOwnerReferences(m.OwnerReferences, path.Child("ownerReferences"))...)
	return append(errs, validateFinalizers(m.Finalizers, path.Child("finalizers"))...)
}

// ValidateLabels checks label keys and values, in key order; errors carry
// the map's path, not the key's, as upstream's do.
func ValidateLabels(labels map[string]string, path FieldPath) ErrorList {
	if labelsValid(labels) {
		return nil // the sorted walk below is for the errors' order
	}
	var errs ErrorList
	for _, k := range sortedKeys(labels) {
		for _, msg := range IsQualifiedName(k) {
			errs = append(errs, InvalidError(path, k, msg))
		}
		for _, msg := range IsValidLabelValue(labels[k]) {
			errs = append(errs, InvalidError(path, labels[k], msg))
		}
	}
	return errs
}

// labelsValid reports whether every label key and value is valid.
func labelsValid(labels map[string]string) bool {
	for k, v := range labels {
		if len(IsQualifiedName(k)) > 0 || len(IsValidLabelValue(v)) > 0 {
			return false
		}
	}
	return true
}

// validateAnnotations checks annotation keys (case-insensitively) and the
// 256 KiB limit on their total size.
func validateAnnotations(annotations map[string]string, path FieldPath) ErrorList {
	if annotationsValid(annotations) {
		return nil // the sorted walk below is for the errors' order
	}
	var errs ErrorList
	size := 0
	for _, k := range sortedKeys(annotations) {
		for _, msg := range IsQualifiedName(strings.ToLower(k)) {
			errs = append(errs, InvalidError(path, k, msg))
		}
		size += len(k) + len(annotations[k])
	}
	if size > totalAnnotationSizeB {
		errs = append(errs, TooLongError(path, totalAnnotationSizeB))
	}
	return errs
}

// annotationsValid reports whether every annotation key is valid and
// their total size within the limit.
func annotationsValid(annotations map[string]string) bool {
	size := 0
	for k, v := range annotations {
		if len(IsQualifiedName(strings.ToLower(k))) > 0 {
			return false
		}
		size += len(k) + len(v)
	}
	return size <= totalAnnotationSizeB
}

// validateOwnerReferences checks each reference is complete and at most one is the controller.
func validateOwnerReferences(refs []OwnerReference, path FieldPath) ErrorList {
	var errs ErrorList
	controller := -1 // the first reference that is the controller
	for i := range refs {
		r := &refs[i]
		errs = append(errs, atIndex(path, i, func(p FieldPath) ErrorList { return validateOwnerReference(*r, p) })...)
		if r.Controller == nil || !*r.Controller {
			continue
		}
		if controller >= 0 {
			first := refs[controller]
			errs = append(errs, InvalidError(path, refs, fmt.Sprintf(
				"Only one reference can have Controller set to true. Found \"true\" in references for %v and %v",
				first.Kind+"/"+first.Name, r.Kind+"/"+r.Name)))
		} else {
			controller = i
		}
	}
	return errs
}

// validateOwnerReference checks one owner reference's required fields.
func validateOwnerReference(r OwnerReference, path FieldPath) ErrorList {
	var errs ErrorList
	if r.APIVersion == "" {
		errs = append(errs, RequiredError(path.Child("apiVersion"), "must not be empty"))
	} else if !validAPIVersion(r.APIVersion) {
		errs = append(errs, InvalidError(path.Child("apiVersion"), r.APIVersion, "must be <group>/<version> or <version>"))
	}
	for _, f := range []struct{ name, value string }{{"kind", r.Kind}, {"name", r.Name}, {"uid", r.UID}} {
		if f.value == "" {
			errs = append(errs, RequiredError(path.Child(f.name), "must not be empty"))
		}
	}
	if r.APIVersion == "v1" && r.Kind == "Event" {
		errs = append(errs, InvalidError(path, r, "/v1, Kind=Event is disallowed from being an owner"))
	}
	return errs
}

// validAPIVersion reports whether v parses as "version" or "group/version".
func validAPIVersion(v string) bool {
	switch strings.Count(v, "/") {
	case 0:
		return true
	case 1:
		return !strings.HasSuffix(v, "/")
	}
	return false
}

// validateFinalizers checks finalizer names and the orphan/foreground conflict.
func validateFinalizers(finalizers []string, path FieldPath) ErrorList {
	var errs ErrorList
	orphan, foreground := false, false
	for _, f := range finalizers {
		for _, msg := range IsQualifiedName(f) {
			errs = append(errs, InvalidError(path, f, msg))
		}
		orphan = orphan || f == finalizerOrphan
		foreground = foreground || f == finalizerForeground
	}
	if orphan && foreground {
		errs = append(errs, InvalidError(path, finalizers,
			fmt.Sprintf("finalizer %s and %s cannot be both set", finalizerOrphan, finalizerForeground)))
	}
	return errs
}

// validateObjectMetaUpdate is upstream's ValidateObjectMetaUpdate, less its
// resourceVersion and generation checks, which belong to the store that
// assigns them. Like upstream's BeforeUpdate, the caller must carry the old
// uid and creationTimestamp over before validating.
func validateObjectMetaUpdate(m, old *ObjectMeta, path FieldPath) ErrorList {
	var errs ErrorList
	if old.DeletionTimestamp != nil {
		errs = append(errs, validateNoNewFinalizers(m.Finalizers, old.Finalizers, path.Child("finalizers"))...)
	}
	// Compared field by field, without boxing, in upstream's order: this
	// runs on every update.
	immutable := func(name string, now any) {
		errs = append(errs, InvalidError(path.Child(name), now, fieldImmutableErrorMsg))
	}
	if m.Name != old.Name {
		immutable("name", m.Name)
	}
	if m.Namespace != old.Namespace {
		immutable("namespace", m.Namespace)
	}
	if m.UID != old.UID {
		immutable("uid", m.UID)
	}
	if !m.CreationTimestamp.Equal(old.CreationTimestamp.Time) || m.CreationTimestamp.Location() != old.CreationTimestamp.Location() {
		immutable("creationTimestamp", m.CreationTimestamp)
	}
	if !timePtrsEqual(m.DeletionTimestamp, old.DeletionTimestamp) {
		immutable("deletionTimestamp", m.DeletionTimestamp)
	}
	if !int64PtrsEqual(m.DeletionGracePeriodSeconds, old.DeletionGracePeriodSeconds) {
		immutable("deletionGracePeriodSeconds", m.DeletionGracePeriodSeconds)
	}
	return errs
}

// timePtrsEqual is reflect.DeepEqual of two *Time, without reflection.
func timePtrsEqual(a, b *Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Time.Equal(b.Time) && a.Location() == b.Location()
}

// int64PtrsEqual is reflect.DeepEqual of two *int64, without reflection.
func int64PtrsEqual(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// ValidateStatusUpdate is ValidateUpdate for a write through the status
// subresource, which keeps the stored spec (the status strategies): as
// upstream's Validate*StatusUpdate, it checks the metadata update and the
// status, not the spec, whose result cannot have changed since it was
// stored. Kinds without status rules of their own get ValidateUpdate.
func ValidateStatusUpdate(obj, old Object) ErrorList {
	if reflect.TypeOf(obj) != reflect.TypeOf(old) {
		return ValidateUpdate(obj, old)
	}
	switch o := obj.(type) {
	case *Pod:
		// ValidatePodStatusUpdate checks status fields kubesim's kubelet
		// always writes well-formed; the pod itself was validated on create.
		return validateObjectMetaUpdate(&o.ObjectMeta, &old.(*Pod).ObjectMeta, "metadata")
	case *Job:
		errs := validateObjectMetaUpdate(&o.ObjectMeta, &old.(*Job).ObjectMeta, "metadata")
		return append(errs, validateJobStatusUpdate(o, old.(*Job))...)
	case *CronJob:
		// cronJobStatusStrategy.ValidateUpdate returns no errors: only
		// the generic metadata update check (rest.BeforeUpdate) applies.
		return validateObjectMetaUpdate(&o.ObjectMeta, &old.(*CronJob).ObjectMeta, "metadata")
	}
	return ValidateUpdate(obj, old)
}

// validateImmutable is upstream's ValidateImmutableField.
func validateImmutable(now, was any, fld FieldPath) ErrorList {
	if semanticDeepEqual(now, was) {
		return nil
	}
	return ErrorList{InvalidError(fld, now, fieldImmutableErrorMsg)}
}

// semanticDeepEqual compares two values as their JSON encodings, so that a
// nil and an empty list or map are equal, as apiequality.Semantic has them.
func semanticDeepEqual(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// validateNoNewFinalizers forbids adding finalizers to an object being deleted.
func validateNoNewFinalizers(now, was []string, path FieldPath) ErrorList {
	had := map[string]bool{}
	for _, f := range was {
		had[f] = true
	}
	extra := map[string]bool{}
	for _, f := range now {
		if !had[f] {
			extra[f] = true
		}
	}
	if len(extra) == 0 {
		return nil
	}
	return ErrorList{ForbiddenError(path, fmt.Sprintf(
		"no new finalizers can be added if the object is being deleted, found new finalizers %#v", sortedKeys(extra)))}
}

// ValidateLabelSelector checks a structured selector as upstream's
// metav1validation.ValidateLabelSelector does; workload kinds use it.
func ValidateLabelSelector(ls *LabelSelector, path FieldPath) ErrorList {
	if ls == nil {
		return nil
	}
	errs := ValidateLabels(ls.MatchLabels, path.Child("matchLabels"))
	for i, r := range ls.MatchExpressions {
		errs = append(errs, validateSelectorRequirement(r, path.Child("matchExpressions").Index(i))...)
	}
	return errs
}

// validateSelectorRequirement checks one matchExpressions entry.
func validateSelectorRequirement(r LabelSelectorRequirement, path FieldPath) ErrorList {
	var errs ErrorList
	switch r.Operator {
	case LabelSelectorOpIn, LabelSelectorOpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, RequiredError(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case LabelSelectorOpExists, LabelSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, ForbiddenError(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	default:
		errs = append(errs, InvalidError(path.Child("operator"), r.Operator, "not a valid selector operator"))
	}
	for _, msg := range IsQualifiedName(r.Key) {
		errs = append(errs, InvalidError(path.Child("key"), r.Key, msg))
	}
	for i, v := range r.Values {
		for _, msg := range IsValidLabelValue(v) {
			errs = append(errs, InvalidError(path.Child("values").Index(i), v, msg))
		}
	}
	return errs
}
