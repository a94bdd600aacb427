package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

// BenchmarkCronJobsOneDay runs 1,000 CronJobs on "*/1 * * * *" for one
// simulated day through the whole simulation (CronJob and Job controllers,
// scheduler, kubelets, garbage collector; history limits keep the store
// bounded) and reports simulated Jobs per second of wall time:
//
//	go test -run '^$' -bench CronJobsOneDay -benchtime 1x ./sim/
func BenchmarkCronJobsOneDay(b *testing.B) {
	benchCronJobs(b, 1000, 24*time.Hour)
}

// BenchmarkCronJobsShort is the same with 100 CronJobs for 20 minutes, a
// quicker measure of the same path.
func BenchmarkCronJobsShort(b *testing.B) {
	benchCronJobs(b, 100, 20*time.Minute)
}

// benchCronJobs runs n every-minute CronJobs for d and reports jobs/s.
func benchCronJobs(b *testing.B, n int, d time.Duration) {
	nodes := []sim.NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "k8s-node1", PodCIDR: "10.244.0.0/16", InternalIP: "192.168.122.25", CPU: "256", Memory: "1024Gi", MaxPods: 20000},
		{Name: "k8s-node2", PodCIDR: "10.245.0.0/16", InternalIP: "192.168.122.26", CPU: "256", Memory: "1024Gi", MaxPods: 20000},
	}
	slots := int(d / time.Minute)
	b.ResetTimer()
	for range b.N {
		c, err := sim.New(sim.Config{Nodes: nodes, APILimits: benchAPILimits})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if _, err := c.Create([]byte(fmt.Sprintf(benchCronJob, i))); err != nil {
				b.Fatal(err)
			}
		}
		c.Advance(d + time.Second)
		last := c.Start().Add(time.Duration(slots) * time.Minute)
		for _, obj := range c.Store().List("CronJob", "default", nil) {
			cj := obj.(*objects.CronJob)
			if lst := cj.Status.LastScheduleTime; lst == nil || !lst.Equal(last) {
				b.Fatalf("cronjob %s: lastScheduleTime %v, want %v", cj.Name, lst, last)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*n*slots)/b.Elapsed().Seconds(), "jobs/s")
}

// benchAPILimits lift kube-controller-manager's client limits far above
// the defaults (20 writes a second, bursts of 30): a thousand CronJobs
// every minute need some 2,000 CronJob writes and 4,000 Job writes a
// minute, which a real controller manager at its defaults cannot make (it
// falls behind); these benchmarks measure the simulator, not that.
var benchAPILimits = sim.APILimits{ControllerManager: sim.ClientLimit{QPS: 5000, Burst: 5000}}

const benchCronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick-%d
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: tick
            image: busybox:1.36
            command: ["sh", "-c", "echo hi"]
          restartPolicy: Never
`
