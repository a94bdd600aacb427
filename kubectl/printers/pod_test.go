package printers

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// podWith returns a pod of the named containers in the given phase, with
// the given container statuses.
func podWith(phase string, names []string, statuses ...objects.ContainerStatus) *objects.Pod {
	return &objects.Pod{ObjectMeta: meta("default", "p", 0), Spec: objects.PodSpec{Containers: containers(names...)},
		Status: objects.PodStatus{Phase: phase, ContainerStatuses: statuses}}
}

// The STATUS and READY columns, case by case, as upstream's printPod
// computes them (pkg/printers/internalversion/printers.go, 1.35+).
func TestPodStatusColumn(t *testing.T) {
	crashLoop := waiting("main", "CrashLoopBackOff")
	crashLoop.RestartCount = 3
	crashLoop.LastState.Terminated = &objects.ContainerStateTerminated{ExitCode: 1, Reason: "Error", FinishedAt: objects.NewTime(now.Add(-10 * time.Second))}

	deleting := podWith("Running", []string{"main"}, running("main", 0))
	deleting.DeletionTimestamp = objects.NewTimePtr(now.Add(30 * time.Second))
	deletedDone := podWith("Succeeded", []string{"main"}, terminated("main", "Completed", 0))
	deletedDone.DeletionTimestamp = objects.NewTimePtr(now)
	nodeLost := podWith("Running", []string{"main"}, running("main", 0))
	nodeLost.Status.Reason, nodeLost.DeletionTimestamp = "NodeLost", objects.NewTimePtr(now)

	sidecarDone := podWith("Running", []string{"main", "side"}, running("main", 0), terminated("side", "Completed", 0))
	sidecarDoneReady := sidecarDone.DeepCopy()
	sidecarDoneReady.Status.Conditions = []objects.PodCondition{{Type: "Ready", Status: "True"}}
	sidecarDone.Status.Conditions = []objects.PodCondition{{Type: "Ready", Status: "False"}}

	gated := podWith("Pending", []string{"main"})
	gated.Status.Conditions = []objects.PodCondition{{Type: "PodScheduled", Status: "False", Reason: "SchedulingGated"}}
	evicted := podWith("Failed", []string{"main"})
	evicted.Status.Reason = "Evicted"
	// A container's own reason outranks the pod's.
	evictedWithStatus := podWith("Failed", []string{"main"}, terminated("main", "ContainerStatusUnknown", 137))
	evictedWithStatus.Status.Reason = "Evicted"
	signalled := podWith("Failed", []string{"main"}, terminated("main", "", 137))
	signalled.Status.ContainerStatuses[0].State.Terminated.Signal = 9

	for _, tt := range []struct {
		name   string
		pod    *objects.Pod
		ready  string
		status string
	}{
		{"unscheduled", podWith("Pending", []string{"main"}), "0/1", "Pending"},
		{"creating", podWith("Pending", []string{"main"}, waiting("main", "ContainerCreating")), "0/1", "ContainerCreating"},
		{"running", podWith("Running", []string{"main"}, running("main", 0)), "1/1", "Running"},
		{"running not ready", podWith("Running", []string{"main"}, func() objects.ContainerStatus {
			s := running("main", 0)
			s.Ready = false
			return s
		}()), "0/1", "Running"},
		{"completed", podWith("Succeeded", []string{"main"}, terminated("main", "Completed", 0)), "0/1", "Completed"},
		{"error", podWith("Failed", []string{"main"}, terminated("main", "Error", 1)), "0/1", "Error"},
		{"exit code without reason", podWith("Failed", []string{"main"}, terminated("main", "", 2)), "0/1", "ExitCode:2"},
		{"signal without reason", signalled, "0/1", "Signal:9"},
		{"crash loop", podWith("Running", []string{"main"}, crashLoop), "0/1", "CrashLoopBackOff"},
		{"image pull", podWith("Pending", []string{"main"}, waiting("main", "ErrImagePull")), "0/1", "ErrImagePull"},
		{"terminating", deleting, "1/1", "Terminating"},
		{"deleted after completion", deletedDone, "0/1", "Completed"},
		{"node lost", nodeLost, "1/1", "Unknown"},
		{"completed sidecar, pod ready", sidecarDoneReady, "1/2", "Running"},
		{"completed sidecar, pod not ready", sidecarDone, "1/2", "NotReady"},
		// Since 1.35 a failed container outranks a completed sibling.
		{"completed and failed", podWith("Failed", []string{"a", "b"}, terminated("a", "Completed", 0), terminated("b", "Error", 1)), "0/2", "Error"},
		// The first container's reason wins: statuses are scanned from last to first.
		{"first container wins", podWith("Running", []string{"a", "b"}, waiting("a", "ImagePullBackOff"), waiting("b", "ContainerCreating")), "0/2", "ImagePullBackOff"},
		{"scheduling gated", gated, "0/1", "SchedulingGated"},
		{"evicted", evicted, "0/1", "Evicted"},
		{"evicted, container reason", evictedWithStatus, "0/1", "ContainerStatusUnknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			row := podRow(tt.pod, now)
			assert.Equal(t, tt.ready, row[1], "READY")
			assert.Equal(t, tt.status, row[2], "STATUS")
			assert.Equal(t, tt.status, PodDisplayStatus(tt.pod))
		})
	}
}

