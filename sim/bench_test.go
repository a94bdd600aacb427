package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// BenchmarkEventLoop measures one pod's whole life (create, schedule,
// sandbox, start, run, exit, delete) through the event loop in a cluster that
// already holds n other objects, so one can see the cost per pod does not
// grow with the cluster:
//
//	go test -run '^$' -bench EventLoop -benchmem ./sim/
func BenchmarkEventLoop(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			c := clusterWith(b, n)
			pod := func(i int) objects.Object {
				return &objects.Pod{
					TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
					ObjectMeta: objects.ObjectMeta{Name: fmt.Sprintf("bench-%d", i), Namespace: "bench"},
					Spec: objects.PodSpec{RestartPolicy: objects.RestartPolicyNever, Containers: []objects.Container{{
						Name: "c", Image: "busybox:1.36", Command: []string{"sh", "-c", "echo hi; sleep 5"}}}},
				}
			}
			zero := int64(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := c.ApplyObjects(pod(i)); err != nil {
					b.Fatal(err)
				}
				c.Advance(10 * time.Second)
				key := objects.Key{Kind: "Pod", Namespace: "bench", Name: fmt.Sprintf("bench-%d", i)}
				if _, err := c.Delete(key, deleteNow(&zero)); err != nil {
					b.Fatal(err)
				}
				c.Advance(time.Second)
			}
		})
	}
}

// clusterWith returns a cluster whose store holds n extra objects (config
// objects no controller acts on) in a namespace of their own.
func clusterWith(b *testing.B, n int) *sim.Cluster {
	b.Helper()
	c, err := sim.New(sim.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, ns := range []string{"bench", "filler"} {
		if _, err := c.ApplyObjects(&objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: objects.ObjectMeta{Name: ns}}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		u := &objects.Unstructured{
			TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: objects.ObjectMeta{Name: fmt.Sprintf("filler-%06d", i), Namespace: "filler"},
			Content:    map[string]any{"data": map[string]any{"k": "v"}},
		}
		if _, err := c.ApplyObjects(u); err != nil {
			b.Fatal(err)
		}
	}
	c.Advance(time.Hour) // let event TTLs and the like settle
	return c
}

func deleteNow(grace *int64) storage.DeleteOptions {
	return storage.DeleteOptions{GracePeriodSeconds: grace}
}
