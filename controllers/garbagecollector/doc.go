// Package garbagecollector models kube-controller-manager's garbage
// collector: objects whose owners are gone are deleted, and the
// foregroundDeletion and orphan finalizers that `kubectl delete --cascade`
// asks for are carried out.
//
// # Rules
//
//   - A dependent none of whose ownerReferences resolves to a live object
//     (same kind, name and uid) is deleted in the background.
//   - An owner being deleted with the orphan finalizer has the
//     ownerReferences to it removed from its dependents, then the finalizer.
//   - An owner being deleted with the foregroundDeletion finalizer has its
//     dependents deleted; the finalizer is removed once no dependent with
//     blockOwnerDeletion remains.
//
// The collector keeps an index from owner uid to dependents, fed by watch
// events as upstream's dependency graph is, so finding an owner's
// dependents does not list the cluster. A collector that misses events
// works from a stale graph, as the real one would; but what it decides it
// decides on live reads (controllers.APIReader), as upstream GETs an object
// and its owners from the apiserver before deleting it (isDangling), so a
// lagging informer delays its work and never makes it delete the
// dependents of a live owner.
//
// # Imports
//
// garbagecollector imports controllers, storage and objects.
package garbagecollector
