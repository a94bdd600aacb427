package objects

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nginxPodYAML is a realistic manifest touching most modelled pod fields.
const nginxPodYAML = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  namespace: web
  labels:
    app: nginx
  annotations:
    team: edge
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 30
  nodeSelector:
    disk: ssd
  tolerations:
  - key: dedicated
    operator: Equal
    value: web
    effect: NoSchedule
  containers:
  - name: nginx
    image: nginx:1.27
    imagePullPolicy: IfNotPresent
    command: ["nginx", "-g", "daemon off;"]
    ports:
    - name: http
      containerPort: 80
      protocol: TCP
    env:
    - name: MODE
      value: production
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: PASSWORD
      valueFrom:
        secretKeyRef:
          name: creds
          key: password
    resources:
      requests:
        cpu: 250m
        memory: 64Mi
      limits:
        cpu: "1"
        memory: 128Mi
    volumeMounts:
    - name: html
      mountPath: /usr/share/nginx/html
      readOnly: true
    readinessProbe:
      httpGet:
        path: /healthz
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 10
    livenessProbe:
      httpGet:
        path: /
        port: http
  volumes:
  - name: html
    emptyDir: {}
`

func TestDecodeRealPodManifest(t *testing.T) {
	obj, err := DecodeOne([]byte(nginxPodYAML))
	require.NoError(t, err)
	pod, ok := obj.(*Pod)
	require.True(t, ok, "got %T", obj)

	assert.Equal(t, TypeMeta{APIVersion: "v1", Kind: "Pod"}, pod.TypeMeta)
	assert.Equal(t, "nginx", pod.Name)
	assert.Equal(t, "web", pod.Namespace)
	assert.Equal(t, map[string]string{"app": "nginx"}, pod.Labels)
	assert.Equal(t, map[string]string{"team": "edge"}, pod.Annotations)
	assert.Equal(t, RestartPolicyAlways, pod.Spec.RestartPolicy)
	require.NotNil(t, pod.Spec.TerminationGracePeriodSeconds)
	assert.Equal(t, int64(30), *pod.Spec.TerminationGracePeriodSeconds)
	assert.Equal(t, map[string]string{"disk": "ssd"}, pod.Spec.NodeSelector)
	assert.Equal(t, []Toleration{{Key: "dedicated", Operator: "Equal", Value: "web", Effect: TaintNoSchedule}}, pod.Spec.Tolerations)

	require.Len(t, pod.Spec.Containers, 1)
	c := pod.Spec.Containers[0]
	assert.Equal(t, "nginx:1.27", c.Image)
	assert.Equal(t, PullIfNotPresent, c.ImagePullPolicy)
	assert.Equal(t, []string{"nginx", "-g", "daemon off;"}, c.Command)
	assert.Equal(t, []ContainerPort{{Name: "http", ContainerPort: 80, Protocol: "TCP"}}, c.Ports)

	require.Len(t, c.Env, 3)
	assert.Equal(t, EnvVar{Name: "MODE", Value: "production"}, c.Env[0])
	require.NotNil(t, c.Env[1].ValueFrom)
	require.NotNil(t, c.Env[1].ValueFrom.FieldRef)
	assert.Equal(t, "metadata.name", c.Env[1].ValueFrom.FieldRef.FieldPath)
	require.NotNil(t, c.Env[2].ValueFrom)
	assert.Equal(t, &KeySelector{Name: "creds", Key: "password"}, c.Env[2].ValueFrom.SecretKeyRef)

	assertQuantity(t, "250m", c.Resources.Requests[ResourceCPU])
	assertQuantity(t, "64Mi", c.Resources.Requests[ResourceMemory])
	assertQuantity(t, "1", c.Resources.Limits[ResourceCPU])
	assertQuantity(t, "128Mi", c.Resources.Limits[ResourceMemory])

	assert.Equal(t, []VolumeMount{{Name: "html", MountPath: "/usr/share/nginx/html", ReadOnly: true}}, c.VolumeMounts)
	require.NotNil(t, c.ReadinessProbe)
	require.NotNil(t, c.ReadinessProbe.HTTPGet)
	assert.Equal(t, "/healthz", c.ReadinessProbe.HTTPGet.Path)
	assert.Equal(t, FromInt(80), c.ReadinessProbe.HTTPGet.Port)
	assert.Equal(t, int32(5), c.ReadinessProbe.InitialDelaySeconds)
	assert.Equal(t, int32(10), c.ReadinessProbe.PeriodSeconds)
	require.NotNil(t, c.LivenessProbe)
	require.NotNil(t, c.LivenessProbe.HTTPGet)
	assert.Equal(t, FromString("http"), c.LivenessProbe.HTTPGet.Port)

	require.Len(t, pod.Spec.Volumes, 1)
	assert.Equal(t, "html", pod.Spec.Volumes[0].Name)
	assert.NotNil(t, pod.Spec.Volumes[0].EmptyDir, "emptyDir: {} must select the emptyDir source")
}

// assertQuantity checks that q is the amount s denotes.
func assertQuantity(t *testing.T, s string, q Quantity) {
	t.Helper()
	want := MustParseQuantity(s)
	assert.Zero(t, want.Cmp(q), "want %s, got %s", s, q.String())
}

func TestDecodeUnmodelledKindsAreUnstructured(t *testing.T) {
	const manifest = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  namespace: ci
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pod-reader
  labels:
    tier: ops
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list", "watch"]
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: w
spec:
  size: 3
  ratio: 0.5
  tags: null
`
	objs, err := Decode([]byte(manifest))
	require.NoError(t, err)
	require.Len(t, objs, 3)

	sa, ok := objs[0].(*Unstructured)
	require.True(t, ok, "got %T", objs[0])
	assert.Equal(t, TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"}, sa.TypeMeta)
	assert.Equal(t, Key{Kind: "ServiceAccount", Namespace: "ci", Name: "builder"}, KeyOf(sa))
	assert.Equal(t, map[string]any{"automountServiceAccountToken": false}, sa.Content)

	cr, ok := objs[1].(*Unstructured)
	require.True(t, ok, "got %T", objs[1])
	assert.Equal(t, TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"}, cr.TypeMeta)
	assert.Equal(t, "pod-reader", cr.Name)
	assert.Equal(t, map[string]string{"tier": "ops"}, cr.Labels)
	assert.Equal(t, map[string]any{"rules": []any{map[string]any{
		"apiGroups": []any{""},
		"resources": []any{"pods", "pods/log"},
		"verbs":     []any{"get", "list", "watch"},
	}}}, cr.Content)

	w, ok := objs[2].(*Unstructured)
	require.True(t, ok, "got %T", objs[2])
	assert.Equal(t, "example.com/v1alpha1", w.APIVersion)
	assert.Equal(t, map[string]any{"spec": map[string]any{"size": int64(3), "ratio": 0.5, "tags": nil}}, w.Content)
}

func TestDecodeMultipleDocuments(t *testing.T) {
	const manifest = `---
# leading separator and comments are fine
apiVersion: v1
kind: Namespace
metadata:
  name: one
--- # a comment after the separator
---

---
apiVersion: v1
kind: Namespace
metadata:
  name: two
---
`
	objs, err := Decode([]byte(manifest))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.Equal(t, "one", objs[0].GetObjectMeta().Name)
	assert.Equal(t, "two", objs[1].GetObjectMeta().Name)
	for _, o := range objs {
		_, ok := o.(*Namespace)
		assert.True(t, ok, "got %T", o)
	}
}

func TestDecodeEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n\n", "---\n---\n", "# nothing here\n"} {
		objs, err := Decode([]byte(in))
		require.NoError(t, err, "input %q", in)
		assert.Empty(t, objs, "input %q", in)
	}
}

