package propcheck

import (
	"fmt"
	"sort"
	"strings"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/objects"
)

// An Operation is one kind of step a run draws: a user's command, the
// passing of time, a node or controller going down, a control-plane fault.
// Run draws its choices from s.T and carries them out with s.Do, so the
// scenario file replays them; it calls s.T.Skip when it cannot apply (no
// Job to delete yet).
type Operation struct {
	// Name identifies it in the scenario's steps and in rapid's log.
	Name string
	// Kinds are the object kinds it is about; a check restricted to some
	// kinds (Config.Kinds) keeps the operations of those kinds and the
	// ones about no kind in particular (sleep, node down).
	Kinds []string
	// Fault marks a control-plane fault, left out by Config.NoFaults.
	Fault bool
	// Weight is how often it is drawn relative to the others; 0 means 1.
	Weight int
	// Run draws and carries out one step.
	Run func(s *Scenario)
}

// Kinds the operations and invariants are about, as Config.Kinds names them.
const (
	kindJob         = "Job"
	kindCronJob     = "CronJob"
	kindDeployment  = "Deployment"
	kindReplicaSet  = "ReplicaSet"
	kindStatefulSet = "StatefulSet"
	kindPod         = "Pod"
	kindNode        = "Node"
	kindService     = "Service"
	kindPV          = "PersistentVolume"
	kindPVC         = "PersistentVolumeClaim"
	kindClass       = "StorageClass"
)

// The names operations remember, by kind (Scenario.Add).
const (
	nameJob         = "job"
	nameCronJob     = "cronjob"
	nameDeployment  = "deployment"
	nameReplicaSet  = "replicaset"
	nameStatefulSet = "statefulset"
	nameService     = "service"
	nameClaim       = "claim"
	nameVolume      = "volume"
	nameClass       = "class"
	// nameApp lists the app labels workloads select, for Services,
	// relabelled pods and overlapping selectors to reuse.
	nameApp = "app"
)

// Operations returns the built-in operations: every kind kubesim models,
// the passing of time, nodes and controllers going down and coming back,
// killed, deleted and relabelled pods, tainted and cordoned nodes, and
// control-plane faults.
func Operations() []Operation {
	return []Operation{
		{Name: "createJob", Kinds: []string{kindJob}, Weight: 2, Run: createJob},
		{Name: "patchJob", Kinds: []string{kindJob}, Run: patchJob},
		{Name: "createCronJob", Kinds: []string{kindCronJob, kindJob}, Run: createCronJob},
		{Name: "patchCronJob", Kinds: []string{kindCronJob}, Run: patchCronJob},
		{Name: "createDeployment", Kinds: []string{kindDeployment}, Run: createDeployment},
		{Name: "scaleDeployment", Kinds: []string{kindDeployment}, Run: scaleDeployment},
		{Name: "rollDeployment", Kinds: []string{kindDeployment}, Run: rollDeployment},
		{Name: "createReplicaSet", Kinds: []string{kindReplicaSet, kindDeployment}, Run: createReplicaSet},
		{Name: "createStatefulSet", Kinds: []string{kindStatefulSet}, Run: createStatefulSet},
		{Name: "scaleStatefulSet", Kinds: []string{kindStatefulSet}, Run: scaleStatefulSet},
		{Name: "rollStatefulSet", Kinds: []string{kindStatefulSet}, Run: rollStatefulSet},
		{Name: "createService", Kinds: []string{kindService}, Run: createService},
		{Name: "createStorageClass", Kinds: []string{kindClass, kindPV, kindPVC, kindStatefulSet}, Run: createStorageClass},
		{Name: "createVolume", Kinds: []string{kindPV}, Run: createVolume},
		{Name: "createClaim", Kinds: []string{kindPVC}, Run: createClaim},
		{Name: "deleteClaim", Kinds: []string{kindPVC}, Run: deleteClaim},
		{Name: "createPod", Kinds: []string{kindPod, kindJob, kindReplicaSet, kindDeployment}, Run: createPod},
		{Name: "deletePod", Kinds: []string{kindPod}, Run: deletePod},
		{Name: "relabelPod", Kinds: []string{kindPod}, Run: relabelPod},
		{Name: "delete", Kinds: []string{kindJob, kindCronJob, kindDeployment, kindReplicaSet, kindStatefulSet, kindService}, Run: deleteSomething},
		{Name: "sleep", Weight: 2, Run: sleep},
		{Name: "killContainer", Kinds: []string{kindPod}, Run: killPod},
		{Name: "toggle", Kinds: []string{kindNode}, Run: toggle},
		{Name: "taintNode", Kinds: []string{kindNode}, Run: taintNode},
		{Name: "settle", Run: func(s *Scenario) { s.settle() }},
		{Name: "fault", Fault: true, Weight: 3, Run: fault},
	}
}

// podChoice is a drawn pod: what it runs and how it asks for room.
type podChoice struct {
	image   string
	command string // empty: the image's own program
	// readyAfter is how long a readiness probe on /tmp/ready fails
	// before the command creates the file; -1 means no probe.
	readyAfter int
	cpu        string // cpu request, empty for none
	grace      int    // terminationGracePeriodSeconds, -1 for the default
	restart    string // restartPolicy, empty for the default
	mount      string // a volume the container mounts at /data, empty for none
	tolerate   bool   // tolerates the dedicated taint taintNode sets
}

