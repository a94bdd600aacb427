package sim_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// eventsAbout lists the reasons of the events in list about the named object.
func eventsAbout(list []objects.Object, name string) []string {
	var out []string
	for _, obj := range list {
		if e := obj.(*objects.Event); e.InvolvedObject.Name == name {
			out = append(out, e.Reason)
		}
	}
	return out
}

// Events expire an hour after they were last written, as kube-apiserver's
// --event-ttl (1h) has them: a pod's events from its start are gone after
// an hour, while an event written again meanwhile stays an hour past that
// write. The scheduler's FailedScheduling for a pod that fits nowhere is
// two Events: the first attempt's is about the pod as created, and the
// later ones are about the pod with its PodScheduled condition (another
// resourceVersion), counted in a series that is written again every 30
// minutes (eventseries.go), which renews its TTL.
func TestEventsExpireAnHourAfterLastSeen(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("hello", "Never", "echo hello; sleep 30")))
	require.NoError(t, err)
	_, err = c.Apply([]byte(hugePod))
	require.NoError(t, err)
	c.Advance(59 * time.Minute)
	list := c.Store().List("Event", "default", nil)
	assert.Equal(t, []string{"Scheduled", "Pulling", "Pulled", "Created", "Started"}, eventsAbout(list, "hello"))
	require.Equal(t, []string{"FailedScheduling", "FailedScheduling"}, eventsAbout(list, "huge"))
	series := seriesAbout(list, "huge")
	require.NotNil(t, series, "the scheduler saw it again")

	c.Advance(2 * time.Minute)
	list = c.Store().List("Event", "default", nil)
	assert.Empty(t, eventsAbout(list, "hello"), "an hour after they were written")
	assert.Equal(t, []string{"FailedScheduling"}, eventsAbout(list, "huge"), "the series, written within the hour")
	assert.Equal(t, series.Name, seriesAbout(list, "huge").Name)
}

// A core Event names its object at the resourceVersion its recorder saw
// (client-go's GetReference), and a repeat, which patches only the count,
// times and message, leaves that as it was: a container that keeps
// crashing is Started again and again while its pod's version moves on.
func TestAnEventKeepsTheVersionOfItsFirstRecording(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("crash", "Always", "sleep 1; exit 1")))
	require.NoError(t, err)
	c.Advance(3 * time.Minute)
	pod := getPod(t, c, "crash")
	var started *objects.Event
	for _, obj := range c.Store().List("Event", "default", nil) {
		if e := obj.(*objects.Event); e.InvolvedObject.Name == "crash" && e.Reason == "Started" {
			started = e
		}
	}
	require.NotNil(t, started)
	assert.Greater(t, started.Count, int32(2), "started again after each crash")
	first, err := strconv.ParseInt(started.InvolvedObject.ResourceVersion, 10, 64)
	require.NoError(t, err, "the version the kubelet saw: %q", started.InvolvedObject.ResourceVersion)
	now, err := strconv.ParseInt(pod.ResourceVersion, 10, 64)
	require.NoError(t, err)
	assert.Less(t, first, now, "the pod has been written since; the Event keeps its first version")
}

const hugePod = `apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: main
    image: nginx
    resources:
      requests:
        cpu: "8"
`

// seriesAbout returns the first event in list about the named object that
// has a series.
func seriesAbout(list []objects.Object, name string) *objects.Event {
	for _, obj := range list {
		if e := obj.(*objects.Event); e.InvolvedObject.Name == name && e.Series != nil {
			return e
		}
	}
	return nil
}

