package sim_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/kubesim/kubesim/sim"
)

// helloCronJob is the tutorial's CronJob (examples/cronjob-hello): every
// minute a pod prints the date and a greeting; the default history limits
// keep three successful Jobs and one failed.
const helloCronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.36
            args: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
          restartPolicy: OnFailure
`

// heapAfterGC returns the live heap in bytes once the garbage is collected.
func heapAfterGC() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc)
}

// BenchmarkCronJobMemory runs the tutorial's hello CronJob for 8 virtual
// days and reports the live heap after 1 and 8 days and the objects left
// in the store: the history limits keep the store small, and the heap
// must stay as small (bounded by live objects, not by the time run):
//
//	go test -run '^$' -bench CronJobMemory -benchtime 1x ./sim/
func BenchmarkCronJobMemory(b *testing.B) {
	var day1, day8, objs float64
	for range b.N {
		c, err := sim.New(sim.Config{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Create([]byte(helloCronJob)); err != nil {
			b.Fatal(err)
		}
		c.Advance(24 * time.Hour)
		day1 = heapAfterGC()
		c.Advance(benchDays * 24 * time.Hour)
		day8 = heapAfterGC()
		objs = float64(countObjects(c))
		runtime.KeepAlive(c)
	}
	b.ReportMetric(day1, "heap-B@1d")
	b.ReportMetric(day8, "heap-B@8d")
	b.ReportMetric(objs, "objects@8d")
}

// countObjects counts every object in the store.
func countObjects(c *sim.Cluster) int {
	n := 0
	for _, kind := range []string{"Pod", "Job", "CronJob", "Event", "Node", "Namespace", "Service", "Endpoints", "EndpointSlice", "ConfigMap"} {
		n += len(c.Store().List(kind, "", nil))
	}
	return n
}

// benchDays is how many more days BenchmarkCronJobMemory runs after the first.
var benchDays = time.Duration(envInt("KUBESIM_BENCH_DAYS", 7))

// BenchmarkUnboundedReplicas applies a Deployment of a billion replicas and
// lets ten virtual seconds pass, as testdata/unbounded-replicas.txt does:
// the control plane's client rate limits make that 230 pods, and the wall
// time and heap are those of 230 pods:
//
//	go test -run '^$' -bench UnboundedReplicas -benchmem ./sim/
func BenchmarkUnboundedReplicas(b *testing.B) {
	var pods, heap float64
	for range b.N {
		c, err := sim.New(sim.Config{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Apply([]byte(hugeDeployment)); err != nil {
			b.Fatal(err)
		}
		c.Advance(10 * time.Second)
		pods = float64(podCount(c))
		b.StopTimer()
		heap = heapAfterGC()
		runtime.KeepAlive(c)
		b.StartTimer()
	}
	if pods != 230 {
		b.Fatalf("%v pods after 10s, want 230", pods)
	}
	b.ReportMetric(pods, "pods@10s")
	b.ReportMetric(heap, "heap-B@10s")
}

const hugeDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: huge
spec:
  replicas: 1000000000
  selector:
    matchLabels: {app: huge}
  template:
    metadata:
      labels: {app: huge}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`
