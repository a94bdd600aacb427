package printers

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// The tutorial's clock: the cluster starts at t0 and the tests look at it 4m later.
var (
	t0  = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)
	now = t0.Add(4 * time.Minute)
)

// rewrite regenerates the golden files. Their contents were written by hand
// from upstream's printers and describers; review every regenerated diff.
var rewrite = flag.Bool("rewrite", false, "rewrite testdata golden files")

// at returns t0 plus d as an API time.
func at(d time.Duration) objects.Time { return objects.NewTime(t0.Add(d)) }

// atPtr returns a pointer to at(d).
func atPtr(d time.Duration) *objects.Time { t := at(d); return &t }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// meta returns object metadata created at t0+created.
func meta(namespace, name string, created time.Duration) objects.ObjectMeta {
	return objects.ObjectMeta{Name: name, Namespace: namespace, CreationTimestamp: at(created)}
}

// running returns a running, ready container status.
func running(name string, started time.Duration) objects.ContainerStatus {
	return objects.ContainerStatus{Name: name, Ready: true, Started: ptr(true),
		State: objects.ContainerState{Running: &objects.ContainerStateRunning{StartedAt: at(started)}}}
}

// waiting returns a waiting container status.
func waiting(name, reason string) objects.ContainerStatus {
	return objects.ContainerStatus{Name: name, State: objects.ContainerState{Waiting: &objects.ContainerStateWaiting{Reason: reason}}}
}

// terminated returns a terminated container status.
func terminated(name, reason string, exitCode int32) objects.ContainerStatus {
	return objects.ContainerStatus{Name: name, State: objects.ContainerState{Terminated: &objects.ContainerStateTerminated{
		Reason: reason, ExitCode: exitCode, StartedAt: at(5 * time.Second), FinishedAt: at(time.Minute)}}}
}

// containers returns containers named names, image busybox.
func containers(names ...string) []objects.Container {
	var out []objects.Container
	for _, n := range names {
		out = append(out, objects.Container{Name: n, Image: "busybox"})
	}
	return out
}

// nginxPod is a running, ready pod on k8s-node1.
func nginxPod() *objects.Pod {
	return &objects.Pod{
		ObjectMeta: objects.ObjectMeta{Name: "nginx", Namespace: "default", UID: "uid-nginx",
			CreationTimestamp: at(0), Labels: map[string]string{"app": "nginx", "tier": "web"}},
		Spec: objects.PodSpec{
			NodeName: "k8s-node1", ServiceAccountName: "default", RestartPolicy: "Always",
			Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.25",
				Ports: []objects.ContainerPort{{ContainerPort: 80, Protocol: "TCP"}}}},
			Tolerations: []objects.Toleration{
				{Key: "node.kubernetes.io/unreachable", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptr(int64(300))},
				{Key: "node.kubernetes.io/not-ready", Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptr(int64(300))},
			},
		},
		Status: objects.PodStatus{
			Phase: "Running", HostIP: "192.168.122.25", PodIP: "10.244.1.2",
			PodIPs: []objects.PodIP{{IP: "10.244.1.2"}}, StartTime: atPtr(0), QOSClass: "BestEffort",
			Conditions: []objects.PodCondition{
				{Type: "PodReadyToStartContainers", Status: "True"},
				{Type: "Initialized", Status: "True"},
				{Type: "Ready", Status: "True"},
				{Type: "ContainersReady", Status: "True"},
				{Type: "PodScheduled", Status: "True"},
			},
			ContainerStatuses: []objects.ContainerStatus{func() objects.ContainerStatus {
				s := running("nginx", 7*time.Second)
				s.Image, s.ImageID, s.ContainerID = "docker.io/library/nginx:1.25", "docker.io/library/nginx@sha256:0a1b", "containerd://c0ffee"
				return s
			}()},
		},
	}
}

// event returns an event about a pod.
func event(name, typ, reason, pod, component, message string, first, last time.Duration, count int32) *objects.Event {
	return &objects.Event{
		ObjectMeta:     meta("default", name, first),
		InvolvedObject: objects.ObjectReference{Kind: "Pod", Namespace: "default", Name: pod, APIVersion: "v1"},
		Reason:         reason, Message: message, Type: typ, Count: count,
		Source:         objects.EventSource{Component: component},
		FirstTimestamp: at(first), LastTimestamp: at(last),
	}
}

// node returns a node with the tutorial's system info.
func node(name, ip string, ready bool) *objects.Node {
	status := "True"
	if !ready {
		status = "False"
	}
	return &objects.Node{
		ObjectMeta: objects.ObjectMeta{Name: name, CreationTimestamp: at(0),
			Labels: map[string]string{"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}},
		Status: objects.NodeStatus{
			Conditions: []objects.NodeCondition{{Type: "Ready", Status: status, Reason: "KubeletReady",
				Message: "kubelet is posting ready status", LastHeartbeatTime: at(0), LastTransitionTime: at(0)}},
			Addresses: []objects.NodeAddress{{Type: "InternalIP", Address: ip}, {Type: "Hostname", Address: name}},
			NodeInfo: objects.NodeSystemInfo{KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://1.7.11",
				KernelVersion: "6.1.0-17-amd64", OSImage: "Debian GNU/Linux 12 (bookworm)", OperatingSystem: "linux", Architecture: "amd64"},
		},
	}
}

// golden compares got with testdata/name, or rewrites it with -rewrite.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *rewrite {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), got)
}

// table prints objs with PrintTable and returns the text.
func table(t *testing.T, opts Options, objs ...objects.Object) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, PrintTable(&b, objs, opts))
	return b.String()
}

// describe describes obj and returns the text.
func describe(t *testing.T, obj objects.Object, opts DescribeOptions) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Describe(&b, obj, opts))
	return b.String()
}