// drawServer draws a long-running pod for a Deployment, ReplicaSet or
// StatefulSet: nginx, a shell that turns ready after a while (a readiness
// probe fails until it does) and ignores SIGTERM until its grace period
// ends, or one that exits after a few seconds, again and again.
func drawServer(t *rapid.T, image string) podChoice {
	p := podChoice{image: image, readyAfter: -1, grace: -1}
	switch rapid.IntRange(0, 5).Draw(t, "server") {
	case 0, 1: // a shell that turns ready after a while
		p.image = "busybox:1.36"
		p.readyAfter = rapid.SampledFrom([]int{0, 5, 20, 60, 600}).Draw(t, "readyAfter")
		p.command = fmt.Sprintf("sleep %d; touch /tmp/ready; sleep 100000", p.readyAfter)
		p.grace = rapid.SampledFrom([]int{-1, 1, 5}).Draw(t, "grace")
	case 2: // a server that keeps crashing: CrashLoopBackOff
		p.image = "busybox:1.36"
		p.command = fmt.Sprintf("echo start; sleep %d; exit 1", rapid.SampledFrom([]int{1, 10, 30}).Draw(t, "crashAfter"))
	}
	p.cpu = drawCPU(t)
	p.tolerate = drawTolerate(t)
	return p
}

// drawTolerate draws whether a pod tolerates the taint taintNode sets.
func drawTolerate(t *rapid.T) bool { return rapid.IntRange(0, 3).Draw(t, "tolerate?") == 0 }

// drawCPU draws a cpu request: none mostly, sometimes enough that a
// worker (2 cpus) holds only a few such pods.
func drawCPU(t *rapid.T) string {
	return rapid.SampledFrom([]string{"", "", "", "250m", "700m", "1500m"}).Draw(t, "cpu")
}

// yaml renders the pod spec at the given indentation (the column of
// "containers:").
func (p podChoice) yaml(indent int) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	if p.restart != "" {
		fmt.Fprintf(&b, "%srestartPolicy: %s\n", pad, p.restart)
	}
	if p.grace >= 0 {
		fmt.Fprintf(&b, "%sterminationGracePeriodSeconds: %d\n", pad, p.grace)
	}
	if p.tolerate {
		fmt.Fprintf(&b, "%stolerations:\n%s- key: %s\n%s  operator: Exists\n", pad, pad, dedicatedTaint, pad)
	}
	fmt.Fprintf(&b, "%scontainers:\n%s- name: main\n%s  image: %s\n", pad, pad, pad, p.image)
	if p.command != "" {
		fmt.Fprintf(&b, "%s  command: [\"sh\", \"-c\", %q]\n", pad, p.command)
	}
	if p.cpu != "" {
		fmt.Fprintf(&b, "%s  resources:\n%s    requests:\n%s      cpu: %s\n", pad, pad, pad, p.cpu)
	}
	if p.mount != "" {
		fmt.Fprintf(&b, "%s  volumeMounts:\n%s  - name: %s\n%s    mountPath: /data\n", pad, pad, p.mount, pad)
	}
	if p.readyAfter >= 0 {
		fmt.Fprintf(&b, "%s  readinessProbe:\n%s    exec:\n%s      command: [\"cat\", \"/tmp/ready\"]\n%s    periodSeconds: 5\n",
			pad, pad, pad, pad)
	}
	return b.String()
}

// labelsYAML renders labels at the given indentation, in key order.
func labelsYAML(indent int, labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%s: %q\n", strings.Repeat(" ", indent), k, labels[k])
	}
	return b.String()
}

// drawApp draws the app label a new workload's pods carry: its own name
// mostly, sometimes another workload's, so that selectors overlap.
func drawApp(s *Scenario, own string) string {
	apps := s.Names(nameApp)
	if len(apps) > 0 && rapid.IntRange(0, 4).Draw(s.T, "overlap?") == 0 {
		return rapid.SampledFrom(apps).Draw(s.T, "app")
	}
	s.Add(nameApp, own)
	return own
}

// sortedPods lists the pods of the default namespace that keep, sorted by name.
func sortedPods(s *Scenario, keep func(*objects.Pod) bool) []string {
	var out []string
	for _, o := range s.Store().List("Pod", "default", nil) {
		if p := o.(*objects.Pod); keep(p) {
			out = append(out, p.Name)
		}
	}
	sort.Strings(out)
	return out
}

func sleep(s *Scenario) {
	s.Do("sleep " + rapid.SampledFrom([]string{"0s", "1s", "10s", "45s", "2m", "6m"}).Draw(s.T, "duration"))
}

// deleteSomething deletes an object a run created, with a random cascade.
func deleteSomething(s *Scenario) {
	var kinds []string
	for _, k := range []string{nameJob, nameCronJob, nameDeployment, nameReplicaSet, nameStatefulSet, nameService} {
		if len(s.Names(k)) > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		s.T.Skip("nothing to delete")
	}
	kind := rapid.SampledFrom(kinds).Draw(s.T, "kind")
	name := s.Pick(kind)
	s.Remove(kind, name)
	cascade := rapid.SampledFrom([]string{"background", "foreground", "orphan"}).Draw(s.T, "cascade")
	s.Do(fmt.Sprintf("kubectl delete %s %s --cascade=%s --wait=false", kind, name, cascade))
}
