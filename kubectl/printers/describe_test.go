package printers

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// describedNginx is nginxPod with what describe shows beyond the table:
// resources, a probe, variables, mounts and volumes.
func describedNginx() *objects.Pod {
	p := nginxPod()
	p.Annotations = map[string]string{"kubesim.io/note": "hi",
		"kubectl.kubernetes.io/last-applied-configuration": `{"apiVersion":"v1"}`}
	c := &p.Spec.Containers[0]
	c.Resources = objects.ResourceRequirements{
		Requests: objects.ResourceList{"cpu": objects.MustParseQuantity("100m"), "memory": objects.MustParseQuantity("64Mi")},
		Limits:   objects.ResourceList{"memory": objects.MustParseQuantity("128Mi")},
	}
	c.ReadinessProbe = &objects.Probe{HTTPGet: &objects.HTTPGetAction{Path: "/healthz", Port: objects.FromInt(80), Scheme: "HTTP"},
		TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	c.Env = []objects.EnvVar{
		{Name: "GREETING", Value: "hello"},
		{Name: "MY_POD", ValueFrom: &objects.EnvVarSource{FieldRef: &objects.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
		{Name: "MY_NODE", ValueFrom: &objects.EnvVarSource{FieldRef: &objects.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeName"}}},
	}
	c.VolumeMounts = []objects.VolumeMount{
		{Name: "cache", MountPath: "/var/cache/nginx"},
		{Name: "html", MountPath: "/usr/share/nginx/html", ReadOnly: true},
	}
	p.Spec.Volumes = []objects.Volume{
		{Name: "html", ConfigMap: &objects.ConfigMapVolumeSource{LocalObjectReference: objects.LocalObjectReference{Name: "nginx-html"}}},
		{Name: "cache", EmptyDir: &objects.EmptyDirVolumeSource{}},
	}
	p.Status.QOSClass = "Burstable"
	return p
}

// nginxEvents are the events of the nginx pod, out of order.
func nginxEvents() []*objects.Event {
	return []*objects.Event{
		event("nginx.6", "Warning", "Unhealthy", "nginx", "kubelet",
			"Readiness probe failed: HTTP probe failed with statuscode: 503", time.Minute, 3*time.Minute, 3),
		event("nginx.1", "Normal", "Scheduled", "nginx", "default-scheduler", "Successfully assigned default/nginx to k8s-node1", 0, 0, 1),
		event("nginx.2", "Normal", "Pulling", "nginx", "kubelet", `Pulling image "nginx:1.25"`, time.Second, time.Second, 1),
		event("nginx.3", "Normal", "Pulled", "nginx", "kubelet", `Successfully pulled image "nginx:1.25" in 5s`, 6*time.Second, 6*time.Second, 1),
		event("nginx.4", "Normal", "Created", "nginx", "kubelet", "Created container: nginx", 7*time.Second, 7*time.Second, 1),
		event("nginx.5", "Normal", "Started", "nginx", "kubelet", "Started container nginx", 7*time.Second, 7*time.Second, 1),
	}
}

// describe.go describePod for a running pod: containers with resources,
// probe, variables and mounts; conditions; volumes; events sorted by time
// with "60s (x3 over 3m)" for a repeated one.
func TestDescribeRunningPod(t *testing.T) {
	golden(t, "describe_pod_running.txt", describe(t, describedNginx(), DescribeOptions{Now: now, Events: nginxEvents()}))
}

// The tutorial's pi pod once its Job's container completed.
func completedPi() *objects.Pod {
	p := &objects.Pod{
		ObjectMeta: objects.ObjectMeta{Name: "pi-rq5rl", Namespace: "default", CreationTimestamp: at(0),
			Labels: map[string]string{"batch.kubernetes.io/controller-uid": "8e3c", "batch.kubernetes.io/job-name": "pi",
				"controller-uid": "8e3c", "job-name": "pi"},
			OwnerReferences: []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "pi", UID: "8e3c", Controller: ptr(true)}}},
		Spec: objects.PodSpec{NodeName: "k8s-node2", ServiceAccountName: "default", RestartPolicy: "Never",
			Containers:  []objects.Container{{Name: "pi", Image: "perl:5.34.0", Command: []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}}},
			Tolerations: nginxPod().Spec.Tolerations},
		Status: objects.PodStatus{Phase: "Succeeded", HostIP: "192.168.122.26", PodIP: "10.244.2.3",
			PodIPs: []objects.PodIP{{IP: "10.244.2.3"}}, StartTime: atPtr(0), QOSClass: "BestEffort",
			Conditions: []objects.PodCondition{
				{Type: "PodReadyToStartContainers", Status: "False"},
				{Type: "Initialized", Status: "True"},
				{Type: "Ready", Status: "False"},
				{Type: "ContainersReady", Status: "False"},
				{Type: "PodScheduled", Status: "True"},
			}},
	}
	s := terminated("pi", "Completed", 0)
	s.State.Terminated.FinishedAt = at(2 * time.Minute)
	s.Image, s.ImageID, s.ContainerID = "docker.io/library/perl:5.34.0", "docker.io/library/perl@sha256:1f2e", "containerd://d00d"
	p.Status.ContainerStatuses = []objects.ContainerStatus{s}
	return p
}

// A pod controlled by a Job, without volumes or events: "Controlled By",
// the terminated state, and the last block aligned with the conditions
// table, as kubectl's tabwriter aligns them.
func TestDescribeCompletedPod(t *testing.T) {
	golden(t, "describe_pod_completed.txt", describe(t, completedPi(), DescribeOptions{Now: now}))
}

// A crash-looping container shows its waiting state and last termination.
func TestDescribeCrashLoopingContainer(t *testing.T) {
	p := podWith("Running", []string{"main"})
	s := waiting("main", "CrashLoopBackOff")
	s.RestartCount = 3
	s.LastState.Terminated = &objects.ContainerStateTerminated{ExitCode: 1, Reason: "Error",
		StartedAt: at(3*time.Minute + 40*time.Second), FinishedAt: at(3*time.Minute + 50*time.Second)}
	p.Status.ContainerStatuses = []objects.ContainerStatus{s}
	assert.Contains(t, describe(t, p, DescribeOptions{Now: now}), ""+
		"    State:          Waiting\n"+
		"      Reason:       CrashLoopBackOff\n"+
		"    Last State:     Terminated\n"+
		"      Reason:       Error\n"+
		"      Exit Code:    1\n"+
		"      Started:      Fri, 22 Dec 2023 00:03:40 +0000\n"+
		"      Finished:     Fri, 22 Dec 2023 00:03:50 +0000\n"+
		"    Ready:          False\n"+
		"    Restart Count:  3\n")
}

// A pod being deleted: its deletion timestamp is still ahead, so kubectl
// prints "<invalid>" as the duration, then the grace period.
func TestDescribeTerminatingPod(t *testing.T) {
	p := completedPi()
	p.Status.Phase = "Running"
	p.DeletionTimestamp = objects.NewTimePtr(now.Add(30 * time.Second))
	p.DeletionGracePeriodSeconds = ptr(int64(30))
	out := describe(t, p, DescribeOptions{Now: now})
	assert.Contains(t, out, "\nStatus:                    Terminating (lasts <invalid>)\n")
	assert.Contains(t, out, "\nTermination Grace Period:  30s\n")
	// A deleted pod that has finished shows its phase.
	p.Status.Phase = "Succeeded"
	assert.Contains(t, describe(t, p, DescribeOptions{Now: now}), "\nStatus:           Succeeded\n")
}

// --show-events=false drops the section.
func TestDescribeHideEvents(t *testing.T) {
	out := describe(t, completedPi(), DescribeOptions{Now: now, HideEvents: true, Events: nginxEvents()})
	assert.NotContains(t, out, "Events")
	assert.True(t, strings.HasSuffix(out, "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"))
}

// describe.go describeNode: lease, conditions, addresses, resources,
// system info, the non-terminated pods on the node with their share of
// the allocatable resources, and the totals.
func TestDescribeNode(t *testing.T) {
	n := node("k8s-node1", "192.168.122.25", true)
	n.Annotations = map[string]string{"node.alpha.kubernetes.io/ttl": "0"}
	n.Spec.PodCIDR, n.Spec.PodCIDRs = "10.244.1.0/24", []string{"10.244.1.0/24"}
	n.Status.Capacity = objects.ResourceList{"cpu": objects.MustParseQuantity("2"), "memory": objects.MustParseQuantity("4025836Ki"),
		"pods": objects.MustParseQuantity("110"), "ephemeral-storage": objects.MustParseQuantity("19475088Ki")}
	n.Status.Allocatable = objects.ResourceList{"cpu": objects.MustParseQuantity("2"), "memory": objects.MustParseQuantity("3923436Ki"),
		"pods": objects.MustParseQuantity("110"), "ephemeral-storage": objects.MustParseQuantity("17948241072")}
	pods := threePods() // nginx and crash on k8s-node1; pi completed on k8s-node2
	nginx := describedNginx()
	crash := pods[2].(*objects.Pod)
	other := completedPi()
	other.Spec.NodeName = "k8s-node1" // finished: not listed
	got := describe(t, n, DescribeOptions{Now: now, Pods: []*objects.Pod{crash, other, nginx, nil},
		NodeLease: &Lease{HolderIdentity: "k8s-node1", RenewTime: t0.Add(3*time.Minute + 55*time.Second)}})
	golden(t, "describe_node.txt", got)
}

// Without a lease, kubectl prints the error it got reading it.
func TestDescribeNodeWithoutLease(t *testing.T) {
	assert.Contains(t, describe(t, node("k8s-node2", "192.168.122.26", true), DescribeOptions{Now: now}),
		"\nLease:              Failed to get lease: leases.coordination.k8s.io \"k8s-node2\" not found\n")
}

// A cordoned, tainted node lists its taints sorted by effect, then key.
func TestDescribeNodeTaints(t *testing.T) {
	n := node("k8s-master", "192.168.122.24", true)
	n.Spec.Taints = []objects.Taint{
		{Key: "node-role.kubernetes.io/control-plane", Effect: "NoSchedule"},
		{Key: "dedicated", Value: "gpu", Effect: "NoExecute"},
		{Key: "node.kubernetes.io/unschedulable", Effect: "NoSchedule"},
	}
	n.Spec.Unschedulable = true
	assert.Contains(t, describe(t, n, DescribeOptions{Now: now}), ""+
		"Taints:             dedicated=gpu:NoExecute\n"+
		"                    node-role.kubernetes.io/control-plane:NoSchedule\n"+
		"                    node.kubernetes.io/unschedulable:NoSchedule\n"+
		"Unschedulable:      true\n")
}

// describe.go describeNamespace without quotas or limit ranges.
func TestDescribeNamespace(t *testing.T) {
	ns := &objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "default", CreationTimestamp: at(0),
		Labels: map[string]string{"kubernetes.io/metadata.name": "default"}}, Status: objects.NamespaceStatus{Phase: "Active"}}
	golden(t, "describe_namespace.txt", describe(t, ns, DescribeOptions{Now: now}))
}

