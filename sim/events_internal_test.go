package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	assert.Equal(t, len(c.events.expiries), c.events.next, "no expiry left")
}
