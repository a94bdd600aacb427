package scheduler

import (
	"fmt"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// filterReason is one reason a node cannot take a pod: a kind, and for an
// untolerated taint the taint's key and value. It is comparable and holds
// no text, so that a failed attempt, repeated after every change that may
// free room, formats its message only when its reasons differ from the
// last attempt's.
type filterReason struct {
	kind       reasonKind
	key, value string // the untolerated taint's
}

type reasonKind uint8

const (
	reasonUnschedulable reasonKind = iota
	reasonTaint
	reasonSelector
	reasonTooManyPods
	reasonCPU
	reasonMemory
)

// maxReasons is the most reasons filter gives for one node: the three of
// its first stage or the three resources.
const maxReasons = 3

// text is the reason as upstream's FitError counts it.
func (r filterReason) text() string {
	switch r.kind {
	case reasonUnschedulable:
		return "node(s) were unschedulable"
	case reasonTaint:
		return fmt.Sprintf("node(s) had untolerated taint {%s: %s}", r.key, r.value)
	case reasonSelector:
		return "node(s) didn't match Pod's node affinity/selector"
	case reasonTooManyPods:
		return "Too many pods"
	case reasonCPU:
		return "Insufficient cpu"
	default:
		return "Insufficient memory"
	}
}

// resource reports whether preemption could cure the reason (not enough
// room), as opposed to one it cannot (taints, selectors).
func (r filterReason) resource() bool { return r.kind >= reasonTooManyPods }

// nodeLoad is what the pods bound to a node already ask for.
type nodeLoad struct {
	pods        int
	cpuMilli    int64
	memoryBytes int64
}

// cache tracks the load each pod puts on its node: the pods its informer
// shows bound, and the ones it bound itself and assumes there until the
// informer shows them, as kube-scheduler's cache assumes a pod on the node
// it chose before the binding is even sent (AssumePod). Without that, a
// scheduler whose pod informer lags would place pods on a node already full
// of the ones it just bound.
type cache struct {
	pods  map[objects.Key]charge
	nodes map[string]*nodeLoad
}

// charge is one pod's share of a node.
type charge struct {
	node             string
	cpuMilli, memory int64
	// assumed marks a pod this scheduler bound that its informer has not
	// shown bound yet; bound says the binding was written (it may still
	// wait for a client token, or be lost in a crash).
	assumed, bound bool
}

func newCache() *cache {
	return &cache{pods: map[objects.Key]charge{}, nodes: map[string]*nodeLoad{}}
}

// observe updates the cache with a pod change: a pod holds resources while
// it is bound to a node and not Succeeded or Failed. Like kube-scheduler's
// cache, it takes only assigned pods: a change showing a pod unassigned
// (an informer behind the binding) leaves an assumed charge alone.
func (c *cache) observe(t storage.EventType, pod *objects.Pod) {
	key := objects.KeyOf(pod)
	if t != storage.Deleted && pod.Spec.NodeName == "" {
		return
	}
	c.forget(key)
	if t == storage.Deleted || isTerminal(pod) {
		return
	}
	c.record(key, pod, charge{node: pod.Spec.NodeName})
}

// assume charges pod to node as the scheduler decides to bind it there.
func (c *cache) assume(pod *objects.Pod, node string) {
	key := objects.KeyOf(pod)
	c.forget(key)
	c.record(key, pod, charge{node: node, assumed: true})
}

// bound records that the binding of an assumed pod was written.
func (c *cache) bound(key objects.Key) {
	if ch, ok := c.pods[key]; ok && ch.assumed {
		ch.bound = true
		c.pods[key] = ch
	}
}

// forgetAssumed drops the charge of a pod whose binding failed, unless
// the informer has shown the pod bound meanwhile.
func (c *cache) forgetAssumed(key objects.Key) {
	if ch, ok := c.pods[key]; ok && ch.assumed {
		c.forget(key)
	}
}

// assumedBound reports whether the scheduler bound the pod at key and its
// informer has not shown it yet: the pod must not be scheduled again
// (upstream's skipPodSchedule).
func (c *cache) assumedBound(key objects.Key) bool {
	ch, ok := c.pods[key]
	return ok && ch.assumed && ch.bound
}

// forget drops the charge of the pod at key.
func (c *cache) forget(key objects.Key) {
	if old, ok := c.pods[key]; ok {
		c.nodes[old.node].add(old, -1)
		delete(c.pods, key)
	}
}

// record charges ch, with pod's requests, as the share of the pod at key.
func (c *cache) record(key objects.Key, pod *objects.Pod, ch charge) {
	ch.cpuMilli, ch.memory = podRequests(pod)
	c.pods[key] = ch
	load := c.nodes[ch.node]
	if load == nil {
		load = &nodeLoad{}
		c.nodes[ch.node] = load
	}
	load.add(ch, +1)
}

func (l *nodeLoad) add(ch charge, sign int) {
	l.pods += sign
	l.cpuMilli += int64(sign) * ch.cpuMilli
	l.memoryBytes += int64(sign) * ch.memory
}

// podRequests returns a pod's effective cpu (milli) and memory requests:
// the sum over containers, or the largest init container if that is more,
// as the scheduler's NodeResourcesFit computes it.
func podRequests(pod *objects.Pod) (cpuMilli, memoryBytes int64) {
	for _, c := range pod.Spec.Containers {
		cpuMilli += request(c, objects.ResourceCPU).MilliValue()
		memoryBytes += request(c, objects.ResourceMemory).Value()
	}
	for _, c := range pod.Spec.InitContainers {
		cpuMilli = max(cpuMilli, request(c, objects.ResourceCPU).MilliValue())
		memoryBytes = max(memoryBytes, request(c, objects.ResourceMemory).Value())
	}
	return cpuMilli, memoryBytes
}

// request returns a container's request for name; a limit with no request
// counts as the request, as defaulting makes it.
func request(c objects.Container, name string) *objects.Quantity {
	q, ok := c.Resources.Requests[name]
	if !ok {
		q = c.Resources.Limits[name]
	}
	return &q
}

// filter appends to out why node cannot take pod, which asks for cpu
// milli-cores and mem bytes; it appends nothing when the node can.
func filter(pod *objects.Pod, cpu, mem int64, node *objects.Node, load *nodeLoad, out []filterReason) []filterReason {
	start := len(out)
	if node.Spec.Unschedulable {
		out = append(out, filterReason{kind: reasonUnschedulable})
	}
	if t, ok := untoleratedTaint(pod, node); ok {
		out = append(out, filterReason{kind: reasonTaint, key: t.Key, value: t.Value})
	}
	if !matchesNodeSelector(pod, node) {
		out = append(out, filterReason{kind: reasonSelector})
	}
	if len(out) > start {
		return out
	}
	return resourceFit(cpu, mem, node, load, out)
}

// resourceFit appends to out the resources node lacks for a pod asking
// for cpu milli-cores and mem bytes.
func resourceFit(cpu, mem int64, node *objects.Node, load *nodeLoad, out []filterReason) []filterReason {
	if mutant.On("scheduler-ignores-resources") { // NodeResourcesFit skipped: overcommitted nodes
		return out
	}
	alloc := node.Status.Allocatable
	if maxPods, ok := alloc[objects.ResourcePods]; ok && int64(load.pods+1) > maxPods.Value() {
		out = append(out, filterReason{kind: reasonTooManyPods})
	}
	if q, ok := alloc[objects.ResourceCPU]; ok && cpu > 0 && load.cpuMilli+cpu > q.MilliValue() {
		out = append(out, filterReason{kind: reasonCPU})
	}
	if q, ok := alloc[objects.ResourceMemory]; ok && mem > 0 && load.memoryBytes+mem > q.Value() {
		out = append(out, filterReason{kind: reasonMemory})
	}
	return out
}

// untoleratedTaint returns the first NoSchedule or NoExecute taint of node
// that pod does not tolerate. A node that is not Ready counts as carrying
// the not-ready taint the node lifecycle controller would put on it.
func untoleratedTaint(pod *objects.Pod, node *objects.Node) (objects.Taint, bool) {
	if mutant.On("scheduler-ignores-taints") { // #63197: taints and tolerations not respected
		return objects.Taint{}, false
	}
	taints := node.Spec.Taints
	if !nodeReady(node) && !hasTaintKey(taints, objects.TaintNodeNotReady) && !hasTaintKey(taints, objects.TaintNodeUnreachable) {
		taints = append(append([]objects.Taint(nil), taints...), objects.Taint{Key: objects.TaintNodeNotReady, Effect: objects.TaintNoSchedule})
	}
	for _, t := range taints {
		if t.Effect == objects.TaintPreferNoSchedule {
			continue
		}
		if !tolerates(pod.Spec.Tolerations, t) {
			return t, true
		}
	}
	return objects.Taint{}, false
}

func hasTaintKey(taints []objects.Taint, key string) bool {
	for _, t := range taints {
		if t.Key == key {
			return true
		}
	}
	return false
}

// tolerates reports whether any toleration matches taint t (upstream
// Toleration.ToleratesTaint).
func tolerates(tolerations []objects.Toleration, t objects.Taint) bool {
	for _, tol := range tolerations {
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key != "" && tol.Key != t.Key {
			continue
		}
		switch tol.Operator {
		case "Exists":
			return true
		case "", "Equal":
			if tol.Key != "" && tol.Value == t.Value {
				return true
			}
		}
	}
	return false
}

func matchesNodeSelector(pod *objects.Pod, node *objects.Node) bool {
	for k, v := range pod.Spec.NodeSelector {
		if got, ok := node.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func nodeReady(node *objects.Node) bool {
	for _, c := range node.Status.Conditions {
		if c.Type == objects.NodeReady {
			return c.Status == objects.ConditionTrue
		}
	}
	return false
}