func TestDecodeJSONStream(t *testing.T) {
	const stream = `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"a"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}`
	objs, err := Decode([]byte(stream))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.Equal(t, "a", objs[0].GetObjectMeta().Name)
	pod, ok := objs[1].(*Pod)
	require.True(t, ok, "got %T", objs[1])
	assert.Equal(t, "busybox", pod.Spec.Containers[0].Image)
}

func TestDecodeJSONFollowedByYAMLDocuments(t *testing.T) {
	// One JSON object then YAML: upstream falls back to reading it all as YAML.
	const mixed = `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}
---
apiVersion: v1
kind: Namespace
metadata:
  name: b
`
	objs, err := Decode([]byte(mixed))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.Equal(t, "b", objs[1].GetObjectMeta().Name)
}

func TestDecodeListExpandsItems(t *testing.T) {
	const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: sa
- apiVersion: v1
  kind: Pod
  metadata:
    name: p
  spec:
    containers:
    - name: c
      image: busybox
`
	objs, err := Decode([]byte(list))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.Equal(t, Key{Kind: "ServiceAccount", Name: "sa"}, KeyOf(objs[0]))
	_, isPod := objs[1].(*Pod)
	assert.True(t, isPod, "got %T", objs[1])
}

func TestDecodeTypedListItemsInheritKind(t *testing.T) {
	const list = `apiVersion: v1
kind: PodList
items:
- metadata: {name: a}
  spec: {containers: [{name: c}]}
- metadata: {name: b}
  spec: {containers: [{name: c}]}
`
	objs, err := Decode([]byte(list))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	for i, name := range []string{"a", "b"} {
		pod, ok := objs[i].(*Pod)
		require.True(t, ok, "got %T", objs[i])
		assert.Equal(t, TypeMeta{APIVersion: "v1", Kind: "Pod"}, pod.TypeMeta)
		assert.Equal(t, name, pod.Name)
	}
}

func TestDecodeNormalisesAsTheAPIServerStores(t *testing.T) {
	const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: p
  creationTimestamp: "2024-05-06T09:08:07.654+02:00"
  labels: {}
spec:
  initContainers: []
  containers:
  - name: c
    resources:
      requests:
        cpu: 1000m
        memory: 1.5Gi
`
	obj, err := DecodeOne([]byte(manifest))
	require.NoError(t, err)
	pod := obj.(*Pod)
	assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 7, 0, time.UTC), pod.CreationTimestamp.Time)
	assert.Nil(t, pod.Labels, "an empty omitempty map is not kept")
	assert.Nil(t, pod.Spec.InitContainers, "an empty omitempty list is not kept")

	b, err := Encode(pod)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"requests":{"cpu":"1","memory":"1536Mi"}`)
	assert.Contains(t, string(b), `"creationTimestamp":"2024-05-06T07:08:07Z"`)
}

func TestServesVersionAcceptsOtherVersions(t *testing.T) {
	cronJob := KindInfo{Kind: "CronJob", Group: "batch", Version: "v1", OtherVersions: []string{"v1beta1"}}
	assert.True(t, servesVersion(cronJob, "batch/v1"))
	assert.True(t, servesVersion(cronJob, "batch/v1beta1"))
	assert.False(t, servesVersion(cronJob, "v1beta1"), "the group must match")
	assert.False(t, servesVersion(cronJob, "batch/v2"))

	pod, ok := LookupKind("Pod")
	require.True(t, ok)
	assert.True(t, servesVersion(pod, "v1"))
	assert.False(t, servesVersion(pod, "apps/v1"))
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		reason DecodeErrorReason
		want   string
		line   int
	}{
		{
			name: "malformed YAML: the message counts lines from the document's start, as kubectl's, Line from the file's",
			input: `apiVersion: v1
