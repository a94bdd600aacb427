package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The bucket starts full, serves a burst at once, then one write per
// interval in the order asked, and refills while idle up to its burst.
func TestTokenBucketReservesInOrder(t *testing.T) {
	start := DefaultStart
	b := newTokenBucket(ClientLimit{QPS: 20, Burst: 3}, start)
	for range 3 {
		assert.Zero(t, b.reserve(start), "burst")
	}
	assert.Equal(t, 50*time.Millisecond, b.reserve(start), "first write past the burst waits one interval")
	assert.Equal(t, 100*time.Millisecond, b.reserve(start), "the next waits behind it")
	// At 100ms both reserved tokens are spent; the next is due at 150ms.
	assert.Equal(t, 50*time.Millisecond, b.reserve(start.Add(100*time.Millisecond)))
	// Idle for a minute: the bucket refills to its burst, no more.
	later := start.Add(time.Minute)
	for range 3 {
		assert.Zero(t, b.reserve(later))
	}
	assert.Equal(t, 50*time.Millisecond, b.reserve(later))
}

// A limit with QPS zero or less makes no bucket, and no bucket never waits.
func TestTokenBucketUnlimited(t *testing.T) {
	b := newTokenBucket(ClientLimit{QPS: -1}, DefaultStart)
	assert.Nil(t, b)
	for range 1000 {
		assert.Zero(t, b.reserve(DefaultStart))
	}
}

// Defaults are upstream's, per component; a zero field takes its default alone.
func TestAPILimitsDefaults(t *testing.T) {
	l := APILimits{Kubelet: ClientLimit{QPS: 5}}.withDefaults()
	assert.Equal(t, ClientLimit{QPS: 20, Burst: 30}, l.ControllerManager)
	assert.Equal(t, ClientLimit{QPS: 50, Burst: 100}, l.Scheduler)
	assert.Equal(t, ClientLimit{QPS: 5, Burst: 100}, l.Kubelet)
}
