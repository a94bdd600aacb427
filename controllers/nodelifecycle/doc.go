// Package nodelifecycle models what kube-controller-manager does when a node
// stops answering: the node lifecycle controller and the taint eviction
// controller.
//
// # Node health
//
// A kubelet that stops posting status (its machine is down) is noticed once
// node-monitor-grace-period (50s) has passed since its last heartbeat: the
// node's Ready condition turns Unknown ("Kubelet stopped posting node
// status."), the node gets the node.kubernetes.io/unreachable taint with
// effects NoSchedule and NoExecute, and its pods are marked not Ready. When
// the kubelet posts Ready again, the taints are removed.
//
// Heartbeats are not API objects here: a real kubelet renews a Lease every
// ten seconds, which would fill a trace with writes. The simulation tells
// the controller, through [Heartbeats], when each kubelet last answered.
//
// # Eviction
//
// The taint eviction controller deletes a pod on a node with a NoExecute
// taint it does not tolerate, at once, or after the tolerationSeconds of
// the toleration that matches (every pod gets 300s tolerations for the
// not-ready and unreachable taints by default). The pod is marked
// DisruptionTarget first, then deleted with its grace period; on a dead node
// it stays Terminating until the kubelet returns.
//
// # Imports
//
// nodelifecycle imports controllers, storage and objects.
package nodelifecycle
