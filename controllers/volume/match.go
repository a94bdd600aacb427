package volume

import (
	"sort"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// findBestMatch is index.findBestMatchForClaim: volumes are grouped by
// their set of access modes; the groups holding every mode the claim asks
// for are tried from the fewest modes up (ties by their printed set), and
// the first group with a match gives the claim its volume.
func findBestMatch(r storage.Reader, c *objects.PersistentVolumeClaim, delay bool) *objects.PersistentVolume {
	groups := map[string][]*objects.PersistentVolume{}
	r.Scan(kindPV, "", func(o objects.Object) bool {
		pv := o.(*objects.PersistentVolume)
		k := objects.AccessModesAsString(pv.Spec.AccessModes)
		groups[k] = append(groups[k], pv)
		return true
	})
	var keys []string
	for k, vols := range groups {
		if objects.ContainsAccessModes(vols[0].Spec.AccessModes, c.Spec.AccessModes) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if ni, nj := modeCount(groups[keys[i]][0]), modeCount(groups[keys[j]][0]); ni != nj {
			return ni < nj
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		if pv := findMatchingVolume(c, groups[k], delay); pv != nil {
			return pv.DeepCopy()
		}
	}
	return nil
}

// modeCount counts the distinct access modes of a volume.
func modeCount(pv *objects.PersistentVolume) int {
	n := 0
	for _, m := range []string{objects.ReadWriteOnce, objects.ReadOnlyMany, objects.ReadWriteMany, objects.ReadWriteOncePod} {
		if objects.ContainsAccessModes(pv.Spec.AccessModes, []string{m}) {
			n++
		}
	}
	return n
}

// findMatchingVolume is pvhelpers.FindMatchingVolume on the controller's
// path: the smallest volume satisfying the claim, or the volume pre-bound to
// it. vols are in name order, so equal sizes go to the first name.
func findMatchingVolume(c *objects.PersistentVolumeClaim, vols []*objects.PersistentVolume, delay bool) *objects.PersistentVolume {
	req := c.Spec.Resources.Requests[objects.ResourceStorage]
	var sel objects.Selector
	if c.Spec.Selector != nil {
		s, err := objects.LabelSelectorAsSelector(c.Spec.Selector)
		if err != nil {
			return nil
		}
		sel = s
	}
	var best *objects.PersistentVolume
	for _, pv := range vols {
		capacity := pv.Spec.Capacity[objects.ResourceStorage]
		switch {
		case pv.Spec.ClaimRef != nil && !boundToClaim(pv, c),
			capacity.Cmp(req) < 0 && !mutant.On("pv-binder-ignores-capacity"), volumeModeMismatch(pv, c), // #23615: a too-small volume
			derefString(pv.Spec.VolumeAttributesClassName) != derefString(c.Spec.VolumeAttributesClassName),
			pv.DeletionTimestamp != nil:
			continue
		case pv.Spec.ClaimRef != nil:
			return pv // pre-bound to this claim
		case delay, pv.Status.Phase != objects.VolumeAvailable,
			sel != nil && !sel.Matches(pv.Labels),
			objects.PersistentVolumeClass(pv) != objects.PersistentVolumeClaimClass(c):
			continue
		}
		if best == nil || bestCapacity(best).Cmp(capacity) > 0 {
			best = pv
		}
	}
	return best
}

// bestCapacity returns a volume's storage capacity.
func bestCapacity(pv *objects.PersistentVolume) *objects.Quantity {
	q := pv.Spec.Capacity[objects.ResourceStorage]
	return &q
}

// volumeModeMismatch is CheckVolumeModeMismatches: nil means Filesystem.
func volumeModeMismatch(pv *objects.PersistentVolume, c *objects.PersistentVolumeClaim) bool {
	mode := func(m *string) string {
		if m == nil {
			return objects.PersistentVolumeFilesystem
		}
		return *m
	}
	return mode(pv.Spec.VolumeMode) != mode(c.Spec.VolumeMode)
}
