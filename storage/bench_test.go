package storage_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// benchSizes are the store sizes each benchmark runs at. The largest is only
// built when a benchmark runs (go test without -bench never builds it) and
// is skipped under -short.
var benchSizes = []int{1_000, 10_000, 100_000}

// podsPerNamespace is how many pods each benchmark namespace holds, so that
// listing one namespace returns 100 pods at every size.
const podsPerNamespace = 100

// benchStore is a populated store and the keys of its pods.
type benchStore struct {
	s          *storage.Store
	pods       []objects.Key
	namespaces []string
}

// benchStores caches one populated store per size; benchmarks clone it.
var benchStores = map[int]*benchStore{}

// populated returns a store holding about n objects: n/100 namespaces of
// 100 pods each (namespaces count towards n).
func populated(b *testing.B, n int) *benchStore {
	b.Helper()
	if n >= 100_000 && testing.Short() {
		b.Skip("large store skipped in -short mode")
	}
	if bs, ok := benchStores[n]; ok {
		return &benchStore{s: bs.s.CloneForTest(), pods: bs.pods, namespaces: bs.namespaces}
	}
	s := storage.New(clock.NewFake(t0), rand.New(rand.NewPCG(1, 2)))
	bs := &benchStore{s: s}
	for i := 0; s.Len() < n; i++ {
		ns := "ns-" + strconv.Itoa(i)
		if _, err := s.Create(namespace(ns)); err != nil {
			b.Fatal(err)
		}
		bs.namespaces = append(bs.namespaces, ns)
		for j := 0; j < podsPerNamespace && s.Len() < n; j++ {
			p := pod(ns, "pod-"+strconv.Itoa(j))
			p.Labels = map[string]string{"app": "bench"}
			if _, err := s.Create(p); err != nil {
				b.Fatal(err)
			}
			bs.pods = append(bs.pods, objects.KeyOf(p))
		}
		s.DrainEvents()
	}
	benchStores[n] = bs
	return &benchStore{s: s.CloneForTest(), pods: bs.pods, namespaces: bs.namespaces}
}

// eachSize runs fn as a sub-benchmark per store size.
func eachSize(b *testing.B, fn func(b *testing.B, bs *benchStore)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			bs := populated(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			fn(b, bs)
		})
	}
}

// drainEvery forgets accumulated watch events outside the timer now and
// then, so that memory stays flat without timing the drain.
func drainEvery(b *testing.B, s *storage.Store, i int) {
	if i%1024 == 1023 {
		b.StopTimer()
		s.DrainEvents()
		b.StartTimer()
	}
}

func BenchmarkCreate(b *testing.B) {
	eachSize(b, func(b *testing.B, bs *benchStore) {
		// A new pod each time: the store keeps the object it is given.
		for i := 0; b.Loop(); i++ {
			if _, err := bs.s.Create(pod(bs.namespaces[0], "new-"+strconv.Itoa(i))); err != nil {
				b.Fatal(err)
			}
			drainEvery(b, bs.s, i)
		}
	})
}

func BenchmarkUpdate(b *testing.B) {
	eachSize(b, func(b *testing.B, bs *benchStore) {
		// Updates start from stored pods (an update must carry the defaults
		// the create added) spread over the whole store; resourceVersion is
		// cleared so each update is unconditional.
		inputs := make([]*objects.Pod, 0, 1024)
		step := max(1, len(bs.pods)/cap(inputs))
		for i := 0; i < len(bs.pods) && len(inputs) < cap(inputs); i += step {
			obj, err := bs.s.Get(bs.pods[i])
			if err != nil {
				b.Fatal(err)
			}
			p := obj.(*objects.Pod)
			p.ResourceVersion = ""
			inputs = append(inputs, p)
		}
		for i := 0; b.Loop(); i++ {
			in := inputs[i%len(inputs)]
			in.Labels["rev"] = strconv.Itoa(i) // a real change every time
			if _, err := bs.s.Update(in); err != nil {
				b.Fatal(err)
			}
			drainEvery(b, bs.s, i)
		}
	})
}

func BenchmarkGet(b *testing.B) {
	eachSize(b, func(b *testing.B, bs *benchStore) {
		for i := 0; b.Loop(); i++ {
			if _, err := bs.s.Get(bs.pods[i%len(bs.pods)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListNamespace(b *testing.B) {
	eachSize(b, func(b *testing.B, bs *benchStore) {
		for i := 0; b.Loop(); i++ {
			ns := bs.namespaces[i%(len(bs.namespaces)-1)] // the last may be partly filled
			if got := bs.s.List("Pod", ns, nil); len(got) != podsPerNamespace {
				b.Fatalf("listed %d pods in %s, want %d", len(got), ns, podsPerNamespace)
			}
		}
	})
}
