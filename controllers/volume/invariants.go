package volume

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Invariants of the binder, for the property checker. They hold after
// every step, because the binder writes the volume's claimRef before the
// claim's binding.

// CheckBindingConsistent returns one error per broken binding:
//   - a Bound claim names a volume whose claimRef points back at it (same
//     namespace, name and uid);
//   - no volume is named by two Bound claims.
func CheckBindingConsistent(r storage.Reader) []error {
	var errs []error
	boundTo := map[string]objects.Key{}
	scanBound(r, func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
		key := objects.KeyOf(c)
		if other, dup := boundTo[c.Spec.VolumeName]; dup {
			errs = append(errs, fmt.Errorf("volume %s is bound by both %s and %s", c.Spec.VolumeName, other, key))
		}
		boundTo[c.Spec.VolumeName] = key
		if pv == nil {
			errs = append(errs, fmt.Errorf("claim %s is Bound to missing volume %q", key, c.Spec.VolumeName))
			return
		}
		ref := pv.Spec.ClaimRef
		if ref == nil || ref.Namespace != c.Namespace || ref.Name != c.Name || (ref.UID != "" && ref.UID != c.UID) {
			errs = append(errs, fmt.Errorf("claim %s is Bound to volume %s, whose claimRef is %s", key, c.Spec.VolumeName, refText(ref)))
		}
	})
	return errs
}

// CheckBindingMatches returns one error per Bound claim whose volume does
// not satisfy it: the volume's capacity covers the request, its access
// modes include the claim's, its class is the claim's, and its volume
// mode is the claim's (pvutil.FindMatchingVolume's checks).
func CheckBindingMatches(r storage.Reader) []error {
	var errs []error
	scanBound(r, func(c *objects.PersistentVolumeClaim, pv *objects.PersistentVolume) {
		if pv == nil {
			return
		}
		key := objects.KeyOf(c)
		want, have := c.Spec.Resources.Requests[objects.ResourceStorage], pv.Spec.Capacity[objects.ResourceStorage]
		if have.Cmp(want) < 0 {
			errs = append(errs, fmt.Errorf("claim %s asks for %s but is Bound to volume %s of %s", key, want.String(), pv.Name, have.String()))
		}
		for _, m := range c.Spec.AccessModes {
			if !containsMode(pv.Spec.AccessModes, m) {
				errs = append(errs, fmt.Errorf("claim %s asks for %s but is Bound to volume %s of %v", key, m, pv.Name, pv.Spec.AccessModes))
			}
		}
		if cc, pc := objects.PersistentVolumeClaimClass(c), objects.PersistentVolumeClass(pv); cc != pc {
			errs = append(errs, fmt.Errorf("claim %s of class %q is Bound to volume %s of class %q", key, cc, pv.Name, pc))
		}
		if cm, pm := volumeModeOf(c.Spec.VolumeMode), volumeModeOf(pv.Spec.VolumeMode); cm != pm {
			errs = append(errs, fmt.Errorf("claim %s of volumeMode %s is Bound to volume %s of %s", key, cm, pv.Name, pm))
		}
	})
	return errs
}

// scanBound calls visit with every Bound claim and its volume (nil when
// missing), as stored (not to be changed).
func scanBound(r storage.Reader, visit func(*objects.PersistentVolumeClaim, *objects.PersistentVolume)) {
	r.Scan("PersistentVolumeClaim", "", func(o objects.Object) bool {
		c := o.(*objects.PersistentVolumeClaim)
		if c.Status.Phase != objects.ClaimBound {
			return true
		}
		var pv *objects.PersistentVolume
		if obj, err := r.Get(objects.Key{Kind: "PersistentVolume", Name: c.Spec.VolumeName}); err == nil {
			pv = obj.(*objects.PersistentVolume)
		}
		visit(c, pv)
		return true
	})
}

// refText names a claimRef: namespace/name and uid, or none.
func refText(ref *objects.ObjectReference) string {
	if ref == nil {
		return "none"
	}
	return fmt.Sprintf("%s/%s (uid %q)", ref.Namespace, ref.Name, ref.UID)
}

func containsMode(modes []string, m string) bool {
	for _, x := range modes {
		if x == m {
			return true
		}
	}
	return false
}

// volumeModeOf is a volume mode, Filesystem when unset.
func volumeModeOf(m *string) string {
	if m == nil || *m == "" {
		return objects.PersistentVolumeFilesystem
	}
	return *m
}

// CheckInvariants runs every check that holds after every step.
func CheckInvariants(r storage.Reader) []error {
	return append(CheckBindingConsistent(r), CheckBindingMatches(r)...)
}
