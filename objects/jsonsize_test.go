package objects

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertSize checks EncodedSize against encoding/json for v.
func assertSize(t *testing.T, v any, msg string) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err, msg)
	assert.Equal(t, len(b), EncodedSize(v), "%s: %s", msg, b)
}

// Every manifest of the repository's scenarios, decoded, measures as
// encoding/json encodes it, and so do objects with the edge cases of its
// rules: escapes, invalid UTF-8, []byte, nil and empty maps and slices,
// omitempty and omitzero, times, quantities, int-or-strings.
func TestEncodedSizeMatchesEncodingJSON(t *testing.T) {
	measured := 0
	for _, f := range repositoryManifests(t) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		objs, err := Decode(data)
		if err != nil {
			continue // the bad manifests of the bad-input scenarios
		}
		for _, o := range objs {
			assertSize(t, o, f)
			measured++
		}
	}
	assert.Greater(t, measured, 20)

	yes := true
	pod := &Pod{
		TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: ObjectMeta{Name: "a<b>&c", Namespace: "ns", UID: "u",
			Labels:            map[string]string{"app": "\"quoted\"\\ \n\t\r\b\f \x01", "é": "ü\u2028\u2029"},
			Annotations:       map[string]string{},
			OwnerReferences:   []OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: "x", Controller: &yes}},
			CreationTimestamp: NewTime(time.Date(2023, 12, 22, 1, 2, 3, 0, time.UTC)),
			DeletionTimestamp: NewTimePtr(time.Date(12023, 1, 1, 0, 0, 0, 0, time.UTC)),
		},
		Spec: PodSpec{Containers: []Container{{Name: "c", Image: "busybox", Args: []string{}, Command: nil,
			Resources: ResourceRequirements{Requests: ResourceList{ResourceCPU: MustParseQuantity("100m"), ResourceMemory: MustParseQuantity("1Gi")}}}}},
		Status: PodStatus{Phase: PodRunning, Conditions: []PodCondition{{Type: PodReady, Status: ConditionTrue}}},
	}
	assertSize(t, pod, "edge cases")
	assertSize(t, &Secret{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Secret"}, ObjectMeta: ObjectMeta{Name: "s"},
		Data: map[string][]byte{"a": []byte("hello"), "b": {}, "c": nil}}, "bytes")
	assertSize(t, &Pod{}, "zero pod")
	assertSize(t, "bad \xff utf8", "invalid UTF-8")
	assertSize(t, FromInt(80), "int")
	assertSize(t, FromString("http"), "string")
	assertSize(t, map[string]any{"n": 1.5, "s": []any{"x", nil, true}}, "interfaces and floats")
}

// sizeProbe holds each type EncodedSize measures without encoding, in
// each place it can stand: a value, a pointer, omitempty and omitzero,
// a map value, a slice element.
type sizeProbe struct {
	Time        Time                    `json:"time"`
	TimeZero    Time                    `json:"timeZero,omitzero"`
	TimePtr     *Time                   `json:"timePtr"`
	TimeOmit    *Time                   `json:"timeOmit,omitempty"`
	Times       []Time                  `json:"times"`
	TimeMap     map[string]Time         `json:"timeMap"`
	Quantity    Quantity                `json:"quantity"`
	QuantityPtr *Quantity               `json:"quantityPtr"`
	Resources   ResourceList            `json:"resources"`
	ResOmit     ResourceList            `json:"resOmit,omitempty"`
	Int         IntOrString             `json:"int"`
	IntPtr      *IntOrString            `json:"intPtr"`
	IntMap      map[string]*IntOrString `json:"intMap"`
	Labels      map[string]string       `json:"labels"`
	Named       map[sizeKey]int32       `json:"named"`
}

type sizeKey string

