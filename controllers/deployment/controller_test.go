package deployment_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	t      *testing.T
	store  *storage.Store
	c      *deployment.Controller
	events []controllers.Event
}

func newEnv(t *testing.T) *env {
	return &env{t: t, store: controllertest.NewStore(t, t0), c: deployment.New()}
}

func ptr[T any](v T) *T { return &v }

// newDeployment returns the tutorial's nginx-deployment: 3 replicas of
// nginx:1.24 labelled app=nginx.
func newDeployment(strategy string) *objects.Deployment {
	return &objects.Deployment{
		TypeMeta:   objects.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "nginx-deployment"},
		Spec: objects.DeploymentSpec{Replicas: ptr(int32(3)), Strategy: objects.DeploymentStrategy{Type: strategy},
			Selector: &objects.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: objects.PodTemplateSpec{ObjectMeta: objects.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
				Spec: objects.PodSpec{Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.24"}}}}},
	}
}

// create stores obj and returns a copy of what was stored, for the test to change.
func (e *env) create(obj objects.Object) objects.Object {
	out, err := e.store.Create(obj)
	require.NoError(e.t, err)
	return out.DeepCopyObject()
}

func (e *env) deployment() *objects.Deployment {
	obj, err := e.store.Get(objects.Key{Kind: "Deployment", Namespace: "default", Name: "nginx-deployment"})
	require.NoError(e.t, err)
	return obj.(*objects.Deployment).DeepCopy()
}

func (e *env) replicaSets() []*objects.ReplicaSet {
	var out []*objects.ReplicaSet
	for _, o := range e.store.List("ReplicaSet", "default", nil) {
		out = append(out, o.(*objects.ReplicaSet).DeepCopy())
	}
	return out
}

// sync reconciles nginx-deployment at now and applies the result.
func (e *env) sync(now time.Time) controllers.Result {
	e.events = nil
	res := e.c.Reconcile(now, e.store, objects.Key{Kind: "Deployment", Namespace: "default", Name: "nginx-deployment"})
	applied := controllertest.Apply(e.store, nil, res)
	require.NoError(e.t, applied.Err)
	e.events = append(e.events, applied.Events...)
	return res
}

// settle gives every ReplicaSet status as if all its pods were available.
func (e *env) settle() {
	for _, rs := range e.replicaSets() {
		n := *rs.Spec.Replicas
		rs.Status = objects.ReplicaSetStatus{Replicas: n, FullyLabeledReplicas: n, ReadyReplicas: n, AvailableReplicas: n, ObservedGeneration: rs.Generation}
		_, err := e.store.UpdateStatus(rs)
		require.NoError(e.t, err)
	}
}

func messages(events []controllers.Event) []string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.Message)
	}
	return out
}

func TestNewDeploymentCreatesHashedReplicaSet(t *testing.T) {
	e := newEnv(t)
	d := e.create(newDeployment("")).(*objects.Deployment)
	e.sync(t0)
	rsList := e.replicaSets()
	require.Len(t, rsList, 1)
	rs := rsList[0]
	hash := deployment.ComputeHash(&d.Spec.Template, nil)
	require.Equal(t, "nginx-deployment-"+hash, rs.Name)
	require.Regexp(t, `^[bcdfghjklmnpqrstvwxz2456789]{1,10}$`, hash)
	require.Equal(t, hash, rs.Labels[objects.DefaultDeploymentUniqueLabelKey])
	require.Equal(t, hash, rs.Spec.Selector.MatchLabels[objects.DefaultDeploymentUniqueLabelKey])
	require.Equal(t, hash, rs.Spec.Template.Labels[objects.DefaultDeploymentUniqueLabelKey])
	require.Equal(t, int32(3), *rs.Spec.Replicas)
	require.Equal(t, map[string]string{deployment.RevisionAnnotation: "1", deployment.DesiredReplicasAnnotation: "3",
		deployment.MaxReplicasAnnotation: "4"}, rs.Annotations)
	require.Equal(t, d.UID, rs.ControllerRef().UID)
	require.Equal(t, []string{"Scaled up replica set " + rs.Name + " from 0 to 3"}, messages(e.events))

	got := e.deployment()
	require.Equal(t, "1", got.Annotations[deployment.RevisionAnnotation])
	require.Equal(t, int64(1), got.Generation, "the revision is written through status: no generation bump")
	progressing := objects.FindDeploymentCondition(got.Status.Conditions, objects.DeploymentProgressing)
	require.Equal(t, deployment.ReasonNewReplicaSetCreated, progressing.Reason)
	require.Equal(t, `Created new replica set "`+rs.Name+`"`, progressing.Message)
	available := objects.FindDeploymentCondition(got.Status.Conditions, objects.DeploymentAvailable)
	require.Equal(t, objects.ConditionFalse, available.Status)
	require.Equal(t, deployment.ReasonMinimumReplicasUnavailable, available.Reason)
	require.Equal(t, int32(3), got.Status.UnavailableReplicas)

	e.settle()
	e.sync(t0.Add(time.Minute))
	got = e.deployment()
	require.Equal(t, int32(3), got.Status.AvailableReplicas)
	require.Equal(t, deployment.ReasonNewReplicaSetAvailable,
		objects.FindDeploymentCondition(got.Status.Conditions, objects.DeploymentProgressing).Reason)
	require.Equal(t, []string{objects.DeploymentAvailable, objects.DeploymentProgressing},
		[]string{got.Status.Conditions[0].Type, got.Status.Conditions[1].Type})
}

