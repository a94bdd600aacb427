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

// Operations returns the built-in operations: every kind kubesim models,
// the passing of time, nodes and controllers going down and coming back,
// killed containers, and control-plane faults.
func Operations() []Operation {
	return []Operation{
		{Name: "createJob", Kinds: []string{"Job"}, Weight: 2, Run: createJob},
		{Name: "patchJob", Kinds: []string{"Job"}, Run: patchJob},
		{Name: "createDeployment", Kinds: []string{"Deployment"}, Run: createDeployment},
		{Name: "scaleDeployment", Kinds: []string{"Deployment"}, Run: scaleDeployment},
		{Name: "rollDeployment", Kinds: []string{"Deployment"}, Run: rollDeployment},
		{Name: "createStatefulSet", Kinds: []string{"StatefulSet"}, Run: createStatefulSet},
		{Name: "scaleStatefulSet", Kinds: []string{"StatefulSet"}, Run: scaleStatefulSet},
		{Name: "createVolume", Kinds: []string{"PersistentVolume"}, Run: createVolume},
		{Name: "createClaim", Kinds: []string{"PersistentVolumeClaim"}, Run: createClaim},
		{Name: "deleteClaim", Kinds: []string{"PersistentVolumeClaim"}, Run: deleteClaim},
		{Name: "delete", Kinds: []string{"Job", "Deployment", "StatefulSet"}, Run: deleteSomething},
		{Name: "sleep", Weight: 2, Run: sleep},
		{Name: "killContainer", Kinds: []string{"Pod"}, Run: killPod},
		{Name: "toggle", Kinds: []string{"Node"}, Run: toggle},
		{Name: "settle", Run: func(s *Scenario) { s.settle() }},
		{Name: "fault", Fault: true, Weight: 2, Run: fault},
	}
}

func createJob(s *Scenario) {
	t := s.T
	name := s.NewName("job")
	completions := rapid.IntRange(0, 4).Draw(t, "completions") // 0: unset
	spec := fmt.Sprintf("  parallelism: %d\n  backoffLimit: %d\n",
		rapid.IntRange(1, 3).Draw(t, "parallelism"), rapid.IntRange(0, 3).Draw(t, "backoffLimit"))
	if completions > 0 {
		spec += fmt.Sprintf("  completions: %d\n", completions)
		if rapid.Bool().Draw(t, "indexed") {
			spec += "  completionMode: Indexed\n"
		}
	}
	if rapid.IntRange(0, 3).Draw(t, "deadline?") == 0 {
		spec += fmt.Sprintf("  activeDeadlineSeconds: %d\n", rapid.IntRange(10, 200).Draw(t, "deadline"))
	}
	script := fmt.Sprintf("echo run; sleep %d; exit %d",
		rapid.SampledFrom([]int{1, 5, 30, 90, 600}).Draw(t, "sleep"), rapid.SampledFrom([]int{0, 0, 0, 1}).Draw(t, "exit"))
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: batch/v1
kind: Job
metadata:
  name: %s
spec:
%s  template:
    spec:
      restartPolicy: %s
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", %q]
`, name, spec, rapid.SampledFrom([]string{"Never", "OnFailure"}).Draw(t, "restartPolicy"), script))
	s.Add("job", name)
}

// patchJob suspends or resumes a Job, or changes its parallelism.
func patchJob(s *Scenario) {
	name := s.Pick("job")
	var patch string
	switch rapid.SampledFrom([]string{"suspend", "resume", "parallelism"}).Draw(s.T, "change") {
	case "suspend":
		patch = `{"spec":{"suspend":true}}`
	case "resume":
		patch = `{"spec":{"suspend":false}}`
	default:
		patch = fmt.Sprintf(`{"spec":{"parallelism":%d}}`, rapid.IntRange(0, 4).Draw(s.T, "parallelism"))
	}
	s.Do(fmt.Sprintf("kubectl patch job %s -p '%s'", name, patch))
}

func createDeployment(s *Scenario) {
	t := s.T
	name := s.NewName("web")
	strategy := rapid.SampledFrom([]string{"RollingUpdate", "Recreate"}).Draw(t, "strategy")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
spec:
  replicas: %d
  strategy:
    type: %s
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
      containers:
      - name: nginx
        image: %s
`, name, rapid.IntRange(0, 4).Draw(t, "replicas"), strategy, name, name,
		rapid.SampledFrom([]string{"nginx:1.24", "nginx:1.25"}).Draw(t, "image")))
	s.Add("deployment", name)
}