// Times, quantities and int-or-strings measure as their MarshalJSON
// writes them, wherever they stand: times zero (in any zone), with
// fractions of a second, in other zones (a UTC year of another length
// than the local one), years of 1 to 5 digits and negative; quantities
// of every format, parsed (their string kept as written, canonical or
// not) or computed; int-or-strings of both kinds; nil and empty maps.
func TestEncodedSizeFastPaths(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	times := []time.Time{
		{}, time.Time{}.In(newYork), time.Unix(0, 0),
		time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
		time.Date(2024, 5, 1, 10, 0, 0, 123456789, time.UTC),
		time.Date(2024, 5, 1, 10, 0, 0, 5e8, time.FixedZone("IST", 5*3600+1800)),
		time.Date(2024, 1, 1, 0, 30, 0, 0, newYork),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), // 10000 in UTC
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)),      // 9999 in UTC
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-12345, 6, 7, 0, 0, 0, 0, time.UTC), time.Date(123456, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	quantities := []Quantity{{}, *NewQuantity(0, BinarySI), *NewQuantity(5, BinarySI), *NewQuantity(3<<30, BinarySI),
		*NewQuantity(1500, DecimalExponent), *NewMilliQuantity(1500, DecimalSI), *NewMilliQuantity(-250, BinarySI)}
	for _, s := range []string{"0", "100m", "1", "+1", "-1", "1.5", "0.1", "1k", "1000", "1500m", "64Mi", "1Gi", "1.5Gi",
		"1023Ki", "512", "1e3", "12e-3", "1E6", "9223372036854775807", "1E100", "100000000000000000000000", "0.000000001", "1n"} {
		q := MustParseQuantity(s)
		computed := q.DeepCopy()
		computed.Add(MustParseQuantity("0"))
		quantities = append(quantities, q, computed)
	}
	ints := []IntOrString{{}, FromInt(80), FromInt(-5), FromInt(math.MaxInt32), FromInt(math.MinInt32),
		FromString(""), FromString("25%"), FromString("<http>&\"\n"), FromString("bad \xff \u2028")}

	assertSize(t, &sizeProbe{}, "zero probe")
	assertSize(t, &sizeProbe{TimeMap: map[string]Time{}, Resources: ResourceList{}, ResOmit: ResourceList{},
		IntMap: map[string]*IntOrString{}, Labels: map[string]string{}, Named: map[sizeKey]int32{}}, "empty maps")
	for _, tm := range times {
		x := Time{tm}
		assertSize(t, x, "time "+tm.String())
		assertSize(t, &sizeProbe{Time: x, TimeZero: x, TimePtr: &x, TimeOmit: &x, Times: []Time{x, x},
			TimeMap: map[string]Time{"a": x, "b": {}}}, "time "+tm.String())
	}
	for _, q := range quantities {
		assertSize(t, q, "quantity "+q.String())
		assertSize(t, &sizeProbe{Quantity: q, QuantityPtr: &q, Resources: ResourceList{"cpu": q, "<m>": q}, ResOmit: ResourceList{"x": q}},
			"quantity "+q.String())
	}
	for _, x := range ints {
		assertSize(t, x, "int-or-string "+x.String())
		assertSize(t, &sizeProbe{Int: x, IntPtr: &x, IntMap: map[string]*IntOrString{"a": &x, "b": nil}}, "int-or-string "+x.String())
	}
	assertSize(t, &sizeProbe{Labels: map[string]string{"a": "1", "b": ""}, Named: map[sizeKey]int32{"k": 1, "<": -2}}, "maps")
	assertSize(t, benchPod(), "benchmark pod")
}

// Types that lay out every kind of field EncodedSize reads in place.
type (
	layoutInner struct {
		A string  `json:"a,omitempty"`
		F float64 `json:"f,omitempty"`
	}
	layoutZero struct {
		S  string
		F  float32
		P  *int
		L  []int
		M  map[string]int
		Ar [2]int8
		_  int
		In layoutInner
	}
	layoutProbe struct {
		layoutInner
		*sizeProbe
		I8    int8                `json:"i8"`
		I16   int16               `json:"i16,omitempty"`
		U16   uint16              `json:"u16,omitempty"`
		U     uint                `json:"u"`
		B     bool                `json:"b,omitempty"`
		F32   float32             `json:"f32,omitzero"`
		Arr   [2]uint32           `json:"arr"`
		Empty [0]int              `json:"empty,omitempty"`
		Bytes []byte              `json:"bytes,omitempty"`
		Raw   []byte              `json:"raw"`
		Zero  layoutZero          `json:"zero,omitzero"`
		Any   any                 `json:"any"`
		AnyE  any                 `json:"anyE,omitempty"`
		Ints  map[string]int8     `json:"ints,omitempty"`
		Ptrs  []*layoutInner      `json:"ptrs"`
		Text  layoutText          `json:"text,omitempty"`
		Texts map[layoutText]int8 `json:"texts"`
	}
	// layoutText is a string that encoding/json writes by its MarshalText.
	layoutText string
)

