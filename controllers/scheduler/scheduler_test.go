package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/scheduler"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// world is a store with the default namespace and some nodes, and a
// scheduler that has seen every change.
type world struct {
	t     *testing.T
	store *storage.Store
	s     *scheduler.Scheduler
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, store: controllertest.NewStore(t, t0), s: scheduler.New()}
	w.feed()
	return w
}

func (w *world) create(obj objects.Object) objects.Object {
	w.t.Helper()
	out, err := w.store.Create(obj)
	require.NoError(w.t, err)
	w.feed()
	return out.DeepCopyObject()
}

// feed hands every pending watch event to the scheduler, as the loop does.
func (w *world) feed() {
	controllertest.Feed(w.store, w.s)
}

func (w *world) node(name, cpu string, labels map[string]string, taints ...objects.Taint) {
	w.t.Helper()
	res := objects.ResourceList{objects.ResourceCPU: objects.MustParseQuantity(cpu),
		objects.ResourceMemory: objects.MustParseQuantity("4Gi"), objects.ResourcePods: objects.MustParseQuantity("110")}
	n := w.create(&objects.Node{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: objects.ObjectMeta{Name: name, Labels: labels},
		Spec:       objects.NodeSpec{Taints: taints}}).(*objects.Node)
	n.Status = objects.NodeStatus{Capacity: res, Allocatable: res,
		Conditions: []objects.NodeCondition{{Type: objects.NodeReady, Status: objects.ConditionTrue}}}
	_, err := w.store.UpdateStatus(n)
	require.NoError(w.t, err)
	w.feed()
}

func (w *world) pod(name, cpu string, nodeSelector map[string]string) objects.Key {
	w.t.Helper()
	c := objects.Container{Name: "c", Image: "nginx"}
	if cpu != "" {
		c.Resources.Requests = objects.ResourceList{objects.ResourceCPU: objects.MustParseQuantity(cpu)}
	}
	p := w.create(&objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec:       objects.PodSpec{Containers: []objects.Container{c}, NodeSelector: nodeSelector}})
	return objects.KeyOf(p)
}

// schedule reconciles key and applies a Bind the way the loop would.
func (w *world) schedule(key objects.Key) (string, controllers.Result) {
	w.t.Helper()
	res := w.s.Reconcile(t0, w.store, key)
	for _, a := range res.Actions {
		if a.Verb == controllers.Bind {
			_, err := controllers.Perform(w.store, a)
			require.NoError(w.t, err)
			w.feed()
			return a.NodeName, res
		}
	}
	return "", res
}

func TestSpreadsPodsByCountThenName(t *testing.T) {
	w := newWorld(t)
	w.node("b", "4", nil)
	w.node("a", "4", nil)
	var got []string
	for _, name := range []string{"p1", "p2", "p3", "p4"} {
		node, _ := w.schedule(w.pod(name, "", nil))
		got = append(got, node)
	}
	assert.Equal(t, []string{"a", "b", "a", "b"}, got)
}

func TestBindEmitsScheduledEvent(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "4", nil)
	key := w.pod("web", "", nil)
	res := w.s.Reconcile(t0, w.store, key)
	require.Len(t, res.Actions, 1)
	a := res.Actions[0]
	assert.Equal(t, controllers.Bind, a.Verb)
	written, err := controllers.Perform(w.store, a)
	require.NoError(t, err)
	evs := a.Then(written, nil)
	require.Len(t, evs, 1)
	assert.Equal(t, "Scheduled", evs[0].Reason)
	assert.Equal(t, "Successfully assigned default/web to n1", evs[0].Message)
}

func TestFiltersTaintsSelectorsAndResources(t *testing.T) {
	w := newWorld(t)
	w.node("master", "4", map[string]string{"disk": "ssd"},
		objects.Taint{Key: objects.TaintControlPlane, Effect: objects.TaintNoSchedule})
	w.node("small", "1", map[string]string{"disk": "ssd"})
	w.node("hdd", "4", map[string]string{"disk": "hdd"})

	node, _ := w.schedule(w.pod("fits-hdd", "2", nil))
	assert.Equal(t, "hdd", node, "small lacks cpu, master is tainted")

	node, res := w.schedule(w.pod("wants-ssd", "2", map[string]string{"disk": "ssd"}))
	assert.Empty(t, node)
	require.Len(t, res.Events, 1)
	assert.Equal(t, "FailedScheduling", res.Events[0].Reason)
	assert.Equal(t, "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, "+
		"1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "+
		"1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.", res.Events[0].Message)
	assert.Equal(t, 5*time.Minute, res.RequeueAfter)
}

func TestTolerationLetsPodOntoTaintedNode(t *testing.T) {
	w := newWorld(t)
	w.node("master", "4", nil, objects.Taint{Key: objects.TaintControlPlane, Effect: objects.TaintNoSchedule})
	p := &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: "tolerant", Namespace: "default"},
		Spec: objects.PodSpec{Containers: []objects.Container{{Name: "c", Image: "nginx"}},
			Tolerations: []objects.Toleration{{Key: objects.TaintControlPlane, Operator: "Exists", Effect: objects.TaintNoSchedule}}}}
	key := objects.KeyOf(w.create(p))
	node, _ := w.schedule(key)
	assert.Equal(t, "master", node)
}