kind: Namespace
metadata:
  name: ok
---
apiVersion: v1
kind: Pod
metadata:
  name: x
spec:
  containers:
  - name: a
     image: b
`,
			reason: DecodeSyntax,
			want:   "error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context",
			line:   13,
		},
		{
			name:   "bad document separator",
			input:  "apiVersion: v1\n---extra\n",
			reason: DecodeSyntax,
			want:   "invalid Yaml document separator: extra",
			line:   2,
		},
		{
			name:   "JSON stream syntax error",
			input:  "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}\n{\"x\":}",
			reason: DecodeSyntax,
			want:   "json: offset 132: invalid character '}' looking for beginning of value",
			line:   3,
		},
		{
			name:   "document is not an object",
			input:  "- a\n- b\n",
			reason: DecodeNotObject,
			want:   "json: cannot unmarshal array into Go value of type map[string]interface {}",
			line:   1,
		},
		{
			name:   "missing kind",
			input:  "apiVersion: v1\nmetadata:\n  name: x\n",
			reason: DecodeMissingKind,
			want:   `Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'`,
			line:   1,
		},
		{
			name:   "missing apiVersion",
			input:  "kind: Pod\nmetadata:\n  name: x\n",
			reason: DecodeMissingVersion,
			want:   `Object 'apiVersion' is missing in '{"kind":"Pod","metadata":{"name":"x"}}'`,
			line:   1,
		},
		{
			name:   "kind is not a string",
			input:  "apiVersion: v1\nkind: 5\n",
			reason: DecodeTypeMeta,
			want:   "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string",
			line:   1,
		},
		{
			name:   "unserved version of a modelled kind",
			input:  "apiVersion: v2\nkind: Pod\nmetadata:\n  name: x\n",
			reason: DecodeNoKindMatch,
			want:   `no matches for kind "Pod" in version "v2"`,
			line:   1,
		},
		{
			name:   "wrong group for a modelled kind",
			input:  "apiVersion: apps/v1\nkind: Pod\n",
			reason: DecodeNoKindMatch,
			want:   `no matches for kind "Pod" in version "apps/v1"`,
			line:   1,
		},
		{
			name:   "unserved version of a registered unmodelled kind",
			input:  "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata:\n  name: x\n",
			reason: DecodeNoKindMatch,
			want:   `no matches for kind "ClusterRole" in version "rbac.authorization.k8s.io/v1beta1"`,
			line:   1,
		},
		{
			name:   "unknown field",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    imagee: nginx\n",
			reason: DecodeStrict,
			want:   `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"`,
			line:   1,
		},
		{
			name: "several unknown fields, ordered by path",
			input: `apiVersion: v1
kind: Pod
metadata:
  name: x
  nme: y
spec:
  foo: 1
  containers:
  - name: a
  - name: b
    ports:
    - containerPort: 80
      hostname: h
`,
			reason: DecodeStrict,
			want:   `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.nme", unknown field "spec.containers[1].ports[0].hostname", unknown field "spec.foo"`,
			line:   1,
		},
		{
			name:   "field names are case-sensitive",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nSpec:\n  containers: []\n",
			reason: DecodeStrict,
			want:   `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "Spec"`,
			line:   1,
		},
		{
			name:   "unknown metadata field of an unmodelled kind",
			input:  "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  lables: {a: b}\n",
			reason: DecodeStrict,
			want:   `ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.lables"`,
			line:   1,
		},

		{
			name:   "string where an integer is expected",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: \"80\"\n",
			reason: DecodeInvalidType,
			want:   `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`,
			line:   1,
		},
		{
			name:   "type names are spelled as upstream's",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: 5\n",
			reason: DecodeInvalidType,
			want:   `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type []v1.Container`,
			line:   1,
		},
		{
			name:   "type errors win over unknown fields",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  bogus: 1\nspec:\n  containers:\n  - name: 7\n",
			reason: DecodeInvalidType,
			want:   `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string`,
			line:   1,
		},
		{
			name:   "bad quantity",
			input:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        cpu: lots\n",
			reason: DecodeInvalidType,
			want:   `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
			line:   1,
		},
		{
			name:   "metadata of the wrong type for an unmodelled kind",
			input:  "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [a]\n",
			reason: DecodeInvalidType,
			want:   `ServiceAccount in version "v1" cannot be handled as a ServiceAccount: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string`,
			line:   1,
		},
		{
			name:   "List items not a list",
			input:  "apiVersion: v1\nkind: List\nitems: 5\n",
			reason: DecodeInvalidType,
			want:   `List in version "v1" cannot be handled as a List: json: cannot unmarshal number into Go struct field List.items of type []runtime.RawExtension`,
			line:   1,
		},

		{
			name:   "error in a later document reports its line",
			input:  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  bogus: x\n",
			reason: DecodeStrict,
			want:   `Namespace in version "v1" cannot be handled as a Namespace: strict decoding error: unknown field "metadata.bogus"`,
			line:   6,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := Decode([]byte(tc.input))
			require.Error(t, err)
			assert.Nil(t, objs, "a failed decode returns nothing")
			assert.Equal(t, tc.want, err.Error())
			var de *DecodeError
			require.True(t, errors.As(err, &de), "want *DecodeError, got %T", err)
			assert.Equal(t, tc.reason, de.Reason)
			assert.Equal(t, tc.line, de.Line)
		})
	}
}

func TestDecodeErrorCarriesObjectIdentity(t *testing.T) {
	const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: fine
---
apiVersion: batch/v9
kind: Pod
metadata:
  name: web
  namespace: prod
`
	_, err := Decode([]byte(manifest))
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeNoKindMatch, de.Reason)
	assert.Equal(t, "Pod", de.Kind)
	assert.Equal(t, "batch/v9", de.Version)
	assert.Equal(t, "web", de.Name)
	assert.Equal(t, "prod", de.Namespace)
	assert.Equal(t, 1, de.Doc)
	assert.Equal(t, -1, de.ListIndex)
}