func scaleDeployment(s *Scenario) {
	d := s.Pick("deployment")
	s.Do(fmt.Sprintf("kubectl scale deployment/%s --replicas=%d", d, rapid.IntRange(0, 5).Draw(s.T, "replicas")))
}

func rollDeployment(s *Scenario) {
	d := s.Pick("deployment")
	image := rapid.SampledFrom([]string{"nginx:1.24", "nginx:1.25", "nginx:1.26"}).Draw(s.T, "image")
	s.Do(fmt.Sprintf(`kubectl patch deployment %s -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"%s"}]}}}}'`, d, image))
}

func createStatefulSet(s *Scenario) {
	t := s.T
	name := s.NewName("db")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: %s
spec:
  serviceName: %s
  replicas: %d
  podManagementPolicy: %s
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`, name, name, rapid.IntRange(0, 3).Draw(t, "replicas"),
		rapid.SampledFrom([]string{"OrderedReady", "Parallel"}).Draw(t, "policy"), name, name))
	s.Add("statefulset", name)
}

func scaleStatefulSet(s *Scenario) {
	set := s.Pick("statefulset")
	s.Do(fmt.Sprintf("kubectl scale statefulset/%s --replicas=%d", set, rapid.IntRange(0, 4).Draw(s.T, "replicas")))
}

// createVolume adds a static hostPath volume of a random size.
func createVolume(s *Scenario) {
	t := s.T
	name := s.NewName("pv")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: PersistentVolume
metadata:
  name: %s
spec:
  capacity:
    storage: %dGi
  accessModes: [%s]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /data/%s
`, name, rapid.IntRange(1, 5).Draw(t, "size"), rapid.SampledFrom([]string{"ReadWriteOnce", "ReadWriteMany"}).Draw(t, "mode"), name))
}

// createClaim asks for a volume, without a class so only static volumes fit.
func createClaim(s *Scenario) {
	name := s.NewName("claim")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: %s
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: %dGi
`, name, rapid.IntRange(1, 5).Draw(s.T, "size")))
	s.Add("claim", name)
}

func deleteClaim(s *Scenario) {
	name := s.Pick("claim")
	s.Remove("claim", name)
	s.Do(fmt.Sprintf("kubectl delete pvc %s --wait=false", name))
}

// deleteSomething deletes a Job, Deployment or StatefulSet with a random
// cascade.
func deleteSomething(s *Scenario) {
	var kinds []string
	for _, k := range []string{"job", "deployment", "statefulset"} {
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

func sleep(s *Scenario) {
	s.Do("sleep " + rapid.SampledFrom([]string{"0s", "1s", "10s", "45s", "2m", "6m"}).Draw(s.T, "duration"))
}

// killPod makes a running container exit, when there is one.
func killPod(s *Scenario) {
	var running []string
	for _, o := range s.Store().List("Pod", "default", nil) {
		p := o.(*objects.Pod)
		if p.Status.Phase == objects.PodRunning && len(p.Status.ContainerStatuses) > 0 &&
			p.Status.ContainerStatuses[0].State.Running != nil && !s.down["node "+p.Spec.NodeName] {
			running = append(running, p.Name)
		}
	}
	if len(running) == 0 {
		s.T.Skip("no running container")
	}
	sort.Strings(running)
	pod := rapid.SampledFrom(running).Draw(s.T, "pod")
	s.Do(fmt.Sprintf("kill %s --exit-code %d", pod, rapid.SampledFrom([]int{0, 1, 137}).Draw(s.T, "code")))
}

// toggle takes a node or a controller down, or brings it back.
func toggle(s *Scenario) {
	what := rapid.SampledFrom([]string{"node k8s-node1", "node k8s-node2", "controller job-controller",
		"controller deployment-controller", "controller replicaset-controller", "controller garbage-collector-controller",
		"controller statefulset-controller",
		"controller all"}).Draw(s.T, "what")
	state := "down"
	if s.down[what] {
		state = "up"
	}
	s.down[what] = !s.down[what]
	kind, name, _ := strings.Cut(what, " ")
	s.Do(fmt.Sprintf("%s %s %s", kind, state, name))
}
