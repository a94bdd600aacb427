// Package statefulset models kube-controller-manager's StatefulSet
// controller (pkg/controller/statefulset, as of Kubernetes 1.37): it runs
// pods with stable identities, one per ordinal, each with its own
// PersistentVolumeClaims.
//
// # Identity
//
// The pod of ordinal i is "<set>-<i>"; its hostname is its name, its
// subdomain the set's serviceName, and it carries the labels
// statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and
// controller-revision-hash. Each volumeClaimTemplate "www" gives ordinal i
// the claim "www-<set>-<i>", created before the pod and mounted as the
// pod's volume "www". A deleted pod comes back with the same name and the
// same claims, hence the same data.
//
// # What a sync decides
//
// Each sync follows upstream's UpdateStatefulSet, in order: it sorts the
// set's pods into in-range replicas and condemned (out-of-range) ones;
// walks the replicas upward, creating a missing pod (claims first),
// deleting a Failed or Succeeded one so that it is recreated, and, under
// OrderedReady, stopping at the first pod that is not yet Running, Ready
// and available; then deletes condemned pods from the highest ordinal (one
// a sync under OrderedReady, all at once under Parallel); then, with the
// RollingUpdate strategy, deletes old-revision pods from the highest
// ordinal down to the partition, at most maxUnavailable unavailable at a
// time, so that they are recreated at the update revision. Finally it
// writes status when it changed.
//
// Events carry upstream's reasons and, by default, 1.37's messages
// ("Create Pod web-0 in StatefulSet web successful"); Config.LowerCaseVerbs
// selects the lower-case verbs of Kubernetes 1.34 and earlier.
//
// # Differences from upstream
//
//   - Revisions are named as upstream names them ("<set>-<hash>", the hash
//     an FNV-32a of the template's JSON, SafeEncodeString-ed) but no
//     ControllerRevision objects are stored. The controller remembers the
//     template of each revision it has computed, to recreate a pod below
//     the partition at the current revision; a revision it never saw
//     falls back to the update revision. Rollback to an identical old
//     template therefore gets the same name again rather than a bumped
//     revision number.
//   - Orphan pods matching the selector are not adopted and owned pods that
//     stop matching are not released.
//   - Expectations are replaced, as in the other controllers, by the
//     own-writes check: a sync whose view lacks the controller's last write
//     for the set waits a second.
//
// The package imports only controllers, storage and objects. It is
// deterministic: no clock (time arrives as Reconcile's argument), no
// randomness, no goroutines, and pods are handled in ordinal order.
package statefulset