func TestRollingUpdateSurgesOneThenScalesDownOld(t *testing.T) {
	e := newEnv(t)
	e.create(newDeployment(""))
	e.sync(t0)
	e.settle()
	e.sync(t0)
	oldName := e.replicaSets()[0].Name

	d := e.deployment()
	d.Spec.Template.Spec.Containers[0].Image = "nginx:1.25"
	_, err := e.store.Update(d)
	require.NoError(t, err)
	e.sync(t0.Add(time.Minute))
	rsList := e.replicaSets()
	require.Len(t, rsList, 2)
	var newRS *objects.ReplicaSet
	for _, rs := range rsList {
		if rs.Name != oldName {
			newRS = rs
		} else {
			require.Equal(t, int32(3), *rs.Spec.Replicas, "nothing is unavailable yet: maxUnavailable rounds 0.75 down to 0")
		}
	}
	require.Equal(t, int32(1), *newRS.Spec.Replicas, "maxSurge rounds 0.75 up to 1")
	require.Equal(t, "2", newRS.Annotations[deployment.RevisionAnnotation])
	require.Equal(t, []string{"Scaled up replica set " + newRS.Name + " from 0 to 1"}, messages(e.events))
	require.Empty(t, deployment.CheckInvariants(e.store))

	e.settle() // the new pod is available
	e.sync(t0.Add(2 * time.Minute))
	require.Equal(t, []string{"Scaled down replica set " + oldName + " from 3 to 2"}, messages(e.events))
}

func TestRecreateScalesOldToZeroBeforeCreatingNew(t *testing.T) {
	e := newEnv(t)
	e.create(newDeployment(objects.RecreateDeploymentStrategyType))
	e.sync(t0)
	e.settle()
	oldName := e.replicaSets()[0].Name
	d := e.deployment()
	d.Spec.Template.Spec.Containers[0].Image = "nginx:1.25"
	_, err := e.store.Update(d)
	require.NoError(t, err)

	e.sync(t0.Add(time.Minute))
	require.Len(t, e.replicaSets(), 1, "no new ReplicaSet while old pods run")
	require.Equal(t, []string{"Scaled down replica set " + oldName + " from 3 to 0"}, messages(e.events))

	e.sync(t0.Add(time.Minute))
	require.Len(t, e.replicaSets(), 1, "the old ReplicaSet still reports replicas")
	e.settle() // its pods are gone: status.replicas 0
	e.sync(t0.Add(2 * time.Minute))
	rsList := e.replicaSets()
	require.Len(t, rsList, 2)
	require.Contains(t, messages(e.events)[0], "from 0 to 3")
}

