package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
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

// Events expire an hour after they were last seen, as kube-apiserver's
// --event-ttl (1h) has them: a pod's events from its start are gone after
// an hour, while an event seen again meanwhile (the scheduler's repeated
// FailedScheduling) stays an hour past its last sighting.
func TestEventsExpireAnHourAfterLastSeen(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("hello", "Never", "echo hello; sleep 30")))
	require.NoError(t, err)
	_, err = c.Apply([]byte(`apiVersion: v1
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
`))
	require.NoError(t, err)
	c.Advance(59 * time.Minute)
	list := c.Store().List("Event", "default", nil)
	assert.Equal(t, []string{"Scheduled", "Pulling", "Pulled", "Created", "Started"}, eventsAbout(list, "hello"))
	require.Equal(t, []string{"FailedScheduling"}, eventsAbout(list, "huge"))
	seen := findEvent(list, "huge")
	require.Greater(t, seen.Count, int32(1), "the scheduler saw it again")

	c.Advance(2 * time.Minute)
	list = c.Store().List("Event", "default", nil)
	assert.Empty(t, eventsAbout(list, "hello"), "an hour after they were seen")
	assert.Equal(t, []string{"FailedScheduling"}, eventsAbout(list, "huge"), "seen again within the hour")
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
