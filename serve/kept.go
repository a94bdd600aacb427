package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
	"sigs.k8s.io/yaml"
)

// maxBodyBytes is the apiserver's request body limit (3 MiB).
const maxBodyBytes = objects.MaxObjectBytes

// decodeObject decodes one object from a request body (JSON or YAML). The
// fields its kind's Go type does not hold (an affinity on a Pod, say:
// kubesim does not model every field upstream has, and cannot tell those
// from misspellings) are taken out and returned as an overlay tree, to be
// kept beside the object and served back, with their paths for a Warning.
func decodeObject(body []byte) (objects.Object, map[string]any, []string, error) {
	obj, err := objects.DecodeOne(body)
	var de *objects.DecodeError
	if err == nil || !errors.As(err, &de) || de.Reason != objects.DecodeStrict {
		return obj, nil, nil, err
	}
	tree, terr := decodeTree(yamlOrJSON(body))
	if terr != nil {
		return nil, nil, nil, err
	}
	var paths []string
	overlay := map[string]any{}
	for _, msg := range de.StrictErrors {
		path, ok := unknownFieldPath(msg)
		if !ok {
			return nil, nil, nil, err // a duplicate field or other strict problem
		}
		segs, perr := splitFieldPath(path)
		if perr != nil {
			return nil, nil, nil, err
		}
		if v, ok := takePath(tree, segs); ok && !isZeroJSON(v) {
			putPath(overlay, segs, v)
			paths = append(paths, path)
		}
	}
	b, jerr := jsonMarshal(tree)
	if jerr != nil {
		return nil, nil, nil, jerr
	}
	obj, err = objects.DecodeOne(b)
	if err != nil {
		return nil, nil, nil, err
	}
	return obj, overlay, paths, nil
}

// isZeroJSON reports whether v carries nothing: null, "", false, 0, or an
// empty list or object. Protobuf bodies hold every field of upstream's
// non-pointer Go fields, set or not (selfLink, hostIPC...); an unknown
// field with a zero value is dropped without a warning, as JSON's
// omitempty would have left it out.
func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	case int64:
		return x == 0
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isZeroJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}

// unknownFieldPath reads the path out of a strict decoding problem,
// `unknown field "spec.affinity"`.
func unknownFieldPath(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "unknown field ")
	if !ok {
		return "", false
	}
	path, err := strconv.Unquote(rest)
	return path, err == nil
}

// pathSeg is one step of a field path: a field name, or a list index.
type pathSeg struct {
	field string
	index int // -1 for a field
}

// splitFieldPath splits "spec.containers[0].imagee" into its steps.
func splitFieldPath(path string) ([]pathSeg, error) {
	var out []pathSeg
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name == "" && len(out) == 0 {
			return nil, fmt.Errorf("bad field path %q", path)
		}
		if name != "" {
			out = append(out, pathSeg{field: name, index: -1})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil {
				return nil, fmt.Errorf("bad field path %q", path)
			}
			out = append(out, pathSeg{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out, nil
}

// takePath removes and returns the value at segs in tree.
func takePath(tree map[string]any, segs []pathSeg) (any, bool) {
	var cur any = tree
	for i, seg := range segs {
		last := i == len(segs)-1
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[seg.field]
			if !ok || seg.index >= 0 {
				return nil, false
			}
			if last {
				delete(c, seg.field)
				return v, true
			}
			cur = v
		case []any:
			if seg.index < 0 || seg.index >= len(c) || last {
				return nil, false
			}
			cur = c[seg.index]
		default:
			return nil, false
		}
	}
	return nil, false
}

// putPath returns node with v set at segs, making the maps and lists on
// the way (list items before an index stay nil: nothing kept there).
func putPath(node any, segs []pathSeg, v any) any {
	if len(segs) == 0 {
		return v
	}
	seg := segs[0]
	if seg.index < 0 {
		m, _ := node.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		m[seg.field] = putPath(m[seg.field], segs[1:], v)
		return m
	}
	l, _ := node.([]any)
	for len(l) <= seg.index {
		l = append(l, nil)
	}
	l[seg.index] = putPath(l[seg.index], segs[1:], v)
	return l
}

// yamlOrJSON returns a body as JSON: kubectl and client-go send JSON, but
// the apiserver takes YAML too.
func yamlOrJSON(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return trimmed
	}
	if j, err := yaml.YAMLToJSON(body); err == nil {
		return j
	}
	return body
}

// mergeOverlay puts the overlay's fields into tree where they are absent.
func mergeOverlay(tree map[string]any, overlay map[string]any) {
	for k, v := range overlay {
		cur, exists := tree[k]
		switch ov := v.(type) {
		case map[string]any:
			if cm, ok := cur.(map[string]any); ok {
				mergeOverlay(cm, ov)
			} else if !exists {
				tree[k] = deepCopy(ov)
			}
		case []any:
			if cl, ok := cur.([]any); ok {
				for i, item := range ov {
					im, isMap := item.(map[string]any)
					if i < len(cl) && isMap {
						if cm, ok := cl[i].(map[string]any); ok {
							mergeOverlay(cm, im)
						}
					}
				}
			} else if !exists {
				tree[k] = deepCopy(ov)
			}
		default:
			if !exists {
				tree[k] = v
			}
		}
	}
}

// keptFields holds, per object, the fields its kind's type does not model,
// as a client last wrote them, so they are served back. An entry belongs
// to one object (its uid) and goes when the object does. Guarded by the
// server's lock.
type keptFields struct {
	byKey map[objects.Key]keptEntry
}

type keptEntry struct {
	uid     string
	overlay map[string]any
}

func newKeptFields() *keptFields { return &keptFields{byKey: map[objects.Key]keptEntry{}} }

// set records obj's overlay (none: forget it).
func (k *keptFields) set(obj objects.Object, overlay map[string]any) {
	key := objects.KeyOf(obj)
	if len(overlay) == 0 {
		delete(k.byKey, key)
		return
	}
	k.byKey[key] = keptEntry{uid: obj.GetObjectMeta().UID, overlay: overlay}
}

// restore merges obj's kept fields into its served tree.
func (k *keptFields) restore(obj objects.Object, tree map[string]any) {
	e, ok := k.byKey[objects.KeyOf(obj)]
	if !ok || e.uid != obj.GetObjectMeta().UID {
		return
	}
	mergeOverlay(tree, e.overlay)
}

// forget drops the kept fields of a deleted object.
func (k *keptFields) forget(ch sim.Change) {
	if ch.Event.Type == storage.Deleted && len(k.byKey) > 0 {
		key := objects.KeyOf(ch.Event.Object)
		if e, ok := k.byKey[key]; ok && e.uid == ch.Event.Object.GetObjectMeta().UID {
			delete(k.byKey, key)
		}
	}
}

// notModelledWarning is the Warning the server sends for fields it keeps
// without modelling them.
func notModelledWarning(path string) string {
	return fmt.Sprintf("unknown field %q: kubesim does not model it; it is kept as given and not acted on", path)
}

// deepCopy copies a JSON tree.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
