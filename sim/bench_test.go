package sim_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
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
//
// KUBESIM_BENCH_LOOP_1M=1 adds a cluster of a million objects (a minute
// to build, 3.7 GB): run it long enough that the collector's cycles over
// that heap are averaged in, e.g. -benchtime 200000x.
func BenchmarkEventLoop(b *testing.B) {
	sizes := []int{1_000, 10_000, 100_000}
	if os.Getenv("KUBESIM_BENCH_LOOP_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
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
func clusterWith(b testing.TB, n int) *sim.Cluster {
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
		cm := &objects.ConfigMap{
			TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: objects.ObjectMeta{Name: fmt.Sprintf("filler-%06d", i), Namespace: "filler"},
			Data:       map[string]string{"k": "v"},
		}
		if _, err := c.ApplyObjects(cm); err != nil {
			b.Fatal(err)
		}
	}
	c.Advance(time.Hour) // let event TTLs and the like settle
	return c
}

func deleteNow(grace *int64) storage.DeleteOptions {
	return storage.DeleteOptions{GracePeriodSeconds: grace}
}

// BenchmarkJobs drives 1,000 Jobs (4 completions, parallelism 2) to
// completion through the whole simulation — Job controller, scheduler,
// kubelets, garbage of finished pods kept — and reports simulated pods per
// second of wall time and allocations per pod:
//
//	go test -run '^$' -bench Jobs -benchmem ./sim/
func BenchmarkJobs(b *testing.B) {
	nodes := []sim.NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "k8s-node1", PodCIDR: "10.244.0.0/16", InternalIP: "192.168.122.25", CPU: "64", Memory: "256Gi", MaxPods: 5000},
		{Name: "k8s-node2", PodCIDR: "10.245.0.0/16", InternalIP: "192.168.122.26", CPU: "64", Memory: "256Gi", MaxPods: 5000},
	}
	runJobs(b, benchJobCount, sim.Config{Nodes: nodes})
}

// BenchmarkJobsDefaultCluster is BenchmarkJobs on the tutorial's cluster
// as sim.Config{} makes it (two small workers): 2,000 pods want to run at
// once and about 220 fit, so most wait for room, as the first
// target has it ("on the default 3-node cluster"). It measures the
// scheduling queue: a waiting pod is tried again after pods leave, at most
// once per backoff, not once per pod that leaves.
//
//	go test -run '^$' -bench JobsDefaultCluster -benchtime 2x -benchmem ./sim/
func BenchmarkJobsDefaultCluster(b *testing.B) {
	runJobs(b, benchJobCount, sim.Config{})
}

// BenchmarkJobsScaling drives 100, 1,000 and 10,000 Jobs (4 completions,
// parallelism 2) to completion on nodes big enough that no pod waits for
// room, with client rate limits lifted so that no controller waits for
// tokens: what is left to vary is the number of objects, so CPU-us/pod
// at the three sizes shows whether a pod's cost grows with the cluster:
//
//	go test -run '^$' -bench JobsScaling -benchtime 1x -benchmem ./sim/
func BenchmarkJobsScaling(b *testing.B) {
	nodes := []sim.NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "k8s-node1", PodCIDR: "10.244.0.0/16", InternalIP: "192.168.122.25", CPU: "4096", Memory: "16Ti", MaxPods: 30000},
		{Name: "k8s-node2", PodCIDR: "10.245.0.0/16", InternalIP: "192.168.122.26", CPU: "4096", Memory: "16Ti", MaxPods: 30000},
	}
	unlimited := sim.ClientLimit{QPS: 1e6, Burst: 1e6}
	limits := sim.APILimits{ControllerManager: unlimited, Scheduler: unlimited, Kubelet: unlimited}
	for _, jobs := range []int{100, 1_000, 10_000} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			runJobs(b, jobs, sim.Config{Nodes: nodes, APILimits: limits})
		})
	}
}

