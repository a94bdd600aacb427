package objects

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultImagePullPolicy(t *testing.T) {
	tests := []struct {
		image, want string
	}{
		{"nginx", PullAlways},
		{"nginx:latest", PullAlways},
		{"nginx:1.25", PullIfNotPresent},
		{"library/nginx:1.25-alpine", PullIfNotPresent},
		{"registry.k8s.io/pause:3.10", PullIfNotPresent},
		{"localhost:5000/app", PullAlways},
		{"localhost:5000/app:v1", PullIfNotPresent},
		{"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", PullIfNotPresent},
		{"nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", PullAlways},
		{"Nginx", PullIfNotPresent},        // invalid reference: upstream ignores the parse error
		{"nginx:LATEST", PullIfNotPresent}, // upper case after the registry is invalid
		{"MyRegistry.io/app", PullAlways},  // a registry host may have upper case
		{"", PullIfNotPresent},
	}
	for _, tc := range tests {
		t.Run(tc.image, func(t *testing.T) {
			assert.Equal(t, tc.want, DefaultImagePullPolicy(tc.image))
		})
	}
}

func TestDefaultPod(t *testing.T) {
	p := &Pod{ObjectMeta: ObjectMeta{Name: "p", Namespace: "default"}, Spec: PodSpec{
		Containers: []Container{{
			Name: "c", Image: "nginx:1.25",
			Ports:          []ContainerPort{{ContainerPort: 80}},
			Resources:      ResourceRequirements{Limits: ResourceList{"cpu": MustParseQuantity("500m"), "memory": MustParseQuantity("100u")}},
			LivenessProbe:  &Probe{HTTPGet: &HTTPGetAction{Port: FromInt(80)}},
			ReadinessProbe: &Probe{PeriodSeconds: 5, Exec: &ExecAction{Command: []string{"true"}}},
			Env:            []EnvVar{{Name: "N", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{FieldPath: "metadata.name"}}}},
		}},
		Volumes: []Volume{{Name: "scratch"}, {Name: "cfg", ConfigMap: &ConfigMapVolumeSource{}}, {Name: "s", Secret: &SecretVolumeSource{}}},
	}}
	Default(p)

	s := p.Spec
	assert.Equal(t, RestartPolicyAlways, s.RestartPolicy)
	assert.Equal(t, DNSClusterFirst, s.DNSPolicy)
	assert.Equal(t, DefaultSchedulerName, s.SchedulerName)
	assert.Equal(t, "default", s.ServiceAccountName)
	require.NotNil(t, s.TerminationGracePeriodSeconds)
	assert.EqualValues(t, 30, *s.TerminationGracePeriodSeconds)

	c := s.Containers[0]
	assert.Equal(t, PullIfNotPresent, c.ImagePullPolicy)
	assert.Equal(t, "/dev/termination-log", c.TerminationMessagePath)
	assert.Equal(t, "File", c.TerminationMessagePolicy)
	assert.Equal(t, ProtocolTCP, c.Ports[0].Protocol)
	assert.Equal(t, "v1", c.Env[0].ValueFrom.FieldRef.APIVersion)
	assert.Equal(t, "500m", c.Resources.Requests.Cpu().String(), "requests default to limits")
	assert.Equal(t, "1m", c.Resources.Limits.Memory().String(), "quantities round up to the milli")
	assert.Equal(t, "1m", c.Resources.Requests.Memory().String())
	assert.Equal(t, Probe{HTTPGet: &HTTPGetAction{Path: "/", Port: FromInt(80), Scheme: "HTTP"},
		TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}, *c.LivenessProbe)
	assert.EqualValues(t, 5, c.ReadinessProbe.PeriodSeconds, "set values are kept")

	assert.NotNil(t, s.Volumes[0].EmptyDir, "a volume without a source is an emptyDir")
	assert.EqualValues(t, 420, *s.Volumes[1].ConfigMap.DefaultMode)
	assert.EqualValues(t, 420, *s.Volumes[2].Secret.DefaultMode)

	assert.Equal(t, []Toleration{
		{Key: TaintNodeNotReady, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(300))},
		{Key: TaintNodeUnreachable, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(300))},
	}, s.Tolerations)
	assert.Equal(t, PodPending, p.Status.Phase)
	assert.Equal(t, QOSGuaranteed, p.Status.QOSClass, "limits on cpu and memory, requests copied from them")

	before := p.DeepCopy()
	Default(p)
	assert.Equal(t, before, p, "defaulting twice changes nothing more")
}

