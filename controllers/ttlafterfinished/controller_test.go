package ttlafterfinished_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/ttlafterfinished"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

var piKey = objects.Key{Kind: "Job", Namespace: "default", Name: "pi"}

// setup stores a Job with the given TTL; finished says whether it completed at t0.
func setup(t *testing.T, ttl *int32, finished bool) (*storage.Store, *objects.Job) {
	t.Helper()
	st := controllertest.NewStore(t, t0)
	out, err := st.Create(&objects.Job{
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "pi"},
		Spec: objects.JobSpec{TTLSecondsAfterFinished: ttl, Template: objects.PodTemplateSpec{Spec: objects.PodSpec{
			RestartPolicy: objects.RestartPolicyNever, Containers: []objects.Container{{Name: "pi", Image: "perl"}}}}},
	})
	require.NoError(t, err)
	j := out.(*objects.Job).DeepCopy()
	if finished {
		at := objects.NewTime(t0)
		j.Status = objects.JobStatus{StartTime: &at, CompletionTime: &at, Succeeded: 1, Conditions: []objects.JobCondition{
			{Type: objects.JobSuccessCriteriaMet, Status: objects.ConditionTrue, LastTransitionTime: at},
			{Type: objects.JobComplete, Status: objects.ConditionTrue, LastTransitionTime: at}}}
		upd, err := st.UpdateStatus(j)
		require.NoError(t, err)
		j = upd.(*objects.Job).DeepCopy()
	}
	st.DrainEvents()
	return st, j
}

func ttl(s int32) *int32 { return &s }

func TestTTLAfterFinished(t *testing.T) {
	tests := []struct {
		name     string
		ttl      *int32
		finished bool
		now      time.Duration // after t0
		want     controllers.Result
		deletes  bool
	}{
		{"not finished", ttl(100), false, 0, controllers.Result{}, false},
		{"no ttl", nil, true, time.Hour, controllers.Result{}, false},
		{"not yet", ttl(100), true, 40 * time.Second, controllers.Requeue(60 * time.Second), false},
		{"expired exactly", ttl(100), true, 100 * time.Second, controllers.Result{}, true},
		{"ttl 0", ttl(0), true, 0, controllers.Result{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, j := setup(t, tc.ttl, tc.finished)
			c := ttlafterfinished.New()
			res := c.Reconcile(t0.Add(tc.now), st, piKey)
			if !tc.deletes {
				assert.Equal(t, tc.want, res)
				return
			}
			require.Len(t, res.Actions, 1)
			a := res.Actions[0]
			assert.Equal(t, controllers.Delete, a.Verb)
			assert.Equal(t, piKey, a.Key)
			assert.Equal(t, storage.DeleteOptions{PropagationPolicy: storage.DeletePropagationForeground,
				Preconditions: &storage.Preconditions{UID: j.UID}}, a.DeleteOptions)

			out, err := controllers.Perform(st, a)
			require.NoError(t, err)
			assert.NotNil(t, out.GetObjectMeta().DeletionTimestamp)
			assert.Equal(t, []string{storage.FinalizerDeleteDependents}, out.GetObjectMeta().Finalizers,
				"foreground deletion waits for the garbage collector")
			assert.Equal(t, controllers.Result{}, c.Reconcile(t0.Add(tc.now), st, piKey), "a Job being deleted is left alone")
		})
	}
}

func TestTTLKeysFor(t *testing.T) {
	c := ttlafterfinished.New()
	st, j := setup(t, ttl(10), true)
	assert.Equal(t, []objects.Key{piKey}, c.KeysFor(storage.WatchEvent{Type: storage.Modified, Object: j}, st))
	assert.Empty(t, c.KeysFor(storage.WatchEvent{Type: storage.Deleted, Object: j}, st))
	running, _ := setup(t, ttl(10), false)
	obj, err := running.Get(piKey)
	require.NoError(t, err)
	assert.Empty(t, c.KeysFor(storage.WatchEvent{Type: storage.Added, Object: obj}, running))
	assert.Empty(t, c.KeysFor(storage.WatchEvent{Type: storage.Added, Object: &objects.Pod{}}, running))
	assert.Equal(t, "ttl-after-finished-controller", c.Name())
}
