package sim

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

// An expired event leaves the store and the queue of expiries empties,
// but the processes that recorded it still remember its identity, as
// client-go's EventCorrelator knows nothing of the apiserver's TTL
// (testdata/event-count-after-ttl.txt shows a repeat making it again).
func TestExpiredEventsLeaveTheStore(t *testing.T) {
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
	require.NotZero(t, c.events.remembered())
	var reasons []string
	for _, obj := range c.Store().List("Event", "default", nil) {
		reasons = append(reasons, obj.(*objects.Event).Reason)
	}
	assert.Contains(t, reasons, "Scheduled")

	remembered := c.events.remembered()
	c.Advance(2 * time.Hour)
	assert.Empty(t, c.Store().List("Event", "default", nil))
	assert.Equal(t, remembered, c.events.remembered(), "the identities stay remembered")
	assert.Zero(t, c.events.expiries.len(), "no expiry left")
	assert.Empty(t, c.events.deferred, "no deferred expiry left")
	assert.Empty(t, c.events.later, "no later expiry left")
}

// A process remembers the identities of its last few events, as client-go's
// EventCorrelator its last 4,096: a repeat of a remembered one bumps its
// count, a repeat of one it forgot makes a new Event, and a repeat of one
// whose Event expired makes it again under its name, the count carried on.
func TestEventCacheRemembersTheMostRecentlyUsed(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	ec := newEventCache(2)
	pod := objects.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: "default", Name: "p", UID: "u1"}
	source := objects.EventSource{Component: "test"}
	for _, reason := range []string{"A", "B", "A", "C", "A", "B"} {
		// A B (A: count 2) C forgets B; A (count 3) keeps A; B anew.
		c.events.record(ec, source, controllers.Event{Regarding: pod, Type: objects.EventNormal, Reason: reason, Message: "m"})
	}
	var got []string
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.Source.Component == "test" {
			got = append(got, fmt.Sprintf("%s=%d", e.Reason, e.Count))
		}
	}
	slices.Sort(got)
	assert.Equal(t, []string{"A=3", "B=1", "B=1", "C=1"}, got)
	assert.Equal(t, 2, ec.len())

	var aName string
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.Source.Component == "test" && e.Reason == "A" {
			aName = e.Name
		}
	}
	c.Advance(2 * time.Hour)
	c.events.record(ec, source, controllers.Event{Regarding: pod, Type: objects.EventNormal, Reason: "A", Message: "m"})
	var again []string
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.Source.Component == "test" {
			again = append(again, fmt.Sprintf("%s %s=%d since %s", e.Name, e.Reason, e.Count, e.FirstTimestamp.Format(time.TimeOnly)))
		}
	}
	assert.Equal(t, []string{aName + " A=4 since 00:00:00"}, again, "A expired and came again")
}

// Identities whose hashes clash share a chain and stay apart: each keeps
// its own key, and evicting one leaves the others.
func TestEventCacheKeepsClashingIdentitiesApart(t *testing.T) {
	defer func(h func(eventIdentity) uint64) { identityHash = h }(identityHash)
	identityHash = func(eventIdentity) uint64 { return 42 }
	ec := newEventCache(3)
	ids := make([]eventIdentity, 4)
	for i := range ids {
		ids[i] = eventIdentity{reason: fmt.Sprint("R", i)}
		ec.put(ids[i], objects.Key{Kind: "Event", Name: fmt.Sprint("e", i)}, int32(i), objects.Time{}) // the fourth evicts the first
	}
	_, ok := ec.get(ids[0])
	assert.False(t, ok, "evicted")
	for i := 1; i < 4; i++ {
		last, ok := ec.get(ids[i])
		require.True(t, ok)
		assert.Equal(t, fmt.Sprint("e", i), last.key.Name)
		assert.Equal(t, int32(i), last.count)
	}
	// Used in the order 1, 2, 3: a fifth evicts 1, the least recently used.
	ec.put(eventIdentity{reason: "R4"}, objects.Key{Kind: "Event", Name: "e4"}, 4, objects.Time{})
	_, ok = ec.get(ids[1])
	assert.False(t, ok, "evicted")
	last, ok := ec.get(ids[3])
	assert.True(t, ok)
	assert.Equal(t, "e3", last.key.Name)
	assert.Equal(t, 3, ec.len())
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

// An event recorded again and again expires an hour after its last
// recording, as each write of an Event gives it a TTL lease of its own,
// and the recorder holds at most two checks for it however often it
// repeats (it held one a recording: a pod waiting for a node an hour
// held hundreds).
func TestRepeatedEventExpiresAnHourAfterItsLastRecording(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	c.Advance(time.Minute) // the cluster's own start-up events
	ec := newEventCache(8)
	pod := objects.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: "default", Name: "p", UID: "u1"}
	ev := controllers.Event{Regarding: pod, Type: objects.EventWarning, Reason: "FailedScheduling", Message: "0/3 nodes are available"}
	source := objects.EventSource{Component: "test"}
	find := func() *objects.Event {
		for _, obj := range c.Store().List("Event", "default", nil) {
			if e := obj.(*objects.Event); e.Source.Component == "test" {
				return e
			}
		}
		return nil
	}
	held := func() int { return c.events.expiries.len() + len(c.events.deferred) + len(c.events.later) }
	before := held()
	var last time.Time
	for range 200 { // every 10s for half an hour
		c.events.record(ec, source, ev)
		last = c.Now()
		assert.LessOrEqual(t, held()-before, 2)
		c.Advance(10 * time.Second)
	}
	require.NotNil(t, find())
	assert.Equal(t, int32(200), find().Count)

	c.AdvanceTo(last.Add(time.Hour - time.Second))
	assert.NotNil(t, find(), "an hour after the last recording, less a second")
	c.AdvanceTo(last.Add(time.Hour))
	assert.Nil(t, find(), "an hour after the last recording")
}

// An Event written through the API (kubectl, a client-go controller under
// serve) gets the same TTL as the recorder's, renewed by each write, as
// the apiserver gives every Event write one: it goes an hour after its
// last write. They used to stay for good.
func TestEventsWrittenThroughTheAPIExpire(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	manifest := func(message string) []byte {
		return []byte(`apiVersion: v1
kind: Event
metadata: {name: by-hand, namespace: default}
involvedObject: {kind: Pod, namespace: default, name: p}
reason: Noted
message: ` + message + `
type: Normal
`)
	}
	exists := func() bool {
		_, err := c.Store().Get(objects.Key{Kind: "Event", Namespace: "default", Name: "by-hand"})
		return err == nil
	}
	_, err = c.Apply(manifest("first"))
	require.NoError(t, err)
	written := c.Now()
	c.Advance(30 * time.Minute)
	_, err = c.Apply(manifest("second"))
	require.NoError(t, err)
	rewritten := c.Now()

	c.AdvanceTo(written.Add(time.Hour))
	assert.True(t, exists(), "written again half an hour in")
	c.AdvanceTo(rewritten.Add(time.Hour - time.Second))
	assert.True(t, exists(), "an hour after the last write, less a second")
	c.AdvanceTo(rewritten.Add(time.Hour))
	assert.False(t, exists(), "an hour after the last write")
}