// MarshalText writes t in brackets.
func (t layoutText) MarshalText() ([]byte, error) { return []byte("<" + string(t) + ">"), nil }

// Values are read in place by offset: embedded structs and nil or set
// embedded pointers, integers of every size, arrays, bytes, omitzero
// structs zero and not (-0.0 and a blank field count as zero), interfaces
// holding pointers, values and nil, values measured at the top level, a
// string type and map keys written by their MarshalText.
func TestEncodedSizeLayouts(t *testing.T) {
	one := 1
	negZero := math.Copysign(0, -1)
	probes := []*layoutProbe{
		{},
		{Zero: layoutZero{F: float32(negZero), In: layoutInner{F: negZero}}, AnyE: (*Pod)(nil), Any: 2.5},
		{layoutInner: layoutInner{A: "<a>", F: 1e21}, sizeProbe: &sizeProbe{Labels: map[string]string{"x": "y"}},
			I8: -128, I16: -3, U16: 65535, U: 7, B: true, F32: -1.5, Arr: [2]uint32{1, 4294967295},
			Bytes: []byte{}, Raw: []byte("raw\xff"), Any: &Pod{}, AnyE: Time{}, Ints: map[string]int8{"a": -1, "b": 2},
			Ptrs: []*layoutInner{nil, {A: "b"}}, Text: "t", Texts: map[layoutText]int8{"k": 1}},
		{Zero: layoutZero{P: &one}, Any: map[string]any{"k": []any{json.Number("1"), "v"}}, Ints: map[string]int8{}},
		{Zero: layoutZero{L: []int{}}, Any: []int{1}, AnyE: FromInt(3)},
		{Zero: layoutZero{M: map[string]int{}}, Any: NewTimePtr(time.Unix(0, 0))},
		{Zero: layoutZero{Ar: [2]int8{0, 1}}, Any: "s"},
		{Zero: layoutZero{S: "s"}, Any: MustParseQuantity("1Gi")},
	}
	for i, p := range probes {
		assertSize(t, p, fmt.Sprintf("probe %d", i))
		assertSize(t, *p, fmt.Sprintf("probe %d by value", i))
		assertSize(t, []any{p, *p}, fmt.Sprintf("probe %d in a list", i))
	}
	assertSize(t, (*layoutProbe)(nil), "nil pointer")
	assertSize(t, 42, "an int")
	assertSize(t, [3]bool{true}, "an array")
}

// FuzzEncodedSize decodes arbitrary manifests and checks the measure of
// every object, whole and part by part, against encoding/json.
func FuzzEncodedSize(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '<&>'}\n"))
	f.Add([]byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]\n"))
	// int-or-strings (intstr.IntOrString): numbers, percentages, port names.
	f.Add([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  strategy: {rollingUpdate: {maxSurge: '25%', maxUnavailable: 0}}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx, readinessProbe: {httpGet: {port: http}}, livenessProbe: {tcpSocket: {port: 8080}}}]\n"))
	f.Add([]byte("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, targetPort: '<http>'}, {port: 81, targetPort: -1}, {port: 82}]\n"))
	// events.k8s.io/v1 fields: microsecond times, a series, a related object.
	f.Add([]byte("apiVersion: v1\nkind: Event\nmetadata: {name: p.1, namespace: default}\ninvolvedObject: {kind: Pod, name: p}\neventTime: '2024-05-01T10:00:00.123456Z'\nseries: {count: 3, lastObservedTime: '2024-05-01T10:01:00.5Z'}\naction: Scheduling\nrelated: {kind: Node, name: node-1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := Decode(data)
		if err != nil {
			return
		}
		for _, o := range objs {
			b, err := json.Marshal(o)
			if err != nil {
				continue
			}
			if got := EncodedSize(o); got != len(b) {
				t.Fatalf("EncodedSize %d, json.Marshal %d: %s", got, len(b), b)
			}
			var parts [NumParts]PartSize
			ok := true
			for p := range NumParts {
				parts[p], ok = EncodedPartSize(o, p)
			}
			if got := SizeOfParts(parts); ok && got != len(b) {
				t.Fatalf("SizeOfParts %d, json.Marshal %d: %s", got, len(b), b)
			}
		}
	})
}