func TestUnschedulablePodIsRetriedWhenRoomAppears(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "1", nil)
	hog := w.pod("hog", "1", nil)
	node, _ := w.schedule(hog)
	require.Equal(t, "n1", node)
	waiting := w.pod("waiting", "1", nil)
	node, _ = w.schedule(waiting)
	require.Empty(t, node)

	zero := int64(0)
	_, err := w.store.Delete(hog, storage.DeleteOptions{GracePeriodSeconds: &zero})
	require.NoError(t, err)
	retried := controllertest.Feed(w.store, w.s)
	assert.Contains(t, retried, waiting, "a departing pod frees room, so the waiting pod is tried again")
}

// A pod that fails again as it failed last time gets its FailedScheduling
// event, but no status write: its PodScheduled condition already says so
// (upstream writes the condition only when it changes).
func TestRetryThatFailsAlikeWritesNothing(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "1", nil)
	key := w.pod("big", "2", nil)
	res := w.s.Reconcile(t0, w.store, key)
	require.Len(t, res.Actions, 1)
	require.Equal(t, controllers.UpdateStatus, res.Actions[0].Verb)
	_, err := controllers.Perform(w.store, res.Actions[0])
	require.NoError(t, err)
	w.feed()

	again := w.s.Reconcile(t0.Add(time.Minute), w.store, key)
	assert.Empty(t, again.Actions, "the condition is as the last attempt left it")
	require.Len(t, again.Events, 1)
	assert.Equal(t, res.Events[0].Message, again.Events[0].Message)

	w.node("n2", "1", nil) // another node that does not fit: a new message
	third := w.s.Reconcile(t0.Add(2*time.Minute), w.store, key)
	require.Len(t, third.Actions, 1, "a different reason is written")
	cond := third.Actions[0].Object.(*objects.Pod).Status.Conditions[0]
	assert.Contains(t, cond.Message, "0/2 nodes are available")
	assert.Equal(t, t0, cond.LastTransitionTime.Time, "still False: the transition time stays")
}

// A pod that fits nowhere is moved to be tried again once per failed
// attempt, by the first change that may free room, and no sooner than its
// backoff allows: 1s after its first failed attempt, doubling up to 10s, as
// upstream's scheduling queue does. Its own status write moves nothing.
func TestUnschedulablePodBacksOff(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "1", nil)
	waiting := w.pod("waiting", "2", nil) // never fits
	leave := func(name string) []objects.Key {
		t.Helper()
		key := w.pod(name, "", nil)
		node, _ := w.schedule(key)
		require.Equal(t, "n1", node)
		_, err := w.store.Delete(key, storage.DeleteOptions{GracePeriodSeconds: new(int64)})
		require.NoError(t, err)
		return controllertest.Feed(w.store, w.s)
	}

	var got []time.Duration
	at := t0
	for attempt := 1; attempt <= 6; attempt++ {
		res := w.s.Reconcile(at, w.store, waiting)
		require.Len(t, res.Events, 1, "FailedScheduling")
		for _, a := range res.Actions { // the PodScheduled condition, the first time
			_, err := controllers.Perform(w.store, a)
			require.NoError(t, err)
		}
		assert.NotContains(t, controllertest.Feed(w.store, w.s), waiting, "its own status write does not move it")

		assert.Contains(t, leave(fmt.Sprintf("a-%d", attempt)), waiting, "a departure moves it")
		got = append(got, w.s.NotBefore(storage.WatchEvent{}, waiting).Sub(at))
		assert.NotContains(t, leave(fmt.Sprintf("b-%d", attempt)), waiting, "moved already: not again before its attempt")
		at = at.Add(30 * time.Second)
	}
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		10 * time.Second, 10 * time.Second}, got)
}

// Attempts that fail on the same number of nodes for other reasons get
// their own messages: the scheduler reuses the last message only when
// every reason's count is the same.
func TestFailuresOnAsManyNodesForOtherReasonsGetTheirOwnMessage(t *testing.T) {
	w := newWorld(t)
	w.node("a", "1", map[string]string{"disk": "ssd"})
	w.node("b", "1", map[string]string{"disk": "hdd"})
	message := func(name, cpu string, selector map[string]string) string {
		t.Helper()
		node, res := w.schedule(w.pod(name, cpu, selector))
		require.Empty(t, node)
		require.Len(t, res.Events, 1)
		return res.Events[0].Message
	}
	const post = ". preemption: 0/2 nodes are available: "
	assert.Equal(t, "0/2 nodes are available: 2 Insufficient cpu"+post+
		"2 No preemption victims found for incoming pod.", message("big", "2", nil))
	assert.Equal(t, "0/2 nodes are available: 2 Insufficient cpu"+post+
		"2 No preemption victims found for incoming pod.", message("big-too", "2", nil))
	assert.Equal(t, "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector"+post+
		"1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
		message("big-ssd", "2", map[string]string{"disk": "ssd"}))
	assert.Equal(t, "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector"+post+
		"1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
		message("big-hdd", "2", map[string]string{"disk": "hdd"}))
	assert.Equal(t, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector"+post+
		"2 Preemption is not helpful for scheduling.", message("nvme", "", map[string]string{"disk": "nvme"}))
}
