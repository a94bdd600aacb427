package objects

import (
	"path"
	"reflect"
	"strings"
)

// Validation of PersistentVolumes, PersistentVolumeClaims and StorageClasses
// as the apiserver does it (pkg/apis/core/validation ValidatePersistentVolume,
// ValidatePersistentVolumeClaim and their update variants;
// pkg/apis/storage/validation ValidateStorageClass and its update).

// Validation messages of the storage kinds, as upstream words them.
const (
	msgRWOPCombined          = "may not use ReadWriteOncePod with other access modes"
	msgNoAccessMode          = "at least 1 access mode is required"
	msgGreaterThanZero       = "must be greater than zero"
	msgNoVolumeType          = "must specify a volume type"
	msgMoreThanOneVolumeType = "may not specify more than 1 volume type"
	msgRecycleHostPathRoot   = "may not be 'recycle' for a hostPath mount of '/'"
	msgPVSourceImmutable     = "spec.persistentvolumesource is immutable after creation"
	msgPVCSpecImmutable      = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
	msgPVCShrink             = "field can not be less than status.capacity"
	msgSCParametersForbidden = "updates to parameters are forbidden."
	msgSCProvisionerImmut    = "updates to provisioner are forbidden."
	msgSCReclaimImmutable    = "updates to reclaimPolicy are forbidden."
)

// Supported values, sorted as upstream's sets.List prints them.
var (
	supportedAccessModes       = []string{ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod}
	supportedPVReclaimPolicies = []string{ReclaimDelete, ReclaimRecycle, ReclaimRetain}
	supportedSCReclaimPolicies = []string{ReclaimDelete, ReclaimRetain}
	supportedVolumeModes       = []string{PersistentVolumeBlock, PersistentVolumeFilesystem}
	supportedBindingModes      = []string{VolumeBindingImmediate, VolumeBindingWaitForFirstConsumer}
)

// validatePersistentVolume is ValidatePersistentVolume for the fields kubesim models.
func validatePersistentVolume(pv *PersistentVolume) ErrorList {
	errs := validateObjectMeta(&pv.ObjectMeta, false, nameIsDNSSubdomain, "metadata")
	s, fld := &pv.Spec, FieldPath("spec")
	errs = append(errs, validateAccessModes(s.AccessModes, fld.Child("accessModes"), "")...)
	errs = append(errs, validatePVCapacity(s.Capacity, fld.Child("capacity"))...)
	if s.PersistentVolumeReclaimPolicy != "" && !containsString(supportedPVReclaimPolicies, s.PersistentVolumeReclaimPolicy) {
		errs = append(errs, NotSupportedError(fld.Child("persistentVolumeReclaimPolicy"), s.PersistentVolumeReclaimPolicy, supportedPVReclaimPolicies))
	}
	errs = append(errs, validateClassName(s.StorageClassName, fld.Child("storageClassName"))...)
	errs = append(errs, validatePVSource(&s.PersistentVolumeSource, fld)...)
	if s.HostPath != nil && path.Clean(s.HostPath.Path) == "/" && s.PersistentVolumeReclaimPolicy == ReclaimRecycle {
		errs = append(errs, ForbiddenError(fld.Child("persistentVolumeReclaimPolicy"), msgRecycleHostPathRoot))
	}
	return append(errs, validateVolumeMode(s.VolumeMode, fld.Child("volumeMode"))...)
}

// validateAccessModes requires at least one supported mode and forbids
// combining ReadWriteOncePod with others; required is the Required detail.
func validateAccessModes(modes []string, fld FieldPath, required string) ErrorList {
	var errs ErrorList
	if len(modes) == 0 {
		errs = append(errs, RequiredError(fld, required))
	}
	rwop, other := false, false
	for _, m := range modes {
		if !containsString(supportedAccessModes, m) {
			errs = append(errs, NotSupportedError(fld, m, supportedAccessModes))
		}
		if m == ReadWriteOncePod {
			rwop = true
		} else {
			other = true
		}
	}
	if rwop && other {
		errs = append(errs, ForbiddenError(fld, msgRWOPCombined))
	}
	return errs
}

