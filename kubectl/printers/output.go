package printers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/kubesim/kubesim/objects"
)

// PrintName prints objs as `kubectl get -o name` does, one per line:
// "pod/pi-rq5rl", "job.batch/pi", "node/k8s-node1" (the lower-cased kind,
// qualified by its API group; cli-runtime printers/name.go).
func PrintName(w io.Writer, objs []objects.Object) error {
	var b strings.Builder
	for _, obj := range objs {
		group, kind, err := groupKindOf(obj)
		if err != nil {
			return err
		}
		b.WriteString(kindPrefix(group, kind) + "/" + obj.GetObjectMeta().Name + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PrintJSON prints objs as `kubectl get -o json` does: fields in key order,
// indented by four spaces, a newline at the end. asList prints them as one
// List (what `kubectl get pods` prints, even for one pod or none);
// otherwise each object prints as itself (`kubectl get pod pi`).
func PrintJSON(w io.Writer, objs []objects.Object, asList bool) error {
	trees, err := printTrees(objs, asList)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for _, t := range trees {
		data, err := json.MarshalIndent(t, "", "    ")
		if err != nil {
			return err
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	_, err = w.Write(b.Bytes())
	return err
}

// PrintYAML prints objs as `kubectl get -o yaml` does (sigs.k8s.io/yaml,
// keys sorted). asList prints one List; otherwise objects follow one
// another separated by "---" lines, as kubectl's YAML printer separates them.
func PrintYAML(w io.Writer, objs []objects.Object, asList bool) error {
	trees, err := printTrees(objs, asList)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for i, t := range trees {
		data, err := yaml.Marshal(t)
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(data)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// printTrees returns the JSON trees to print: one List holding objs, or
// one tree per object.
func printTrees(objs []objects.Object, asList bool) ([]map[string]any, error) {
	trees := make([]map[string]any, 0, len(objs))
	for _, obj := range objs {
		t, err := objectTree(obj)
		if err != nil {
			return nil, err
		}
		trees = append(trees, t)
	}
	if asList {
		return []map[string]any{listTree(trees)}, nil
	}
	return trees, nil
}

// listTree wraps items in the List kubectl get prints (get.go printGeneric).
func listTree(items []map[string]any) map[string]any {
	list := make([]any, len(items))
	for i, item := range items {
		list[i] = item
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "List",
		"items":      list,
		"metadata":   map[string]any{"resourceVersion": ""},
	}
}

// objectTree returns obj as kubectl holds it after reading it from the
// apiserver: an unstructured JSON tree of map[string]any, []any, string,
// bool, nil, and numbers as int64 when they are whole and fit, float64
// otherwise (apimachinery util/json).
func objectTree(obj objects.Object) (map[string]any, error) {
	if isNil(obj) {
		return nil, errNilObject
	}
	data, err := objects.Encode(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	v, err := unstructuredNumbers(tree)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// unstructuredNumbers replaces every json.Number in v by an int64 or a float64.
func unstructuredNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("cannot read number %s: %v", x, err)
		}
		return f, nil
	case map[string]any:
		for _, k := range sortedKeys(x) {
			c, err := unstructuredNumbers(x[k])
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
	case []any:
		for i, e := range x {
			c, err := unstructuredNumbers(e)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
	}
	return v, nil
}