// BenchmarkJobsTyped is BenchmarkJobs with the Jobs handed over as
// objects (benchJob decoded once, copied and renamed), as a Go test or a
// client would, rather than as YAML manifests: the simulation's cost
// without the manifests' parsing, which is a quarter of BenchmarkJobs'
// allocations.
//
//	go test -run '^$' -bench JobsTyped -benchtime 2x -benchmem ./sim/
func BenchmarkJobsTyped(b *testing.B) {
	nodes := []sim.NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "k8s-node1", PodCIDR: "10.244.0.0/16", InternalIP: "192.168.122.25", CPU: "64", Memory: "256Gi", MaxPods: 5000},
		{Name: "k8s-node2", PodCIDR: "10.245.0.0/16", InternalIP: "192.168.122.26", CPU: "64", Memory: "256Gi", MaxPods: 5000},
	}
	objs, err := objects.Decode([]byte(fmt.Sprintf(benchJob, 0)))
	if err != nil {
		b.Fatal(err)
	}
	template := objs[0].(*objects.Job)
	runJobsWith(b, benchJobCount, sim.Config{Nodes: nodes}, func(c *sim.Cluster, i int) error {
		j := template.DeepCopy()
		j.Name = fmt.Sprintf("job-%d", i)
		_, err := c.CreateObjects(j)
		return err
	})
}

// runJobs creates jobs copies of benchJob in a cluster made from cfg,
// runs it until every Job has finished, and reports pods per CPU-second,
// CPU time and allocations per pod.
func runJobs(b *testing.B, jobs int, cfg sim.Config) {
	runJobsWith(b, jobs, cfg, func(c *sim.Cluster, i int) error {
		_, err := c.Create([]byte(fmt.Sprintf(benchJob, i)))
		return err
	})
}

// runJobsWith is runJobs with create making the i-th Job.
func runJobsWith(b *testing.B, jobs int, cfg sim.Config, create func(c *sim.Cluster, i int) error) {
	const completions = 4
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		c, err := sim.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for i := range jobs {
			if err := create(c, i); err != nil {
				b.Fatal(err)
			}
		}
		c.Advance(15 * time.Minute) // each Job needs about two minutes
		for _, obj := range c.Store().List("Job", "default", nil) {
			if !objects.IsJobFinished(obj.(*objects.Job)) {
				b.Fatalf("job %s did not finish", obj.GetObjectMeta().Name)
			}
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&ms1)
	pods := float64(b.N * jobs * completions)
	b.ReportMetric(pods/b.Elapsed().Seconds(), "pods/s")
	b.ReportMetric(pods/cpu.Seconds(), "pods/CPU-s")
	b.ReportMetric(float64(cpu.Microseconds())/pods, "CPU-us/pod")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/pods, "allocs/pod")
}

// cpuTime is the CPU time (user and system) the process has used: what a
// benchmark should compare on a shared machine, where wall time also
// counts the other processes' turns. The garbage collector's work on the
// second core counts too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

const benchJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: job-%d
spec:
  completions: 4
  parallelism: 2
  template:
    spec:
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "echo working; sleep 30"]
      restartPolicy: Never
`

// benchJobCount is how many Jobs BenchmarkJobs runs (1,000, the issue's
// figure); a variable so a profile can be taken on fewer.
var benchJobCount = envInt("KUBESIM_BENCH_JOBS", 1000)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestBenchmarkFixturesStillBuild runs the benchmarks' setup at a tiny
// size, so that a model change that breaks a benchmark's fixtures (as
// typing ConfigMaps once did) fails go test rather than the next -bench run.
func TestBenchmarkFixturesStillBuild(t *testing.T) {
	c := clusterWith(t, 3)
	fillers := 0
	for _, o := range c.Store().List("ConfigMap", "filler", nil) {
		if strings.HasPrefix(o.GetObjectMeta().Name, "filler-") { // not the namespace's kube-root-ca.crt
			fillers++
		}
	}
	if fillers != 3 {
		t.Fatalf("filler has %d filler objects, want 3", fillers)
	}
	if _, err := c.Create([]byte(fmt.Sprintf(benchJob, 0))); err != nil {
		t.Fatal(err)
	}
	// BenchmarkJobsTyped's way: the manifest decoded, copied, renamed.
	objs, err := objects.Decode([]byte(fmt.Sprintf(benchJob, 0)))
	if err != nil {
		t.Fatal(err)
	}
	typed := objs[0].(*objects.Job).DeepCopy()
	typed.Name = "job-1"
	if _, err := c.CreateObjects(typed); err != nil {
		t.Fatal(err)
	}
	c.Advance(5 * time.Minute)
	for _, name := range []string{"job-0", "job-1"} {
		obj, err := c.Get(objects.Key{Kind: "Job", Namespace: "default", Name: name})
		if err != nil || !objects.IsJobFinished(obj.(*objects.Job)) {
			t.Fatalf("the benchmark Job %s did not finish: %v", name, err)
		}
	}
}
