package replicaset_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/replicaset"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// env is a store with namespace default and a ReplicaSet controller.
type env struct {
	t      *testing.T
	store  *storage.Store
	c      *replicaset.Controller
	events []controllers.Event
}

func newEnv(t *testing.T) *env {
	return &env{t: t, store: controllertest.NewStore(t, t0), c: replicaset.New()}
}

func ptr[T any](v T) *T { return &v }

// newRS stores ReplicaSet "web" selecting app=web.
func (e *env) newRS(replicas int32, minReady int32) *objects.ReplicaSet {
	rs := &objects.ReplicaSet{
		TypeMeta:   objects.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: objects.ReplicaSetSpec{Replicas: ptr(replicas), MinReadySeconds: minReady,
			Selector: &objects.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: objects.PodTemplateSpec{ObjectMeta: objects.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: objects.PodSpec{Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.24"}}}}},
	}
	out, err := e.store.Create(rs)
	require.NoError(e.t, err)
	return out.(*objects.ReplicaSet).DeepCopy()
}

// addPod stores a pod named name with labels app=web, owned by rs unless
// rs is nil, on node (unscheduled when ""), ready since readySince (not
// ready when zero).
func (e *env) addPod(rs *objects.ReplicaSet, name, node string, readySince time.Time) *objects.Pod {
	p := &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{"app": "web"}},
		Spec:       objects.PodSpec{NodeName: node, Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.24"}}}}
	if rs != nil {
		yes := true
		p.OwnerReferences = []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &yes}}
	}
	out, err := e.store.Create(p)
	require.NoError(e.t, err)
	p = out.(*objects.Pod).DeepCopy()
	if node != "" {
		p.Status.Phase = objects.PodRunning
		status := objects.ConditionFalse
		if !readySince.IsZero() {
			status = objects.ConditionTrue
		}
		p.Status.Conditions = []objects.PodCondition{{Type: objects.PodReady, Status: status, LastTransitionTime: objects.NewTime(readySince)}}
		out, err = e.store.UpdateStatus(p)
		require.NoError(e.t, err)
	}
	return out.(*objects.Pod).DeepCopy()
}

// sync reconciles "web" at now and applies the result.
func (e *env) sync(now time.Time) controllers.Result {
	res := e.c.Reconcile(now, e.store, objects.Key{Kind: "ReplicaSet", Namespace: "default", Name: "web"})
	applied := controllertest.Apply(e.store, nil, res)
	require.NoError(e.t, applied.Err)
	e.events = append(e.events, applied.Events...)
	return res
}

func (e *env) rs() *objects.ReplicaSet {
	obj, err := e.store.Get(objects.Key{Kind: "ReplicaSet", Namespace: "default", Name: "web"})
	require.NoError(e.t, err)
	return obj.(*objects.ReplicaSet).DeepCopy()
}

func (e *env) pods() []*objects.Pod {
	var out []*objects.Pod
	for _, o := range e.store.List("Pod", "default", nil) {
		out = append(out, o.(*objects.Pod).DeepCopy())
	}
	return out
}

func TestCreatesMissingPodsFromTemplate(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(3, 0)
	e.sync(t0)
	pods := e.pods()
	require.Len(t, pods, 3)
	for i, p := range pods {
		require.True(t, strings.HasPrefix(p.Name, "web-"), p.Name)
		require.Len(t, p.Name, len("web-")+5)
		require.Equal(t, "web-", p.GenerateName)
		require.Equal(t, map[string]string{"app": "web"}, p.Labels)
		ref := p.ControllerRef()
		require.NotNil(t, ref)
		require.Equal(t, rs.UID, ref.UID)
		require.Equal(t, "ReplicaSet", ref.Kind)
		require.Equal(t, replicaset.ReasonSuccessfulCreate, e.events[i].Reason)
	}
	var msgs []string
	for _, ev := range e.events {
		msgs = append(msgs, ev.Message)
	}
	for _, p := range pods {
		require.Contains(t, msgs, "Created pod: "+p.Name)
	}
	// The status counts the pods of the view the sync started from.
	require.Equal(t, int64(1), e.rs().Status.ObservedGeneration)
	require.Equal(t, int32(0), e.rs().Status.Replicas)
	e.sync(t0)
	require.Equal(t, int32(3), e.rs().Status.Replicas)
	require.Len(t, e.pods(), 3, "a second sync creates nothing more")
}

func TestDeletesUnscheduledThenNotReadyFirst(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(1, 0)
	e.addPod(rs, "ready-old", "node1", t0.Add(-time.Hour))
	e.addPod(rs, "not-ready", "node1", time.Time{})
	e.addPod(rs, "unscheduled", "", time.Time{})
	e.sync(t0)
	var left []string
	for _, p := range e.pods() {
		if p.DeletionTimestamp == nil {
			left = append(left, p.Name)
		}
	}
	require.Equal(t, []string{"ready-old"}, left)
	require.Equal(t, "Deleted pod: unscheduled", e.events[0].Message)
	require.Equal(t, "Deleted pod: not-ready", e.events[1].Message)
	require.Equal(t, replicaset.ReasonSuccessfulDelete, e.events[1].Reason)
}

func TestPodsToDeletePrefersDoubledUpAndRecentlyReady(t *testing.T) {
	now := t0
	mk := func(name, node string, readyAgo time.Duration) *objects.Pod {
		return &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: name, UID: name},
			Spec: objects.PodSpec{NodeName: node},
			Status: objects.PodStatus{Phase: objects.PodRunning, Conditions: []objects.PodCondition{
				{Type: objects.PodReady, Status: objects.ConditionTrue, LastTransitionTime: objects.NewTime(now.Add(-readyAgo))}}}}
	}
	alone := mk("alone", "n2", time.Minute)
	doubledOld := mk("doubled-old", "n1", time.Hour)
	doubledNew := mk("doubled-new", "n1", time.Minute)
	pods := []*objects.Pod{alone, doubledOld, doubledNew}
	got := replicaset.PodsToDelete(pods, pods, 2, now)
	// Pods sharing a node go first; among them, the one ready for less
	// time (a smaller power of two) first.
	require.Equal(t, []string{"doubled-new", "doubled-old"}, []string{got[0].Name, got[1].Name})
}

func TestAvailabilityWaitsForMinReadySeconds(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(1, 10)
	e.addPod(rs, "web-a", "node1", t0.Add(-4*time.Second))
	res := e.sync(t0)
	st := e.rs().Status
	require.Equal(t, int32(1), st.ReadyReplicas)
	require.Equal(t, int32(0), st.AvailableReplicas)
	require.Equal(t, 6*time.Second+time.Nanosecond, res.RequeueAfter)
	e.sync(t0.Add(res.RequeueAfter))
	require.Equal(t, int32(1), e.rs().Status.AvailableReplicas)
}

func TestAdoptsMatchingOrphan(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(1, 0)
	e.addPod(nil, "orphan", "node1", t0)
	e.sync(t0)
	pods := e.pods()
	require.Len(t, pods, 1, "the adopted orphan counts as the one replica")
	require.Equal(t, rs.UID, pods[0].ControllerRef().UID)
}

func TestKeysForMapsOwnedPodToItsReplicaSet(t *testing.T) {
	e := newEnv(t)
	rs := e.newRS(1, 0)
	p := e.addPod(rs, "web-a", "node1", t0)
	keys := e.c.KeysFor(storage.WatchEvent{Type: storage.Modified, Object: p}, e.store)
	require.Equal(t, []objects.Key{objects.KeyOf(rs)}, keys)
}
