package propcheck

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// machine is one random scenario being built and run.
type machine struct {
	t       *rapid.T
	runner  *scenario.Runner
	history *History
	lines   []string // the scenario so far, as a file would hold it
	next    int      // for object names
	jobs    []string
	deploys []string
	sets    []string
	claims  []string
	down    map[string]bool // nodes and controllers taken down
	faulted map[string]bool // controllers with injected faults
}

func newMachine(t *rapid.T) *machine {
	r, err := scenario.NewRunner(sim.Config{Seed: rapid.Uint64Range(1, 1000).Draw(t, "seed")}, ".")
	if err != nil {
		t.Fatal(err)
	}
	return &machine{t: t, runner: r, history: NewHistory(), down: map[string]bool{}, faulted: map[string]bool{}}
}

// do runs one scenario command (with a heredoc body, if any) and records it.
func (m *machine) do(text, heredoc string) {
	cmd := scenario.Command{Line: len(m.lines) + 1, Text: text, Stdin: heredoc, HasHeredoc: heredoc != ""}
	m.lines = append(m.lines, text)
	if heredoc != "" {
		m.lines[len(m.lines)-1] += " <<EOF"
		m.lines = append(m.lines, strings.TrimSuffix(heredoc, "\n"), "EOF")
	}
	if _, err := m.runner.Exec("propcheck", cmd); err != nil {
		m.fail("the generated scenario line %q was refused: %v", text, err)
	}
}

// fail writes the scenario that led here and stops the run. rapid shrinks
// the run and calls fail again on each smaller failure, so the file left
// behind is the shortest one.
func (m *machine) fail(format string, args ...any) {
	script := "# Found by propcheck (" + m.t.Name() + "): " + fmt.Sprintf(format, args...) + "\n" +
		"# Replay: go run ./cmd/kubesim run <this file>\n" + strings.Join(m.lines, "\n") + "\n"
	dir := filepath.Join("testdata", "failures")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(m.t.Name(), "/", "_")+".txt"), []byte(script), 0o644)
	}
	m.t.Fatalf(format+"\n--- scenario ---\n%s", append(args, script)...)
}

// check runs the step invariants.
func (m *machine) check() {
	if errs := Safety(m.runner.Cluster().Store(), m.history); len(errs) > 0 {
		m.fail("invariant broken: %v", errors.Join(errs...))
	}
}

func (m *machine) name(prefix string) string {
	m.next++
	return fmt.Sprintf("%s-%d", prefix, m.next)
}

func (m *machine) createJob(t *rapid.T) {
	name := m.name("job")
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
		rapid.SampledFrom([]int{1, 5, 30, 90}).Draw(t, "sleep"), rapid.SampledFrom([]int{0, 0, 0, 1}).Draw(t, "exit"))
	m.do("kubectl apply -f -", fmt.Sprintf(`apiVersion: batch/v1
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
	m.jobs = append(m.jobs, name)
}

func (m *machine) createDeployment(t *rapid.T) {
	name := m.name("web")
	strategy := rapid.SampledFrom([]string{"RollingUpdate", "Recreate"}).Draw(t, "strategy")
	m.do("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
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
	m.deploys = append(m.deploys, name)
}

func (m *machine) createStatefulSet(t *rapid.T) {
	name := m.name("db")
	m.do("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
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
	m.sets = append(m.sets, name)
}

func (m *machine) scaleStatefulSet(t *rapid.T) {
	if len(m.sets) == 0 {
		t.Skip("no statefulset")
	}
	s := rapid.SampledFrom(m.sets).Draw(t, "statefulset")
	m.do(fmt.Sprintf("kubectl scale statefulset/%s --replicas=%d", s, rapid.IntRange(0, 4).Draw(t, "replicas")), "")
}

// createVolume adds a static hostPath volume of a random size.
func (m *machine) createVolume(t *rapid.T) {
	name := m.name("pv")
	m.do("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
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
func (m *machine) createClaim(t *rapid.T) {
	name := m.name("claim")
	m.do("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: %s
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: %dGi
`, name, rapid.IntRange(1, 5).Draw(t, "size")))
	m.claims = append(m.claims, name)
}

func (m *machine) deleteClaim(t *rapid.T) {
	if len(m.claims) == 0 {
		t.Skip("no claim")
	}
	i := rapid.IntRange(0, len(m.claims)-1).Draw(t, "which")
	name := m.claims[i]
	m.claims = append(m.claims[:i:i], m.claims[i+1:]...)
	m.do(fmt.Sprintf("kubectl delete pvc %s --wait=false", name), "")
}

func (m *machine) scaleDeployment(t *rapid.T) {
	if len(m.deploys) == 0 {
		t.Skip("no deployment")
	}
	d := rapid.SampledFrom(m.deploys).Draw(t, "deployment")
	m.do(fmt.Sprintf("kubectl scale deployment/%s --replicas=%d", d, rapid.IntRange(0, 5).Draw(t, "replicas")), "")
}

func (m *machine) rollDeployment(t *rapid.T) {
	if len(m.deploys) == 0 {
		t.Skip("no deployment")
	}
	d := rapid.SampledFrom(m.deploys).Draw(t, "deployment")
	image := rapid.SampledFrom([]string{"nginx:1.24", "nginx:1.25", "nginx:1.26"}).Draw(t, "image")
	m.do(fmt.Sprintf(`kubectl patch deployment %s -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"%s"}]}}}}'`, d, image), "")
}

