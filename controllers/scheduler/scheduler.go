package scheduler

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the scheduler's name, as pods' spec.schedulerName and events' source spell it.
const Name = "default-scheduler"

// Event reasons, as upstream records them.
const (
	ReasonScheduled        = "Scheduled"
	ReasonFailedScheduling = "FailedScheduling"
	// The actions of the scheduler's events (events.k8s.io/v1): a failed
	// attempt is Scheduling, a binding Binding.
	ActionScheduling = "Scheduling"
	ActionBinding    = "Binding"
	// ReasonUnschedulable is the PodScheduled condition's reason for a pod that fits nowhere.
	ReasonUnschedulable = "Unschedulable"
)

// unschedulableRetry is how long a pod that fit nowhere waits before it is
// tried again without any cluster change (upstream's
// podMaxInUnschedulablePodsDuration).
const unschedulableRetry = 5 * time.Minute

// A pod that failed is tried again, after a cluster change that may let it
// fit, no sooner than its backoff allows: a second after its first failed
// attempt, doubling with each attempt up to ten seconds (upstream's
// podInitialBackoffDuration and podMaxBackoffDuration).
const (
	podInitialBackoff = time.Second
	podMaxBackoff     = 10 * time.Second
)

// backoff is upstream's calculateBackoffDuration for a pod that has failed
// attempts times.
func backoff(attempts int) time.Duration {
	d := podInitialBackoff
	for i := 1; i < attempts; i++ {
		if d > podMaxBackoff-d {
			return podMaxBackoff
		}
		d += d
	}
	return d
}

// waiting is an unschedulable pod's place in the scheduling queue: how
// many attempts have failed, when the last did, and whether a cluster
// change has since moved it to be tried again (upstream's unschedulablePods,
// whence a move sends a pod to the backoff or active queue).
type waiting struct {
	attempts int
	last     time.Time
	moved    bool
}

// Scheduler binds pending pods to nodes. Not safe for concurrent use.
type Scheduler struct {
	keys controllers.KeyBuffer // KeysFor's
	// unschedulable holds pods that fit nowhere at their last attempt; a
	// change that may free room moves them to be tried again, once each
	// until that attempt, after their backoff.
	unschedulable map[objects.Key]*waiting
	// unmoved lists the unschedulable pods a change would move (some
	// perhaps moved, scheduled or gone since), so that a pod leaving walks
	// those rather than every waiting pod.
	unmoved []objects.Key
	// cache is what each node's bound pods ask for, kept up to date from
	// watch events as kube-scheduler's cache is, so scheduling one pod does
	// not list every pod, and charged with each pod the scheduler binds as
	// soon as it decides (AssumePod), before its informer shows it. A
	// controller that misses events drifts, as the real one would.
	cache *cache
	// nodes, fit and said are scratch reused by every attempt, so that a
	// pod tried again after each change that may free room costs no
	// allocations for what it reads and how it failed: the node list, the
	// failure counts, and the message of the last failure, which the next
	// attempt reuses when its counts are the same.
	nodes      []objects.Object
	appendNode func(objects.Object) bool
	fit        failures
	said       struct {
		fit     failures
		nodes   int
		message string
	}
}

var (
	_ controllers.Controller = (*Scheduler)(nil)
	_ controllers.Placed     = (*Scheduler)(nil)
	_ controllers.Deferrer   = (*Scheduler)(nil)
)

// New returns a scheduler with nothing pending.
func New() *Scheduler {
	s := &Scheduler{unschedulable: map[objects.Key]*waiting{}, cache: newCache()}
	s.appendNode = func(obj objects.Object) bool {
		s.nodes = append(s.nodes, obj)
		return true
	}
	return s
}

// Name returns "default-scheduler".
func (s *Scheduler) Name() string { return Name }

// Component returns controllers.Scheduler: the scheduler keeps running when
// the controller manager is down.
func (s *Scheduler) Component() string { return controllers.Scheduler }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the scheduler watches Pods, Nodes and the claims pods wait for.
func (*Scheduler) WatchedKinds() []string { return watchedScheduler }

