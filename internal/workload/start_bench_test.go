package workload

import (
	"testing"
	"time"

	"github.com/kubesim/kubesim/internal/workload/images"
)

// BenchmarkStartJobContainer starts and runs a Job pod's container as the
// kubelet does (BenchmarkJobs' `sh -c "echo working; sleep 30"` on busybox,
// with the kubernetes Service variables), to its exit: the per-container
// cost of the workload model.
func BenchmarkStartJobContainer(b *testing.B) {
	env := []EnvVar{
		{Name: "KUBERNETES_SERVICE_HOST", Value: "10.96.0.1"},
		{Name: "KUBERNETES_SERVICE_PORT", Value: "443"},
		{Name: "KUBERNETES_SERVICE_PORT_HTTPS", Value: "443"},
		{Name: "KUBERNETES_PORT", Value: "tcp://10.96.0.1:443"},
		{Name: "KUBERNETES_PORT_443_TCP", Value: "tcp://10.96.0.1:443"},
		{Name: "KUBERNETES_PORT_443_TCP_PROTO", Value: "tcp"},
		{Name: "KUBERNETES_PORT_443_TCP_PORT", Value: "443"},
		{Name: "KUBERNETES_PORT_443_TCP_ADDR", Value: "10.96.0.1"},
	}
	img := images.Lookup("busybox:1.36")
	scripts := NewScripts()
	search := []string{"default.svc.cluster.local", "svc.cluster.local", "cluster.local"}
	b.ReportAllocs()
	for b.Loop() {
		p := Start(Process{Argv: []string{"sh", "-c", "echo working; sleep 30"}, Env: env, Hostname: "job-1-abcde",
			Start: testStart, Image: img, DNSSearch: search, Scripts: scripts})
		p.RunUntil(0, nil)
		p.RunUntil(time.Minute, nil)
		if _, _, ok := p.Exited(); !ok {
			b.Fatal("the container did not exit")
		}
		p.Kill()
	}
}
