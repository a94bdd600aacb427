package volume

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// syncVolume is upstream's syncVolume: a volume without a (bound) claim is
// Available; a volume whose claim is gone is Released and reclaimed; a
// volume its claim points at is Bound; a volume its claim left is unbound.
func (b *Binder) syncVolume(now time.Time, r storage.Reader, pv *objects.PersistentVolume) controllers.Result {
	ref := pv.Spec.ClaimRef
	if ref == nil || ref.UID == "" {
		return phaseResult(pv, objects.VolumeAvailable)
	}
	c := getClaim(r, ref.Namespace, ref.Name)
	if c != nil && c.UID != ref.UID {
		c = nil
	}
	switch {
	case c == nil:
		return b.release(now, r, pv)
	case c.Spec.VolumeName == "":
		return controllers.Result{} // the claim's sync finishes the binding
	case c.Spec.VolumeName == pv.Name:
		return phaseResult(pv, objects.VolumeBound)
	case pv.Annotations[objects.AnnDynamicallyProvisioned] != "" && pv.Spec.PersistentVolumeReclaimPolicy == objects.ReclaimDelete:
		return b.release(now, r, pv)
	}
	return unbind(pv)
}

// phaseResult sets a volume's phase unless it has it already.
func phaseResult(pv *objects.PersistentVolume, phase string) controllers.Result {
	if pv.Status.Phase == phase {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{volumePhaseAction(pv, phase, "")}}
}

// release marks a volume Released (a Failed one stays Failed) and reclaims
// it. Upstream reclaims Failed volumes again on every resync; kubesim does
// so for Recycle only, where a retry is visible (a new scrubber pod), and
// leaves a failed Delete, whose retries change nothing, alone.
func (b *Binder) release(now time.Time, r storage.Reader, pv *objects.PersistentVolume) controllers.Result {
	switch pv.Status.Phase {
	case objects.VolumeFailed:
		if pv.Spec.PersistentVolumeReclaimPolicy == objects.ReclaimRecycle {
			return b.recycle(now, r, pv)
		}
		return controllers.Result{}
	case objects.VolumeReleased:
		return b.reclaim(now, r, pv)
	}
	return phaseResult(pv, objects.VolumeReleased) // the status write triggers reclaim
}

// reclaim is reclaimVolume for a Released volume: Retain keeps it; Recycle
// scrubs it (recycle.go); Delete is an external provisioner's business when
// one provisioned it, and fails otherwise, as no in-tree plugin deletes NFS
// or hostPath volumes outside /tmp.
func (b *Binder) reclaim(now time.Time, r storage.Reader, pv *objects.PersistentVolume) controllers.Result {
	switch pv.Spec.PersistentVolumeReclaimPolicy {
	case objects.ReclaimRetain:
		return controllers.Result{}
	case objects.ReclaimRecycle:
		return b.recycle(now, r, pv)
	case objects.ReclaimDelete:
		if p := pv.Annotations[objects.AnnDynamicallyProvisioned]; p != "" && !strings.HasPrefix(p, "kubernetes.io/") {
			return controllers.Result{} // left to the external provisioner
		}
		msg := fmt.Sprintf(msgNoDeletablePlugin, pv.Name)
		return controllers.Result{Actions: []controllers.Action{volumePhaseAction(pv, objects.VolumeFailed, msg)},
			Events: []controllers.Event{controllers.Warning(pv, ReasonVolumeFailedDelete, msg)}}
	}
	return controllers.Result{Actions: []controllers.Action{volumePhaseAction(pv, objects.VolumeFailed, msgUnknownReclaimPolicy)},
		Events: []controllers.Event{controllers.Warning(pv, ReasonVolumeUnknownReclaim, msgUnknownReclaimPolicy)}}
}

// unbind is unbindVolume: a volume the binder bound loses its claimRef and
// annotation; a volume the user pre-bound keeps its claimRef without the
// uid. Either becomes Available.
func unbind(pv *objects.PersistentVolume) controllers.Result {
	upd := pv.DeepCopy()
	if upd.Annotations[objects.AnnBoundByController] != "" {
		upd.Spec.ClaimRef = nil
		delete(upd.Annotations, objects.AnnBoundByController)
		if len(upd.Annotations) == 0 {
			upd.Annotations = nil
		}
	} else {
		upd.Spec.ClaimRef.UID = ""
	}
	return controllers.Result{Actions: []controllers.Action{
		{Verb: controllers.Update, Object: upd},
		followUp(volumePhaseAction(upd, objects.VolumeAvailable, ""), true),
	}}
}
