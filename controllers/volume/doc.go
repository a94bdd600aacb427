// Package volume models the controllers of the persistent volume lifecycle:
//
//   - the PV controller's binder (Binder, kube-controller-manager's
//     "persistentvolume-binder-controller", recording events as
//     "persistentvolume-controller"): it binds claims to the smallest
//     matching Available volume, writing the volume's claimRef first and the
//     claim's volumeName second, as upstream's bind does; it releases
//     volumes whose claim is gone and reclaims them (Retain keeps them
//     Released; Delete of a volume no in-tree plugin deletes fails it;
//     Recycle scrubs NFS and hostPath volumes with a recycler pod and makes
//     them Available again, recycle.go); it hands claims of a class to the
//     class's external provisioner (ExternalProvisioning);
//   - the PVC and PV protection controllers, which release the
//     kubernetes.io/pvc-protection finalizer once no scheduled pod uses the
//     claim and kubernetes.io/pv-protection once the volume is not Bound;
//   - the nfs-subdir-external-provisioner (Provisioner), which acts only
//     while a Running pod of its image declares a PROVISIONER_NAME: it
//     makes a ${namespace}-${pvcName}-${pvName} directory on the NFS share
//     and a pvc-<uid> volume for it, and on reclaim removes or archives the
//     directory and deletes the volume.
//
// # Departures
//
// Upstream resyncs every claim and volume every 15 seconds and repeats its
// events on each pass; kubesim reconciles on changes only, so an event such
// as ExternalProvisioning is recorded once per change, not every 15s. The
// exception is Recycle, where a retry is visible: a volume whose recycle
// waits for pods still using its claim is looked at again every 15s (its
// VolumeFailedRecycle event counts up as upstream's does), and a volume
// whose scrub failed is scrubbed anew 15s after the failure, and after
// each later failure, until a scrub succeeds. A failed Delete is not
// retried, as a retry would change nothing.
//
// Upstream's recycler goroutine remembers the pod it created; kubesim reads
// the recycle's progress back from the store. A recycler pod that exists
// is taken for this volume's, where upstream deletes a pod it did not
// create and fails the attempt ("old recycler pod found, will retry
// later"); a recycler pod deleted by someone else before it finished is
// replaced by a new one, where upstream fails the attempt ("recycler pod
// was deleted") and retries on the next resync.
// WaitForFirstConsumer classes get their events but are bound by nobody.
//
// # State and determinism
//
// The protection controllers are stateless pure reconcilers; the binder's
// one piece of state is when each volume whose recycle failed is retried.
// The provisioner changes the NFS servers' filesystems (through Exports) as
// it reconciles, as the kubelet changes its machine. Candidates are
// visited in store order (by name), so ties break by name where upstream's
// order is a map's.
//
// # Imports
//
// volume imports controllers, storage, objects and internal/vfs.
package volume
