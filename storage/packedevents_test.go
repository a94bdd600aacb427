package storage

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
)

// Packed Events must read back as they were written. Two stores take the
// same random creates, repeats (count and lastTimestamp bumped), deletes
// and checkpoints of Events, some of which cannot be packed (labels, an
// owner, a time in another location): one packs, the other (checking
// mutations) keeps objects. After every step both hold equal objects,
// list them alike, measure the same size and emit the same watch events;
// the packing one really packed, and moved its records when most of them
// were let go.
func TestPackedEventsReadBackAsWritten(t *testing.T) {
	for _, above := range []int{0, 300} {
		t.Run(fmt.Sprintf("packAbove=%d", above), func(t *testing.T) {
			defer func(was int) { packAbove = was }(packAbove)
			packAbove = above // 300: the table crosses it now and then
			checkPackedEventsReadBack(t, above)
		})
	}
}

func checkPackedEventsReadBack(t *testing.T, above int) {
	defer func(was int) { compactAfter = was }(compactAfter)
	compactAfter = 64 << 10

	t0 := time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	newStore := func(check bool) *Store {
		s := New(clk, rand.New(rand.NewPCG(1, 2)))
		s.SetQuota(1 << 30)
		for _, ns := range []string{"default", "kube-system"} {
			_, err := s.Create(&objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: ns}})
			require.NoError(t, err)
		}
		s.DrainEvents()
		s.CheckMutations(check)
		return s
	}
	packing, plain := newStore(false), newStore(true)
	stores := []*Store{packing, plain}
	r := rand.New(rand.NewPCG(3, 4))
	var names []string
	var saved []Checkpoint
	compacted := false
	for step := range 4000 {
		clk.AdvanceTo(clk.Now().Add(time.Duration(r.IntN(3)) * time.Second))
		switch op := r.IntN(100); {
		case op < 50 || len(names) == 0:
			e := randomEvent(r, step)
			names = append(names, e.Name)
			for _, s := range stores {
				_, err := s.CreateTrusted(e.DeepCopy())
				require.NoError(t, err)
			}
		case op < 75:
			key := eventKeyOf(names[r.IntN(len(names))])
			for _, s := range stores {
				obj, err := s.Get(key)
				if err != nil {
					continue
				}
				e := obj.(*objects.Event).DeepCopy()
				e.Count++
				e.LastTimestamp = objects.NewTime(clk.Now())
				_, err = s.UpdateTrusted(e)
				require.NoError(t, err)
			}
		case op < 99:
			i := r.IntN(len(names))
			key := eventKeyOf(names[i])
			names = append(names[:i], names[i+1:]...)
			for _, s := range stores {
				_, err := s.Delete(key, DeleteOptions{})
				require.NoError(t, err)
			}
		default:
			if len(saved) == 0 || r.IntN(2) == 0 {
				saved = []Checkpoint{packing.Checkpoint(), plain.Checkpoint()}
				continue
			}
			packing.Rollback(saved[0])
			plain.Rollback(saved[1])
			saved = nil
			names = names[:0]
			for _, obj := range plain.List(eventKind, "", nil) {
				names = append(names, obj.GetObjectMeta().Name)
			}
		}
		if tb := packing.tables.byKind[eventKind]; tb != nil && tb.arena.dead == 0 && tb.arena.live > 0 && step > 1000 {
			compacted = true
		}
		require.Equal(t, plain.DrainEvents(), packing.DrainEvents(), "watch events, step %d", step)
		require.Equal(t, plain.Size(), packing.Size(), "size, step %d", step)
		for i, name := range names {
			if step%25 != 0 && i%40 != step%40 {
				continue // all of them now and then, a fortieth each step
			}
			want, err := plain.Get(eventKeyOf(name))
			if err != nil {
				continue
			}
			got, err := packing.Get(eventKeyOf(name))
			require.NoError(t, err)
			require.Equal(t, want, got, "step %d", step)
		}
		if step%50 == 0 {
			require.Equal(t, plain.List(eventKind, "", nil), packing.List(eventKind, "", nil), "list, step %d", step)
		}
	}
	tb := packing.tables.byKind[eventKind]
	packed := 0
	for _, s := range tb.objs {
		if s.packed != 0 {
			packed++
		}
	}
	if above == 0 {
		require.Greater(t, packed, len(tb.objs)/2, "most Events are packed")
	} else {
		require.Positive(t, packed, "Events are packed")
	}
	require.True(t, compacted, "the arena moved its records")
}

