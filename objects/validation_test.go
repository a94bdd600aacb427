package objects

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
	labelMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)

// validPod returns a defaulted pod that passes validation.
func validPod() *Pod {
	p := &Pod{
		TypeMeta:   TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec: PodSpec{
			Containers: []Container{{
				Name: "nginx", Image: "nginx:1.25",
				Ports:        []ContainerPort{{Name: "http", ContainerPort: 80}},
				VolumeMounts: []VolumeMount{{Name: "data", MountPath: "/data"}},
				Resources:    ResourceRequirements{Requests: ResourceList{"cpu": MustParseQuantity("100m")}, Limits: ResourceList{"cpu": MustParseQuantity("200m")}},
				Env:          []EnvVar{{Name: "MODE", Value: "prod"}},
			}},
			Volumes: []Volume{{Name: "data", EmptyDir: &EmptyDirVolumeSource{}}},
		},
	}
	Default(p)
	return p
}

func TestValidateCreatePod(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Pod)
		want   string
	}{
		{"valid", func(p *Pod) {}, ""},
		{"no name", func(p *Pod) { p.Name = "" }, "metadata.name: Required value: name or generateName is required"},
		{"bad name", func(p *Pod) { p.Name = "Pi" }, `metadata.name: Invalid value: "Pi": ` + subdomainMsg},
		{"generateName may end in a dash", func(p *Pod) { p.GenerateName = "web-" }, ""},
		{"no namespace", func(p *Pod) { p.Namespace = "" }, "metadata.namespace: Required value"},
		{"bad label value", func(p *Pod) { p.Labels["app"] = "a b" }, `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		{"bad annotation key", func(p *Pod) { p.Annotations = map[string]string{"a/b/c": ""} }, `metadata.annotations: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`},
		{"annotations too big", func(p *Pod) { p.Annotations = map[string]string{"big": strings.Repeat("x", 256*1024)} }, "metadata.annotations: Too long: may not be more than 262144 bytes"},
		{"owner without uid", func(p *Pod) {
			p.OwnerReferences = []OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs"}}
		}, "metadata.ownerReferences[0].uid: Required value: must not be empty"},
		{"no containers", func(p *Pod) { p.Spec.Containers = nil }, "spec.containers: Required value"},
		{"no image", func(p *Pod) { p.Spec.Containers[0].Image = "" }, "spec.containers[0].image: Required value"},
		{"bad container name", func(p *Pod) { p.Spec.Containers[0].Name = "Web_1" }, `spec.containers[0].name: Invalid value: "Web_1": ` + labelMsg},
		{"duplicate container", func(p *Pod) {
			p.Spec.Containers = append(p.Spec.Containers, *p.Spec.Containers[0].DeepCopy())
			p.Spec.Containers[1].Ports = nil
		}, `spec.containers[1].name: Duplicate value: "nginx"`},
		{"init name clashes", func(p *Pod) { p.Spec.InitContainers = []Container{*p.Spec.Containers[0].DeepCopy()} }, `spec.initContainers[0].name: Duplicate value: "nginx"`},
		{"restart policy", func(p *Pod) { p.Spec.RestartPolicy = "Sometimes" }, `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`},
		{"pull policy", func(p *Pod) { p.Spec.Containers[0].ImagePullPolicy = "Maybe" }, `spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"`},
		{"port range", func(p *Pod) { p.Spec.Containers[0].Ports[0].ContainerPort = 70000 }, "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"},
		{"host port range", func(p *Pod) { p.Spec.Containers[0].Ports[0].HostPort = -1 }, "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive"},
		{"port protocol", func(p *Pod) { p.Spec.Containers[0].Ports[0].Protocol = "ICMP" }, `spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`},
		{"duplicate port name", func(p *Pod) {
			p.Spec.Containers[0].Ports = append(p.Spec.Containers[0].Ports, ContainerPort{Name: "http", ContainerPort: 81, Protocol: "TCP"})
		}, `spec.containers[0].ports[1].name: Duplicate value: "http"`},
		{"mount of unknown volume", func(p *Pod) { p.Spec.Volumes = nil }, `spec.containers[0].volumeMounts[0].name: Not found: "data"`},
		{"duplicate volume", func(p *Pod) { p.Spec.Volumes = append(p.Spec.Volumes, p.Spec.Volumes[0]) }, `spec.volumes[1].name: Duplicate value: "data"`},
		{"two volume sources", func(p *Pod) { p.Spec.Volumes[0].HostPath = &HostPathVolumeSource{Path: "/tmp"} }, "[spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type, spec.containers[0].volumeMounts[0].name: Not found: \"data\"]"}, // an invalid volume is not mountable, as upstream
		{"no volume source", func(p *Pod) { p.Spec.Volumes[0].EmptyDir = nil }, "[spec.volumes[0]: Required value: must specify a volume type, spec.containers[0].volumeMounts[0].name: Not found: \"data\"]"},
		{"duplicate mount path", func(p *Pod) {
			c := &p.Spec.Containers[0]
			c.VolumeMounts = append(c.VolumeMounts, c.VolumeMounts[0])
		}, `spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique`},
		{"env name", func(p *Pod) { p.Spec.Containers[0].Env[0].Name = "A=B" }, `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`},
		{"env source and value", func(p *Pod) {
			p.Spec.Containers[0].Env[0].ValueFrom = &EnvVarSource{ConfigMapKeyRef: &KeySelector{Name: "cm", Key: "k"}}
		}, "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"},
		{"request above limit", func(p *Pod) { p.Spec.Containers[0].Resources.Requests["cpu"] = MustParseQuantity("2") }, `spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 200m`},
		{"negative request", func(p *Pod) { p.Spec.Containers[0].Resources.Requests["memory"] = MustParseQuantity("-1Mi") }, `spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0`},
		{"unknown resource", func(p *Pod) { p.Spec.Containers[0].Resources.Requests["gpu"] = MustParseQuantity("1") }, `spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers`},
		{"extended resource needs equal limit", func(p *Pod) { p.Spec.Containers[0].Resources.Requests["example.com/gpu"] = MustParseQuantity("1") }, "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"},
		{"negative grace period", func(p *Pod) { p.Spec.TerminationGracePeriodSeconds = ptrTo(int64(-5)) }, "spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0"},
		{"active deadline", func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo(int64(0)) }, "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"},
		{"dns policy", func(p *Pod) { p.Spec.DNSPolicy = "Cluster" }, `spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`},
		{"node name", func(p *Pod) { p.Spec.NodeName = "Node_1" }, `spec.nodeName: Invalid value: "Node_1": ` + subdomainMsg},
		{"toleration without key", func(p *Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Operator: "Equal", Value: "x"})
		},
			"spec.tolerations[2].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""},
		{"toleration seconds need NoExecute", func(p *Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Key: "k", Operator: "Exists", Effect: "NoSchedule", TolerationSeconds: ptrTo(int64(1))})
		}, "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"},
		{"liveness success threshold", func(p *Pod) {
			p.Spec.Containers[0].LivenessProbe = &Probe{TCPSocket: &TCPSocketAction{Port: FromString("http")}, SuccessThreshold: 2, TimeoutSeconds: 1, PeriodSeconds: 1, FailureThreshold: 1}
		}, "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"},
		{"probe without handler", func(p *Pod) {
			p.Spec.Containers[0].ReadinessProbe = &Probe{SuccessThreshold: 1}
		}, "spec.containers[0].readinessProbe: Required value: must specify a handler type"},
		{"several errors", func(p *Pod) { p.Spec.Containers[0].Image = ""; p.Spec.RestartPolicy = "" },
			"[spec.containers[0].image: Required value, spec.restartPolicy: Required value]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validPod()
			tc.mutate(p)
			errs := ValidateCreate(p)
			if tc.want == "" {
				assert.Empty(t, errs)
				assert.NoError(t, errs.ToAggregate())
				return
			}
			assert.Equal(t, tc.want, listText(errs))
			assert.EqualError(t, errs.ToAggregate(), tc.want)
		})
	}
}

