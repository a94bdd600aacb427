// Package storage is the simulation's apiserver and etcd in one: an
// in-memory, versioned object store that applies the apiserver's rules for
// creating, updating and deleting objects, and records every change as a
// watch event.
//
// # Model
//
// Each kind has a table of its own, as the apiserver has a storage per
// resource (tables.go): a google/btree ordered by namespace and name, so
// lists come out in a stable order and listing one namespace of one kind is
// a range scan whose cost follows the result, not the cluster, and a hash
// map for lookups by key. Visiting every object goes kind by kind in
// name order: key order (kind, namespace, name) overall. The Event table
// keeps its Events packed into pointer-free chunks of bytes and unpacks one
// when it is read (packedevents.go): a cluster holds an hour of them, most
// of its objects, and as objects they were most of the garbage
// collector's work.
// One revision counter, shared by all kinds as etcd's is, stamps every write
// with a strictly increasing resourceVersion.
//
// Stored objects are never mutated: a write stores a new object. That is
// what makes [Store.Snapshot] a copy-on-write view (a btree Clone per kind)
// that later writes do not disturb, and what lets the store hand out the
// objects themselves, shared and read-only (Get, List, Scan, the results
// of writes, drained events), and take the object a write is given
// without copying it. [Store.CheckMutations] is the test mode that catches
// a caller who changes one. Secondary indexes (a controller's objects, a
// node's pods, orphans) are btrees cloned with the objects (index.go).
//
// # Fidelity
//
// Behaviour and messages follow kube-apiserver's generic registry
// (k8s.io/apiserver/pkg/registry/generic/registry/store.go, rest/create.go,
// rest/update.go, rest/delete.go) and the per-kind strategies of
// k8s.io/kubernetes/pkg/registry: generateName, optimistic concurrency,
// status subresources, graceful pod deletion, finalizers and the garbage
// collector's propagation finalizers, namespace termination, and the
// NamespaceLifecycle admission checks. Errors are [*StatusError] values
// worded as the apiserver words them and matched with errors.Is against
// [ErrNotFound], [ErrAlreadyExists], [ErrConflict], [ErrInvalid],
// [ErrForbidden] and [ErrBadRequest].
//
// The store has etcd's space quota (SetQuota): a create or update that
// would take the stored objects past it fails with etcd's "etcdserver:
// mvcc: database space exceeded" (ErrNoSpace); deletes always go through.
// Each object counts as the length of its JSON encoding
// (objects.EncodedSize), measured as it is written, part by part: a store
// keeps the sizes of each version's metadata, spec and status, and a
// write measures only the parts it does not share with the version it
// replaces (a status update, the status; a finalizer's removal, the
// metadata). Without a quota, writes go unmeasured until Size asks.
//
// Deleting a namespace does not delete its contents and no garbage
// collector runs here: those are controllers acting through this store.
//
// # Imports
//
// storage imports the standard library, github.com/google/btree and the
// kubesim packages objects and clock. It imports no controller.
//
// # Determinism
//
// A Store is a pure state machine driven by its caller: it is not safe for
// concurrent use, starts no goroutines, reads time only from the
// clock.PassiveClock it is given and randomness (generated names, UIDs) only
// from the Rand it is given. No map iteration order reaches its results.
package storage
