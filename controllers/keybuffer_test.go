package controllers_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

func TestKeyBufferReusesItsRoom(t *testing.T) {
	var b controllers.KeyBuffer
	a, c := objects.Key{Kind: "Pod", Name: "a"}, objects.Key{Kind: "Pod", Name: "c"}
	assert.Equal(t, []objects.Key{a}, b.One(a))
	assert.Empty(t, b.Empty())

	grown := b.Keep(append(b.Empty(), a, c, a, c, a))
	assert.Equal(t, []objects.Key{a, c, a, c, a}, grown)
	again := b.One(c)
	assert.Equal(t, []objects.Key{c}, again)
	assert.Same(t, &grown[0], &again[0], "the grown room is kept for the next call")
	assert.Zero(t, testing.AllocsPerRun(100, func() { b.Keep(append(b.Empty(), a, c)) }))
}

// deferring is a controller that batches by a second and defers one key.
type deferring struct {
	controllers.Controller
	until time.Time
}

func (deferring) BatchDelay(storage.WatchEvent, objects.Key) time.Duration { return time.Second }
func (d deferring) NotBefore(_ storage.WatchEvent, key objects.Key) time.Time {
	if key.Name == "deferred" {
		return d.until
	}
	return time.Time{}
}

func TestWantedAtTakesTheLaterOfBatchAndDeferral(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := deferring{until: now.Add(10 * time.Second)}
	ev := storage.WatchEvent{}
	assert.Equal(t, now.Add(10*time.Second), controllers.WantedAt(d, ev, objects.Key{Name: "deferred"}, now))
	assert.Equal(t, now.Add(time.Second), controllers.WantedAt(d, ev, objects.Key{Name: "other"}, now))
	d.until = now.Add(time.Millisecond) // already past the batch delay
	assert.Equal(t, now.Add(time.Second), controllers.WantedAt(d, ev, objects.Key{Name: "deferred"}, now))
}
