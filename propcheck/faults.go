package propcheck

import (
	"fmt"

	"pgregory.net/rapid"
)

// faultControllers are the controllers runs inject faults into.
var faultControllers = []string{"job-controller", "deployment-controller", "replicaset-controller",
	"garbage-collector-controller", "endpoint-controller", "default-scheduler", "statefulset-controller",
	"persistentvolume-binder-controller"}

// fault injects a control-plane fault: a stale view, lost watch events, or
// a crash between two writes of one reconcile.
func fault(s *Scenario) {
	ctrl := rapid.SampledFrom(faultControllers).Draw(s.T, "controller")
	switch kind := rapid.SampledFrom([]string{"stale", "drop", "crash"}).Draw(s.T, "fault"); kind {
	case "crash":
		s.Do(fmt.Sprintf("fault crash %s", ctrl))
	default:
		s.Do(fmt.Sprintf("fault %s %s %d", kind, ctrl, rapid.IntRange(1, 4).Draw(s.T, "count")))
	}
	s.faulted[ctrl] = true
}