// validatePVCapacity requires exactly the storage key with a positive amount.
func validatePVCapacity(c ResourceList, fld FieldPath) ErrorList {
	var errs ErrorList
	if len(c) == 0 {
		errs = append(errs, RequiredError(fld, ""))
	}
	if _, ok := c[ResourceStorage]; !ok || len(c) > 1 {
		errs = append(errs, NotSupportedError(fld, sortedKeys(c), []string{ResourceStorage}))
	}
	for _, k := range sortedKeys(c) {
		errs = append(errs, validatePositiveQuantity(c[k], fld.Key(k))...)
	}
	return errs
}

// validatePositiveQuantity is ValidatePositiveQuantityValue.
func validatePositiveQuantity(q Quantity, fld FieldPath) ErrorList {
	if q.Sign() <= 0 {
		return ErrorList{InvalidError(fld, q.String(), msgGreaterThanZero)}
	}
	return nil
}

// validateClassName checks a non-empty class name is a DNS subdomain.
func validateClassName(name string, fld FieldPath) ErrorList {
	var errs ErrorList
	if name == "" {
		return nil
	}
	for _, msg := range IsDNS1123Subdomain(name) {
		errs = append(errs, InvalidError(fld, name, msg))
	}
	return errs
}

// validateVolumeMode checks a set volume mode is Block or Filesystem.
func validateVolumeMode(mode *string, fld FieldPath) ErrorList {
	if mode != nil && !containsString(supportedVolumeModes, *mode) {
		return ErrorList{NotSupportedError(fld, *mode, supportedVolumeModes)}
	}
	return nil
}

// validatePVSource requires exactly one source, checked in upstream's order
// (hostPath before nfs).
func validatePVSource(s *PersistentVolumeSource, fld FieldPath) ErrorList {
	var errs ErrorList
	n := 0
	if s.HostPath != nil {
		n++
		errs = append(errs, validateHostPath(s.HostPath, fld.Child("hostPath"))...)
	}
	if s.NFS != nil {
		if n > 0 {
			errs = append(errs, ForbiddenError(fld.Child("nfs"), msgMoreThanOneVolumeType))
		} else {
			errs = append(errs, validateNFS(s.NFS, fld.Child("nfs"))...)
		}
		n++
	}
	if n == 0 {
		errs = append(errs, RequiredError(fld, msgNoVolumeType))
	}
	return errs
}

// validatePersistentVolumeUpdate is ValidatePersistentVolumeUpdate: the
// source and volume mode never change.
func validatePersistentVolumeUpdate(pv, old *PersistentVolume) ErrorList {
	errs := validatePersistentVolume(pv)
	if !reflect.DeepEqual(pv.Spec.PersistentVolumeSource, old.Spec.PersistentVolumeSource) {
		errs = append(errs, ForbiddenError("spec.persistentvolumesource", msgPVSourceImmutable))
	}
	if !reflect.DeepEqual(pv.Spec.VolumeMode, old.Spec.VolumeMode) {
		errs = append(errs, InvalidError("volumeMode", derefString(pv.Spec.VolumeMode), fieldImmutableErrorMsg))
	}
	return errs
}

