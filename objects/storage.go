package objects

import "strings"

// This file holds the core/v1 PersistentVolume and PersistentVolumeClaim
// kinds and the storage.k8s.io/v1 StorageClass (k8s.io/api core/v1 and
// storage/v1 types.go), the annotations and finalizers the PV controller,
// the protection controllers and dynamic provisioners use
// (component-helpers storage/volume pv_helpers.go, pkg/volume/util), their
// defaulting (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume,
// SetDefaults_PersistentVolumeClaim; pkg/apis/storage/v1/defaults.go
// SetDefaults_StorageClass) and the helpers every user of these kinds needs.

// PersistentVolume is a piece of storage in the cluster (core/v1
// PersistentVolume). It is cluster-scoped.
type PersistentVolume struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PersistentVolumeSpec   `json:"spec,omitempty"`
	Status     PersistentVolumeStatus `json:"status,omitempty"`
}

// DeepCopyObject returns an independent copy of the volume.
func (pv *PersistentVolume) DeepCopyObject() Object { return pv.DeepCopy() }

// PersistentVolumeSpec is a volume's capacity, source and binding.
type PersistentVolumeSpec struct {
	Capacity ResourceList `json:"capacity,omitempty"`
	// PersistentVolumeSource is the volume's one source (inline in the manifest).
	PersistentVolumeSource `json:",inline"`
	AccessModes            []string `json:"accessModes,omitempty"`
	// ClaimRef is the claim the volume is bound (or pre-bound) to.
	ClaimRef                      *ObjectReference `json:"claimRef,omitempty"`
	PersistentVolumeReclaimPolicy string           `json:"persistentVolumeReclaimPolicy,omitempty"`
	StorageClassName              string           `json:"storageClassName,omitempty"`
	MountOptions                  []string         `json:"mountOptions,omitempty"`
	VolumeMode                    *string          `json:"volumeMode,omitempty"`
	VolumeAttributesClassName     *string          `json:"volumeAttributesClassName,omitempty"`
}

// PersistentVolumeSource is where a persistent volume's data lives; exactly
// one source is set. kubesim models NFS and hostPath volumes.
type PersistentVolumeSource struct {
	HostPath *HostPathVolumeSource `json:"hostPath,omitempty"`
	NFS      *NFSVolumeSource      `json:"nfs,omitempty"`
}

// PersistentVolumeStatus is a volume's phase in its lifecycle.
type PersistentVolumeStatus struct {
	Phase                   string `json:"phase,omitempty"`
	Message                 string `json:"message,omitempty"`
	Reason                  string `json:"reason,omitempty"`
	LastPhaseTransitionTime *Time  `json:"lastPhaseTransitionTime,omitempty"`
}

// PersistentVolumeClaim is a user's request for storage (core/v1
// PersistentVolumeClaim).
type PersistentVolumeClaim struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PersistentVolumeClaimSpec   `json:"spec,omitempty"`
	Status     PersistentVolumeClaimStatus `json:"status,omitempty"`
}

// DeepCopyObject returns an independent copy of the claim.
func (c *PersistentVolumeClaim) DeepCopyObject() Object { return c.DeepCopy() }

// PersistentVolumeClaimSpec is what a claim asks for. StorageClassName nil
// means "the default class" (filled in by admission); "" means "no class".
type PersistentVolumeClaimSpec struct {
	AccessModes               []string                   `json:"accessModes,omitempty"`
	Selector                  *LabelSelector             `json:"selector,omitempty"`
	Resources                 VolumeResourceRequirements `json:"resources,omitempty"`
	VolumeName                string                     `json:"volumeName,omitempty"`
	StorageClassName          *string                    `json:"storageClassName,omitempty"`
	VolumeMode                *string                    `json:"volumeMode,omitempty"`
	VolumeAttributesClassName *string                    `json:"volumeAttributesClassName,omitempty"`
	DataSource                *TypedLocalObjectReference `json:"dataSource,omitempty"`
}

// VolumeResourceRequirements are a claim's storage requests and limits.
type VolumeResourceRequirements struct {
	Limits   ResourceList `json:"limits,omitempty"`
	Requests ResourceList `json:"requests,omitempty"`
}

// TypedLocalObjectReference names an object of a kind in the same namespace.
type TypedLocalObjectReference struct {
	APIGroup *string `json:"apiGroup,omitempty"`
	Kind     string  `json:"kind"`
	Name     string  `json:"name"`
}

// PersistentVolumeClaimStatus is a claim's phase and, once bound, the
// bound volume's access modes and capacity.
type PersistentVolumeClaimStatus struct {
	Phase       string       `json:"phase,omitempty"`
	AccessModes []string     `json:"accessModes,omitempty"`
	Capacity    ResourceList `json:"capacity,omitempty"`
}

