package volume_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// objectList serves a fixed list of objects, so that a test can hold a
// state the store's validation would refuse.
type objectList []objects.Object

func (l objectList) Get(key objects.Key) (objects.Object, error) {
	for _, o := range l {
		if objects.KeyOf(o) == key {
			return o, nil
		}
	}
	return nil, storage.ErrNotFound
}

func (l objectList) List(kind, ns string, sel objects.Selector) []objects.Object {
	var out []objects.Object
	l.Scan(kind, ns, func(o objects.Object) bool { out = append(out, o); return true })
	return out
}

func (l objectList) Scan(kind, ns string, visit func(objects.Object) bool) {
	for _, o := range l {
		if k := objects.KeyOf(o); k.Kind == kind && (ns == "" || k.Namespace == ns) && !visit(o) {
			return
		}
	}
}

func (l objectList) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {}

func (l objectList) ResourceVersion() int64 { return 1 }

func texts(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error())
	}
	return out
}

// boundPair returns a claim for 2Gi ReadWriteOnce of no class, Bound to a
// volume that fits it.
func boundPair() (*objects.PersistentVolumeClaim, *objects.PersistentVolume) {
	noClass := ""
	c := &objects.PersistentVolumeClaim{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "data", UID: "c1"},
		Spec: objects.PersistentVolumeClaimSpec{AccessModes: []string{objects.ReadWriteOnce}, VolumeName: "pv1", StorageClassName: &noClass,
			Resources: objects.VolumeResourceRequirements{Requests: objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity("2Gi")}}},
		Status: objects.PersistentVolumeClaimStatus{Phase: objects.ClaimBound}}
	pv := &objects.PersistentVolume{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: objects.ObjectMeta{Name: "pv1", UID: "v1"},
		Spec: objects.PersistentVolumeSpec{Capacity: objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity("5Gi")},
			AccessModes: []string{objects.ReadWriteOnce, objects.ReadWriteMany},
			ClaimRef:    &objects.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: "default", Name: "data", UID: "c1"}}}
	return c, pv
}

func TestCheckBindingMatches(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*objects.PersistentVolumeClaim, *objects.PersistentVolume)
		want   []string
	}{
		{"a fitting volume", func(*objects.PersistentVolumeClaim, *objects.PersistentVolume) {}, nil},
		{"too small", func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
			pv.Spec.Capacity[objects.ResourceStorage] = objects.MustParseQuantity("1Gi")
		}, []string{"claim PersistentVolumeClaim/default/data asks for 2Gi but is Bound to volume pv1 of 1Gi"}},
		{"missing mode", func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
			pv.Spec.AccessModes = []string{objects.ReadWriteMany}
		}, []string{"claim PersistentVolumeClaim/default/data asks for ReadWriteOnce but is Bound to volume pv1 of [ReadWriteMany]"}},
		{"another class", func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
			pv.Spec.StorageClassName = "nfs"
		}, []string{`claim PersistentVolumeClaim/default/data of class "" is Bound to volume pv1 of class "nfs"`}},
		{"not bound yet", func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
			c.Status.Phase = objects.ClaimPending
			pv.Spec.Capacity[objects.ResourceStorage] = objects.MustParseQuantity("1Gi")
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, pv := boundPair()
			tc.mutate(c, pv)
			assert.Equal(t, tc.want, texts(volume.CheckBindingMatches(objectList{c, pv})))
		})
	}
}

func TestCheckBindingConsistent(t *testing.T) {
	c, pv := boundPair()
	assert.Empty(t, volume.CheckBindingConsistent(objectList{c, pv}))
	other := c.DeepCopy()
	other.Name, other.UID = "other", "c2"
	assert.Equal(t, []string{
		"volume pv1 is bound by both PersistentVolumeClaim/default/data and PersistentVolumeClaim/default/other",
		"claim PersistentVolumeClaim/default/other is Bound to volume pv1, whose claimRef is default/data (uid \"c1\")",
	}, texts(volume.CheckBindingConsistent(objectList{c, other, pv})))
}