func TestValidatePodUpdate(t *testing.T) {
	const forbidden = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
	tests := []struct {
		name   string
		mutate func(p *Pod)
		want   string
	}{
		{"unchanged", func(p *Pod) {}, ""},
		{"image", func(p *Pod) { p.Spec.Containers[0].Image = "nginx:1.26" }, ""},
		{"labels", func(p *Pod) { p.Labels["v"] = "2" }, ""},
		{"add toleration", func(p *Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Key: "k", Operator: "Exists", Effect: "NoSchedule"})
		}, ""},
		{"toleration seconds", func(p *Pod) { p.Spec.Tolerations[0].TolerationSeconds = ptrTo(int64(10)) }, ""},
		{"remove toleration", func(p *Pod) { p.Spec.Tolerations = p.Spec.Tolerations[:1] }, "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"},
		{"set deadline", func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo(int64(60)) }, ""},
		{"restart policy", func(p *Pod) { p.Spec.RestartPolicy = RestartPolicyNever },
			forbidden + "- restartPolicy: \"Always\"\n+ restartPolicy: \"Never\""},
		{"add container", func(p *Pod) {
			c := *p.Spec.Containers[0].DeepCopy()
			c.Name, c.Ports = "side", nil
			p.Spec.Containers = append(p.Spec.Containers, c)
		}, "spec.containers: Forbidden: pod updates may not add or remove containers"},
		{"image whitespace", func(p *Pod) { p.Spec.Containers[0].Image = " nginx" }, `spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace`},
		{"rename", func(p *Pod) { p.Name = "other" }, `metadata.name: Invalid value: "other": field is immutable`},
		{"uid", func(p *Pod) { p.UID = "u2" }, `metadata.uid: Invalid value: "u2": field is immutable`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validPod()
			old.UID = "u1"
			p := old.DeepCopy()
			tc.mutate(p)
			errs := ValidateUpdate(p, old)
			if tc.want == "" {
				assert.Empty(t, errs)
				return
			}
			assert.Equal(t, tc.want, listText(errs))
		})
	}
}