func (m *machine) deleteSomething(t *rapid.T) {
	var kinds []string
	if len(m.jobs) > 0 {
		kinds = append(kinds, "job")
	}
	if len(m.deploys) > 0 {
		kinds = append(kinds, "deployment")
	}
	if len(kinds) == 0 {
		t.Skip("nothing to delete")
	}
	kind := rapid.SampledFrom(kinds).Draw(t, "kind")
	names := &m.jobs
	if kind == "deployment" {
		names = &m.deploys
	}
	i := rapid.IntRange(0, len(*names)-1).Draw(t, "which")
	name := (*names)[i]
	*names = append((*names)[:i:i], (*names)[i+1:]...)
	cascade := rapid.SampledFrom([]string{"background", "foreground", "orphan"}).Draw(t, "cascade")
	m.do(fmt.Sprintf("kubectl delete %s %s --cascade=%s --wait=false", kind, name, cascade), "")
}

func (m *machine) sleep(t *rapid.T) {
	m.do("sleep "+rapid.SampledFrom([]string{"0s", "1s", "10s", "45s", "2m", "6m"}).Draw(t, "duration"), "")
}

// killPod makes a running container exit, when there is one.
func (m *machine) killPod(t *rapid.T) {
	var running []string
	for _, o := range m.runner.Cluster().Store().List("Pod", "default", nil) {
		p := o.(*objects.Pod)
		if p.Status.Phase == objects.PodRunning && len(p.Status.ContainerStatuses) > 0 &&
			p.Status.ContainerStatuses[0].State.Running != nil && !m.down["node "+p.Spec.NodeName] {
			running = append(running, p.Name)
		}
	}
	if len(running) == 0 {
		t.Skip("no running container")
	}
	sort.Strings(running)
	pod := rapid.SampledFrom(running).Draw(t, "pod")
	m.do(fmt.Sprintf("kill %s --exit-code %d", pod, rapid.SampledFrom([]int{0, 1, 137}).Draw(t, "code")), "")
}

// toggle takes a node or a controller down, or brings it back.
func (m *machine) toggle(t *rapid.T) {
	what := rapid.SampledFrom([]string{"node k8s-node1", "node k8s-node2", "controller job-controller",
		"controller deployment-controller", "controller replicaset-controller", "controller garbage-collector-controller",
		"controller statefulset-controller",
		"controller all"}).Draw(t, "what")
	state := "down"
	if m.down[what] {
		state = "up"
	}
	m.down[what] = !m.down[what]
	kind, name, _ := strings.Cut(what, " ")
	m.do(fmt.Sprintf("%s %s %s", kind, state, name), "")
}

// faultControllers are the controllers the machine injects faults into.
var faultControllers = []string{"job-controller", "deployment-controller", "replicaset-controller",
	"garbage-collector-controller", "endpoint-controller", "default-scheduler", "statefulset-controller",
	"persistentvolume-binder-controller"}

// fault injects a control-plane fault: a stale view, lost watch events, or
// a crash between two writes of one reconcile.
func (m *machine) fault(t *rapid.T) {
	ctrl := rapid.SampledFrom(faultControllers).Draw(t, "controller")
	switch kind := rapid.SampledFrom([]string{"stale", "drop", "crash"}).Draw(t, "fault"); kind {
	case "crash":
		m.do(fmt.Sprintf("fault crash %s", ctrl), "")
	default:
		m.do(fmt.Sprintf("fault %s %s %d", kind, ctrl, rapid.IntRange(1, 4).Draw(t, "count")), "")
	}
	m.faulted[ctrl] = true
}

// settle brings everything back and lets the controllers catch up, then
// checks the invariants of a quiet cluster.
func (m *machine) settle(t *rapid.T) {
	var back []string
	for what, isDown := range m.down {
		if isDown {
			back = append(back, what)
		}
	}
	sort.Strings(back)
	var faulted []string
	for ctrl := range m.faulted {
		faulted = append(faulted, ctrl)
	}
	sort.Strings(faulted)
	for _, ctrl := range faulted {
		m.do("fault clear "+ctrl, "")
	}
	m.faulted = map[string]bool{}
	for _, what := range back {
		kind, name, _ := strings.Cut(what, " ")
		m.do(fmt.Sprintf("%s up %s", kind, name), "")
		m.down[what] = false
	}
	m.do("sleep 15m", "")
	if errs := Settled(m.runner.Cluster().Store()); len(errs) > 0 {
		m.fail("settled invariant broken: %v", errors.Join(errs...))
	}
}

// TestMain pins rapid's seed unless one is given (-rapid.seed=N), so that
// CI explores the same scenarios on every run; a developer hunting for new
// failures passes another seed, or -rapid.checks for more of them.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.seed" })
	if !given {
		_ = flag.Set("rapid.seed", "1")
	}
	os.Exit(m.Run())
}

// TestControllersKeepTheirInvariants drives random scenarios; a failure
// prints, and writes to testdata/failures/, the shrunk scenario.
func TestControllersKeepTheirInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t)
		t.Repeat(map[string]func(*rapid.T){
			"createJob":         m.createJob,
			"createDeployment":  m.createDeployment,
			"scale":             m.scaleDeployment,
			"createStatefulSet": m.createStatefulSet,
			"createVolume":      m.createVolume,
			"createClaim":       m.createClaim,
			"deleteClaim":       m.deleteClaim,
			"scaleStatefulSet":  m.scaleStatefulSet,
			"roll":              m.rollDeployment,
			"delete":            m.deleteSomething,
			"sleep":             m.sleep,
			"kill":              m.killPod,
			"toggle":            m.toggle,
			"settle":            m.settle,
			"fault":             m.fault,
			"":                  func(*rapid.T) { m.check() },
		})
		m.settle(t)
	})
}