// A namespace with a ResourceQuota and a LimitRange, both stored unstructured.
func TestDescribeNamespaceWithQuota(t *testing.T) {
	ns := &objects.Namespace{ObjectMeta: meta("", "team-a", 0), Status: objects.NamespaceStatus{Phase: "Active"}}
	quota := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ResourceQuota"},
		ObjectMeta: meta("team-a", "compute", 0), Content: map[string]any{
			"spec": map[string]any{"hard": map[string]any{"cpu": "4", "memory": "8Gi", "pods": "10"}},
			"status": map[string]any{
				"hard": map[string]any{"cpu": "4", "memory": "8Gi", "pods": "10"},
				"used": map[string]any{"cpu": "100m", "memory": "64Mi", "pods": "2"},
			}}}
	limits := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "LimitRange"},
		ObjectMeta: meta("team-a", "limits", 0), Content: map[string]any{"spec": map[string]any{"limits": []any{
			map[string]any{"type": "Container", "max": map[string]any{"cpu": "1"},
				"default": map[string]any{"cpu": "500m"}, "defaultRequest": map[string]any{"cpu": "100m"}},
		}}}}
	golden(t, "describe_namespace_quota.txt", describe(t, ns, DescribeOptions{Now: now,
		ResourceQuotas: []objects.Object{quota}, LimitRanges: []objects.Object{limits}}))
}

