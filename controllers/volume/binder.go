package volume

import (
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// BinderName is the binder's name as kube-controller-manager registers it.
const BinderName = "persistentvolume-binder-controller"

// EventComponent is the source component of the PV controller's events
// (pv_controller_base.go NewController's recorder).
const EventComponent = "persistentvolume-controller"

// Event reasons and messages of the PV controller
// (pkg/controller/volume/events/event.go and pv_controller.go).
const (
	ReasonFailedBinding              = "FailedBinding"
	ReasonVolumeMismatch             = "VolumeMismatch"
	ReasonExternalProvisioning       = "ExternalProvisioning"
	ReasonProvisioningFailed         = "ProvisioningFailed"
	ReasonWaitForFirstConsumer       = "WaitForFirstConsumer"
	ReasonClaimLost                  = "ClaimLost"
	ReasonClaimMisbound              = "ClaimMisbound"
	ReasonVolumeFailedDelete         = "VolumeFailedDelete"
	ReasonVolumeUnknownReclaim       = "VolumeUnknownReclaimPolicy"
	msgNoVolumesNoClass              = "no persistent volumes available for this claim and no storage class is set"
	msgWaitForFirstConsumer          = "waiting for first consumer to be created before binding"
	msgBoundToOther                  = "volume %q already bound to a different claim."
	msgCannotBind                    = "Cannot bind to requested volume %q: %s"
	msgExternalProvisioning          = "Waiting for a volume to be created either by the external provisioner '%s' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
	msgClaimLostReference            = "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
	msgClaimLostVolume               = "Bound claim has lost its PersistentVolume. Data on the volume is lost!"
	msgClaimMisbound                 = "Two claims are bound to the same volume, this one is bound incorrectly"
	msgNoDeletablePlugin             = "error getting deleter volume plugin for volume %q: no deletable volume plugin matched"
	msgUnknownReclaimPolicy          = "Volume has unrecognized PersistentVolumeReclaimPolicy"
	msgStorageClassNotFound          = "storageclass.storage.k8s.io %q not found"
	mismatchTooSmall                 = "requested PV is too small"
	mismatchClass                    = "storageClassName does not match"
	mismatchVolumeMode               = "incompatible volumeMode"
	mismatchAccessMode               = "incompatible accessMode"
	mismatchDeleting                 = "the volume is marked for deletion %q"
	kindPV, kindPVC, kindSC, kindPod = "PersistentVolume", "PersistentVolumeClaim", "StorageClass", "Pod"
)

// Binder is the PV controller's binder and reclaimer. Its one piece of
// state is when each volume whose recycle failed is tried again (upstream's
// next resync). Not safe for concurrent use.
type Binder struct {
	retryAt map[string]time.Time // by volume name
}

var (
	_ controllers.Controller   = (*Binder)(nil)
	_ controllers.EventSourcer = (*Binder)(nil)
)

// NewBinder returns a PV binder.
func NewBinder() *Binder { return &Binder{retryAt: map[string]time.Time{}} }

// Name returns "persistentvolume-binder-controller".
func (b *Binder) Name() string { return BinderName }

// EventSource returns the PV controller's event source, "persistentvolume-controller".
func (b *Binder) EventSource() objects.EventSource {
	return objects.EventSource{Component: EventComponent}
}

// WatchesEvents reports true: the binder forwards the recycler pod's
// events to the volume it scrubs.
func (b *Binder) WatchesEvents() bool { return true }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the binder watches claims, volumes, classes, its recycler pods and their events.
func (*Binder) WatchedKinds() []string { return watchedBinder }

var watchedBinder = []string{kindPVC, kindPV, "StorageClass", "Pod", "Event"}

// KeysFor maps claim, volume and class changes to the claims and volumes to
// sync: a claim to itself and its volume; a volume to itself, its claim
// and, when it is Available, every Pending claim; a class to every Pending
// claim; a recycler pod's change, and each new event about it, to the
// volume it scrubs.
func (b *Binder) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.PersistentVolumeClaim:
		keys := []objects.Key{objects.KeyOf(o)}
		if o.Spec.VolumeName != "" {
			keys = append(keys, objects.Key{Kind: kindPV, Name: o.Spec.VolumeName})
		}
		return keys
	case *objects.PersistentVolume:
		keys := []objects.Key{objects.KeyOf(o)}
		if ref := o.Spec.ClaimRef; ref != nil {
			keys = append(keys, objects.Key{Kind: kindPVC, Namespace: ref.Namespace, Name: ref.Name})
		}
		if ev.Type != storage.Deleted && o.Status.Phase == objects.VolumeAvailable {
			keys = append(keys, pendingClaims(r)...)
		}
		return keys
	case *objects.StorageClass:
		return pendingClaims(r)
	case *objects.Pod:
		if name, ok := recycledVolume(o); ok {
			return []objects.Key{{Kind: kindPV, Name: name}}
		}
	case *objects.Event:
		if name, ok := recyclerEventVolume(o); ok && ev.Type == storage.Added {
			return []objects.Key{{Kind: kindPV, Name: name}}
		}
	}
	return nil
}

// pendingClaims lists the keys of the claims not yet bound.
func pendingClaims(r storage.Reader) []objects.Key {
	var keys []objects.Key
	r.Scan(kindPVC, "", func(o objects.Object) bool {
		if c := o.(*objects.PersistentVolumeClaim); c.Status.Phase == objects.ClaimPending {
			keys = append(keys, objects.KeyOf(c))
		}
		return true
	})
	return keys
}

// Reconcile syncs the claim or volume at key, as upstream's syncClaim and
// syncVolume do.
func (b *Binder) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	obj = obj.DeepCopyObject() // the store's objects are shared and read-only: work on a copy
	switch o := obj.(type) {
	case *objects.PersistentVolumeClaim:
		return syncClaim(r, o)
	case *objects.PersistentVolume:
		return b.syncVolume(now, r, o)
	}
	return controllers.Result{}
}

// getVolume returns the volume called name, or nil.
func getVolume(r storage.Reader, name string) *objects.PersistentVolume {
	o, err := r.Get(objects.Key{Kind: kindPV, Name: name})
	if err != nil {
		return nil
	}
	return o.(*objects.PersistentVolume)
}

// getClaim returns the claim namespace/name, or nil.
func getClaim(r storage.Reader, namespace, name string) *objects.PersistentVolumeClaim {
	o, err := r.Get(objects.Key{Kind: kindPVC, Namespace: namespace, Name: name})
	if err != nil {
		return nil
	}
	return o.(*objects.PersistentVolumeClaim)
}

// getClass returns the StorageClass called name, or nil.
func getClass(r storage.Reader, name string) *objects.StorageClass {
	if name == "" {
		return nil
	}
	o, err := r.Get(objects.Key{Kind: kindSC, Name: name})
	if err != nil {
		return nil
	}
	return o.(*objects.StorageClass)
}
