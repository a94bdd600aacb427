package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

func TestDroppedWatchEventsDelayTheReactionUntilARelist(t *testing.T) {
	faults := &sim.Faults{DropEvent: func(controller string, ev storage.WatchEvent) bool {
		return controller == "default-scheduler" && ev.Object.GetTypeMeta().Kind == "Pod"
	}}
	c, err := sim.New(sim.Config{Faults: faults})
	require.NoError(t, err)
	_, err = c.Apply([]byte(podManifest("lost", "Never", "sleep 1")))
	require.NoError(t, err)
	c.Advance(500 * time.Millisecond)
	assert.Empty(t, getPod(t, c, "lost").Spec.NodeName, "the scheduler never heard of the pod")
	assert.Contains(t, c.TraceText(), "default-scheduler missed create of Pod/default/lost")
	c.Advance(500 * time.Millisecond)
	assert.Equal(t, "k8s-node1", getPod(t, c, "lost").Spec.NodeName,
		"a second later its informer relists, and the pod is bound")
	assert.Contains(t, c.TraceText(), "default-scheduler relisted after lost watch events")
}

func TestCrashBetweenWritesIsRecoveredByTheRestartedController(t *testing.T) {
	crashes := 0
	faults := &sim.Faults{CrashAfter: func(controller string, key objects.Key, n int) int {
		if controller == "kubelet/k8s-node1" && crashes == 0 {
			crashes++
			return 0 // before its first write
		}
		return -1
	}}
	c, err := sim.New(sim.Config{Faults: faults})
	require.NoError(t, err)
	_, err = c.Apply([]byte(podManifest("resilient", "Never", "echo ok")))
	require.NoError(t, err)
	require.True(t, c.RunUntil(phaseIs("resilient", objects.PodSucceeded), time.Minute))
	assert.Equal(t, 1, crashes)
	assert.Contains(t, c.TraceText(), "kubelet/k8s-node1 crashed after 0 of 1 writes reconciling Pod/default/resilient")
}

func TestStaleViewHidesTheNewestChange(t *testing.T) {
	faults := &sim.Faults{StaleReads: map[string]int{"default-scheduler": 1}}
	c, err := sim.New(sim.Config{Faults: faults})
	require.NoError(t, err)
	_, err = c.Apply([]byte(podManifest("stale", "Never", "echo ok")))
	require.NoError(t, err)
	c.Advance(500 * time.Millisecond)
	assert.Empty(t, getPod(t, c, "stale").Spec.NodeName,
		"one change behind, the scheduler's view does not hold the pod its watch told it about")
	c.Advance(500 * time.Millisecond)
	assert.Equal(t, "k8s-node1", getPod(t, c, "stale").Spec.NodeName,
		"a second later its view has caught up, and the pod is bound")
}

func TestControllerDownParksWorkUntilItReturns(t *testing.T) {
	c := newCluster(t)
	require.True(t, c.SetControllerDown("default-scheduler", true))
	assert.False(t, c.SetControllerDown("no-such-controller", true))
	_, err := c.Apply([]byte(podManifest("parked", "Never", "echo ok")))
	require.NoError(t, err)
	c.Advance(time.Hour)
	assert.Empty(t, getPod(t, c, "parked").Spec.NodeName)
	c.SetControllerDown("default-scheduler", false)
	c.Advance(0)
	assert.Equal(t, "k8s-node1", getPod(t, c, "parked").Spec.NodeName, "the restarted scheduler catches up")
}