func TestActiveDeadlineUpdate(t *testing.T) {
	tests := []struct {
		name     string
		was, now *int64
		want     string
	}{
		{"lower", ptrTo(int64(60)), ptrTo(int64(30)), ""},
		{"raise", ptrTo(int64(30)), ptrTo(int64(60)), "spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"},
		{"clear", ptrTo(int64(30)), nil, "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validPod()
			old.Spec.ActiveDeadlineSeconds = tc.was
			p := old.DeepCopy()
			p.Spec.ActiveDeadlineSeconds = tc.now
			assert.Equal(t, tc.want, listText(ValidateUpdate(p, old)))
		})
	}
}

func TestValidateOtherKinds(t *testing.T) {
	tests := []struct {
		name string
		obj  Object
		want string
	}{
		{"node ok", &Node{ObjectMeta: ObjectMeta{Name: "node-1.example"}}, ""},
		{"node namespaced", &Node{ObjectMeta: ObjectMeta{Name: "n", Namespace: "default"}}, "metadata.namespace: Forbidden: not allowed on this type"},
		{"node bad name", &Node{ObjectMeta: ObjectMeta{Name: "Node 1"}}, `metadata.name: Invalid value: "Node 1": ` + subdomainMsg},
		{"namespace ok", &Namespace{ObjectMeta: ObjectMeta{Name: "team-a"}, Spec: NamespaceSpec{Finalizers: []string{"kubernetes"}}}, ""},
		{"namespace dots", &Namespace{ObjectMeta: ObjectMeta{Name: "a.b"}}, `metadata.name: Invalid value: "a.b": must not contain dots`},
		{"namespace finalizer", &Namespace{ObjectMeta: ObjectMeta{Name: "a"}, Spec: NamespaceSpec{Finalizers: []string{"custom"}}},
			`spec.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified`},
		{"event ok", &Event{ObjectMeta: ObjectMeta{Name: "web.17a", Namespace: "default"}}, ""},
		{"event without name", &Event{ObjectMeta: ObjectMeta{Namespace: "default"}}, "metadata.name: Required value: name or generateName is required"},
		{"conflicting finalizers", &Node{ObjectMeta: ObjectMeta{Name: "n", Finalizers: []string{"orphan", "foregroundDeletion"}}},
			`metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, listText(ValidateCreate(tc.obj)))
		})
	}
}

func TestValidateUpdateMetadata(t *testing.T) {
	deleting := NewTimePtr(validPod().CreationTimestamp.Time)
	old := &Namespace{ObjectMeta: ObjectMeta{Name: "a", DeletionTimestamp: deleting, Finalizers: []string{"kubernetes"}}}
	ns := old.DeepCopy()
	ns.Finalizers = append(ns.Finalizers, "example.com/late")
	assert.Equal(t, `metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/late"}`,
		listText(ValidateUpdate(ns, old)))

	ns = old.DeepCopy()
	ns.Finalizers = nil
	assert.Empty(t, ValidateUpdate(ns, old), "removing finalizers is how deletion completes")

	errs := ValidateUpdate(&Node{ObjectMeta: ObjectMeta{Name: "n"}}, old)
	require.Len(t, errs, 1, "an update cannot change the kind")
}

func TestValidateLabelSelector(t *testing.T) {
	tests := []struct {
		name string
		ls   *LabelSelector
		want string
	}{
		{"nil", nil, ""},
		{"ok", &LabelSelector{MatchLabels: map[string]string{"app": "web"}, MatchExpressions: []LabelSelectorRequirement{{Key: "env", Operator: "In", Values: []string{"prod"}}}}, ""},
		{"In without values", &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "env", Operator: "In"}}},
			"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"},
		{"Exists with values", &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "env", Operator: "Exists", Values: []string{"x"}}}},
			"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"},
		{"bad operator", &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "env", Operator: "in"}}},
			`spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, listText(ValidateLabelSelector(tc.ls, "spec.selector")))
		})
	}
}

func TestFieldErrorFormatting(t *testing.T) {
	tests := []struct {
		err  *FieldError
		want string
	}{
		{RequiredError("spec.x", ""), "spec.x: Required value"},
		{InvalidError("spec.n", int32(3), "too small"), "spec.n: Invalid value: 3: too small"},
		{InvalidError("spec.b", true, ""), "spec.b: Invalid value: true"},
		{InvalidError("spec.l", []string{"a"}, "bad"), `spec.l: Invalid value: ["a"]: bad`},
		{NotSupportedError("spec.p", "x", []string{"a", "b"}), `spec.p: Unsupported value: "x": supported values: "a", "b"`},
		{DuplicateError(NewFieldPath("spec").Child("c").Index(1).Child("name"), "n"), `spec.c[1].name: Duplicate value: "n"`},
		{ForbiddenError("spec", "no"), "spec: Forbidden: no"},
		{TooLongError("metadata.annotations", 1), "metadata.annotations: Too long: may not be more than 1 byte"},
		{NotFoundError(NewFieldPath("spec").Child("limits").Key("cpu"), "x"), `spec.limits[cpu]: Not found: "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
	dup := ErrorList{RequiredError("a", ""), RequiredError("a", "")}
	assert.Equal(t, "a: Required value", listText(dup), "repeated messages print once")
	assert.Equal(t, "", listText(nil))
	assert.NoError(t, ErrorList(nil).ToAggregate())
}

