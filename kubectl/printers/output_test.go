package printers

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// defaultNamespace is the default namespace as the apiserver stores it.
func defaultNamespace() *objects.Namespace {
	return &objects.Namespace{
		ObjectMeta: objects.ObjectMeta{Name: "default", UID: "ns-uid", ResourceVersion: "12", CreationTimestamp: at(0),
			Labels: map[string]string{"kubernetes.io/metadata.name": "default"}},
		Spec:   objects.NamespaceSpec{Finalizers: []string{"kubernetes"}},
		Status: objects.NamespaceStatus{Phase: "Active"},
	}
}

// cli-runtime printers/name.go: kind lower-cased, qualified by its group.
func TestPrintName(t *testing.T) {
	job := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}, ObjectMeta: meta("default", "pi", 0)}
	var b bytes.Buffer
	require.NoError(t, PrintName(&b, []objects.Object{nginxPod(), node("k8s-node1", "", true), job, clusterRole("pod-reader"), defaultNamespace()}))
	assert.Equal(t, ""+
		"pod/nginx\n"+
		"node/k8s-node1\n"+
		"job.batch/pi\n"+
		"clusterrole.rbac.authorization.k8s.io/pod-reader\n"+
		"namespace/default\n", b.String())
	require.ErrorIs(t, PrintName(&b, []objects.Object{nil}), errNilObject)
}

// cli-runtime printers/json.go: the object as kubectl holds it
// (unstructured, keys sorted), indented by four spaces.
func TestPrintJSONObject(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, PrintJSON(&b, []objects.Object{defaultNamespace()}, false))
	assert.Equal(t, `{
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {
        "creationTimestamp": "2023-12-22T00:00:00Z",
        "labels": {
            "kubernetes.io/metadata.name": "default"
        },
        "name": "default",
        "resourceVersion": "12",
        "uid": "ns-uid"
    },
    "spec": {
        "finalizers": [
            "kubernetes"
        ]
    },
    "status": {
        "phase": "Active"
    }
}
`, b.String())
}

// kubectl get.go printGeneric: a list get prints a List, even of one item or none.
func TestPrintJSONList(t *testing.T) {
	w := widget()
	w.Content = map[string]any{"spec": map[string]any{"big": int64(9007199254740993), "ratio": 0.5, "tag": "<b>"}}
	var b bytes.Buffer
	require.NoError(t, PrintJSON(&b, []objects.Object{w}, true))
	assert.Equal(t, `{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {
                "creationTimestamp": "2023-12-22T00:03:00Z",
                "name": "w1",
                "namespace": "default"
            },
            "spec": {
                "big": 9007199254740993,
                "ratio": 0.5,
                "tag": "\u003cb\u003e"
            }
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
`, b.String())

	b.Reset()
	require.NoError(t, PrintJSON(&b, nil, true))
	assert.Equal(t, "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n", b.String())
}

// cli-runtime printers/yaml.go: sigs.k8s.io/yaml, keys sorted, quoted
// where YAML needs it; several objects separated by "---".
func TestPrintYAML(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, PrintYAML(&b, []objects.Object{defaultNamespace()}, false))
	want := `apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: "2023-12-22T00:00:00Z"
  labels:
    kubernetes.io/metadata.name: default
  name: default
  resourceVersion: "12"
  uid: ns-uid
spec:
  finalizers:
  - kubernetes
status:
  phase: Active
`
	assert.Equal(t, want, b.String())

	b.Reset()
	require.NoError(t, PrintYAML(&b, []objects.Object{defaultNamespace(), defaultNamespace()}, false))
	assert.Equal(t, want+"---\n"+want, b.String())

	b.Reset()
	require.NoError(t, PrintYAML(&b, []objects.Object{widget()}, true))
	assert.Equal(t, `apiVersion: v1
items:
- apiVersion: example.com/v1
  kind: Widget
  metadata:
    creationTimestamp: "2023-12-22T00:03:00Z"
    name: w1
    namespace: default
  spec:
    none: null
    ratio: 0.5
    size: 3
kind: List
metadata:
  resourceVersion: ""
`, b.String())
}
