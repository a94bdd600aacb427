package controllertest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// NewStore returns a store on a fake clock set to start, seeded as every
// controller test seeds it (PCG 1, 2), holding Namespace "default". The
// namespace's Added event is left pending: Feed hands it to a controller,
// DrainEvents discards it.
func NewStore(t testing.TB, start time.Time) *storage.Store {
	t.Helper()
	s, _ := NewStoreWithClock(t, start)
	return s
}

// NewStoreWithClock is NewStore that also returns the store's clock, for
// tests that move time on.
func NewStoreWithClock(t testing.TB, start time.Time) (*storage.Store, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(start)
	s := storage.New(clk, rand.New(rand.NewPCG(1, 2)))
	_, err := s.Create(&objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: objects.ObjectMeta{Name: "default"}})
	require.NoError(t, err)
	// The objects the store hands out are shared: a controller (or a test)
	// that changes one fails the test.
	s.CheckMutations(true)
	t.Cleanup(func() {
		if err := s.VerifyUnchanged(); err != nil {
			t.Error(err)
		}
	})
	return s, clk
}

// Feed drains the store's pending watch events and hands each, in order,
// to ctrl's KeysFor with the store as its view, as the simulation's loop
// does. It returns the keys ctrl asked for, each once, in the order first
// asked.
func Feed(s *storage.Store, ctrl controllers.Controller) []objects.Key {
	var keys []objects.Key
	seen := map[objects.Key]bool{}
	for _, ev := range s.DrainEvents() {
		for _, k := range ctrl.KeysFor(ev, s) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// Applied is what Apply did with a Result.
type Applied struct {
	// Events are the events to record: each performed action's Then
	// events, in order, then the Result's own.
	Events []controllers.Event
	// Keys are the keys ctrl asked for when fed after each write, in
	// order (each write's keys deduplicated as Feed does); nil when Apply
	// was given no controller.
	Keys []objects.Key
	// Err is the error of the write that failed, after which the rest of
	// the actions were skipped; nil when every write succeeded.
	Err error
}

// Apply carries out res on s as package sim's loop does: each action in
// order through controllers.Perform until one fails, its Then events
// collected whatever the outcome, then res.Events. When ctrl is not nil it
// is fed (see Feed) after each write, failed or not; when it is nil, the
// writes' watch events stay pending.
func Apply(s *storage.Store, ctrl controllers.Controller, res controllers.Result) Applied {
	var out Applied
	for _, a := range res.Actions {
		written, err := controllers.Perform(s, a)
		if ctrl != nil {
			out.Keys = append(out.Keys, Feed(s, ctrl)...)
		}
		if a.Then != nil {
			out.Events = append(out.Events, a.Then(written, err)...)
		}
		if err != nil {
			out.Err = err
			break
		}
	}
	out.Events = append(out.Events, res.Events...)
	return out
}