func TestDecodeStrictErrorListsEachProblem(t *testing.T) {
	_, err := Decode([]byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  x: 1\nspec:\n  z: 2\n"))
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, []string{`unknown field "metadata.x"`, `unknown field "spec.z"`}, de.StrictErrors)
	assert.Equal(t, "strict decoding error: "+strings.Join(de.StrictErrors, ", "), de.Message)
}

func TestDecodeListItemErrorNamesTheItem(t *testing.T) {
	const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: a}
- apiVersion: v1
  metadata: {name: b}
`
	_, err := Decode([]byte(list))
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeMissingKind, de.Reason)
	assert.Equal(t, 1, de.ListIndex)
	assert.Equal(t, `Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"b"}}'`, err.Error())
}

func TestDecodeOneCountsObjects(t *testing.T) {
	tests := []struct {
		input string
		want  string
	}{
		{"", "expected exactly one object, found 0"},
		{"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}\n{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}", "expected exactly one object, found 2"},
	}
	for _, tc := range tests {
		obj, err := DecodeOne([]byte(tc.input))
		assert.Nil(t, obj)
		var de *DecodeError
		require.True(t, errors.As(err, &de), "input %q", tc.input)
		assert.Equal(t, DecodeObjectCount, de.Reason)
		assert.Equal(t, tc.want, err.Error())
	}
}