var watchedScheduler = []string{"Pod", "Node", "PersistentVolumeClaim"}

// KeysFor returns the pod itself when it waits for a node, and every pod
// that did not fit when a node changes or a pod's departure frees room. An
// unschedulable pod is moved once until it is tried again, and a change
// of its status alone (the scheduler's own condition) does not move it,
// as upstream's scheduling queue ignores such an update (isPodUpdated).
func (s *Scheduler) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.Pod:
		s.cache.observe(ev.Type, obj)
		if ev.Type != storage.Deleted && needsScheduling(obj) {
			key := objects.KeyOf(obj)
			if w := s.unschedulable[key]; w != nil {
				if old, ok := ev.Old.(*objects.Pod); w.moved || ok && !podUpdated(old, obj) {
					return nil
				}
				w.moved = true
			}
			return s.keys.One(key)
		}
		if ev.Type == storage.Deleted || isTerminal(obj) {
			return s.retryKeys()
		}
	case *objects.Node, *objects.PersistentVolumeClaim:
		return s.retryKeys()
	}
	return nil
}

// NotBefore is when a moved pod may be tried again: once its backoff since
// its last failed attempt has passed (controllers.Deferrer). Other keys
// may be tried at once.
func (s *Scheduler) NotBefore(_ storage.WatchEvent, key objects.Key) time.Time {
	if w := s.unschedulable[key]; w != nil {
		return w.last.Add(backoff(w.attempts))
	}
	return time.Time{}
}

// retryKeys moves the unschedulable pods not moved yet, and lists them in
// key order.
func (s *Scheduler) retryKeys() []objects.Key {
	keys := s.keys.Empty()
	for _, k := range s.unmoved {
		if w := s.unschedulable[k]; w != nil && !w.moved {
			w.moved = true
			keys = append(keys, k)
		}
	}
	s.unmoved = s.unmoved[:0]
	slices.SortFunc(keys, objects.Key.Compare)
	return s.keys.Keep(keys)
}

// podUpdated is upstream's isPodUpdated: the pods differ in more than
// their status, resourceVersion, generation and finalizers.
func podUpdated(old, cur *objects.Pod) bool {
	if !reflect.DeepEqual(&old.Spec, &cur.Spec) {
		return true
	}
	om, cm := old.ObjectMeta, cur.ObjectMeta
	om.ResourceVersion, cm.ResourceVersion = "", ""
	om.Generation, cm.Generation = 0, 0
	om.Finalizers, cm.Finalizers = nil, nil
	// The label and annotation maps are compared as DeepEqual would
	// (nil differs from empty), without reflect's copy of every key and
	// value: a pod's versions seldom share their maps.
	if !sameMap(om.Labels, cm.Labels) || !sameMap(om.Annotations, cm.Annotations) {
		return true
	}
	om.Labels, cm.Labels = nil, nil
	om.Annotations, cm.Annotations = nil, nil
	return !reflect.DeepEqual(&om, &cm)
}

// sameMap is reflect.DeepEqual for string maps.
func sameMap(a, b map[string]string) bool {
	return (a == nil) == (b == nil) && maps.Equal(a, b)
}

