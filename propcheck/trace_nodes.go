package propcheck

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers/scheduler"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// schedulerFits is the trace invariant scheduler-fits: the scheduler
// binds a pod only to a node that is schedulable, whose NoSchedule and
// NoExecute taints the pod tolerates, and with room for it: the requests
// of the pods bound there and not finished, plus the pod's, within the
// node's allocatable cpu, memory and pods (upstream's NodeUnschedulable,
// TaintToleration and NodeResourcesFit filters; the scheduler counts the
// pods it binds at once, in its cache). A cordon or taint set after the
// pod was created may not have reached the scheduler's view, and is not
// held against it, nor is a change of the node's allocatable resources.
type schedulerFits struct {
	// When each node's taints or unschedulable, and its allocatable
	// resources, last changed.
	specChanged, allocChanged map[string]time.Time
}

func newSchedulerFits() traceCheck {
	return &schedulerFits{specChanged: map[string]time.Time{}, allocChanged: map[string]time.Time{}}
}

func (c *schedulerFits) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.Node:
		old, ok := ch.Event.Old.(*objects.Node)
		if !ok {
			return nil
		}
		if old.Spec.Unschedulable != o.Spec.Unschedulable || !sameTaints(old.Spec.Taints, o.Spec.Taints) {
			c.specChanged[o.Name] = ch.At
		}
		if !reflect.DeepEqual(old.Status.Allocatable, o.Status.Allocatable) {
			c.allocChanged[o.Name] = ch.At
		}
	case *objects.Pod:
		old, _ := ch.Event.Old.(*objects.Pod)
		if ch.Actor != scheduler.Name || old == nil || old.Spec.NodeName != "" || o.Spec.NodeName == "" {
			return nil
		}
		node, ok := ix.getKey(objects.Key{Kind: "Node", Name: o.Spec.NodeName}).(*objects.Node)
		if !ok {
			return []error{fmt.Errorf("pod %s/%s: bound to node %s, which does not exist", o.Namespace, o.Name, o.Spec.NodeName)}
		}
		var errs []error
		settled := ch.At.Add(-maxInformerLag)
		if changed, ok := c.specChanged[node.Name]; !ok || changed.Before(settled) {
			errs = append(errs, taintErrors(o, node)...)
		}
		if changed, ok := c.allocChanged[node.Name]; !ok || changed.Before(settled) {
			errs = append(errs, resourceErrors(o, node, ix)...)
		}
		return errs
	}
	return nil
}

func sameTaints(a, b []objects.Taint) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Value != b[i].Value || a[i].Effect != b[i].Effect {
			return false
		}
	}
	return true
}

// taintErrors reports a bind to an unschedulable node or past a taint the
// pod does not tolerate.
func taintErrors(p *objects.Pod, node *objects.Node) []error {
	var errs []error
	if node.Spec.Unschedulable && !toleratesAny(p.Spec.Tolerations, objects.Taint{Key: "node.kubernetes.io/unschedulable", Effect: objects.TaintNoSchedule}) {
		errs = append(errs, fmt.Errorf("pod %s/%s: bound to node %s, which is unschedulable", p.Namespace, p.Name, node.Name))
	}
	for _, t := range node.Spec.Taints {
		if t.Effect != objects.TaintNoSchedule && t.Effect != objects.TaintNoExecute {
			continue
		}
		if !toleratesAny(p.Spec.Tolerations, t) {
			errs = append(errs, fmt.Errorf("pod %s/%s: bound to node %s, whose taint %s=%s:%s it does not tolerate",
				p.Namespace, p.Name, node.Name, t.Key, t.Value, t.Effect))
		}
	}
	return errs
}

// toleratesAny is upstream's Toleration.ToleratesTaint over a list.
func toleratesAny(tolerations []objects.Toleration, t objects.Taint) bool {
	for _, tol := range tolerations {
		if tol.Effect != "" && tol.Effect != t.Effect || tol.Key != "" && tol.Key != t.Key {
			continue
		}
		switch tol.Operator {
		case "Exists":
			return true
		case "", "Equal":
			if tol.Value == t.Value {
				return true
			}
		}
	}
	return false
}

// resourceErrors reports a bind that overcommits the node.
func resourceErrors(p *objects.Pod, node *objects.Node, ix *index) []error {
	cpu, mem := podRequests(p)
	pods := int64(1)
	for _, o := range ix.listKind("Pod") {
		q := o.(*objects.Pod)
		if q.UID == p.UID || q.Spec.NodeName != node.Name || podTerminal(q) {
			continue
		}
		c, m := podRequests(q)
		cpu, mem, pods = cpu+c, mem+m, pods+1
	}
	alloc := node.Status.Allocatable
	var errs []error
	if q, ok := alloc[objects.ResourcePods]; ok && pods > q.Value() {
		errs = append(errs, fmt.Errorf("pod %s/%s: bound to node %s as its pod number %d, beyond %d allowed", p.Namespace, p.Name, node.Name, pods, q.Value()))
	}
	if q, ok := alloc[objects.ResourceCPU]; ok && cpu > q.MilliValue() {
		errs = append(errs, fmt.Errorf("pod %s/%s: bound to node %s, whose pods then ask for %dm cpu of %dm", p.Namespace, p.Name, node.Name, cpu, q.MilliValue()))
	}
	if q, ok := alloc[objects.ResourceMemory]; ok && mem > q.Value() {
		errs = append(errs, fmt.Errorf("pod %s/%s: bound to node %s, whose pods then ask for %d bytes of memory of %d", p.Namespace, p.Name, node.Name, mem, q.Value()))
	}
	return errs
}