// Kinds without a describer get kubectl's generic one.
func TestDescribeGeneric(t *testing.T) {
	cr := clusterRole("pod-reader")
	cr.ResourceVersion, cr.UID = "42", "cr-uid"
	cr.Content["rules"] = []any{map[string]any{"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get", "list"}}}
	golden(t, "describe_generic.txt", describe(t, cr, DescribeOptions{Now: now, Events: []*objects.Event{}}))
}

// The generic describer's labels: camel case split into words, acronyms
// upper-cased, names with other characters left alone.
func TestSmartLabelFor(t *testing.T) {
	for field, want := range map[string]string{
		"apiVersion":        "API Version",
		"creationTimestamp": "Creation Timestamp",
		"uid":               "UID",
		"ownerReferences":   "Owner References",
		"podCIDR":           "Pod CIDR",
		"serverURL":         "Server URL",
		"HTTPServer":        "HTTP Server",
		"app.kubernetes.io": "app.kubernetes.io",
		"v1":                "v1",
		"foo-bar":           "Foo - Bar",
	} {
		assert.Equal(t, want, smartLabelFor(field), field)
	}
}

// Annotations: long or multi-line values on their own lines, cut at 138
// bytes; the last-applied configuration is never shown.
func TestDescribeAnnotations(t *testing.T) {
	ns := &objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "ns", Annotations: map[string]string{
		"a":                   "short",
		"k":                   strings.Repeat("x", 200),
		"m":                   "line1\nline2\n",
		lastAppliedAnnotation: "{}",
	}}, Status: objects.NamespaceStatus{Phase: "Active"}}
	assert.Contains(t, describe(t, ns, DescribeOptions{Now: now}), ""+
		"Annotations:  a: short\n"+
		"              k:\n"+
		"                "+strings.Repeat("x", 138)+"...\n"+
		"              m:\n"+
		"                line1\n"+
		"                line2\n"+
		"Status:       Active\n")
}

