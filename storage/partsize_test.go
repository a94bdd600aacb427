package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// quotaTwins are two stores given the same writes: one measuring versions
// part by part, as stores do, and a reference measuring every version
// whole (storage.MeasuringWhole).
type quotaTwins struct {
	parts, whole *storage.Store
	rnd          *rand.Rand
	cp           [2]*storage.Checkpoint
	refused      int // writes refused for space
	// noCheckpoints makes step set a quota where it would take a
	// checkpoint or roll back (the caller takes its own).
	noCheckpoints bool
}

// both runs op on each store (the reference measuring whole) and requires
// the same outcome: success, or the same error.
func (q *quotaTwins) both(t *testing.T, step int, what string, op func(s *storage.Store) error) {
	t.Helper()
	errParts := op(q.parts)
	var errWhole error
	storage.MeasuringWhole(func() { errWhole = op(q.whole) })
	require.Equal(t, fmt.Sprint(errWhole), fmt.Sprint(errParts), "step %d: %s", step, what)
	if errors.Is(errParts, storage.ErrNoSpace) {
		q.refused++
	}
}

// jsonTotal is the sum of the stored objects' JSON lengths.
func jsonTotal(t *testing.T, s *storage.Store) int64 {
	var sum int64
	s.ScanAll(func(obj objects.Object) bool {
		b, err := json.Marshal(obj)
		require.NoError(t, err)
		sum += int64(len(b))
		return true
	})
	return sum
}

// text returns a string of up to n random characters, some to escape.
func (q *quotaTwins) text(n int) string {
	const chars = "abcdefgh<>&\"\n é"
	var b strings.Builder
	for range q.rnd.IntN(n + 1) {
		r := []rune(chars)
		b.WriteRune(r[q.rnd.IntN(len(r))])
	}
	return b.String()
}

// shallow returns a shallow copy of the pod stored under key in s, as the
// kubelet and the controllers build their writes: sharing what it leaves
// alone with the stored version.
func shallow(s *storage.Store, key objects.Key) (*objects.Pod, bool) {
	obj, err := s.Get(key)
	if err != nil {
		return nil, false
	}
	p := new(objects.Pod)
	*p = *obj.(*objects.Pod)
	return p, true
}

// Writes of every kind (creates, status updates sharing the stored spec
// and metadata, metadata-only and spec updates, bindings, graceful and
// immediate deletions, Events and their count bumps, objects without
// parts, rollbacks) under quotas set a few bytes around the stored size
// succeed and fail as they do in a store that measures every version
// whole, and the stores' sizes stay the stored objects' JSON lengths. A
// part size taken over wrongly (a metadata change, a resourceVersion of
// another length) shifts a size by bytes, which the tight quotas and the
// JSON sums catch.
func TestPartSizesAgreeWithMeasuringWhole(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			a, b := newSeededFixture(t, seed, 9), newSeededFixture(t, seed, 9)
			q := &quotaTwins{parts: a.s.Store, whole: b.s.Store, rnd: rand.New(rand.NewPCG(seed, 1))}
			for step := range 3000 {
				q.step(t, step)
				total := jsonTotal(t, q.whole)
				require.Equal(t, total, q.whole.Size(), "step %d: reference", step)
				require.Equal(t, total, q.parts.Size(), "step %d", step)
				if step%50 == 0 {
					later := a.clk.Now().Add(37 * time.Second)
					a.clk.AdvanceTo(later)
					b.clk.AdvanceTo(later)
				}
			}
			require.Greater(t, q.refused, 40, "writes refused for space")
		})
	}
}

