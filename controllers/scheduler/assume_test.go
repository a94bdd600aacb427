package scheduler_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// decide reconciles key against view and returns its Bind, if any.
func (w *world) decide(view storage.Reader, key objects.Key) (controllers.Action, bool) {
	w.t.Helper()
	res := w.s.Reconcile(t0, view, key)
	for _, a := range res.Actions {
		if a.Verb == controllers.Bind {
			return a, true
		}
	}
	return controllers.Action{}, false
}

// bindUnseen writes a Bind and tells the scheduler it succeeded, without
// feeding it the watch event: its informer lags behind its own binding.
func (w *world) bindUnseen(a controllers.Action) {
	w.t.Helper()
	written, err := controllers.Perform(w.store, a)
	require.NoError(w.t, err)
	a.Then(written, nil)
}

// A pod the scheduler bound counts on its node at once, before its
// informer shows the binding (kube-scheduler's AssumePod): the next pod
// does not go to a node that pod filled.
func TestAnAssumedPodCountsBeforeTheInformerShowsIt(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "1", nil)
	w.node("n2", "1", nil)
	a, b := w.pod("a", "700m", nil), w.pod("b", "700m", nil)
	bind, ok := w.decide(w.store, a)
	require.True(t, ok)
	require.Equal(t, "n1", bind.NodeName)
	w.bindUnseen(bind)
	bind, ok = w.decide(w.store, b)
	require.True(t, ok)
	assert.Equal(t, "n2", bind.NodeName, "n1 holds a's 700m of its 1000m")
}

// A pod bound but not yet shown bound by the informer is not scheduled
// again, whatever its stale view says (upstream's skipPodSchedule).
func TestABoundPodIsNotScheduledAgainFromAStaleView(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "4", nil)
	a := w.pod("a", "", nil)
	stale := w.store.Snapshot()
	bind, ok := w.decide(w.store, a)
	require.True(t, ok)
	w.bindUnseen(bind)
	res := w.s.Reconcile(t0, stale, a)
	assert.Empty(t, res.Actions, "the view still shows a unbound")
	w.feed()
	res = w.s.Reconcile(t0, w.store, a)
	assert.Empty(t, res.Actions)
}

// A failed binding drops the assumption (ForgetPod), and so does a
// binding that was never written (a crash lost it): the pod is scheduled
// again, and its old assumption does not stand in its way.
func TestALostBindingIsForgotten(t *testing.T) {
	w := newWorld(t)
	w.node("n1", "1", nil)
	a, b := w.pod("a", "700m", nil), w.pod("b", "700m", nil)
	bind, ok := w.decide(w.store, a)
	require.True(t, ok)
	evs := bind.Then(nil, errors.New("the server is currently unable to handle the request"))
	require.Len(t, evs, 1)
	assert.Equal(t, "FailedScheduling", evs[0].Reason)
	bind, ok = w.decide(w.store, b)
	require.True(t, ok, "a's failed binding no longer holds n1")
	assert.Equal(t, "n1", bind.NodeName)

	// b's binding is never written nor reported: the scheduler crashed.
	bind, ok = w.decide(w.store, b)
	require.True(t, ok, "b is scheduled again")
	assert.Equal(t, "n1", bind.NodeName, "its own lost assumption does not count against it")
}