// Tolerations: an empty key with Exists tolerates everything.
func TestTolerationString(t *testing.T) {
	assert.Equal(t, "op=Exists", tolerationString(objects.Toleration{Operator: "Exists"}))
	assert.Equal(t, "dedicated=gpu:NoSchedule", tolerationString(objects.Toleration{Key: "dedicated", Operator: "Equal", Value: "gpu", Effect: "NoSchedule"}))
	assert.Equal(t, ":NoExecute op=Exists for 60s", tolerationString(objects.Toleration{Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptr(int64(60))}))
}

// describe.go DescribeProbe for each handler.
func TestDescribeProbe(t *testing.T) {
	attrs := "delay=5s timeout=1s period=10s #success=1 #failure=3"
	p := objects.Probe{InitialDelaySeconds: 5, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	exec, tcp, http := p, p, p
	exec.Exec = &objects.ExecAction{Command: []string{"cat", "/tmp/healthy"}}
	tcp.TCPSocket = &objects.TCPSocketAction{Port: objects.FromString("http")}
	http.HTTPGet = &objects.HTTPGetAction{Host: "example.com", Path: "/", Port: objects.FromInt(8443), Scheme: "HTTPS"}
	assert.Equal(t, "exec [cat /tmp/healthy] "+attrs, describeProbe(&exec))
	assert.Equal(t, "tcp-socket :http "+attrs, describeProbe(&tcp))
	assert.Equal(t, "http-get https://example.com:8443/ "+attrs, describeProbe(&http))
	assert.Equal(t, "unknown "+attrs, describeProbe(&p))
}

func TestDescribeErrors(t *testing.T) {
	var b bytes.Buffer
	require.ErrorIs(t, Describe(&b, nil, DescribeOptions{}), errNilObject)
	assert.Empty(t, b.String())
}

// describe.go DescribePodTemplate, as the Job describer will print the
// tutorial's pi template.
func TestDescribePodTemplate(t *testing.T) {
	pi := completedPi()
	var b bytes.Buffer
	tw := newDescribeTabWriter(&b)
	describePodTemplate(&prefixWriter{out: tw}, &objects.ObjectMeta{Labels: pi.Labels}, &objects.PodSpec{Containers: pi.Spec.Containers})
	require.NoError(t, tw.Flush())
	assert.Equal(t, ""+
		"Pod Template:\n"+
		"  Labels:  batch.kubernetes.io/controller-uid=8e3c\n"+
		"           batch.kubernetes.io/job-name=pi\n"+
		"           controller-uid=8e3c\n"+
		"           job-name=pi\n"+
		"  Containers:\n"+
		"   pi:\n"+
		"    Image:      perl:5.34.0\n"+
		"    Port:       <none>\n"+
		"    Host Port:  <none>\n"+
		"    Command:\n"+
		"      perl\n"+
		"      -Mbignum=bpi\n"+
		"      -wle\n"+
		"      print bpi(2000)\n"+
		"    Environment:   <none>\n"+
		"    Mounts:        <none>\n"+
		"  Volumes:         <none>\n"+
		"  Node-Selectors:  <none>\n"+
		"  Tolerations:     <none>\n", b.String())
}

// RollingUpdateStrategy prints each bound with intstr.IntOrString's String,
// as kubectl does: a bound left nil (defaulting always sets both) is <nil>,
// not 0.
func TestDescribeDeploymentRollingUpdateBounds(t *testing.T) {
	d := &objects.Deployment{ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default"}}
	d.Spec.Strategy = objects.DeploymentStrategy{Type: objects.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &objects.RollingUpdateDeployment{MaxSurge: new(objects.FromString("25%"))}}
	out := describe(t, d, DescribeOptions{Now: now, Events: []*objects.Event{}})
	require.Contains(t, out, "RollingUpdateStrategy:  <nil> max unavailable, 25% max surge\n")
}

// From 1.35 kubectl names a container's field path before its event's
// message; an event about the pod as a whole keeps its message as it is.
func TestDescribeEventFieldPaths(t *testing.T) {
	events := nginxEvents()
	events[4].InvolvedObject.FieldPath = "spec.containers{nginx}"
	old := describe(t, describedNginx(), DescribeOptions{Now: now, Events: events})
	assert.Contains(t, old, "kubelet            Created container: nginx\n")
	out := describe(t, describedNginx(), DescribeOptions{Now: now, Events: events, EventFieldPaths: true})
	assert.Contains(t, out, "kubelet            spec.containers{nginx}: Created container: nginx\n")
	assert.Contains(t, out, "kubelet            Started container nginx\n")
}