func TestAddDefaultTolerations(t *testing.T) {
	notReady := Toleration{Key: TaintNodeNotReady, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(300))}
	unreachable := Toleration{Key: TaintNodeUnreachable, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(300))}
	tests := []struct {
		name     string
		existing []Toleration
		want     []Toleration
	}{
		{"none", nil, []Toleration{notReady, unreachable}},
		{"tolerates everything", []Toleration{{Operator: "Exists"}}, []Toleration{{Operator: "Exists"}}},
		{"own not-ready kept", []Toleration{{Key: TaintNodeNotReady, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(5))}},
			[]Toleration{{Key: TaintNodeNotReady, Operator: "Exists", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(5))}, unreachable}},
		{"NoSchedule does not count", []Toleration{{Key: TaintNodeUnreachable, Operator: "Exists", Effect: "NoSchedule"}},
			[]Toleration{{Key: TaintNodeUnreachable, Operator: "Exists", Effect: "NoSchedule"}, notReady, unreachable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := PodSpec{Tolerations: tc.existing}
			AddDefaultTolerations(&s)
			assert.Equal(t, tc.want, s.Tolerations)
		})
	}
}

func TestDefaultHostNetworkAndPullAlways(t *testing.T) {
	p := &Pod{Spec: PodSpec{HostNetwork: true, Containers: []Container{{Name: "c", Image: "busybox", Ports: []ContainerPort{{ContainerPort: 8080}}}}}}
	SchemeDefault(p)
	assert.EqualValues(t, 8080, p.Spec.Containers[0].Ports[0].HostPort)
	assert.Equal(t, PullAlways, p.Spec.Containers[0].ImagePullPolicy)
	assert.Empty(t, p.Spec.Tolerations, "SchemeDefault leaves create-time admission alone")
	assert.Empty(t, p.Status.Phase)
}

func TestPodQOSClass(t *testing.T) {
	rl := func(kv ...string) ResourceList {
		out := ResourceList{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = MustParseQuantity(kv[i+1])
		}
		return out
	}
	tests := []struct {
		name       string
		containers []Container
		want       string
	}{
		{"nothing", []Container{{}}, QOSBestEffort},
		{"zero requests", []Container{{Resources: ResourceRequirements{Requests: rl("cpu", "0")}}}, QOSBestEffort},
		{"requests only", []Container{{Resources: ResourceRequirements{Requests: rl("cpu", "1")}}}, QOSBurstable},
		{"equal", []Container{{Resources: ResourceRequirements{Requests: rl("cpu", "1", "memory", "1Gi"), Limits: rl("cpu", "1", "memory", "1Gi")}}}, QOSGuaranteed},
		{"equal but other container empty", []Container{
			{Resources: ResourceRequirements{Requests: rl("cpu", "1", "memory", "1Gi"), Limits: rl("cpu", "1", "memory", "1Gi")}}, {}}, QOSBurstable},
		{"limit above request", []Container{{Resources: ResourceRequirements{Requests: rl("cpu", "1", "memory", "1Gi"), Limits: rl("cpu", "2", "memory", "1Gi")}}}, QOSBurstable},
		{"memory limit missing", []Container{{Resources: ResourceRequirements{Requests: rl("cpu", "1"), Limits: rl("cpu", "1")}}}, QOSBurstable},
		{"extended resources ignored", []Container{{Resources: ResourceRequirements{Limits: rl("example.com/gpu", "1")}}}, QOSBestEffort},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, PodQOSClass(&Pod{Spec: PodSpec{Containers: tc.containers}}))
		})
	}
}