// Reconcile binds the pod at key to the best node, or reports why none fits.
func (s *Scheduler) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		delete(s.unschedulable, key)
		return controllers.Result{}
	}
	pod := obj.(*objects.Pod)
	if !needsScheduling(pod) || s.cache.assumedBound(key) {
		delete(s.unschedulable, key)
		return controllers.Result{}
	}
	// An assumed pod whose binding was never written (a crash lost it) is
	// scheduled again, its old assumption first dropped.
	s.cache.forgetAssumed(key)
	s.nodes = s.nodes[:0]
	r.Scan("Node", "", s.appendNode)
	nodes := s.nodes
	defer clear(nodes) // no node kept alive by the scratch
	if reason := claimsBlocking(r, pod); reason != "" {
		s.failed(key, now)
		return unschedulable(now, pod, preFilterMessage(reason, len(nodes)))
	}
	best := choose(pod, nodes, s.cache.nodes, &s.fit)
	if best == "" {
		s.failed(key, now)
		return unschedulable(now, pod, s.fitMessage(len(nodes)))
	}
	delete(s.unschedulable, key)
	s.cache.assume(pod, best)
	return controllers.Result{Actions: []controllers.Action{{
		Verb: controllers.Bind, Key: key, NodeName: best,
		Then: func(_ objects.Object, err error) []controllers.Event {
			if err != nil {
				s.cache.forgetAssumed(key)
				return []controllers.Event{scheduling(controllers.Warning(pod, ReasonFailedScheduling,
					fmt.Sprintf("Binding rejected: %v", err)))}
			}
			s.cache.bound(key)
			scheduled := controllers.Normal(pod, ReasonScheduled,
				fmt.Sprintf("Successfully assigned %s/%s to %s", pod.Namespace, pod.Name, best))
			scheduled.Action = ActionBinding
			return []controllers.Event{scheduled}
		},
	}}}
}

// failed records a failed attempt to schedule the pod at key at now: it
// waits, unmoved, for a change that may let it fit.
func (s *Scheduler) failed(key objects.Key, now time.Time) {
	w := s.unschedulable[key]
	if w == nil {
		w = &waiting{moved: true}
		s.unschedulable[key] = w
	}
	if w.moved {
		s.unmoved = append(s.unmoved, key)
	}
	w.attempts++
	w.last, w.moved = now, false
}

// scheduling marks ev as the scheduler records a failure: action Scheduling.
func scheduling(ev controllers.Event) controllers.Event {
	ev.Action = ActionScheduling
	return ev
}

// unschedulable records why pod fits nowhere: the PodScheduled condition and
// a FailedScheduling event, and asks to try again later.
func unschedulable(now time.Time, pod *objects.Pod, message string) controllers.Result {
	res := controllers.Result{
		Events:       []controllers.Event{scheduling(controllers.Warning(pod, ReasonFailedScheduling, message))},
		RequeueAfter: unschedulableRetry,
	}
	cond := objects.PodCondition{Type: objects.PodScheduled, Status: objects.ConditionFalse,
		Reason: ReasonUnschedulable, Message: message, LastTransitionTime: objects.NewTime(now)}
	if !conditionChanges(&pod.Status, cond) {
		return res // a retry that fails as the last one did: nothing to write, nothing to copy
	}
	// A new version sharing all but its conditions with the stored one
	// (the store never changes a stored object, nor one it is given), as
	// the kubelet writes its status: a deep copy of the whole pod was a
	// tenth of what a waiting pod allocated.
	updated := new(objects.Pod)
	*updated = *pod
	updated.Status.Conditions = slices.Clone(pod.Status.Conditions)
	setCondition(&updated.Status, cond)
	res.Actions = append(res.Actions, controllers.Action{Verb: controllers.UpdateStatus, Object: updated})
	return res
}

// conditionChanges reports whether setting cond on status would change it:
// a condition of its type with another status, reason or message, or none.
func conditionChanges(status *objects.PodStatus, cond objects.PodCondition) bool {
	for _, c := range status.Conditions {
		if c.Type == cond.Type {
			return c.Status != cond.Status || c.Reason != cond.Reason || c.Message != cond.Message
		}
	}
	return true
}

// setCondition sets cond on status (which conditionChanges said it
// changes), keeping the transition time when the status stays the same.
func setCondition(status *objects.PodStatus, cond objects.PodCondition) {
	for i, c := range status.Conditions {
		if c.Type != cond.Type {
			continue
		}
		if c.Status == cond.Status {
			cond.LastTransitionTime = c.LastTransitionTime
		}
		status.Conditions[i] = cond
		return
	}
	status.Conditions = append(status.Conditions, cond)
}

// needsScheduling reports whether pod waits for this scheduler.
func needsScheduling(pod *objects.Pod) bool {
	return pod.Spec.NodeName == "" && pod.DeletionTimestamp == nil && !isTerminal(pod) &&
		(pod.Spec.SchedulerName == "" || pod.Spec.SchedulerName == Name)
}