func TestEncodeOrdersFieldsAsTheAPIPrints(t *testing.T) {
	obj, err := DecodeOne([]byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\nstatus:\n  phase: Running\n"))
	require.NoError(t, err)
	b, err := Encode(obj)
	require.NoError(t, err)
	assert.Equal(t, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Running"}}`, string(b))

	y, err := EncodeYAML(obj)
	require.NoError(t, err)
	assert.Equal(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - image: busybox
    name: c
status:
  phase: Running
`, string(y))
}

func TestEncodeFillsMissingTypeMetaWithoutChangingTheObject(t *testing.T) {
	ns := &Namespace{ObjectMeta: ObjectMeta{Name: "a"}}
	b, err := Encode(ns)
	require.NoError(t, err)
	assert.Equal(t, `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}`, string(b))
	assert.Empty(t, ns.Kind, "Encode must not change its argument")
}

func TestEncodeRejectsNil(t *testing.T) {
	_, err := Encode(nil)
	assert.Error(t, err)
	var pod *Pod
	_, err = Encode(pod)
	assert.Error(t, err)
}

func TestDecodeEncodeRoundTrip(t *testing.T) {
	objs, err := Decode([]byte(nginxPodYAML))
	require.NoError(t, err)
	b, err := Encode(objs[0])
	require.NoError(t, err)
	again, err := DecodeOne(b)
	require.NoError(t, err)
	assert.Equal(t, objs[0], again)
}

func BenchmarkDecodePod(b *testing.B) {
	data := []byte(nginxPodYAML)
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDecodeErrorUnwrapsTheDecoderError(t *testing.T) {
	_, err := Decode([]byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 5\n"))
	var te *json.UnmarshalTypeError
	require.True(t, errors.As(err, &te), "got %T", err)
	assert.Equal(t, "metadata.name", te.Field)
}

func TestDecodeSkipsNulls(t *testing.T) {
	objs, err := Decode([]byte("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}\nnull\n{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":null}"))
	require.NoError(t, err)
	assert.Len(t, objs, 1)
}

// Types exercising encoding/json's rules for fields promoted from embedded structs.
type (
	fieldsInner struct {
		A string `json:"a"`
		B string `json:"b"`
		C string
	}
	fieldsOther struct {
		B string `json:"b"`
		C string `json:"C"`
	}
	fieldsOuter struct {
		fieldsInner
		*fieldsOther
		A       string      `json:"a"` // shallower: wins over fieldsInner.A
		Named   fieldsInner `json:"named"`
		Skipped string      `json:"-"`
		hidden  string
	}
)

func TestFieldCheckerFollowsEncodingJSONFieldRules(t *testing.T) {
	c := newFieldChecker()
	fields := c.fieldsOf(reflect.TypeOf(fieldsOuter{}))
	assert.Equal(t, []string{"C", "a", "named"}, sortedJSONKeys(fields),
		"b is ambiguous (same depth, both tagged) and hidden; C is tagged in fieldsOther only")
	assert.Equal(t, reflect.TypeOf(""), fields["a"].typ)
	assert.Equal(t, reflect.TypeOf(fieldsInner{}), fields["named"].typ)
	_ = fieldsOuter{hidden: ""}
}

// Unknown fields are sigs.k8s.io/json's strict errors: at most 100 of
// them, as the apiserver's strict serializer reports.
func TestStrictErrorsCappedAt100(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}`)
	for i := range 120 {
		fmt.Fprintf(&b, `,"x%03d":1`, i)
	}
	b.WriteString("}")
	_, err := DecodeOne([]byte(b.String()))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	require.Len(t, de.StrictErrors, 100)
	assert.Equal(t, `unknown field "x000"`, de.StrictErrors[0])
	assert.Equal(t, `unknown field "x099"`, de.StrictErrors[99])
}

// BenchmarkDecodeJob decodes the Job manifest sim's BenchmarkJobs creates a
// thousand times:
//
//	go test -run '^$' -bench DecodeJob -benchmem ./objects/
func BenchmarkDecodeJob(b *testing.B) {
	data := []byte(`apiVersion: batch/v1
kind: Job
metadata:
  name: job-17
spec:
  completions: 4
  parallelism: 2
  template:
    spec:
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "echo working; sleep 30"]
      restartPolicy: Never
`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// A quantity too large is named by its path, as upstream prints paths:
// fields joined by dots, list elements by index, map keys as they are
// (an empty key too).
func TestDecodeNamesQuantitiesTooLargeByPath(t *testing.T) {
	huge := strings.Repeat("9", MaxQuantityDigits+1)
	_, err := Decode([]byte(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: i}
  - name: b
    image: i
    resources:
      limits: {cpu: "` + huge + `", "": "` + huge + `", memory: 1Gi}
      requests: {example.com/gpu: "` + huge + `"}
`))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, DecodeInvalidType, de.Reason)
	assert.Equal(t, "spec.containers[1].resources.limits., spec.containers[1].resources.limits.cpu, "+
		"spec.containers[1].resources.requests.example.com/gpu: "+ErrQuantityTooLarge.Error(), de.Message)
}

// The field checker leaves the tree it is given as it is, and gives it back
// itself where it needs no change; where it drops a key (unknown, or an
// empty omitempty list) or canonicalises a leaf, it gives a copy, from the
// first object down that differs.
func TestFieldCheckerCopiesOnlyWhatChanges(t *testing.T) {
	tree := func(yamlText string) map[string]any {
		t.Helper()
		j, err := yamlToJSON([]byte(yamlText))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, unmarshalJSONTree(j, &m))
		return m
	}
	podType := reflect.TypeFor[Pod]()
	clean := tree("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\nspec:\n  containers: [{name: c, image: i, resources: {limits: {cpu: '1'}}}]\n")
	out := newFieldChecker().check(clean, podType, "")
	assert.Equal(t, reflect.ValueOf(clean).Pointer(), reflect.ValueOf(out).Pointer(), "a tree needing no change is kept")

	for _, change := range []string{
		"spec:\n  containers: [{name: c, image: i, imagee: x}]\n",                                    // an unknown key
		"spec:\n  containers: [{name: c, image: i, args: []}]\n",                                     // an empty omitempty list
		"spec:\n  containers: [{name: c, image: i, resources: {limits: {cpu: 1000m}}}]\n",            // a quantity canonicalised
		"metadata: {name: p, creationTimestamp: '2024-05-01T10:00:00.5Z'}\nspec: {containers: []}\n", // a time
	} {
		m := tree("apiVersion: v1\nkind: Pod\n" + change)
		before := tree("apiVersion: v1\nkind: Pod\n" + change)
		out := newFieldChecker().check(m, podType, "").(map[string]any)
		assert.Equal(t, before, m, "the input is left as it was: %s", change)
		assert.NotEqual(t, reflect.ValueOf(m).Pointer(), reflect.ValueOf(out).Pointer(), change)
		assert.Equal(t, "v1", out["apiVersion"], change)
		assert.NotEqual(t, m, out, change)
	}
}