// Init containers: "Init:<i>/<n>" while one runs, "Init:<reason>" when one
// waits or failed, "PodInitializing" once they are done.
func TestPodStatusInitContainers(t *testing.T) {
	withInit := func(phase string, init []objects.ContainerStatus, main ...objects.ContainerStatus) *objects.Pod {
		p := podWith(phase, []string{"main"}, main...)
		p.Spec.InitContainers = containers("init-a", "init-b")
		p.Status.InitContainerStatuses = init
		return p
	}
	initCrash := waiting("init-b", "CrashLoopBackOff")
	initCrash.RestartCount = 2
	initCrash.LastState.Terminated = &objects.ContainerStateTerminated{ExitCode: 1, FinishedAt: objects.NewTime(now.Add(-5 * time.Second))}
	for _, tt := range []struct {
		name, status, restarts string
		pod                    *objects.Pod
	}{
		{"first running", "Init:0/2", "0", withInit("Pending", []objects.ContainerStatus{running("init-a", 0), waiting("init-b", "PodInitializing")})},
		{"second running", "Init:1/2", "0", withInit("Pending", []objects.ContainerStatus{terminated("init-a", "Completed", 0), running("init-b", 0)})},
		{"second crash looping", "Init:CrashLoopBackOff", "2 (5s ago)", withInit("Pending", []objects.ContainerStatus{terminated("init-a", "Completed", 0), initCrash})},
		{"first failed", "Init:Error", "0", withInit("Failed", []objects.ContainerStatus{terminated("init-a", "Error", 1), waiting("init-b", "PodInitializing")})},
		{"first exited", "Init:ExitCode:3", "0", withInit("Failed", []objects.ContainerStatus{terminated("init-a", "", 3), waiting("init-b", "PodInitializing")})},
		{"done", "PodInitializing", "0", withInit("Pending", []objects.ContainerStatus{terminated("init-a", "Completed", 0), terminated("init-b", "Completed", 0)}, waiting("main", "PodInitializing"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			row := podRow(tt.pod, now)
			assert.Equal(t, tt.status, row[2], "STATUS")
			assert.Equal(t, tt.restarts, row[3], "RESTARTS")
		})
	}
}

// The three pods of the get-pods goldens: a running nginx, the tutorial's
// completed pi pod, and a crash-looping pod created a minute later.
func threePods() []objects.Object {
	pi := podWith("Succeeded", []string{"pi"}, terminated("pi", "Completed", 0))
	pi.ObjectMeta = meta("default", "pi-rq5rl", 0)
	pi.Labels = map[string]string{"batch.kubernetes.io/job-name": "pi", "job-name": "pi"}
	pi.Spec.NodeName = "k8s-node2"
	pi.Status.PodIPs = []objects.PodIP{{IP: "10.244.2.3"}}

	crashStatus := waiting("crash", "CrashLoopBackOff")
	crashStatus.RestartCount = 3
	crashStatus.LastState.Terminated = &objects.ContainerStateTerminated{ExitCode: 1, Reason: "Error", FinishedAt: objects.NewTime(now.Add(-10 * time.Second))}
	crash := podWith("Running", []string{"crash"}, crashStatus)
	crash.ObjectMeta = meta("kube-system", "crash", time.Minute)
	crash.Spec.NodeName = "k8s-node1"
	crash.Status.PodIPs = []objects.PodIP{{IP: "10.244.1.3"}}
	return []objects.Object{nginxPod(), pi, crash}
}

// kubectl get pods: columns NAME READY STATUS RESTARTS AGE, aligned with
// minwidth 6 and padding 3.
func TestGetPods(t *testing.T) {
	assert.Equal(t, ""+
		"NAME       READY   STATUS             RESTARTS      AGE\n"+
		"nginx      1/1     Running            0             4m\n"+
		"pi-rq5rl   0/1     Completed          0             4m\n"+
		"crash      0/1     CrashLoopBackOff   3 (10s ago)   3m\n",
		table(t, Options{Now: now}, threePods()...))
}

func TestGetPodsWide(t *testing.T) {
	assert.Equal(t, ""+
		"NAME       READY   STATUS             RESTARTS      AGE   IP           NODE        NOMINATED NODE   READINESS GATES\n"+
		"nginx      1/1     Running            0             4m    10.244.1.2   k8s-node1   <none>           <none>\n"+
		"pi-rq5rl   0/1     Completed          0             4m    10.244.2.3   k8s-node2   <none>           <none>\n"+
		"crash      0/1     CrashLoopBackOff   3 (10s ago)   3m    10.244.1.3   k8s-node1   <none>           <none>\n",
		table(t, Options{Now: now, Wide: true}, threePods()...))
}

// -A adds NAMESPACE first; --show-labels adds LABELS last, sorted, <none> when empty.
func TestGetPodsAllNamespacesShowLabels(t *testing.T) {
	assert.Equal(t, ""+
		"NAMESPACE     NAME       READY   STATUS             RESTARTS      AGE   LABELS\n"+
		"default       nginx      1/1     Running            0             4m    app=nginx,tier=web\n"+
		"default       pi-rq5rl   0/1     Completed          0             4m    batch.kubernetes.io/job-name=pi,job-name=pi\n"+
		"kube-system   crash      0/1     CrashLoopBackOff   3 (10s ago)   3m    <none>\n",
		table(t, Options{Now: now, ShowNamespace: true, ShowLabels: true}, threePods()...))
}

func TestGetPodsNoHeaders(t *testing.T) {
	assert.Equal(t, ""+
		"nginx      1/1   Running            0             4m\n"+
		"pi-rq5rl   0/1   Completed          0             4m\n"+
		"crash      0/1   CrashLoopBackOff   3 (10s ago)   3m\n",
		table(t, Options{Now: now, NoHeaders: true}, threePods()...))
}

// A pod with neither IP nor node prints <none> in the wide columns; a pod
// without a creation time is <unknown> old.
func TestGetPodsWideUnscheduled(t *testing.T) {
	p := podWith("Pending", []string{"main"})
	p.CreationTimestamp = objects.Time{}
	assert.Equal(t, ""+
		"NAME   READY   STATUS    RESTARTS   AGE         IP       NODE     NOMINATED NODE   READINESS GATES\n"+
		"p      0/1     Pending   0          <unknown>   <none>   <none>   <none>           <none>\n",
		table(t, Options{Now: now, Wide: true}, p))
}

func TestContainersAndImages(t *testing.T) {
	names, images := containersAndImages([]objects.Container{{Name: "a", Image: "busybox"}, {Name: "b", Image: "nginx:1.25"}})
	assert.Equal(t, "a,b", names)
	assert.Equal(t, "busybox,nginx:1.25", images)
}
