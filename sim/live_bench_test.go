package sim_test

import (
	"testing"
	"time"

	"github.com/kubesim/kubesim/sim"
)

// counterPod is the Kubernetes docs' logging example: two appends and a
// sleep a second, for ever.
const counterPod = `apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  containers:
  - name: count
    image: busybox:1.36
    args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)" >> /var/log/1.log; echo "$(date) INFO $i" >> /var/log/2.log; i=$((i+1)); sleep 1; done']
    volumeMounts:
    - {name: varlog, mountPath: /var/log}
  volumes:
  - name: varlog
    emptyDir: {}
`

// BenchmarkCounterPodHour simulates an hour of the counter pod: 3,600
// wake-ups of a live process, each appending to two files. It reports the
// cost of one simulated second of a busy container.
func BenchmarkCounterPodHour(b *testing.B) {
	for b.Loop() {
		c, err := sim.New(sim.Config{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Apply([]byte(counterPod)); err != nil {
			b.Fatal(err)
		}
		c.Advance(time.Hour)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/3600, "ns/virtual-s")
}
