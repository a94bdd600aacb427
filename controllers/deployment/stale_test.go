package deployment_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// orphanRS stores a ReplicaSet without owner that the tutorial
// Deployment's selector matches.
func (e *env) orphanRS(d *objects.Deployment, replicas int32) *objects.ReplicaSet {
	rs := &objects.ReplicaSet{
		TypeMeta:   objects.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "orphan", Labels: map[string]string{"app": "nginx"}},
		Spec: objects.ReplicaSetSpec{Replicas: ptr(replicas), Selector: d.Spec.Selector.DeepCopy(),
			Template: *d.Spec.Template.DeepCopy()},
	}
	return e.create(rs).(*objects.ReplicaSet)
}

// A Deployment reading a stale view — one where a ReplicaSet is still an
// orphan though another controller has since adopted it — must not take
// it: its adoption carries the version it read, and the store refuses it
// with a Conflict rather than overwrite the other controller's reference.
func TestStaleDeploymentCannotAdoptAnAdoptedReplicaSet(t *testing.T) {
	e := newEnv(t)
	d := e.create(newDeployment(objects.RollingUpdateDeploymentStrategyType)).(*objects.Deployment)
	rs := e.orphanRS(d, 3)
	stale := e.store.Snapshot()
	e.store.DrainEvents()

	yes := true
	rs.OwnerReferences = []objects.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "other",
		UID: "other-uid", Controller: &yes}}
	_, err := e.store.Update(rs)
	require.NoError(t, err)
	e.store.DrainEvents()

	res := deployment.New().Reconcile(t0, stale, objects.KeyOf(d))
	require.NotEmpty(t, res.Actions)
	first := res.Actions[0]
	require.Equal(t, controllers.Update, first.Verb)
	require.Equal(t, "orphan", first.Object.GetObjectMeta().Name)
	assert.NotEmpty(t, first.Object.GetObjectMeta().ResourceVersion, "the adoption is conditional")
	_, err = controllers.Perform(e.store, first)
	assert.ErrorIs(t, err, storage.ErrConflict)
	obj, err := e.store.Get(objects.KeyOf(rs))
	require.NoError(t, err)
	assert.Equal(t, "other-uid", obj.(*objects.ReplicaSet).ControllerRef().UID, "the ReplicaSet stays with its controller")
}

// Writes of an adopted ReplicaSet after the adoption go unconditionally:
// an orphan matching the template is adopted and scaled in one sync, and
// both writes succeed.
func TestAdoptThenScaleInOneSync(t *testing.T) {
	e := newEnv(t)
	d := e.create(newDeployment(objects.RollingUpdateDeploymentStrategyType)).(*objects.Deployment)
	e.orphanRS(d, 1)
	res := e.sync(t0)
	var writes int
	for _, a := range res.Actions {
		if a.Verb == controllers.Update && a.Object.GetObjectMeta().Name == "orphan" {
			writes++
		}
	}
	require.GreaterOrEqual(t, writes, 2, "adopted, then written again")
	rss := e.replicaSets()
	require.Len(t, rss, 1)
	assert.Equal(t, d.UID, rss[0].ControllerRef().UID)
	assert.Equal(t, int32(3), *rss[0].Spec.Replicas)
}