// StorageClass describes a class of storage and who provisions it
// (storage.k8s.io/v1 StorageClass). It is cluster-scoped.
type StorageClass struct {
	TypeMeta             `json:",inline"`
	ObjectMeta           `json:"metadata"`
	Provisioner          string            `json:"provisioner"`
	Parameters           map[string]string `json:"parameters,omitempty"`
	ReclaimPolicy        *string           `json:"reclaimPolicy,omitempty"`
	MountOptions         []string          `json:"mountOptions,omitempty"`
	AllowVolumeExpansion *bool             `json:"allowVolumeExpansion,omitempty"`
	VolumeBindingMode    *string           `json:"volumeBindingMode,omitempty"`
}

// DeepCopyObject returns an independent copy of the class.
func (sc *StorageClass) DeepCopyObject() Object { return sc.DeepCopy() }

// Access modes (core/v1 PersistentVolumeAccessMode), in the canonical order
// kubectl prints them.
const (
	ReadWriteOnce    = "ReadWriteOnce"
	ReadOnlyMany     = "ReadOnlyMany"
	ReadWriteMany    = "ReadWriteMany"
	ReadWriteOncePod = "ReadWriteOncePod"
)

// Reclaim policies (core/v1 PersistentVolumeReclaimPolicy).
const (
	ReclaimRecycle = "Recycle"
	ReclaimDelete  = "Delete"
	ReclaimRetain  = "Retain"
)

// Volume modes (core/v1 PersistentVolumeMode).
const (
	PersistentVolumeBlock      = "Block"
	PersistentVolumeFilesystem = "Filesystem"
)

// PersistentVolume phases (core/v1 PersistentVolumePhase).
const (
	VolumePending   = "Pending"
	VolumeAvailable = "Available"
	VolumeBound     = "Bound"
	VolumeReleased  = "Released"
	VolumeFailed    = "Failed"
)

// PersistentVolumeClaim phases (core/v1 PersistentVolumeClaimPhase).
const (
	ClaimPending = "Pending"
	ClaimBound   = "Bound"
	ClaimLost    = "Lost"
)

// Volume binding modes (storage/v1 VolumeBindingMode).
const (
	VolumeBindingImmediate            = "Immediate"
	VolumeBindingWaitForFirstConsumer = "WaitForFirstConsumer"
)

// Annotations and finalizers of the volume lifecycle, as upstream names them.
const (
	// AnnBindCompleted on a claim says the binder finished binding it.
	AnnBindCompleted = "pv.kubernetes.io/bind-completed"
	// AnnBoundByController on a volume or claim says the binder, not the
	// user, wrote the binding.
	AnnBoundByController = "pv.kubernetes.io/bound-by-controller"
	// AnnDynamicallyProvisioned on a volume names the provisioner that made it.
	AnnDynamicallyProvisioned = "pv.kubernetes.io/provisioned-by"
	// AnnStorageProvisioner on a claim names the provisioner asked to provision it.
	AnnStorageProvisioner = "volume.kubernetes.io/storage-provisioner"
	// AnnBetaStorageProvisioner is the legacy key the PV controller writes too.
	AnnBetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
	// AnnSelectedNode on a claim names the node a WaitForFirstConsumer claim waits for.
	AnnSelectedNode = "volume.kubernetes.io/selected-node"
	// AnnBetaStorageClass is the legacy class annotation; it wins over the spec field.
	AnnBetaStorageClass = "volume.beta.kubernetes.io/storage-class"
	// AnnIsDefaultStorageClass marks a StorageClass as the cluster default.
	AnnIsDefaultStorageClass = "storageclass.kubernetes.io/is-default-class"
	// AnnBetaIsDefaultStorageClass is the legacy default-class annotation.
	AnnBetaIsDefaultStorageClass = "storageclass.beta.kubernetes.io/is-default-class"
	// AnnYes is the value of the binder's yes/no annotations.
	AnnYes = "yes"

	// FinalizerPVProtection keeps a Bound volume from being removed.
	FinalizerPVProtection = "kubernetes.io/pv-protection"
	// FinalizerPVCProtection keeps a claim a scheduled pod uses from being removed.
	FinalizerPVCProtection = "kubernetes.io/pvc-protection"
)

// IsDefaultStorageClass reports whether sc carries a default-class
// annotation whose value is exactly "true" (pkg/volume/util IsDefaultAnnotation).
func IsDefaultStorageClass(sc *StorageClass) bool {
	return sc.Annotations[AnnIsDefaultStorageClass] == "true" || sc.Annotations[AnnBetaIsDefaultStorageClass] == "true"
}

