package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// creator is a controller that, reconciled once, creates n ConfigMaps in
// slow-start batches.
type creator struct{ n int }

func (c *creator) Name() string { return "creator" }

func (c *creator) KeysFor(storage.WatchEvent, storage.Reader) []objects.Key { return nil }

func (c *creator) Reconcile(time.Time, storage.Reader, objects.Key) controllers.Result {
	acts := make([]controllers.Action, c.n)
	for i := range acts {
		acts[i] = controllers.Action{Verb: controllers.Create, Object: &objects.ConfigMap{
			TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("cm-%02d", i)},
		}}
	}
	controllers.SlowStart(acts)
	return controllers.Result{Actions: acts}
}

// runCreator reconciles a creator of n ConfigMaps once, with room in the
// store for fit of them, and returns the creator's trace lines.
func runCreator(t *testing.T, n, fit int) []string {
	t.Helper()
	c, err := New(Config{})
	require.NoError(t, err)
	l := newLoop(&creator{n: n}, nil)
	c.loops = append(c.loops, l)
	probe, err := c.store.Create(&objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "cm-xx"}})
	require.NoError(t, err)
	before := c.store.Size()
	_, err = c.store.Delete(objects.KeyOf(probe), storage.DeleteOptions{})
	require.NoError(t, err)
	per := before - c.store.Size()
	c.store.DrainEvents() // the probe is no one's write
	c.store.SetQuota(c.store.Size() + int64(fit)*per + per/2)
	c.enqueue(l, objects.Key{Kind: "Job", Namespace: "default", Name: "x"}, c.clock.Now())
	c.Advance(0)
	var out []string
	for _, e := range c.Trace() {
		if e.Actor == "creator" {
			outcome := "ok"
			if strings.Contains(e.Text, " failed: ") {
				outcome = "failed"
			}
			out = append(out, strings.TrimPrefix(strings.Fields(e.Text)[1], "ConfigMap/default/")+" "+outcome)
		}
	}
	return out
}

// A failure inside a slow-start batch does not stop the rest of the batch
// (upstream runs them at once), and stops every batch after it.
func TestSlowStartBatchFailure(t *testing.T) {
	// Batches 1, 2, 4, 3: room for 5 means cm-05 and cm-06, in the third
	// batch, fail, and the fourth batch is never tried.
	assert.Equal(t, []string{"cm-00 ok", "cm-01 ok", "cm-02 ok", "cm-03 ok", "cm-04 ok", "cm-05 failed", "cm-06 failed"},
		runCreator(t, 10, 5))
	// Room for 3: the third batch's first create fails, and the other
	// three of the batch are still tried.
	assert.Equal(t, []string{"cm-00 ok", "cm-01 ok", "cm-02 ok", "cm-03 failed", "cm-04 failed", "cm-05 failed", "cm-06 failed"},
		runCreator(t, 10, 3))
}
