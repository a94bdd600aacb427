package volume

import (
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
)

// bind is upstream's bind, in its write order: the volume's claimRef (and
// bound-by-controller when the binder wrote it), the volume's Bound phase,
// the claim's volumeName with bind-completed (and bound-by-controller when
// the binder wrote it), and last the claim's Bound phase with the volume's
// access modes and capacity. Writes already done are skipped, so a bind
// interrupted half-way resumes on the next sync.
func bind(pv *objects.PersistentVolume, c *objects.PersistentVolumeClaim) controllers.Result {
	var acts []controllers.Action
	// Each write starts from the previous one's result: the status
	// endpoint keeps the metadata it is given. The first write of each
	// object carries the version read, as upstream's updates do: a binder
	// working from a stale view must not take a volume another claim has
	// meanwhile been given. A write that follows one to the same object
	// goes unconditionally (the first bumped the version).
	pv, c = pv.DeepCopy(), c.DeepCopy()
	pvWritten, claimWritten := false, false
	if !boundToClaim(pv, c) || pv.Spec.ClaimRef.UID != c.UID {
		if !boundToClaim(pv, c) {
			setAnnotation(&pv.ObjectMeta, objects.AnnBoundByController, objects.AnnYes)
		}
		pv.Spec.ClaimRef = claimRef(c)
		acts = append(acts, controllers.Action{Verb: controllers.Update, Object: pv.DeepCopy()})
		if mutant.On("pv-bind-unconditional") { // #16432: a stale binder takes a volume another claim was given
			acts[len(acts)-1].Object = unconditional(pv)
		}
		pvWritten = true
	}
	if pv.Status.Phase != objects.VolumeBound {
		acts = append(acts, followUp(volumePhaseAction(pv, objects.VolumeBound, ""), pvWritten))
	}
	if c.Spec.VolumeName != pv.Name || c.Annotations[objects.AnnBindCompleted] == "" {
		if c.Spec.VolumeName != pv.Name {
			c.Spec.VolumeName = pv.Name
			setAnnotation(&c.ObjectMeta, objects.AnnBoundByController, objects.AnnYes)
		}
		setAnnotation(&c.ObjectMeta, objects.AnnBindCompleted, objects.AnnYes)
		acts = append(acts, controllers.Action{Verb: controllers.Update, Object: c.DeepCopy()})
		claimWritten = true
	}
	for _, a := range claimStatusAction(c, objects.ClaimBound, pv) {
		acts = append(acts, followUp(a, claimWritten))
	}
	return controllers.Result{Actions: acts}
}

// followUp makes a write unconditional when an earlier write of the same
// reconcile already changed the object's version.
func followUp(a controllers.Action, afterWrite bool) controllers.Action {
	if afterWrite {
		a.Object = unconditional(a.Object)
	}
	return a
}

// unconditional returns a copy of obj without its resourceVersion, so that
// its write does not conflict with the write before it.
func unconditional[T objects.Object](obj T) T {
	out := obj.DeepCopyObject().(T)
	out.GetObjectMeta().ResourceVersion = ""
	return out
}

// claimRef is the reference a volume keeps to its claim (GetReference).
func claimRef(c *objects.PersistentVolumeClaim) *objects.ObjectReference {
	return &objects.ObjectReference{Kind: kindPVC, APIVersion: "v1", Namespace: c.Namespace, Name: c.Name,
		UID: c.UID, ResourceVersion: c.ResourceVersion}
}

// boundToClaim is IsVolumeBoundToClaim: the claimRef names the claim and,
// when it has a uid, that uid.
func boundToClaim(pv *objects.PersistentVolume, c *objects.PersistentVolumeClaim) bool {
	ref := pv.Spec.ClaimRef
	if ref == nil || ref.Name != c.Name || ref.Namespace != c.Namespace {
		return false
	}
	return ref.UID == "" || ref.UID == c.UID
}

// volumePhaseAction writes a volume's phase and message, conditional on
// the version read (see followUp for writes after another).
func volumePhaseAction(pv *objects.PersistentVolume, phase, message string) controllers.Action {
	upd := pv.DeepCopy()
	upd.Status.Phase = phase
	upd.Status.Message = message
	return controllers.Action{Verb: controllers.UpdateStatus, Object: upd}
}