// step makes one random write to both stores.
func (q *quotaTwins) step(t *testing.T, step int) {
	name := fmt.Sprintf("p%d", q.rnd.IntN(6))
	key := podKey("default", name)
	switch op := q.rnd.IntN(13); op {
	case 0, 1:
		labels := map[string]string{"app": q.text(30)}
		var fin []string
		if q.rnd.IntN(2) == 0 {
			fin = []string{"example.com/hold"}
		}
		q.both(t, step, "create "+name, func(s *storage.Store) error {
			p := pod("default", name)
			p.Labels, p.Finalizers = labels, fin
			_, err := s.Create(p)
			return err
		})
	case 2, 3, 4:
		phase := []string{objects.PodPending, objects.PodRunning, objects.PodSucceeded}[q.rnd.IntN(3)]
		msg := q.text(40)
		relabel := q.rnd.IntN(5) == 0
		label := q.text(9)
		q.both(t, step, "status "+name, func(s *storage.Store) error {
			p, ok := shallow(s, key)
			if !ok {
				return nil
			}
			p.Status.Phase, p.Status.Message = phase, msg
			if relabel {
				p.Labels = map[string]string{"app": label}
			}
			_, err := s.UpdateStatus(p)
			return err
		})
	case 5:
		hold := q.rnd.IntN(2) == 0
		q.both(t, step, "finalizers "+name, func(s *storage.Store) error {
			p, ok := shallow(s, key)
			if !ok {
				return nil
			}
			p.Finalizers = nil
			if hold {
				p.Finalizers = []string{"example.com/hold", "example.com/other"}
			}
			_, err := s.Update(p)
			return err
		})
	case 6:
		deadline := int64(q.rnd.IntN(100000) + 1)
		q.both(t, step, "spec "+name, func(s *storage.Store) error {
			p, ok := shallow(s, key)
			if !ok {
				return nil
			}
			p.Spec.ActiveDeadlineSeconds = &deadline
			_, err := s.Update(p)
			return err
		})
	case 7:
		node := q.text(12) + "n"
		q.both(t, step, "bind "+name, func(s *storage.Store) error {
			_, err := s.Bind(key, strings.ToLower(strings.Map(keepAlnum, node)))
			return err
		})
	case 8:
		grace := int64(q.rnd.IntN(2) * 30)
		q.both(t, step, "delete "+name, func(s *storage.Store) error {
			_, err := s.Delete(key, storage.DeleteOptions{GracePeriodSeconds: &grace})
			if errors.Is(err, storage.ErrNotFound) {
				return nil
			}
			return err
		})
	case 9:
		q.eventStep(t, step)
	case 10:
		w := fmt.Sprintf("w%d", q.rnd.IntN(3))
		size := int64(q.rnd.IntN(1000000))
		q.both(t, step, "widget "+w, func(s *storage.Store) error {
			u := unstructured("example.com/v1", "Widget", "default", w)
			u.Content = map[string]any{"spec": map[string]any{"size": size}}
			if cur, err := s.Get(objects.KeyOf(u)); err == nil {
				u.ResourceVersion = cur.GetObjectMeta().ResourceVersion
				_, err := s.Update(u)
				return err
			}
			_, err := s.Create(u)
			return err
		})
	case 11:
		q.quotaStep()
	case 12:
		if q.noCheckpoints {
			q.quotaStep()
			return
		}
		q.checkpointStep()
	}
}

// keepAlnum keeps letters and digits, for a node name.
func keepAlnum(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// eventStep creates an Event or bumps a stored one's count, sharing the
// rest as the simulation's recorder does.
func (q *quotaTwins) eventStep(t *testing.T, step int) {
	name := fmt.Sprintf("e%d", q.rnd.IntN(4))
	msg := q.text(60)
	q.both(t, step, "event "+name, func(s *storage.Store) error {
		key := objects.Key{Kind: "Event", Namespace: "default", Name: name}
		if cur, err := s.Get(key); err == nil {
			e := new(objects.Event)
			*e = *cur.(*objects.Event)
			e.Count++
			_, err := s.UpdateTrusted(e)
			return err
		}
		_, err := s.CreateTrusted(&objects.Event{
			ObjectMeta:     objects.ObjectMeta{Namespace: "default", Name: name},
			InvolvedObject: objects.ObjectReference{Kind: "Pod", Namespace: "default", Name: "p0"},
			Reason:         "Started", Message: msg, Count: 1, Type: objects.EventNormal,
		})
		return err
	})
}

// quotaStep sets a quota a few bytes around the stored size, or none.
func (q *quotaTwins) quotaStep() {
	quota := int64(0)
	if q.rnd.IntN(4) > 0 {
		quota = max(1, q.whole.Size()+int64(q.rnd.IntN(400))-100)
	}
	q.parts.SetQuota(quota)
	q.whole.SetQuota(quota)
}

// checkpointStep takes a checkpoint, or rolls back to the one taken.
func (q *quotaTwins) checkpointStep() {
	if q.cp[0] == nil {
		c0, c1 := q.parts.Checkpoint(), q.whole.Checkpoint()
		q.cp = [2]*storage.Checkpoint{&c0, &c1}
		return
	}
	q.parts.Rollback(*q.cp[0])
	q.whole.Rollback(*q.cp[1])
	q.cp = [2]*storage.Checkpoint{}
}

// A status update written from the stored pod shares its metadata, whose
// size the store takes over but for the resourceVersion: across 10, 100
// and 1,000 the new one has a digit more, and the size one byte more.
func TestSizeFollowsResourceVersionDigits(t *testing.T) {
	f := newFixture(t)
	s := f.s.Store
	s.SetQuota(storage.DefaultQuotaBytes) // sizes measured as written
	_, err := s.Create(pod("default", "web"))
	require.NoError(t, err)
	for s.ResourceVersion() < 1001 {
		p, _ := shallow(s, podKey("default", "web"))
		p.Status.Message = fmt.Sprint(s.ResourceVersion() % 7)
		_, err := s.UpdateStatus(p)
		require.NoError(t, err)
		require.Equal(t, jsonTotal(t, s), s.Size(), "at revision %d", s.ResourceVersion())
	}
}
