package objects

import (
	"strings"
	"testing"
)

// Upstream ValidatePersistentVolumeClaimSpec: a claim without modes or a
// storage request is refused with these field paths and messages.
func TestValidatePersistentVolumeClaimRequired(t *testing.T) {
	c := &PersistentVolumeClaim{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default"}}
	got := listText(ValidateCreate(c))
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

// Upstream ValidatePersistentVolumeClaimUpdate: a bound claim's request may
// shrink only to more than status.capacity; an update that leaves the
// request alone passes even when the bound volume is bigger than the
// request (removing the protection finalizer of a 1Gi claim on a 3Gi
// volume).
func TestValidatePersistentVolumeClaimShrink(t *testing.T) {
	bound := func(request, capacity string) *PersistentVolumeClaim {
		c := &PersistentVolumeClaim{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default"},
			Spec: PersistentVolumeClaimSpec{AccessModes: []string{ReadWriteOnce}, VolumeName: "pv",
				Resources: VolumeResourceRequirements{Requests: ResourceList{ResourceStorage: MustParseQuantity(request)}}},
			Status: PersistentVolumeClaimStatus{Phase: ClaimBound, Capacity: ResourceList{ResourceStorage: MustParseQuantity(capacity)}}}
		SchemeDefault(c)
		return c
	}
	const shrink = "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"
	for _, tt := range []struct {
		old, new, capacity string
		wantErr            bool
	}{
		{old: "1Gi", new: "1Gi", capacity: "3Gi"},
		{old: "3Gi", new: "2500Mi", capacity: "2Gi"},
		{old: "3Gi", new: "2Gi", capacity: "2Gi", wantErr: true},
		{old: "3Gi", new: "1Gi", capacity: "2Gi", wantErr: true},
		{old: "1Gi", new: "2Gi", capacity: "1Gi"},
	} {
		old := bound(tt.old, tt.capacity)
		upd := bound(tt.new, tt.capacity)
		upd.Finalizers = []string{FinalizerPVCProtection}
		got := ValidateUpdate(upd, old)
		if tt.wantErr != strings.Contains(listText(got), shrink) || !tt.wantErr && len(got) > 0 {
			t.Errorf("%s -> %s (status %s): errors %q", tt.old, tt.new, tt.capacity, listText(got))
		}
	}
}