// validatePersistentVolumeClaim is ValidatePersistentVolumeClaim for the
// fields kubesim models.
func validatePersistentVolumeClaim(c *PersistentVolumeClaim) ErrorList {
	errs := validateObjectMeta(&c.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	return append(errs, ValidatePersistentVolumeClaimSpec(&c.Spec, "spec")...)
}

// ValidatePersistentVolumeClaimSpec checks a claim's spec, as upstream's
// function of that name; StatefulSet volumeClaimTemplates use it too.
func ValidatePersistentVolumeClaimSpec(s *PersistentVolumeClaimSpec, fld FieldPath) ErrorList {
	errs := validateAccessModes(s.AccessModes, fld.Child("accessModes"), msgNoAccessMode)
	if s.Selector != nil {
		errs = append(errs, ValidateLabelSelector(s.Selector, fld.Child("selector"))...)
	}
	storagePath := fld.Child("resources").Key(ResourceStorage)
	if q, ok := s.Resources.Requests[ResourceStorage]; !ok {
		errs = append(errs, RequiredError(storagePath, ""))
	} else {
		errs = append(errs, validatePositiveQuantity(q, storagePath)...)
	}
	if s.StorageClassName != nil {
		errs = append(errs, validateClassName(*s.StorageClassName, fld.Child("storageClassName"))...)
	}
	return append(errs, validateVolumeMode(s.VolumeMode, fld.Child("volumeMode"))...)
}

// validatePersistentVolumeClaimUpdate is ValidatePersistentVolumeClaimUpdate:
// the spec is immutable except that volumeName may be set once, a nil class
// may be set once, and a bound claim may grow its storage request.
func validatePersistentVolumeClaimUpdate(c, old *PersistentVolumeClaim) ErrorList {
	errs := validatePersistentVolumeClaim(c)
	was := old.Spec.DeepCopy()
	if was.VolumeName == "" {
		was.VolumeName = c.Spec.VolumeName
	}
	if was.StorageClassName == nil {
		was.StorageClassName = c.Spec.StorageClassName
	}
	if was.VolumeMode == nil {
		was.VolumeMode = c.Spec.VolumeMode
	}
	if old.Status.Phase == ClaimBound {
		was.Resources.Requests = c.Spec.Resources.Requests
		was.VolumeAttributesClassName = c.Spec.VolumeAttributesClassName
	}
	if !reflect.DeepEqual(&c.Spec, was) {
		return append(errs, ForbiddenError("spec", msgPVCSpecImmutable))
	}
	// A request may shrink (RecoverVolumeExpansionFailure, GA), but not to
	// status.capacity or below; an update that keeps the request (a
	// finalizer's removal) passes whatever the bound volume's size.
	newSize, oldSize := c.Spec.Resources.Requests[ResourceStorage], old.Spec.Resources.Requests[ResourceStorage]
	if status := old.Status.Capacity[ResourceStorage]; newSize.Cmp(oldSize) < 0 && newSize.Cmp(status) <= 0 {
		errs = append(errs, ForbiddenError("spec.resources.requests.storage", msgPVCShrink))
	}
	return errs
}

// validateStorageClass is ValidateStorageClass.
func validateStorageClass(sc *StorageClass) ErrorList {
	errs := validateObjectMeta(&sc.ObjectMeta, false, nameIsDNSSubdomain, "metadata")
	if sc.Provisioner == "" {
		errs = append(errs, RequiredError("provisioner", ""))
	} else {
		for _, msg := range IsQualifiedName(strings.ToLower(sc.Provisioner)) {
			errs = append(errs, InvalidError("provisioner", sc.Provisioner, msg))
		}
	}
	if sc.ReclaimPolicy != nil && *sc.ReclaimPolicy != "" && !containsString(supportedSCReclaimPolicies, *sc.ReclaimPolicy) {
		errs = append(errs, NotSupportedError("reclaimPolicy", *sc.ReclaimPolicy, supportedSCReclaimPolicies))
	}
	switch {
	case sc.VolumeBindingMode == nil:
		errs = append(errs, RequiredError("volumeBindingMode", ""))
	case !containsString(supportedBindingModes, *sc.VolumeBindingMode):
		errs = append(errs, NotSupportedError("volumeBindingMode", *sc.VolumeBindingMode, supportedBindingModes))
	}
	return errs
}

// validateStorageClassUpdate is ValidateStorageClassUpdate: provisioner,
// parameters, reclaim policy and binding mode never change.
func validateStorageClassUpdate(sc, old *StorageClass) ErrorList {
	errs := validateStorageClass(sc)
	if !reflect.DeepEqual(sc.Parameters, old.Parameters) {
		errs = append(errs, ForbiddenError("parameters", msgSCParametersForbidden))
	}
	if sc.Provisioner != old.Provisioner {
		errs = append(errs, ForbiddenError("provisioner", msgSCProvisionerImmut))
	}
	if derefString(sc.ReclaimPolicy) != derefString(old.ReclaimPolicy) {
		errs = append(errs, ForbiddenError("reclaimPolicy", msgSCReclaimImmutable))
	}
	if derefString(sc.VolumeBindingMode) != derefString(old.VolumeBindingMode) {
		errs = append(errs, InvalidError("volumeBindingMode", derefString(sc.VolumeBindingMode), fieldImmutableErrorMsg))
	}
	return errs
}

// derefString returns *s, or "" for nil.
func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
