package volume

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Names of the protection controllers, as kube-controller-manager registers them.
const (
	PVCProtectionName = "persistentvolumeclaim-protection-controller"
	PVProtectionName  = "persistentvolume-protection-controller"
)

// PVCProtection releases a deleted claim's kubernetes.io/pvc-protection
// finalizer once no scheduled pod uses it (pkg/controller/volume/pvcprotection).
// It is stateless.
type PVCProtection struct{}

var _ controllers.Controller = (*PVCProtection)(nil)

// NewPVCProtection returns a PVC protection controller.
func NewPVCProtection() *PVCProtection { return &PVCProtection{} }

// Name returns "persistentvolumeclaim-protection-controller".
func (p *PVCProtection) Name() string { return PVCProtectionName }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// PVC protection watches claims and the pods that use them.
func (*PVCProtection) WatchedKinds() []string { return watchedPVCProtection }

var watchedPVCProtection = []string{kindPVC, "Pod"}

// KeysFor returns a deleted claim still holding the finalizer, and the
// claims a pod names when the pod changes or goes.
func (p *PVCProtection) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.PersistentVolumeClaim:
		if ev.Type != storage.Deleted && o.DeletionTimestamp != nil && o.HasFinalizer(objects.FinalizerPVCProtection) {
			return []objects.Key{objects.KeyOf(o)}
		}
	case *objects.Pod:
		var keys []objects.Key
		for _, v := range o.Spec.Volumes {
			if v.PersistentVolumeClaim != nil {
				keys = append(keys, objects.Key{Kind: kindPVC, Namespace: o.Namespace, Name: v.PersistentVolumeClaim.ClaimName})
			}
		}
		return keys
	}
	return nil
}

// Reconcile removes the finalizer of the claim at key when it is being
// deleted and no pod uses it.
func (p *PVCProtection) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	o, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	c := o.(*objects.PersistentVolumeClaim).DeepCopy() // the store's objects are shared and read-only: work on a copy
	if c.DeletionTimestamp == nil || !c.HasFinalizer(objects.FinalizerPVCProtection) || claimInUse(r, c) {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update,
		Object: withoutFinalizer(c, objects.FinalizerPVCProtection)}}}
}

// claimInUse is podUsesPVCForDeletion over the claim's namespace: a pod
// object that is scheduled (any phase) and names the claim.
func claimInUse(r storage.Reader, c *objects.PersistentVolumeClaim) bool {
	used := false
	r.Scan(kindPod, c.Namespace, func(o objects.Object) bool {
		pod := o.(*objects.Pod)
		if pod.Spec.NodeName != "" && PodUsesClaim(pod, c.Name) {
			used = true
		}
		return !used
	})
	return used
}

// PodUsesClaim reports whether a pod has a volume naming the claim.
func PodUsesClaim(pod *objects.Pod, claim string) bool {
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim {
			return true
		}
	}
	return false
}

// PVProtection releases a deleted volume's kubernetes.io/pv-protection
// finalizer once it is not Bound (pkg/controller/volume/pvprotection). It
// is stateless.
type PVProtection struct{}

var _ controllers.Controller = (*PVProtection)(nil)

// NewPVProtection returns a PV protection controller.
func NewPVProtection() *PVProtection { return &PVProtection{} }

// Name returns "persistentvolume-protection-controller".
func (p *PVProtection) Name() string { return PVProtectionName }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// PV protection watches volumes.
func (*PVProtection) WatchedKinds() []string { return watchedPVProtection }

var watchedPVProtection = []string{kindPV}

// KeysFor returns a deleted volume still holding the finalizer.
func (p *PVProtection) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	pv, ok := ev.Object.(*objects.PersistentVolume)
	if !ok || ev.Type == storage.Deleted || pv.DeletionTimestamp == nil || !pv.HasFinalizer(objects.FinalizerPVProtection) {
		return nil
	}
	return []objects.Key{objects.KeyOf(pv)}
}

// Reconcile removes the finalizer of the volume at key when it is being
// deleted and is not Bound.
func (p *PVProtection) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	o, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	pv := o.(*objects.PersistentVolume).DeepCopy() // the store's objects are shared and read-only: work on a copy
	if pv.DeletionTimestamp == nil || !pv.HasFinalizer(objects.FinalizerPVProtection) || pv.Status.Phase == objects.VolumeBound {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update,
		Object: withoutFinalizer(pv, objects.FinalizerPVProtection)}}}
}

// withoutFinalizer returns a copy of obj without finalizer f, conditional
// on the version read: a stale view must not release an object that has
// since come into use.
func withoutFinalizer[T objects.Object](obj T, f string) T {
	out := obj.DeepCopyObject().(T)
	m := out.GetObjectMeta()
	var kept []string
	for _, x := range m.Finalizers {
		if x != f {
			kept = append(kept, x)
		}
	}
	m.Finalizers = kept
	return out
}