func eventKeyOf(name string) objects.Key {
	return objects.Key{Kind: eventKind, Namespace: "default", Name: name}
}

// randomEvent returns an Event as the recorder makes them, or now and then
// one with a field a record cannot hold.
func randomEvent(r *rand.Rand, i int) *objects.Event {
	now := objects.NewTime(time.Date(2023, 12, 22, 0, 0, i, 0, time.UTC))
	words := []string{"", "Created", "pod:", "pi-fxk26", "日本語", strings.Repeat("x", 300)}
	msg := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
	e := &objects.Event{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: eventKind},
		ObjectMeta: objects.ObjectMeta{Name: fmt.Sprintf("pi-%d.17a2b%04x", i, r.IntN(1<<16)), Namespace: "default"},
		InvolvedObject: objects.ObjectReference{Kind: "Pod", Namespace: "default", Name: fmt.Sprintf("pi-%d", i),
			UID: "f901e159-9c66-417f-bcc9-218da9d9349a", APIVersion: "v1", ResourceVersion: fmt.Sprint(i)},
		Reason: "Scheduled", Message: msg, Source: objects.EventSource{Component: "kubelet", Host: "k8s-node1"},
		FirstTimestamp: now, LastTimestamp: now, Count: 1, Type: objects.EventNormal,
		ReportingController: "kubelet", ReportingInstance: "k8s-node1",
	}
	switch r.IntN(14) {
	case 12, 13: // as events.k8s.io/v1 writes them (the scheduler's): no source, count or timestamps
		e.Source, e.FirstTimestamp, e.LastTimestamp, e.Count = objects.EventSource{}, objects.Time{}, objects.Time{}, 0
		e.ReportingController, e.ReportingInstance = "default-scheduler", "default-scheduler-k8s-master"
		e.Action, e.EventTime = "Scheduling", objects.NewMicroTime(now.Add(time.Duration(r.IntN(1e6))*time.Microsecond))
		if r.IntN(2) == 0 {
			e.Series = &objects.EventSeries{Count: int32(2 + r.IntN(9)), LastObservedTime: objects.NewMicroTime(now.Add(time.Minute))}
		}
	case 0:
		e.Labels = map[string]string{"app": "pi"}
	case 1:
		e.FirstTimestamp = objects.Time{Time: now.In(time.FixedZone("CET", 3600))}
	case 2:
		e.ReportingInstance = "elsewhere"
	case 3:
		e.FirstTimestamp, e.Source.Host, e.ReportingInstance, e.InvolvedObject = objects.Time{}, "", "", objects.ObjectReference{}
	}
	return e
}

