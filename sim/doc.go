// Package sim is kubesim's event loop: it owns the virtual clock, the object
// store, the seeded random source and the controllers, and steps them.
//
// # The loop
//
// All work sits in one queue ordered by (virtual time, sequence) — the
// clock.Fake. A store write produces watch events; each controller maps an
// event to the keys it must reconcile, and each key is queued once per
// controller (a key already queued is not queued twice, as with client-go's
// work queues). Running an item sets the clock to the item's own time,
// reconciles the key against a store view, applies the returned writes in
// order, records the returned events, and queues any requested re-check.
// [Cluster.Advance] and [Cluster.RunUntil] process every due item in order;
// nothing runs between them.
//
// # Client rate limits
//
// Every controller writes through an API client of its own, with
// client-go's token bucket in virtual time (Config.APILimits; 20 writes a
// second with bursts of 30 for kube-controller-manager's controllers, 50
// and 100 for the scheduler and each kubelet). A write that finds no token
// waits for it: the rest of the reconcile's writes are carried out when
// tokens come, in order, and the key is not reconciled again until they are
// done, as a worker blocked in its sync. Consecutive writes of one batch
// (controllers.Action.Batch, a slow-start batch) are all attempted even if
// one fails; a failure skips what follows the batch.
//
// # Faults
//
// Because controllers only return what they want done, the loop decides how
// much of it happens. Each controller reads through informers, one per kind
// of object: the changes each has been told of, in order, and the view they
// add up to. A healthy informer is told of every change at once and its view
// is the live store; a lagging one holds the newest changes back, so the
// controller reads an old but consistent view of that kind (a copy-on-write
// snapshot) that never goes back in time, and hears of each change with the
// view it leads to. Kinds lag on their own, as upstream's informers do.
// [Cluster.Inject] (a scenario's `fault` command) makes an informer lag a
// number of changes for a while, delays or loses watch events, crashes a
// controller between two writes of one reconcile, or fails its writes with
// the apiserver's errors; [Faults] does some of the same from the Config for a
// whole run. A controller can also be stopped and started
// (kube-controller-manager down for a while) and catches up when it returns,
// or restarted ([Cluster.RestartController]): built anew, with everything it
// kept between reconciles lost, it relists and resyncs.
//
// # Releases and the apiserver's manifest
//
// Config.KubernetesVersion is the release the cluster runs (1.19 to 1.37,
// today's by default). kubesim models today's release throughout; the
// release changes only what a tutorial of an older era meets (version.go):
// what nodes report, whether batch/v1beta1 CronJob is served and warned
// about ([Cluster.ServesVersion], [Cluster.VersionWarnings]), kubectl's old
// exec form ([Cluster.OldExecForm]) and the apiserver's selfLink. The
// apiserver runs from its static pod manifest on the first control-plane
// machine (apiserver.go): [Cluster.SyncStaticPods], which the scenario
// runner calls after each command, restarts it when the file changed;
// while it is down ([Cluster.APIServerUp]) kubectl is refused and the
// controllers stand still.
//
// # Trace
//
// Every store change and every recorded event is traced with its virtual
// time ([Cluster.Trace]); the same inputs and seed give a byte-identical
// trace. The trace keeps the latest Config.TraceLimit entries (10,000
// unless told otherwise) in a ring, so a run of days holds as much memory
// as its live objects need, not as its length: the hello CronJob's heap is
// the same after one virtual day and after eight (BenchmarkCronJobMemory).
// Which entries are kept depends only on how many were recorded, so replays
// keep identical traces; a negative limit keeps every entry.
//
// # Imports
//
// sim imports clock, objects, storage, controllers and the controller
// sub-packages, and internal packages. Nothing in kubesim imports sim except
// the kubectl layer, commands and examples.
//
// # Concurrency
//
// A Cluster is not safe for concurrent use and starts no goroutines.
package sim
