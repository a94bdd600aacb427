package objects

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnstructuredMarshalOrdersFields(t *testing.T) {
	u := &Unstructured{
		TypeMeta:   TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: ObjectMeta{Name: "cfg", Namespace: "ns"},
		Content: map[string]any{
			"data":       map[string]any{"b": "2", "a": "1"},
			"binaryData": nil,
			"kind":       "Ignored", // the typed field owns this name
		},
	}
	b, err := json.Marshal(u)
	require.NoError(t, err)
	assert.Equal(t, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"ns"},"binaryData":null,"data":{"a":"1","b":"2"}}`, string(b))
}

func TestUnstructuredMarshalEmpty(t *testing.T) {
	b, err := json.Marshal(Unstructured{})
	require.NoError(t, err)
	assert.Equal(t, `{"metadata":{}}`, string(b))
}

func TestUnstructuredMarshalReportsUnencodableContent(t *testing.T) {
	_, err := json.Marshal(Unstructured{Content: map[string]any{"bad": make(chan int)}})
	assert.Error(t, err)
}

func TestUnstructuredUnmarshal(t *testing.T) {
	var u Unstructured
	err := json.Unmarshal([]byte(`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r","labels":{"a":"b"}},"rules":[{"verbs":["get"]}],"weight":2,"whole":3.0,"big":1e300,"ratio":0.25}`), &u)
	require.NoError(t, err)
	assert.Equal(t, TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role"}, u.TypeMeta)
	assert.Equal(t, "r", u.Name)
	assert.Equal(t, map[string]string{"a": "b"}, u.Labels)
	assert.Equal(t, map[string]any{
		"rules":  []any{map[string]any{"verbs": []any{"get"}}},
		"weight": int64(2),
		"whole":  int64(3), // a whole float is an int64, as YAML input makes it
		"big":    1e300,    // too big for an int64
		"ratio":  0.25,
	}, u.Content)
}

func TestUnstructuredUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`[]`,
		`{"kind":5}`,
		`{"metadata":{"name":5}}`,
		`{"x":1e400}`,
		`{"a":1} trailing`,
	} {
		u := Unstructured{ObjectMeta: ObjectMeta{Name: "keep"}}
		err := u.UnmarshalJSON([]byte(in))
		assert.Error(t, err, "input %s", in)
		assert.Equal(t, "keep", u.Name, "a failed unmarshal changes nothing (input %s)", in)
	}
}

func TestUnstructuredUnmarshalNullIsNoOp(t *testing.T) {
	u := Unstructured{ObjectMeta: ObjectMeta{Name: "keep"}}
	require.NoError(t, u.UnmarshalJSON([]byte("null")))
	assert.Equal(t, "keep", u.Name)
}

func TestUnstructuredRoundTrip(t *testing.T) {
	in := &Unstructured{
		TypeMeta:   TypeMeta{APIVersion: "example.com/v1", Kind: "Widget"},
		ObjectMeta: ObjectMeta{Name: "w", Labels: map[string]string{"x": "y"}},
		Content: map[string]any{"spec": map[string]any{
			"count": int64(9007199254740993), // beyond float64's exact integers
			"ratio": 1.5,
			"tags":  []any{"a", true, nil},
		}},
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out Unstructured
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, &out)
}

func TestUnstructuredDeepCopyIsIndependent(t *testing.T) {
	orig := &Unstructured{
		TypeMeta:   TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: ObjectMeta{Name: "sa", Labels: map[string]string{"a": "1"}},
		Content: map[string]any{
			"secrets": []any{map[string]any{"name": "token"}},
			"strs":    []string{"x"},
			"smap":    map[string]string{"k": "v"},
		},
	}
	cp, ok := orig.DeepCopyObject().(*Unstructured)
	require.True(t, ok)
	require.Equal(t, orig, cp)

	cp.Labels["a"] = "2"
	cp.Content["secrets"].([]any)[0].(map[string]any)["name"] = "changed"
	cp.Content["strs"].([]string)[0] = "changed"
	cp.Content["smap"].(map[string]string)["k"] = "changed"
	cp.Content["new"] = true

	assert.Equal(t, "1", orig.Labels["a"])
	assert.Equal(t, "token", orig.Content["secrets"].([]any)[0].(map[string]any)["name"])
	assert.Equal(t, "x", orig.Content["strs"].([]string)[0])
	assert.Equal(t, "v", orig.Content["smap"].(map[string]string)["k"])
	assert.NotContains(t, orig.Content, "new")
}

func TestUnstructuredDeepCopyNil(t *testing.T) {
	var u *Unstructured
	assert.Nil(t, u.DeepCopy())
	empty := &Unstructured{}
	assert.Nil(t, empty.DeepCopy().Content, "nil content stays nil")
}

func TestUnstructuredIsAnObject(t *testing.T) {
	var obj Object = &Unstructured{TypeMeta: TypeMeta{Kind: "Role"}, ObjectMeta: ObjectMeta{Name: "r", Namespace: "n"}}
	assert.Equal(t, Key{Kind: "Role", Namespace: "n", Name: "r"}, KeyOf(obj))
	obj.GetObjectMeta().Name = "renamed"
	assert.Equal(t, "renamed", obj.(*Unstructured).Name)
}
