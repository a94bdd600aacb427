// Package scheduler models kube-scheduler: it binds pending pods to nodes.
//
// # What it decides
//
// A pod with no node, not being deleted and asking for the default scheduler
// is filtered against every node as kube-scheduler's default plugins do:
// the node is Ready and schedulable, the pod tolerates the node's NoSchedule
// and NoExecute taints, the node's labels match the pod's nodeSelector, and
// the node has room for the pod's resource requests (cpu, memory, pod count)
// beside the pods already bound there. Among the nodes that fit, the one
// with the fewest pods wins, then the first by name — a deterministic
// stand-in for upstream's scoring.
//
// A pod that fits nowhere stays Pending with condition PodScheduled=False,
// reason Unschedulable, and a FailedScheduling event carrying upstream's
// message ("0/3 nodes are available: ..."). It is retried when a node
// changes or a pod leaves, and every five minutes, as upstream flushes its
// unschedulable queue. As upstream's scheduling queue, a change moves a
// waiting pod once until it is tried again, and not sooner than its
// backoff allows (a second after its first failed attempt, doubling up to
// ten seconds); a write of its status alone moves nothing. So a pod waiting
// for room among many is tried at most every ten seconds, not after every
// pod that leaves (controllers.Deferrer).
//
// What the pods already on a node ask for comes from the scheduler's cache,
// fed by its informer and, as kube-scheduler's is, by its own decisions: a
// pod it binds is assumed on its node at once (AssumePod), so an informer
// lagging behind its bindings does not make it overfill a node, and it is
// not scheduled again while the informer still shows it unbound
// (skipPodSchedule). A failed binding drops the assumption (ForgetPod).
//
// # Imports and determinism
//
// scheduler imports controllers, storage and objects. Its state is the set
// of pods that did not fit (with their attempts), consulted in sorted
// order, and the cache.
package scheduler
