package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// runHello runs the tutorial's hello CronJob for d with the given trace limit.
func runHello(t *testing.T, limit int, d time.Duration) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{TraceLimit: limit})
	require.NoError(t, err)
	_, err = c.Create([]byte(helloCronJob))
	require.NoError(t, err)
	c.Advance(d)
	return c
}

// A limited trace keeps the latest entries of the whole one, and says how
// many it dropped; the same run keeps the same entries, byte for byte.
func TestTraceLimitKeepsLatest(t *testing.T) {
	all := runHello(t, -1, 30*time.Minute).Trace()
	c := runHello(t, 50, 30*time.Minute)
	require.Greater(t, len(all), 50)
	events := 0
	for _, e := range all {
		if strings.HasPrefix(e.Text, "event ") {
			events++
		}
	}
	require.Greater(t, events, 2*64, "the trace's event notes fill more than a block of them (eventNoteBlock)")
	assert.Equal(t, all[len(all)-50:], c.Trace())
	assert.Equal(t, len(all)-50, c.TraceDropped())
	text := c.TraceText()
	assert.True(t, strings.HasPrefix(text, fmt.Sprintf("... %d earlier entries dropped (TraceLimit 50)\n", len(all)-50)), text)
	assert.Equal(t, 51, strings.Count(text, "\n"))
	assert.Equal(t, text, runHello(t, 50, 30*time.Minute).TraceText(), "replays are identical")
}

// The default limit keeps a long run's trace, and so its memory, bounded:
// eight hours of the hello CronJob record more entries (about 1,400 an
// hour) than it keeps.
func TestTraceDefaultLimitBoundsLongRuns(t *testing.T) {
	c := runHello(t, 0, 8*time.Hour)
	assert.Len(t, c.Trace(), sim.DefaultTraceLimit)
	assert.Positive(t, c.TraceDropped())
	assert.Zero(t, runHello(t, -1, time.Hour).TraceDropped(), "a negative limit keeps everything")
}
