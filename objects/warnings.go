package objects

import "fmt"

// Warnings the apiserver sends with a write (the Warning headers its REST
// strategies' WarningsOnCreate and WarningsOnUpdate return), which kubectl
// prints as "Warning: <text>" before its result line. They never refuse a
// write; deprecations are their usual subject.

// Warning texts, as upstream words them.
const (
	// pkg/api/persistentvolume/util.go warningsForPersistentVolumeSpecAndMeta.
	warnRecycleDeprecated = "The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning."
	warnBetaStorageClass  = `deprecated since v1.8; use "storageClassName" attribute instead`
)

// Warnings returns the apiserver's warnings about creating or updating
// obj. The kinds kubesim warns about warn alike on both (upstream's
// persistentvolumeStrategy does); kinds without warnings return nil.
func Warnings(obj Object) []string {
	switch o := obj.(type) {
	case *PersistentVolume:
		return persistentVolumeWarnings(o)
	}
	return nil
}

// persistentVolumeWarnings is GetWarningsForPersistentVolume for the
// fields kubesim models.
func persistentVolumeWarnings(pv *PersistentVolume) []string {
	var out []string
	if _, ok := pv.Annotations[AnnBetaStorageClass]; ok {
		out = append(out, fmt.Sprintf("%s: %s", FieldPath("metadata").Child("annotations").Key(AnnBetaStorageClass), warnBetaStorageClass))
	}
	if pv.Spec.PersistentVolumeReclaimPolicy == ReclaimRecycle {
		out = append(out, fmt.Sprintf("%s: %s", FieldPath("spec").Child("persistentVolumeReclaimPolicy"), warnRecycleDeprecated))
	}
	return out
}