func TestDefaultNodeAndNamespace(t *testing.T) {
	n := &Node{Status: NodeStatus{Capacity: ResourceList{"cpu": MustParseQuantity("4"), "memory": MustParseQuantity("8Gi")}}}
	Default(n)
	assert.Equal(t, n.Status.Capacity, n.Status.Allocatable)
	n.Status.Allocatable["cpu"] = MustParseQuantity("3")
	assert.Equal(t, "4", n.Status.Capacity.Cpu().String(), "allocatable is a copy, not the same map")

	ns := &Namespace{ObjectMeta: ObjectMeta{Name: "team-a"}}
	Default(ns)
	assert.Equal(t, map[string]string{LabelMetadataName: "team-a"}, ns.Labels)
	assert.Equal(t, []string{"kubernetes"}, ns.Spec.Finalizers)
	assert.Equal(t, NamespaceActive, ns.Status.Phase)

	// On update only scheme defaults run: a removed finalizer stays removed.
	ns.Spec.Finalizers = nil
	ns.Status.Phase = NamespaceTerminating
	SchemeDefault(ns)
	assert.Empty(t, ns.Spec.Finalizers)
	assert.Equal(t, NamespaceTerminating, ns.Status.Phase)

	ns2 := &Namespace{ObjectMeta: ObjectMeta{Name: "b"}, Spec: NamespaceSpec{Finalizers: []string{"example.com/x"}}}
	Default(ns2)
	assert.Equal(t, []string{"example.com/x", "kubernetes"}, ns2.Spec.Finalizers)
}

// PodQOSClass sums cpu and memory in fields; qosWithMaps is upstream's
// ComputePodQOS as written with maps, the reference it must agree with on
// every mix of requests and limits over two containers and an optional
// init container.
func TestPodQOSClassAgreesWithTheMapReference(t *testing.T) {
	amounts := []ResourceList{
		nil, {"cpu": MustParseQuantity("1")}, {"memory": MustParseQuantity("1Gi")},
		{"cpu": MustParseQuantity("1"), "memory": MustParseQuantity("1Gi")},
		{"cpu": MustParseQuantity("1000m"), "memory": MustParseQuantity("2Gi")},
		{"cpu": MustParseQuantity("0"), "memory": MustParseQuantity("1Gi"), "example.com/gpu": MustParseQuantity("1")},
	}
	classes := map[string]int{}
	for _, r1 := range amounts {
		for _, l1 := range amounts {
			for _, r2 := range amounts {
				for _, l2 := range amounts {
					for _, init := range amounts {
						p := &Pod{Spec: PodSpec{Containers: []Container{
							{Resources: ResourceRequirements{Requests: r1, Limits: l1}},
							{Resources: ResourceRequirements{Requests: r2, Limits: l2}},
						}}}
						if init != nil {
							p.Spec.InitContainers = []Container{{Resources: ResourceRequirements{Requests: init, Limits: init}}}
						}
						want := qosWithMaps(p)
						if got := PodQOSClass(p); got != want {
							t.Fatalf("PodQOSClass = %s, want %s for %+v", got, want, p.Spec)
						}
						classes[want]++
					}
				}
			}
		}
	}
	assert.Len(t, classes, 3, "every class is reached: %v", classes)
}

// qosWithMaps is PodQOSClass as it was first written, after upstream.
func qosWithMaps(p *Pod) string {
	requests, limits := ResourceList{}, ResourceList{}
	guaranteed := true
	sum := func(into, from ResourceList) map[string]bool {
		found := map[string]bool{}
		for name, q := range from {
			if (name != ResourceCPU && name != ResourceMemory) || q.Sign() <= 0 {
				continue
			}
			found[name] = true
			s := into[name]
			s.Add(q)
			into[name] = s
		}
		return found
	}
	for _, c := range append(append([]Container{}, p.Spec.Containers...), p.Spec.InitContainers...) {
		sum(requests, c.Resources.Requests)
		if found := sum(limits, c.Resources.Limits); !found[ResourceCPU] || !found[ResourceMemory] {
			guaranteed = false
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return QOSBestEffort
	}
	if guaranteed && len(requests) == len(limits) {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				return QOSBurstable
			}
		}
		return QOSGuaranteed
	}
	return QOSBurstable
}
