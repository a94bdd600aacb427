package volume

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckInvariants returns one error per broken binding invariant, for the
// property checker. They hold after every step, because the binder writes
// the volume's claimRef before the claim's binding:
//   - a Bound claim names a volume whose claimRef points back at it (same
//     namespace, name and uid);
//   - no volume is named by two Bound claims.
func CheckInvariants(r storage.Reader) []error {
	var errs []error
	boundTo := map[string]objects.Key{}
	r.Scan("PersistentVolumeClaim", "", func(o objects.Object) bool {
		c := o.(*objects.PersistentVolumeClaim)
		if c.Status.Phase != objects.ClaimBound {
			return true
		}
		key := objects.KeyOf(c)
		if other, dup := boundTo[c.Spec.VolumeName]; dup {
			errs = append(errs, fmt.Errorf("volume %s is bound by both %s and %s", c.Spec.VolumeName, other, key))
		}
		boundTo[c.Spec.VolumeName] = key
		obj, err := r.Get(objects.Key{Kind: "PersistentVolume", Name: c.Spec.VolumeName})
		if err != nil {
			errs = append(errs, fmt.Errorf("claim %s is Bound to missing volume %q", key, c.Spec.VolumeName))
			return true
		}
		ref := obj.(*objects.PersistentVolume).Spec.ClaimRef
		if ref == nil || ref.Namespace != c.Namespace || ref.Name != c.Name || (ref.UID != "" && ref.UID != c.UID) {
			errs = append(errs, fmt.Errorf("claim %s is Bound to volume %s, whose claimRef is %v", key, c.Spec.VolumeName, ref))
		}
		return true
	})
	return errs
}