// listText is an error list as upstream prints it (its aggregate), or ""
// when it is empty.
func listText(l ErrorList) string {
	if agg := l.ToAggregate(); agg != nil {
		return agg.Error()
	}
	return ""
}

// An update that leaves the spec as stored skips the spec's checks, whose
// answer was given when it was stored; spec.nodeName, which a binding sets
// unchecked, is still checked, and so are the update's own rules and the
// metadata. A changed spec is checked whole.
func TestValidatePodUpdateOfAnUnchangedSpec(t *testing.T) {
	nodeErr := `spec.nodeName: Invalid value: "Node_1": ` + subdomainMsg
	tests := []struct {
		name      string
		old, edit func(p *Pod)
		want      string
	}{
		{"finalizer removed", func(p *Pod) { p.Finalizers = []string{"batch.kubernetes.io/job-tracking"} },
			func(p *Pod) { p.Finalizers = nil }, ""},
		{"bad label", nil, func(p *Pod) { p.Labels["app"] = "a b" }, `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		{"bound to a bad node name", func(p *Pod) { p.Spec.NodeName = "Node_1" }, func(p *Pod) { p.Labels["v"] = "2" }, nodeErr},
		{"bad node name with a bad label", func(p *Pod) { p.Spec.NodeName = "Node_1" },
			func(p *Pod) { p.Labels["app"] = "a b" }, `[metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), ` + nodeErr + `]`},
		{"image stored with whitespace", func(p *Pod) { p.Spec.Containers[0].Image = "nginx " }, nil,
			`spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace`},
		{"changed spec checked whole", func(p *Pod) { p.Spec.Containers[0].Env[0].Name = "A=B" },
			func(p *Pod) { p.Spec.Containers[0].Image = "nginx:1.26" }, `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validPod()
			old.UID = "u1"
			if tc.old != nil {
				tc.old(old)
			}
			p := old.DeepCopy()
			if tc.edit != nil {
				tc.edit(p)
			}
			errs := ValidateUpdate(p, old)
			if tc.want == "" {
				assert.Empty(t, errs)
				return
			}
			assert.Equal(t, tc.want, listText(errs))
		})
	}
}

