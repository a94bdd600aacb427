package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// An expired event is forgotten: the recorder's identities go with the
// events, found again from the expiring event itself, and the queue of
// expiries empties.
func TestExpiredEventsAreForgotten(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	_, err = c.Create([]byte(`apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox:1.36, command: ["sh", "-c", "echo hi; sleep 5"]}
`))
	require.NoError(t, err)
	c.Advance(time.Minute)
	require.NotEmpty(t, c.events.seen)
	var reasons []string
	for _, obj := range c.Store().List("Event", "default", nil) {
		reasons = append(reasons, obj.(*objects.Event).Reason)
	}
	assert.Contains(t, reasons, "Scheduled")

	c.Advance(2 * time.Hour)
	assert.Empty(t, c.Store().List("Event", "default", nil))
	assert.Empty(t, c.events.seen, "every identity forgotten with its event")
	assert.Empty(t, c.events.seenClash)
	assert.Zero(t, c.events.expiries.len(), "no expiry left")
}

// Identities whose hashes clash are still told apart: each keeps its own
// event and count, and all are forgotten when their events expire.
func TestClashingEventIdentitiesStayApart(t *testing.T) {
	defer func(h func(eventIdentity) uint64) { identityHash = h }(identityHash)
	identityHash = func(eventIdentity) uint64 { return 42 }
	c, err := New(Config{})
	require.NoError(t, err)
	pod := objects.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: "default", Name: "p", UID: "u1"}
	source := objects.EventSource{Component: "test"}
	for _, reason := range []string{"A", "B", "A", "C", "B", "A"} {
		c.events.record(source, controllers.Event{Regarding: pod, Type: objects.EventNormal, Reason: reason, Message: "m"})
	}
	counts := map[string]int32{}
	events := 0
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.Source.Component == "test" {
			counts[e.Reason] += e.Count
			events++
		}
	}
	assert.Equal(t, map[string]int32{"A": 3, "B": 2, "C": 1}, counts)
	assert.Equal(t, 3, events, "one event per identity")
	c.Advance(2 * time.Hour)
	assert.Empty(t, c.events.seen)
	assert.Empty(t, c.events.seenClash)
}

// The expiry queue hands expiries back first in, first out, across the
// blocks it grows by and reuses.
func TestExpiryQueueIsFIFO(t *testing.T) {
	var q expiryQueue
	var model []int
	seq := uint64(0)
	for round := range 40 {
		for range (round * 37) % 700 {
			seq++
			q.push(expiry{seq: seq})
			model = append(model, int(seq))
		}
		for range (round * 53) % 650 {
			if len(model) == 0 {
				break
			}
			require.Equal(t, uint64(model[0]), q.front().seq)
			require.Equal(t, uint64(model[0]), q.pop().seq)
			model = model[1:]
		}
		require.Equal(t, len(model), q.len())
	}
	assert.NotEmpty(t, q.spare, "emptied blocks are kept for reuse")
}
