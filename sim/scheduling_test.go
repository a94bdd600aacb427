package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

// 300 Jobs of two pods at a time on the tutorial's cluster: 600 pods want
// the ~220 places its workers have, so most wait. Each waiting pod is tried
// again after pods leave, but at most once per backoff (10s at most), as
// upstream's scheduling queue tries it, not once for every pod that
// leaves: its FailedScheduling events count a few dozen attempts, not
// hundreds.
func TestWaitingPodsAreTriedOncePerBackoff(t *testing.T) {
	c, err := sim.New(sim.Config{})
	require.NoError(t, err)
	for i := range 300 {
		_, err := c.Create([]byte(fmt.Sprintf(benchJob, i)))
		require.NoError(t, err)
	}
	start := c.Now()
	c.Advance(15 * time.Minute)
	var last time.Time
	for _, obj := range c.Store().List("Job", "default", nil) {
		j := obj.(*objects.Job)
		require.True(t, objects.IsJobFinished(j), "job %s", j.Name)
		last = maxTime(last, j.Status.CompletionTime.Time)
	}
	attempts := map[string]int32{}
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.Reason == "FailedScheduling" {
			attempts[e.InvolvedObject.Name] += e.Count
		}
	}
	require.NotEmpty(t, attempts, "pods waited for room")
	most := int32(0)
	for _, n := range attempts {
		most = max(most, n)
	}
	waited := last.Sub(start)
	t.Logf("%d pods waited; the most tried %d times in the %v the Jobs took", len(attempts), most, waited)
	assert.LessOrEqual(t, most, int32(waited/(10*time.Second))+6, "tried more often than its backoff allows")
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
