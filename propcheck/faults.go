package propcheck

import (
	"fmt"

	"pgregory.net/rapid"
)

// faultKinds are the faults a fault step draws from. rapid shrinks a
// choice toward the first, so the faults whose failures replay most
// robustly come first: a crash strikes a reconcile wherever it comes,
// while a stale view's failure hangs on the count of changes, which every
// step removed changes. Crashes and stale views, which reach the classic
// bug classes (a reconcile cut between its writes, #105200; a view
// without the controller's own writes, #27997), are drawn twice as often.
var faultKinds = []string{"crash", "stale", "crash", "stale", "error", "restart", "drop", "delay"}

// faultControllers are the controllers runs inject faults into.
var faultControllers = []string{"job-controller", "cronjob-controller", "ttl-after-finished-controller",
	"deployment-controller", "replicaset-controller", "garbage-collector-controller", "endpoint-controller",
	"default-scheduler", "statefulset-controller", "persistentvolume-binder-controller"}

// alwaysFaulted are the controllers every run's objects pass through.
var alwaysFaulted = []string{"garbage-collector-controller", "default-scheduler"}

// controllersOf are, for each kind of object a run creates (by the names
// Scenario.Add remembers), the controllers that act on it. A fault strikes
// one of the controllers of what the run has created so far: a fault in a
// controller with nothing to do is a step wasted.
var controllersOf = map[string][]string{
	nameJob:         {"job-controller", "ttl-after-finished-controller"},
	nameCronJob:     {"cronjob-controller", "job-controller"},
	nameDeployment:  {"deployment-controller", "replicaset-controller"},
	nameReplicaSet:  {"replicaset-controller"},
	nameStatefulSet: {"statefulset-controller", "persistentvolume-binder-controller"},
	nameService:     {"endpoint-controller"},
	nameClaim:       {"persistentvolume-binder-controller"},
	nameVolume:      {"persistentvolume-binder-controller"},
	nameClass:       {"persistentvolume-binder-controller"},
}

// faultTargets are the controllers a fault may strike now, in
// faultControllers' order; every one when the operations are a caller's
// own, which may not tell Scenario.Add what they create.
func (s *Scenario) faultTargets() []string {
	if s.anyTarget {
		return faultControllers
	}
	want := map[string]bool{}
	for _, c := range alwaysFaulted {
		want[c] = true
	}
	for kind := range s.created {
		for _, c := range controllersOf[kind] {
			want[c] = true
		}
	}
	var out []string
	for _, c := range faultControllers {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

// staleKinds are, for each controller, the kinds whose informer alone may
// lag: the ones it reads besides its own objects, whose lag behind its own
// objects' informer makes a controller act on a view without its own
// writes ("" lags every kind).
var staleKinds = map[string][]string{
	"job-controller":                     {"", "Pod", "Job"},
	"cronjob-controller":                 {"", "Job"},
	"ttl-after-finished-controller":      {"", "Job"},
	"deployment-controller":              {"", "ReplicaSet", "Pod"},
	"replicaset-controller":              {"", "Pod"},
	"garbage-collector-controller":       {"", "Pod", "ReplicaSet"},
	"endpoint-controller":                {"", "Pod"},
	"default-scheduler":                  {"", "Pod", "Node"},
	"statefulset-controller":             {"", "Pod", "PersistentVolumeClaim"},
	"persistentvolume-binder-controller": {"", "PersistentVolume", "PersistentVolumeClaim"},
}

// The ranges faults are drawn from reach the classic bug classes: a Job
// sync alone makes half a dozen store changes (its pods, their events, its
// status), so a stale view must lag tens of changes, for minutes, and one
// kind's informer lag behind another's, to hide a controller's own writes
// from its next sync (kubernetes#27997, a Job creating pods twice from a
// pod informer behind its job informer); delays from a second to minutes
// let a user's change overtake the events before it; a crash may strike
// before any write or after several; error bursts exercise every write's
// failure path and its back-off.
var (
	staleDepths    = []int{1, 2, 5, 10, 20, 30}
	staleDurations = []string{"1s", "10s", "30s", "1m", "3m"}
	delays         = []string{"1s", "5s", "20s", "1m", "3m"}
	delayCounts    = []int{0, 1, 3, 10} // 0: every event until cleared
	errorCodes     = []int{409, 500, 429, 503}
	// crashPoints lean to the few writes most reconciles make, so that
	// the crash strikes before the run ends.
	crashPoints = []int{0, 1, 1, 2, 3, 5}
	// crashTimes repeat a crash: a controller that dies at the same point
	// of every reconcile for a while meets, among them, the one reconcile
	// whose interruption matters (a Job's status written with a pod
	// uncounted, its finalizer not yet removed), whatever other work
	// comes first.
	crashTimes = []int{1, 1, 3, 10}
)

// fault injects a control-plane fault into one controller: a stale view,
// lost or delayed watch events, a crash between two writes of one
// reconcile, failing writes, or a restart that loses the controller's
// memory.
func fault(s *Scenario) {
	t := s.T
	ctrl := rapid.SampledFrom(s.faultTargets()).Draw(t, "controller")
	switch kind := rapid.SampledFrom(faultKinds).Draw(t, "fault"); kind {
	case "stale":
		line := fmt.Sprintf("fault stale %s %d --for %s", ctrl,
			rapid.SampledFrom(staleDepths).Draw(t, "depth"), rapid.SampledFrom(staleDurations).Draw(t, "for"))
		if kind := rapid.SampledFrom(staleKinds[ctrl]).Draw(t, "kind"); kind != "" {
			line += " --kind " + kind
		}
		s.Do(line)
	case "drop":
		s.Do(fmt.Sprintf("fault drop %s %d", ctrl, rapid.IntRange(1, 4).Draw(t, "count")))
	case "delay":
		line := fmt.Sprintf("fault delay %s %s", ctrl, rapid.SampledFrom(delays).Draw(t, "delay"))
		if n := rapid.SampledFrom(delayCounts).Draw(t, "events"); n > 0 {
			line += fmt.Sprintf(" %d", n)
		}
		s.Do(line)
	case "crash":
		line := fmt.Sprintf("fault crash %s --after %d", ctrl, rapid.SampledFrom(crashPoints).Draw(t, "after"))
		if times := rapid.SampledFrom(crashTimes).Draw(t, "times"); times > 1 {
			line += fmt.Sprintf(" --times %d", times)
		}
		s.Do(line)
	case "error":
		s.Do(fmt.Sprintf("fault error %s %d --code %d", ctrl,
			rapid.IntRange(1, 5).Draw(t, "writes"), rapid.SampledFrom(errorCodes).Draw(t, "code")))
	case "restart":
		// A restart is over at once: nothing to clear, and a stopped
		// controller comes back up.
		s.Do("controller restart " + ctrl)
		s.down["controller "+ctrl] = false
		return
	}
	s.faulted[ctrl] = true
}
