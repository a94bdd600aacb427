package objects

import (
	"strings"
	"testing"
)

// Upstream ValidatePersistentVolumeClaimSpec: a claim without modes or a
// storage request is refused with these field paths and messages.
func TestValidatePersistentVolumeClaimRequired(t *testing.T) {
	c := &PersistentVolumeClaim{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default"}}
	got := ValidateCreate(c).Error()
	for _, want := range []string{"spec.accessModes: Required value: at least 1 access mode is required",
		"spec.resources[storage]: Required value"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors %q lack %q", got, want)
		}
	}
}

// Upstream SetDefaults_PersistentVolume: Retain and Filesystem.
func TestDefaultPersistentVolume(t *testing.T) {
	pv := &PersistentVolume{}
	SchemeDefault(pv)
	if pv.Spec.PersistentVolumeReclaimPolicy != ReclaimRetain || *pv.Spec.VolumeMode != PersistentVolumeFilesystem {
		t.Errorf("defaults = %q %q", pv.Spec.PersistentVolumeReclaimPolicy, *pv.Spec.VolumeMode)
	}
	if got := AccessModesAsString([]string{ReadWriteMany, ReadWriteOnce, ReadWriteOnce}); got != "RWO,RWX" {
		t.Errorf("AccessModesAsString = %q", got)
	}
}