// A record must hold every field of an Event, or the Event must not be
// packed: a field added to objects.Event (or ObjectMeta, ObjectReference,
// EventSource) that packedevents.go does not know fails here. Every
// string, number and time set to a value of its own comes back; each
// pointer, map or slice set alone makes the Event unpackable.
func TestPackedEventsCoverEveryField(t *testing.T) {
	e := &objects.Event{}
	var refs []reflect.Value
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch {
		case v.Type() == reflect.TypeOf(objects.Time{}):
			n++
			v.Set(reflect.ValueOf(objects.NewTime(time.Date(2023, 12, 22, 0, 0, n, 0, time.UTC))))
			return
		case v.Type() == reflect.TypeOf(objects.MicroTime{}):
			n++
			v.Set(reflect.ValueOf(objects.NewMicroTime(time.Date(2023, 12, 22, 0, 0, n, n*1000, time.UTC))))
			return
		case v.Type() == reflect.TypeOf(&objects.EventSeries{}): // a record holds a series
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
			return
		}
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		case reflect.String:
			n++
			v.SetString(fmt.Sprintf("s%d", n))
		case reflect.Int, reflect.Int32, reflect.Int64:
			n++
			v.SetInt(int64(n))
		case reflect.Pointer, reflect.Map, reflect.Slice:
			refs = append(refs, v)
		default:
			t.Fatalf("a field of kind %s: teach packedevents.go (and this test) about it", v.Kind())
		}
	}
	fill(reflect.ValueOf(e).Elem())

	var a eventArena
	ref, ok := a.pack(e)
	require.True(t, ok)
	require.Equal(t, e, a.unpack(ref))
	// The reporting instance is stored only when it is not the source's host.
	e.ReportingInstance = e.Source.Host
	ref, ok = a.pack(e)
	require.True(t, ok)
	require.Equal(t, e, a.unpack(ref))

	for _, v := range refs {
		var set reflect.Value
		switch v.Kind() {
		case reflect.Pointer:
			set = reflect.New(v.Type().Elem())
		case reflect.Map:
			set = reflect.MakeMap(v.Type())
		case reflect.Slice:
			set = reflect.MakeSlice(v.Type(), 0, 0)
		}
		v.Set(set)
		require.False(t, packable(e), "an Event with %s set", v.Type())
		v.Set(reflect.Zero(v.Type()))
	}
	require.NotEmpty(t, refs)
}

// An unpacked Event must not share its chunk's memory: whoever keeps it
// (a trace entry, a watcher's cache) would keep the whole chunk, and with
// it a chunk for every Event kept (1 GB of chunks for a few thousand
// Events before this test).
func TestUnpackedEventsDoNotHoldTheirChunk(t *testing.T) {
	var a eventArena
	e := randomEvent(rand.New(rand.NewPCG(5, 6)), 1)
	e.Labels = nil
	e.FirstTimestamp = e.LastTimestamp
	e.ReportingInstance = e.Source.Host
	ref, ok := a.pack(e)
	require.True(t, ok)
	got := a.unpack(ref)
	require.Equal(t, e, got)
	chunk := a.chunks[0]
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(chunk)))
	hi := lo + uintptr(cap(chunk))
	for _, s := range eventStrings(got) {
		if *s == "" {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(*s)))
		require.False(t, p >= lo && p < hi, "%q lies in the chunk", *s)
	}
}

// A new Event is packed once the table holds packAbove; one written again
// (a repeat) stays an object, as it is likely to repeat again.
func TestRepeatedEventsStayObjects(t *testing.T) {
	defer func(was int) { packAbove = was }(packAbove)
	clk := clock.NewFake(time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC))
	s := New(clk, rand.New(rand.NewPCG(1, 2)))
	s.SetQuota(1 << 30)
	_, err := s.Create(&objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "default"}})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(3, 4))
	create := func(i int) string {
		e := randomEvent(r, i)
		e.Labels, e.FirstTimestamp, e.ReportingInstance = nil, e.LastTimestamp, e.Source.Host
		_, err := s.CreateTrusted(e)
		require.NoError(t, err)
		return e.Name
	}
	isPacked := func(name string) bool {
		return s.tables.byKind[eventKind].objs[nsName{"default", name}].packed != 0
	}

	packAbove = 3
	small := create(0) // the table holds 0 Events before it
	create(1)
	create(2)
	big := create(3) // and 3 before this one
	assert.False(t, isPacked(small), "a small table's Events stay objects")
	assert.True(t, isPacked(big), "a large table's new Event is packed")

	obj, err := s.Get(eventKeyOf(big))
	require.NoError(t, err)
	bumped := obj.(*objects.Event).DeepCopy()
	bumped.Count++
	_, err = s.UpdateTrusted(bumped)
	require.NoError(t, err)
	assert.False(t, isPacked(big), "a repeated Event is an object again")
	got, err := s.Get(eventKeyOf(big))
	require.NoError(t, err)
	assert.Equal(t, int32(2), got.(*objects.Event).Count)
}