func TestScalingEventScalesTheOnlyActiveReplicaSet(t *testing.T) {
	e := newEnv(t)
	e.create(newDeployment(""))
	e.sync(t0)
	e.settle()
	d := e.deployment()
	d.Spec.Replicas = ptr(int32(1))
	_, err := e.store.Update(d)
	require.NoError(t, err)
	e.sync(t0.Add(time.Minute))
	rs := e.replicaSets()[0]
	require.Equal(t, int32(1), *rs.Spec.Replicas)
	require.Equal(t, "1", rs.Annotations[deployment.DesiredReplicasAnnotation])
	require.Equal(t, "2", rs.Annotations[deployment.MaxReplicasAnnotation])
	require.Equal(t, []string{"Scaled down replica set " + rs.Name + " from 3 to 1"}, messages(e.events))
}

func TestResolveFenceposts(t *testing.T) {
	pct := func(s string) *objects.IntOrString { v := objects.FromString(s); return &v }
	num := func(i int32) *objects.IntOrString { v := objects.FromInt(i); return &v }
	for _, tc := range []struct {
		surge, unavailable *objects.IntOrString
		desired            int32
		wantS, wantU       int32
	}{
		{pct("25%"), pct("25%"), 3, 1, 0},
		{pct("25%"), pct("25%"), 10, 3, 2},
		{pct("25%"), pct("25%"), 4, 1, 1},
		{num(0), num(0), 5, 0, 1},
		{pct("0%"), pct("10%"), 5, 0, 1}, // 0.5 rounds down to 0: both zero
		{num(2), nil, 5, 2, 0},
	} {
		s, u := deployment.ResolveFenceposts(tc.surge, tc.unavailable, tc.desired)
		require.Equal(t, [2]int32{tc.wantS, tc.wantU}, [2]int32{s, u}, "%v %v %d", tc.surge, tc.unavailable, tc.desired)
	}
}

func TestSafeEncodeString(t *testing.T) {
	require.Equal(t, "456789bcdf", deployment.SafeEncodeString("0123456789"))
}

func TestCheckInvariantsReportsTooManyPods(t *testing.T) {
	e := newEnv(t)
	e.create(newDeployment(""))
	e.sync(t0)
	e.settle()
	e.sync(t0)
	require.Empty(t, deployment.CheckInvariants(e.store))
	rs := e.replicaSets()[0]
	yes := true
	owned := func(name string) *objects.Pod {
		return &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name, OwnerReferences: []objects.OwnerReference{
				{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &yes}}},
			Spec: objects.PodSpec{Containers: []objects.Container{{Name: "c", Image: "nginx:1.24"}}}}
	}
	// Adopted bare pods are not counted: the ReplicaSet deletes the
	// surplus once its view holds its adoption.
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		e.create(owned(name))
	}
	require.Empty(t, deployment.CheckInvariants(e.store))
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		e.create(owned(rs.Name + "-" + name))
	}
	errs := deployment.CheckInvariants(e.store)
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Error(), "5 active pods, more than replicas+maxSurge=4")
}

// A deleted pod syncs its Deployment only as upstream's deletePod does:
// when the Deployment recreates and none of its pods is left. A rolling
// Deployment hears of it from its ReplicaSet's status instead.
func TestDeletedPodSyncsARecreateDeploymentWithNoPodsLeft(t *testing.T) {
	for _, strategy := range []string{objects.RecreateDeploymentStrategyType, objects.RollingUpdateDeploymentStrategyType} {
		t.Run(strategy, func(t *testing.T) {
			e := newEnv(t)
			e.create(newDeployment(strategy))
			e.sync(t0)
			rs := e.replicaSets()[0]
			yes := true
			pod := func(name string) *objects.Pod {
				return e.create(&objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
					ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{"app": "nginx"},
						OwnerReferences: []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &yes}}},
					Spec: objects.PodSpec{Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.24"}}}}).(*objects.Pod)
			}
			a, b := pod("a"), pod("b")
			deleted := func(p *objects.Pod) []objects.Key {
				_, err := e.store.Delete(objects.KeyOf(p), storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
				require.NoError(t, err)
				return e.c.KeysFor(storage.WatchEvent{Type: storage.Deleted, Object: p}, e.store)
			}
			require.Empty(t, deleted(a), "b is left")
			want := []objects.Key{{Kind: "Deployment", Namespace: "default", Name: "nginx-deployment"}}
			if strategy != objects.RecreateDeploymentStrategyType {
				want = nil
			}
			require.Equal(t, want, deleted(b))
		})
	}
}