// sameTolerationButSeconds compares every field of a toleration but
// tolerationSeconds: a field added to Toleration must be added to it.
func TestTolerationFieldsAreCompared(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[Toleration]().Fields() {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"Key", "Operator", "Value", "Effect", "TolerationSeconds"}, names)
	base := Toleration{Key: "k", Operator: "Equal", Value: "v", Effect: "NoExecute", TolerationSeconds: ptrTo(int64(1))}
	other := base
	other.TolerationSeconds = ptrTo(int64(2))
	assert.True(t, sameTolerationButSeconds(&base, &other))
	for _, edit := range []func(*Toleration){
		func(t *Toleration) { t.Key = "x" }, func(t *Toleration) { t.Operator = "Exists" },
		func(t *Toleration) { t.Value = "x" }, func(t *Toleration) { t.Effect = "NoSchedule" },
	} {
		changed := base
		edit(&changed)
		assert.False(t, sameTolerationButSeconds(&base, &changed), "%+v", changed)
	}
}

// Errors deep in lists and maps name their element, though validation
// spells an element's path only once it found an error there.
func TestErrorsInListsNameTheirElement(t *testing.T) {
	p := validPod()
	c := &p.Spec.Containers[0]
	c.Env = append(c.Env, EnvVar{Name: "B"}, EnvVar{Name: "C", ValueFrom: &EnvVarSource{}})
	c.Ports = append(c.Ports, ContainerPort{Name: "Bad_Name", ContainerPort: 81, Protocol: "TCP"})
	c.VolumeMounts = append(c.VolumeMounts, VolumeMount{Name: "cfg", MountPath: "/cfg", SubPath: "../x"})
	c.Resources.Limits["memory"] = MustParseQuantity("-1")
	p.Spec.Volumes = append(p.Spec.Volumes, Volume{Name: "cfg", ConfigMap: &ConfigMapVolumeSource{
		LocalObjectReference: LocalObjectReference{Name: "cm"}, Items: []KeyToPath{{Key: "a", Path: "a"}, {Key: "b", Path: "x/../y"}}}})
	p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Key: "k", Operator: "Exists", Value: "v"})
	p.OwnerReferences = []OwnerReference{
		{APIVersion: "batch/v1", Kind: "Job", Name: "a", UID: "1", Controller: ptrTo(true)},
		{APIVersion: "batch/", Kind: "Job", Name: "b", UID: "2", Controller: ptrTo(true)},
	}
	got := listText(ValidateCreate(p))
	for _, want := range []string{
		`metadata.ownerReferences[1].apiVersion: Invalid value: "batch/": must be <group>/<version> or <version>`,
		`in references for Job/a and Job/b`,
		`spec.volumes[1].configMap.items[1].path: Invalid value: "x/../y": must not contain '..'`,
		"spec.containers[0].ports[1].name: Invalid value: \"Bad_Name\"",
		"spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of:",
		`spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain '..'`,
		`spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0`,
		`spec.tolerations[2].operator: Invalid value: {"key":"k","operator":"Exists","value":"v"}`,
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "env[1]")
	assert.NotContains(t, got, "items[0]")
}

// selectorAllows matches plain matchLabels entry by entry; it must answer
// as the converted selector does for every kind of selector.
func TestSelectorAllowsAgreesWithTheConvertedSelector(t *testing.T) {
	selectors := []*LabelSelector{
		nil, {}, {MatchLabels: map[string]string{"a": "1"}}, {MatchLabels: map[string]string{"a": "1", "b": "2"}},
		{MatchLabels: map[string]string{"a": ""}}, {MatchLabels: map[string]string{"bad key!": "1"}},
		{MatchExpressions: []LabelSelectorRequirement{{Key: "a", Operator: LabelSelectorOpIn, Values: []string{"1", "2"}}}},
		{MatchLabels: map[string]string{"a": "1"}, MatchExpressions: []LabelSelectorRequirement{{Key: "b", Operator: LabelSelectorOpExists}}},
	}
	sets := []map[string]string{nil, {"a": "1"}, {"a": "1", "b": "2"}, {"a": ""}, {"b": "2"}, {"a": "2"}}
	for _, ls := range selectors {
		for _, set := range sets {
			lookup := func(k string) (string, bool) {
				v, ok := set[k]
				return v, ok
			}
			sel, err := LabelSelectorAsSelector(ls)
			want := err != nil || sel.Matches(set)
			assert.Equal(t, want, selectorAllows(ls, lookup, func() map[string]string { return set }), "%+v against %v", ls, set)
		}
	}
}
