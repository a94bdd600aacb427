// Package ttlafterfinished models kube-controller-manager's
// TTL-after-finished controller (pkg/controller/ttlafterfinished): it
// deletes a finished Job once spec.ttlSecondsAfterFinished has passed.
//
// # What it decides
//
// A Job is due when it is finished (a Complete=True or Failed=True
// condition), sets ttlSecondsAfterFinished, and is not being deleted. It
// expires at the lastTransitionTime of its terminal condition plus the
// TTL; until then the controller asks to look again at that time. An
// expired Job is deleted with propagationPolicy Foreground and a uid
// precondition, as upstream does, so that a Job recreated under the same
// name is never deleted by mistake. Foreground deletion leaves the Job in
// place, with a deletionTimestamp and the foregroundDeletion finalizer,
// until the garbage collector has deleted its pods.
//
// A finished Job whose terminal condition has no transition time cannot
// be timed; upstream retries it with back-off forever, kubesim leaves it.
//
// # Imports and determinism
//
// ttlafterfinished imports controllers, storage and objects. It keeps no
// state: each reconcile reads the Job and the time it is given.
package ttlafterfinished