// EffectiveDefaultStorageClass picks the default class among classes as
// upstream's GetDefaultClass does: of those marked default, the newest,
// ties going to the smallest name; nil when none is marked.
func EffectiveDefaultStorageClass(classes []*StorageClass) *StorageClass {
	var best *StorageClass
	for _, sc := range classes {
		if !IsDefaultStorageClass(sc) {
			continue
		}
		newer := best == nil || sc.CreationTimestamp.After(best.CreationTimestamp.Time)
		tie := best != nil && sc.CreationTimestamp.Equal(best.CreationTimestamp.Time) && sc.Name < best.Name
		if newer || tie {
			best = sc
		}
	}
	return best
}

// PersistentVolumeClass returns a volume's class name; the beta annotation
// wins over the spec field (GetPersistentVolumeClass).
func PersistentVolumeClass(pv *PersistentVolume) string {
	if c, ok := pv.Annotations[AnnBetaStorageClass]; ok {
		return c
	}
	return pv.Spec.StorageClassName
}

// PersistentVolumeClaimClass returns a claim's class name, "" for none; the
// beta annotation wins over the spec field (GetPersistentVolumeClaimClass).
func PersistentVolumeClaimClass(c *PersistentVolumeClaim) string {
	if cls, ok := c.Annotations[AnnBetaStorageClass]; ok {
		return cls
	}
	if c.Spec.StorageClassName != nil {
		return *c.Spec.StorageClassName
	}
	return ""
}

// ClaimHasNoClass reports whether a claim names no class at all: neither the
// spec field nor the beta annotation, so the default class applies to it.
func ClaimHasNoClass(c *PersistentVolumeClaim) bool {
	_, ann := c.Annotations[AnnBetaStorageClass]
	return c.Spec.StorageClassName == nil && !ann
}

// accessModeAbbrevs are the short forms kubectl prints, in canonical order.
var accessModeAbbrevs = []struct{ mode, abbrev string }{
	{ReadWriteOnce, "RWO"}, {ReadOnlyMany, "ROX"}, {ReadWriteMany, "RWX"}, {ReadWriteOncePod, "RWOP"},
}

// AccessModesAsString abbreviates a set of access modes as kubectl and the
// binder's index do (GetAccessModesAsString): "RWO,ROX", canonical order,
// duplicates dropped.
func AccessModesAsString(modes []string) string {
	var out []string
	for _, a := range accessModeAbbrevs {
		if containsMode(modes, a.mode) {
			out = append(out, a.abbrev)
		}
	}
	return strings.Join(out, ",")
}

// containsMode reports whether modes holds mode.
func containsMode(modes []string, mode string) bool {
	for _, m := range modes {
		if m == mode {
			return true
		}
	}
	return false
}

// ContainsAccessModes reports whether have includes every mode in want.
func ContainsAccessModes(have, want []string) bool {
	for _, m := range want {
		if !containsMode(have, m) {
			return false
		}
	}
	return true
}

// defaultPersistentVolume is SetDefaults_PersistentVolume: phase Pending,
// reclaim policy Retain, volume mode Filesystem.
func defaultPersistentVolume(pv *PersistentVolume) {
	if pv.Status.Phase == "" {
		pv.Status.Phase = VolumePending
	}
	if pv.Spec.PersistentVolumeReclaimPolicy == "" {
		pv.Spec.PersistentVolumeReclaimPolicy = ReclaimRetain
	}
	if pv.Spec.VolumeMode == nil {
		pv.Spec.VolumeMode = ptrTo(PersistentVolumeFilesystem)
	}
	if pv.Spec.HostPath != nil && pv.Spec.HostPath.Type == nil {
		pv.Spec.HostPath.Type = ptrTo(HostPathUnset)
	}
}

// defaultPersistentVolumeClaim is SetDefaults_PersistentVolumeClaim: phase
// Pending, volume mode Filesystem.
func defaultPersistentVolumeClaim(c *PersistentVolumeClaim) {
	if c.Status.Phase == "" {
		c.Status.Phase = ClaimPending
	}
	if c.Spec.VolumeMode == nil {
		c.Spec.VolumeMode = ptrTo(PersistentVolumeFilesystem)
	}
}

// defaultStorageClass is SetDefaults_StorageClass: reclaim policy Delete,
// binding mode Immediate.
func defaultStorageClass(sc *StorageClass) {
	if sc.ReclaimPolicy == nil {
		sc.ReclaimPolicy = ptrTo(ReclaimDelete)
	}
	if sc.VolumeBindingMode == nil {
		sc.VolumeBindingMode = ptrTo(VolumeBindingImmediate)
	}
}