// podRequests is a pod's cpu (milli) and memory requests as
// NodeResourcesFit counts them: its containers' sum, or its largest init
// container's when that is more; a limit without a request counts as one.
func podRequests(p *objects.Pod) (cpuMilli, memory int64) {
	request := func(c objects.Container, name string) *objects.Quantity {
		q, ok := c.Resources.Requests[name]
		if !ok {
			q = c.Resources.Limits[name]
		}
		return &q
	}
	for _, c := range p.Spec.Containers {
		cpuMilli += request(c, objects.ResourceCPU).MilliValue()
		memory += request(c, objects.ResourceMemory).Value()
	}
	for _, c := range p.Spec.InitContainers {
		cpuMilli = max(cpuMilli, request(c, objects.ResourceCPU).MilliValue())
		memory = max(memory, request(c, objects.ResourceMemory).Value())
	}
	return cpuMilli, memory
}

// Crash-loop back-off of the kubelet (kubelet.go backOffPeriod and
// MaxContainerBackOff; flowcontrol.Backoff forgets an entry untouched for
// twice the cap).
const (
	crashLoopInitial = 10 * time.Second
	crashLoopMax     = 5 * time.Minute
	crashLoopReset   = 2 * crashLoopMax
)

// kubeletBackoff is the trace invariant kubelet-backoff: a container's
// restarts follow the crash-loop back-off: the first restart may come at
// once, each later one waits at least 10s, 20s, 40s... up to 5 minutes
// after the run before it ended, and a run of 10 minutes starts the
// sequence over (kuberuntime's doBackOff with flowcontrol.Backoff). It is
// judged from the container statuses the kubelet writes; a restart count
// that jumps by more than one (runs too short to be reported) starts the
// sequence over, so the bound stays one the real kubelet meets.
type kubeletBackoff struct {
	runs map[string]*containerRuns // by pod uid/container
}

// containerRuns is what is known of a container's runs.
type containerRuns struct {
	started  time.Time // the latest run's start
	restarts int32
	backoff  time.Duration // the wait the next restart owes; 0: none
}

func newKubeletBackoff() traceCheck { return &kubeletBackoff{runs: map[string]*containerRuns{}} }

func (c *kubeletBackoff) observe(ch sim.Change, ix *index) []error {
	p, ok := ch.Event.Object.(*objects.Pod)
	if !ok {
		return nil
	}
	if ch.Event.Type == storage.Deleted {
		for _, cs := range p.Status.ContainerStatuses {
			delete(c.runs, p.UID+"/"+cs.Name)
		}
		return nil
	}
	if !strings.HasPrefix(ch.Actor, "kubelet/") {
		return nil
	}
	var errs []error
	for _, cs := range p.Status.ContainerStatuses {
		if cs.State.Running == nil {
			continue
		}
		if err := c.noteRun(p, cs); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// noteRun follows a running container: a new start is a restart, judged
// against the back-off it owes.
func (c *kubeletBackoff) noteRun(p *objects.Pod, cs objects.ContainerStatus) error {
	key := p.UID + "/" + cs.Name
	start := cs.State.Running.StartedAt.Time
	r := c.runs[key]
	if r == nil {
		c.runs[key] = &containerRuns{started: start, restarts: cs.RestartCount}
		return nil
	}
	if start.Equal(r.started) {
		return nil
	}
	var err error
	last := cs.LastState.Terminated
	if cs.RestartCount != r.restarts+1 || last == nil {
		r.backoff = 0 // runs went unreported: start the sequence over
	} else {
		finished := last.FinishedAt.Time
		if r.backoff == 0 || finished.Sub(r.started)+time.Second >= crashLoopReset {
			r.backoff = crashLoopInitial
		} else {
			// Status times are in whole seconds, so a gap may read up to 1s short.
			if gap := start.Sub(finished); gap+time.Second <= r.backoff {
				err = fmt.Errorf("pod %s/%s: container %s restarted %v after it exited, before its back-off of %v ended (restart %d)",
					p.Namespace, p.Name, cs.Name, gap, r.backoff, cs.RestartCount)
			}
			r.backoff = min(2*r.backoff, crashLoopMax)
		}
	}
	r.started, r.restarts = start, cs.RestartCount
	return err
}
