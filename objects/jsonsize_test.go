package objects

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
	var files []string
	for _, root := range []string{"../testdata", "../examples"} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
				files = append(files, p)
			}
			return nil
		})
	}
	require.NotEmpty(t, files)
	measured := 0
	for _, f := range files {
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

// FuzzEncodedSize decodes arbitrary manifests and checks the measure of
// every object against encoding/json.
func FuzzEncodedSize(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '<&>'}\n"))
	f.Add([]byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]\n"))
	// int-or-strings (intstr.IntOrString): numbers, percentages, port names.
	f.Add([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  strategy: {rollingUpdate: {maxSurge: '25%', maxUnavailable: 0}}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx, readinessProbe: {httpGet: {port: http}}, livenessProbe: {tcpSocket: {port: 8080}}}]\n"))
	f.Add([]byte("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, targetPort: '<http>'}, {port: 81, targetPort: -1}, {port: 82}]\n"))
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
		}
	})
}