// benchPod is a finished Job pod as the store holds it after the kubelet's
// last status write: labels, owner, finalizer, requests, conditions with
// times, a terminated container status.
func benchPod() *Pod {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	yes := true
	cond := func(typ string) PodCondition {
		return PodCondition{Type: typ, Status: ConditionFalse, LastTransitionTime: NewTime(t0.Add(35 * time.Second)), Reason: "PodCompleted"}
	}
	return &Pod{
		TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: ObjectMeta{Name: "job-17-x7k2p", GenerateName: "job-17-", Namespace: "default",
			UID: "0b6f5c1e-8a51-4d47-9a3e-2f0c4d6b7a11", ResourceVersion: "12345",
			CreationTimestamp: NewTime(t0),
			Labels: map[string]string{"batch.kubernetes.io/controller-uid": "5d3c9a0e-1f2b-4c3d-8e9f-0a1b2c3d4e5f",
				"batch.kubernetes.io/job-name": "job-17", "controller-uid": "5d3c9a0e-1f2b-4c3d-8e9f-0a1b2c3d4e5f", "job-name": "job-17"},
			Annotations:     map[string]string{"batch.kubernetes.io/job-completion-index": "3"},
			OwnerReferences: []OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "job-17", UID: "5d3c9a0e-1f2b-4c3d-8e9f-0a1b2c3d4e5f", Controller: &yes, BlockOwnerDeletion: &yes}},
			Finalizers:      []string{"batch.kubernetes.io/job-tracking"},
		},
		Spec: PodSpec{RestartPolicy: RestartPolicyNever, NodeName: "k8s-node1",
			Containers: []Container{{Name: "work", Image: "busybox:1.36", Command: []string{"sh", "-c", "echo working; sleep 30"},
				Resources: ResourceRequirements{Requests: ResourceList{ResourceCPU: MustParseQuantity("100m"), ResourceMemory: MustParseQuantity("64Mi")}}}}},
		Status: PodStatus{Phase: PodSucceeded, HostIP: "192.168.122.25", PodIP: "10.244.1.17", PodIPs: []PodIP{{IP: "10.244.1.17"}},
			StartTime:  NewTimePtr(t0.Add(time.Second)),
			Conditions: []PodCondition{cond("PodReadyToStartContainers"), cond(PodInitialized), cond(PodReady), cond(ContainersReady), cond(PodScheduled)},
			ContainerStatuses: []ContainerStatus{{Name: "work", Image: "docker.io/library/busybox:1.36", ImageID: "docker.io/library/busybox@sha256:0123456789abcdef",
				ContainerID: "containerd://0123456789abcdef",
				State: ContainerState{Terminated: &ContainerStateTerminated{ExitCode: 0, Reason: "Completed",
					StartedAt: NewTime(t0.Add(3 * time.Second)), FinishedAt: NewTime(t0.Add(33 * time.Second)), ContainerID: "containerd://0123456789abcdef"}}}},
			QOSClass: "Burstable"},
	}
}

// BenchmarkEncodedSize measures a finished Job pod, as the store does on
// every write for etcd's quota:
//
//	go test -run '^$' -bench EncodedSize -benchmem ./objects/
func BenchmarkEncodedSize(b *testing.B) {
	pod := benchPod()
	want, err := json.Marshal(pod)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if EncodedSize(pod) != len(want) {
			b.Fatal("size differs from encoding/json's")
		}
	}
}