func isTerminal(pod *objects.Pod) bool {
	return pod.Status.Phase == objects.PodSucceeded || pod.Status.Phase == objects.PodFailed
}

// choose returns the best node for pod, or "" with fails counting the
// reasons nodes failed.
func choose(pod *objects.Pod, nodes []objects.Object, usage map[string]*nodeLoad, fails *failures) string {
	fails.reset()
	cpu, mem := podRequests(pod)
	var reasons [maxReasons]filterReason
	var empty nodeLoad
	best, bestPods := "", 0
	for _, obj := range nodes {
		node := obj.(*objects.Node)
		load := usage[node.Name]
		if load == nil {
			load = &empty
		}
		if failed := filter(pod, cpu, mem, node, load, reasons[:0]); len(failed) > 0 {
			fails.add(failed)
			continue
		}
		// Nodes come in name order, so ties keep the first name.
		if best == "" || load.pods < bestPods {
			best, bestPods = node.Name, load.pods
		}
	}
	return best
}

// fitMessage is the message of the attempt whose failures s.fit counts on
// a cluster of nodes nodes: the last message when the counts are the same
// as its attempt's.
func (s *Scheduler) fitMessage(nodes int) string {
	if s.said.message != "" && s.said.nodes == nodes && s.said.fit.equal(&s.fit) {
		return s.said.message
	}
	s.said.fit.set(&s.fit)
	s.said.nodes, s.said.message = nodes, s.fit.message(nodes)
	return s.said.message
}

// failures counts, per reason, how many nodes failed with it (in the order
// the reasons were first met), and how many of those failed only for
// reasons preemption could cure.
type failures struct {
	counts     []reasonCount
	preemptive int // nodes where evicting pods could make room
	hopeless   int // nodes where it could not
}

type reasonCount struct {
	reason filterReason
	nodes  int
}

func (f *failures) reset() {
	f.counts = f.counts[:0]
	f.preemptive, f.hopeless = 0, 0
}

func (f *failures) add(reasons []filterReason) {
	curable := true
	for _, r := range reasons {
		f.count(r)
		curable = curable && r.resource()
	}
	if curable {
		f.preemptive++
	} else {
		f.hopeless++
	}
}

func (f *failures) count(r filterReason) {
	for i := range f.counts {
		if f.counts[i].reason == r {
			f.counts[i].nodes++
			return
		}
	}
	f.counts = append(f.counts, reasonCount{reason: r, nodes: 1})
}

func (f *failures) equal(g *failures) bool {
	return f.preemptive == g.preemptive && f.hopeless == g.hopeless && slices.Equal(f.counts, g.counts)
}

// set makes f count what g does, in f's own storage.
func (f *failures) set(g *failures) {
	f.counts = append(f.counts[:0], g.counts...)
	f.preemptive, f.hopeless = g.preemptive, g.hopeless
}

// message builds upstream's FitError text with its preemption postscript:
// "0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2
// Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not
// helpful for scheduling, 2 No preemption victims found for incoming pod."
func (f *failures) message(nodes int) string {
	if nodes == 0 {
		return "no nodes available to schedule pods"
	}
	reasons := make([]string, 0, len(f.counts))
	for _, c := range f.counts {
		reasons = append(reasons, strconv.Itoa(c.nodes)+" "+c.reason.text())
	}
	sort.Strings(reasons)
	total := strconv.Itoa(nodes)
	var post []string
	if f.hopeless > 0 {
		post = append(post, strconv.Itoa(f.hopeless)+" Preemption is not helpful for scheduling")
	}
	if f.preemptive > 0 {
		post = append(post, strconv.Itoa(f.preemptive)+" No preemption victims found for incoming pod")
	}
	sort.Strings(post)
	return "0/" + total + " nodes are available: " + strings.Join(reasons, ", ") + ". preemption: 0/" + total +
		" nodes are available: " + strings.Join(post, ", ") + "."
}
