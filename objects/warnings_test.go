package objects

import (
	"reflect"
	"testing"
)

// Upstream GetWarningsForPersistentVolume (pkg/api/persistentvolume/util.go
// and its util_test.go): the Recycle policy and the beta class annotation
// are deprecated, on create and update alike; a Retain volume draws no
// warning; other kinds none.
func TestWarnings(t *testing.T) {
	recycle := &PersistentVolume{Spec: PersistentVolumeSpec{PersistentVolumeReclaimPolicy: ReclaimRecycle}}
	annotated := &PersistentVolume{ObjectMeta: ObjectMeta{Annotations: map[string]string{AnnBetaStorageClass: "slow"}},
		Spec: PersistentVolumeSpec{PersistentVolumeReclaimPolicy: ReclaimRecycle}}
	for _, tt := range []struct {
		name string
		obj  Object
		want []string
	}{
		{"recycle", recycle, []string{
			"spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning."}},
		{"annotation first", annotated, []string{
			`metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead`,
			"spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning."}},
		{"retain", &PersistentVolume{Spec: PersistentVolumeSpec{PersistentVolumeReclaimPolicy: ReclaimRetain}}, nil},
		{"other kinds", &Pod{}, nil},
	} {
		if got := Warnings(tt.obj); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
