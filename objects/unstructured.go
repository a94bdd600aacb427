package objects

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Unstructured is an object of a kind kubesim does not model — a
// ServiceAccount, a ClusterRole, a custom resource, anything — kept as its
// metadata plus the rest of its fields as a JSON tree. It exists so that a
// tutorial applying such objects is never rejected: the store keeps them and
// `kubectl get` prints them back as they were given.
//
// +kubebuilder:object:generate=false
type Unstructured struct {
	TypeMeta
	ObjectMeta
	// Content holds every top-level field other than apiVersion, kind and
	// metadata ("rules", "spec", "data"...), as decoded JSON values:
	// map[string]any, []any, string, int64 (whole numbers), float64, bool or
	// nil. Decode always leaves it non-nil.
	Content map[string]any
}

// Field names Unstructured keeps outside Content.
const (
	fieldAPIVersion = "apiVersion"
	fieldKind       = "kind"
	fieldMetadata   = "metadata"
)

// DeepCopyObject returns an independent copy of the object.
func (u *Unstructured) DeepCopyObject() Object { return u.DeepCopy() }

// DeepCopy returns an independent copy of u, or nil for a nil u. Content is
// copied recursively; values of types other than JSON values are copied as
// they are (shallowly), since only code, never a manifest, can put them there.
func (u *Unstructured) DeepCopy() *Unstructured {
	if u == nil {
		return nil
	}
	out := &Unstructured{TypeMeta: u.TypeMeta}
	u.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	if u.Content != nil {
		out.Content = deepCopyJSONObject(u.Content)
	}
	return out
}

// MarshalJSON writes apiVersion, kind and metadata first, then the content
// fields ordered by name, so that the output is byte-for-byte deterministic.
// Content keys named apiVersion, kind or metadata are ignored: the typed
// fields own those names.
func (u Unstructured) MarshalJSON() ([]byte, error) {
	var w jsonObjectWriter
	if u.APIVersion != "" {
		if err := w.field(fieldAPIVersion, u.APIVersion); err != nil {
			return nil, err
		}
	}
	if u.Kind != "" {
		if err := w.field(fieldKind, u.Kind); err != nil {
			return nil, err
		}
	}
	if err := w.field(fieldMetadata, &u.ObjectMeta); err != nil {
		return nil, err
	}
	for _, k := range sortedJSONKeys(u.Content) {
		if isTypedUnstructuredField(k) {
			continue
		}
		if err := w.field(k, u.Content[k]); err != nil {
			return nil, err
		}
	}
	return w.close(), nil
}

// UnmarshalJSON reads a JSON object into u, replacing what u held; null
// leaves u unchanged. It is the plain, lenient reading (unknown metadata
// fields are ignored); Decode is the strict one manifests go through.
func (u *Unstructured) UnmarshalJSON(b []byte) error {
	var tree map[string]any
	if err := unmarshalJSONTree(b, &tree); err != nil {
		return err
	}
	if tree == nil {
		return nil // null leaves u as it is, by encoding/json's convention
	}
	var tm TypeMeta
	if err := typeMetaFromTree(tree, &tm); err != nil {
		return err
	}
	var meta ObjectMeta
	if raw, ok := tree[fieldMetadata]; ok {
		if err := remarshalJSON(raw, &meta); err != nil {
			return err
		}
	}
	content, err := unstructuredContent(tree)
	if err != nil {
		return err
	}
	*u = Unstructured{TypeMeta: tm, ObjectMeta: meta, Content: content}
	return nil
}

// isTypedUnstructuredField reports whether a top-level field is held outside
// Content.
func isTypedUnstructuredField(k string) bool {
	return k == fieldAPIVersion || k == fieldKind || k == fieldMetadata
}

// unstructuredContent returns the top-level fields of tree other than
// apiVersion, kind and metadata, with JSON numbers turned into int64 or
// float64.
func unstructuredContent(tree map[string]any) (map[string]any, error) {
	content := make(map[string]any, len(tree))
	for _, k := range sortedJSONKeys(tree) {
		if isTypedUnstructuredField(k) {
			continue
		}
		v, err := fromJSONNumbers(tree[k])
		if err != nil {
			return nil, err
		}
		content[k] = v
	}
	return content, nil
}

// jsonObjectWriter writes a JSON object field by field, in the order given.
type jsonObjectWriter struct {
	buf bytes.Buffer
}

// field appends "name":value.
func (w *jsonObjectWriter) field(name string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	if w.buf.Len() == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	k, err := json.Marshal(name)
	if err != nil {
		return err
	}
	w.buf.Write(k)
	w.buf.WriteByte(':')
	w.buf.Write(b)
	return nil
}

// close ends the object and returns it.
func (w *jsonObjectWriter) close() []byte {
	if w.buf.Len() == 0 {
		return []byte("{}")
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes()
}

// sortedJSONKeys returns the keys of m in increasing order, so that no map
// iteration order reaches output or error lists.
func sortedJSONKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// unmarshalJSONTree decodes b into v keeping numbers as json.Number, so that
// no integer loses precision through a float64.
func unmarshalJSONTree(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("json: unexpected data after top-level value at offset %d", dec.InputOffset())
	}
	return nil
}

// remarshalJSON decodes a generic JSON value into the typed value v by way of
// its encoding.
func remarshalJSON(value any, v any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// fromJSONNumbers returns v with every json.Number replaced by an int64 when
// it is a whole number that fits, else by a float64, as upstream's
// unstructured decoding does. A number no float64 can hold is an error.
func fromJSONNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return numberValue(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range sortedJSONKeys(x) {
			e, err := fromJSONNumbers(x[k])
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := fromJSONNumbers(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

// numberValue returns n as an int64 when it is a whole number that fits, else
// as a float64. Unlike upstream, "2.0" is an int64 too: YAML input already
// reaches the decoder that way ("2.0" is printed "2" on its way to JSON), and
// treating JSON alike makes a decoded value survive being encoded and decoded
// again unchanged.
func numberValue(n json.Number) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return nil, fmt.Errorf("json: cannot unmarshal number %s into Go value of type float64", n)
	}
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f), nil
	}
	return f, nil
}

// deepCopyJSONObject copies a JSON object recursively.
func deepCopyJSONObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopyJSONValue(v)
	}
	return out
}

// deepCopyJSONValue copies a decoded JSON value recursively. Scalars are
// immutable and returned as they are; so is any non-JSON value code may have
// stored.
func deepCopyJSONValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return x
		}
		return deepCopyJSONObject(x)
	case []any:
		if x == nil {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyJSONValue(e)
		}
		return out
	case map[string]string:
		if x == nil {
			return x
		}
		out := make(map[string]string, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out
	case []string:
		if x == nil {
			return x
		}
		return append([]string{}, x...)
	}
	return v
}