// The scheduler's repeats are counted as client-go's events.k8s.io/v1
// broadcaster counts them: a pod tried every 5 minutes for an hour gets
// its second attempt's Event (the pod has its condition by then) and a
// series that starts at the third, is written again at each 30-minute
// refresh, and is forgotten once not seen for 6 minutes.
func TestSchedulerRepeatsAreCountedInASeries(t *testing.T) {
	c := newCluster(t)
	start := c.Now()
	var writes []string // the Event writes about huge: verb, series count
	c.Observe(func(ch sim.Change) {
		if e, ok := ch.Event.Object.(*objects.Event); ok && e.InvolvedObject.Name == "huge" {
			n := int32(0)
			if e.Series != nil {
				n = e.Series.Count
			}
			writes = append(writes, fmt.Sprintf("%s %s %d", ch.At.Sub(start), ch.Event.Type, n))
		}
	})
	_, err := c.Apply([]byte(hugePod))
	require.NoError(t, err)
	attempts := func() int {
		n := 0
		for _, e := range c.Trace() {
			if strings.Contains(e.Text, "FailedScheduling") && strings.Contains(e.Text, "huge") {
				n++
			}
		}
		return n
	}
	c.Advance(59 * time.Minute)
	tried := attempts()
	require.Equal(t, 12, tried, "tried every 5 minutes")

	list := c.Store().List("Event", "default", nil)
	require.Equal(t, []string{"FailedScheduling", "FailedScheduling"}, eventsAbout(list, "huge"))
	series := seriesAbout(list, "huge")
	require.NotNil(t, series)
	var first *objects.Event
	for _, obj := range list {
		if e := obj.(*objects.Event); e.InvolvedObject.Name == "huge" && e != series {
			first = e
		}
	}
	assert.Nil(t, first.Series, "the first attempt's Event was not repeated")
	assert.Zero(t, series.Count, "events.k8s.io counts in the series")
	assert.True(t, series.FirstTimestamp.IsZero() && series.LastTimestamp.IsZero())
	assert.NotEqual(t, first.InvolvedObject.ResourceVersion, series.InvolvedObject.ResourceVersion)
	assert.Equal(t, int32(5), series.Series.Count, "counted at the last refresh, not at each attempt")

	// The pod is deleted: no more attempts. The refresh at 60 minutes
	// writes the final count; the finishing pass at 66 minutes, which
	// forgets the series, writes it again, which changes nothing and so
	// is no write (nor renews the TTL), as the apiserver skips an update
	// that changes nothing.
	_, err = c.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: "huge"}, storage.DeleteOptions{})
	require.NoError(t, err)
	c.Advance(71 * time.Minute)
	require.Equal(t, 12, attempts())
	assert.Equal(t, []string{
		"0s ADDED 0",         // the first attempt, about the pod as created
		"5m0s ADDED 0",       // the second, about the pod with its condition
		"10m0s MODIFIED 2",   // the third starts the series
		"30m0s MODIFIED 5",   // the refresh (the attempt at 30m comes after it)
		"1h0m0s DELETED 0",   // the first Event's TTL
		"1h0m0s MODIFIED 11", // the refresh: attempts 2 to 12
		"2h0m0s DELETED 11",  // an hour after its last write
	}, writes)
}

// findEvent returns the first event in list about the named object.
func findEvent(list []objects.Object, name string) *objects.Event {
	for _, obj := range list {
		if e := obj.(*objects.Event); e.InvolvedObject.Name == name {
			return e
		}
	}
	return nil
}

// A series whose Event is gone (deleted by hand here; expired alike) is
// created again under its name when it is next written, as recordEvent
// creates the Event when its patch finds none.
func TestASeriesWhoseEventIsGoneIsCreatedAgain(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(hugePod))
	require.NoError(t, err)
	c.Advance(11 * time.Minute) // the series started at 10 minutes
	gone := seriesAbout(c.Store().List("Event", "default", nil), "huge")
	require.NotNil(t, gone)
	_, err = c.Delete(objects.KeyOf(gone), storage.DeleteOptions{})
	require.NoError(t, err)
	require.Nil(t, seriesAbout(c.Store().List("Event", "default", nil), "huge"))

	c.Advance(20 * time.Minute) // the refresh at 30 minutes
	again := seriesAbout(c.Store().List("Event", "default", nil), "huge")
	require.NotNil(t, again)
	assert.Equal(t, gone.Name, again.Name)
	assert.NotEqual(t, gone.UID, again.UID)
	assert.Equal(t, gone.EventTime, again.EventTime)
	assert.Equal(t, int32(5), again.Series.Count)
}
