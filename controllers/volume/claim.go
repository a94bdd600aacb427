package volume

import (
	"fmt"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// syncClaim is upstream's syncClaim: claims the binder has not finished go
// to syncUnboundClaim, the others to syncBoundClaim.
func syncClaim(r storage.Reader, c *objects.PersistentVolumeClaim) controllers.Result {
	if c.Annotations[objects.AnnBindCompleted] == "" {
		if c.Spec.VolumeName == "" {
			return syncUnboundClaim(r, c)
		}
		return syncPreboundClaim(r, c)
	}
	return syncBoundClaim(r, c)
}

// syncUnboundClaim binds a claim without volumeName to the best matching
// volume; without one it assigns the default class, hands the claim to its
// class's provisioner, or reports that nothing can satisfy it.
func syncUnboundClaim(r storage.Reader, c *objects.PersistentVolumeClaim) controllers.Result {
	class := getClass(r, objects.PersistentVolumeClaimClass(c))
	delay := class != nil && derefString(class.VolumeBindingMode) == objects.VolumeBindingWaitForFirstConsumer
	if pv := findBestMatch(r, c, delay); pv != nil {
		return bind(pv, c)
	}
	if objects.ClaimHasNoClass(c) {
		if def := storage.DefaultStorageClass(r); def != nil {
			upd := c.DeepCopy() // conditional: the first write of the claim
			upd.Spec.StorageClassName = &def.Name
			return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: upd}}}
		}
	}
	var res controllers.Result
	className := objects.PersistentVolumeClaimClass(c)
	switch {
	case delay && c.Annotations[objects.AnnSelectedNode] == "":
		res.Events = append(res.Events, controllers.Normal(c, ReasonWaitForFirstConsumer, msgWaitForFirstConsumer))
	case className != "":
		return provisionClaim(class, className, c)
	default:
		res.Events = append(res.Events, controllers.Normal(c, ReasonFailedBinding, msgNoVolumesNoClass))
	}
	res.Actions = append(res.Actions, claimStatusAction(c, objects.ClaimPending, nil)...)
	return res
}

// provisionClaim is provisionClaimOperationExternal: the claim is annotated
// with its class's provisioner, which is left to create a volume. A missing
// class is a ProvisioningFailed warning.
func provisionClaim(class *objects.StorageClass, className string, c *objects.PersistentVolumeClaim) controllers.Result {
	if class == nil {
		return controllers.Result{Events: []controllers.Event{controllers.Warning(c, ReasonProvisioningFailed,
			fmt.Sprintf(msgStorageClassNotFound, className))}}
	}
	var res controllers.Result
	if c.Annotations[objects.AnnStorageProvisioner] != class.Provisioner ||
		c.Annotations[objects.AnnBetaStorageProvisioner] != class.Provisioner {
		upd := c.DeepCopy() // conditional: the first write of the claim
		setAnnotation(&upd.ObjectMeta, objects.AnnStorageProvisioner, class.Provisioner)
		setAnnotation(&upd.ObjectMeta, objects.AnnBetaStorageProvisioner, class.Provisioner)
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Update, Object: upd})
	}
	res.Events = append(res.Events, controllers.Normal(c, ReasonExternalProvisioning,
		fmt.Sprintf(msgExternalProvisioning, class.Provisioner)))
	return res
}

// syncPreboundClaim handles a claim whose user named the volume.
func syncPreboundClaim(r storage.Reader, c *objects.PersistentVolumeClaim) controllers.Result {
	pv := getVolume(r, c.Spec.VolumeName)
	switch {
	case pv == nil:
		return controllers.Result{Actions: claimStatusAction(c, objects.ClaimPending, nil)}
	case pv.Spec.ClaimRef == nil:
		if reason := volumeUnsatisfying(pv, c); reason != "" {
			return controllers.Result{Actions: claimStatusAction(c, objects.ClaimPending, nil),
				Events: []controllers.Event{controllers.Warning(c, ReasonVolumeMismatch, fmt.Sprintf(msgCannotBind, pv.Name, reason))}}
		}
		return bind(pv, c)
	case boundToClaim(pv, c):
		return bind(pv, c)
	}
	return controllers.Result{Actions: claimStatusAction(c, objects.ClaimPending, nil),
		Events: []controllers.Event{controllers.Warning(c, ReasonFailedBinding, fmt.Sprintf(msgBoundToOther, pv.Name))}}
}

// syncBoundClaim keeps a bound claim bound, or marks it Lost.
func syncBoundClaim(r storage.Reader, c *objects.PersistentVolumeClaim) controllers.Result {
	if c.Spec.VolumeName == "" {
		return lose(c, ReasonClaimLost, msgClaimLostReference)
	}
	pv := getVolume(r, c.Spec.VolumeName)
	switch {
	case pv == nil:
		return lose(c, ReasonClaimLost, msgClaimLostVolume)
	case pv.Spec.ClaimRef == nil, pv.Spec.ClaimRef.UID == c.UID:
		return bind(pv, c)
	}
	return lose(c, ReasonClaimMisbound, msgClaimMisbound)
}

// lose marks a claim Lost, with a warning only on the change of phase.
func lose(c *objects.PersistentVolumeClaim, reason, msg string) controllers.Result {
	if c.Status.Phase == objects.ClaimLost {
		return controllers.Result{}
	}
	return controllers.Result{Actions: claimStatusAction(c, objects.ClaimLost, nil),
		Events: []controllers.Event{controllers.Warning(c, reason, msg)}}
}

// volumeUnsatisfying is checkVolumeSatisfyClaim: why pv cannot serve c, or "".
func volumeUnsatisfying(pv *objects.PersistentVolume, c *objects.PersistentVolumeClaim) string {
	req, capacity := c.Spec.Resources.Requests[objects.ResourceStorage], pv.Spec.Capacity[objects.ResourceStorage]
	switch {
	case pv.DeletionTimestamp != nil:
		return fmt.Sprintf(mismatchDeleting, pv.Name)
	case capacity.Value() < req.Value():
		return mismatchTooSmall
	case objects.PersistentVolumeClass(pv) != objects.PersistentVolumeClaimClass(c):
		return mismatchClass
	case volumeModeMismatch(pv, c):
		return mismatchVolumeMode
	case !objects.ContainsAccessModes(pv.Spec.AccessModes, c.Spec.AccessModes):
		return mismatchAccessMode
	}
	return ""
}

// claimStatusAction writes a claim's phase (and, when pv is given, the
// bound volume's modes and capacity), or nothing if already so.
func claimStatusAction(c *objects.PersistentVolumeClaim, phase string, pv *objects.PersistentVolume) []controllers.Action {
	upd := c.DeepCopy() // conditional on the version read; see followUp
	upd.Status.Phase = phase
	if pv == nil {
		upd.Status.AccessModes, upd.Status.Capacity = nil, nil
	} else {
		upd.Status.AccessModes = append([]string(nil), pv.Spec.AccessModes...)
		if c.Status.Phase != objects.ClaimBound || upd.Status.Capacity == nil {
			upd.Status.Capacity = pv.Spec.Capacity.DeepCopy()
		}
	}
	if upd.Status.Phase == c.Status.Phase && fmt.Sprint(upd.Status) == fmt.Sprint(c.Status) {
		return nil
	}
	return []controllers.Action{{Verb: controllers.UpdateStatus, Object: upd}}
}

// setAnnotation sets an annotation, creating the map if needed.
func setAnnotation(m *objects.ObjectMeta, key, value string) {
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	m.Annotations[key] = value
}

// derefString returns *s, or "" for nil.
func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
