// Package replicaset models kube-controller-manager's ReplicaSet
// controller (pkg/controller/replicaset, as of Kubernetes 1.37): it keeps
// the number of active pods a ReplicaSet controls equal to spec.replicas.
//
// # What it decides
//
// Each sync of a ReplicaSet follows upstream's syncReplicaSet:
//
//   - it claims the active pods of the namespace: those it controls whose
//     labels still match its selector, adopting matching orphans and
//     releasing owned pods that no longer match;
//   - with too few pods it creates the missing ones from the template
//     (generateName "<rs>-", the ReplicaSet as controller), at most 500 a
//     sync; with too many it deletes the surplus, choosing pods as
//     upstream's getPodsToDelete ranks them (unscheduled before scheduled,
//     Pending before Unknown before Running, not ready before ready, lower
//     pod-deletion-cost first, more sibling pods on the same node first,
//     more recently ready first, more restarts first, newer first, the
//     last two on the logarithmic scale of LogarithmicScaleDown);
//   - it writes status: replicas, fullyLabeledReplicas, readyReplicas,
//     availableReplicas (ready for minReadySeconds) and observedGeneration,
//     and asks to be run again when a ready pod will become available.
//
// Events carry upstream's reasons and messages: SuccessfulCreate "Created
// pod: web-5d4f8b9c7-abcde", SuccessfulDelete "Deleted pod: ...".
//
// # Differences from upstream
//
// Expectations are replaced by the check the Job controller uses: a sync
// whose view lacks the controller's own last write for the ReplicaSet
// waits a second. Pods are created in upstream's slow-start batches (1, 2,
// 4...; a failure skips the batches after its own) and deleted as one
// batch, every deletion attempted; the simulation makes a batch's writes
// one at a time, in order, where upstream makes them at once. A pod is available once it has been ready for strictly more
// than minReadySeconds, as upstream's IsPodAvailable says; the requeue for
// it is therefore due one nanosecond after the boundary. Terminating
// replicas (status.terminatingReplicas) are not reported.
//
// # Imports and determinism
//
// replicaset imports controllers, storage and objects. Its only state is
// the revision of its last write per ReplicaSet, read by key; pods are
// handled in the store's name order and every sort is stable.
package replicaset
