package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Field is one leaf of an object's JSON encoding: its path
// (`spec.containers[0].image`, `metadata.labels["job-name"]`) and its value
// as JSON (`"busybox"`, `3`, `true`, `[]`, `{}`). Removed marks a leaf the
// change took away.
type Field struct {
	Path    string
	Value   string
	Removed bool
}

// resourceVersionPath is left out of the fields: every change's line
// carries the revision already.
const resourceVersionPath = "metadata.resourceVersion"

// flatten encodes obj as the API does and lists its leaves in key order.
func flatten(obj objects.Object) ([]Field, error) {
	data, err := objects.Encode(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var out []Field
	walkLeaves("", v, func(path, value string) {
		if path != resourceVersionPath {
			out = append(out, Field{Path: path, Value: value})
		}
	})
	return out, nil
}

// walkLeaves calls fn with every leaf under v, maps' keys in sorted order.
func walkLeaves(path string, v any, fn func(path, value string)) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			fn(path, "{}")
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkLeaves(joinKey(path, k), x[k], fn)
		}
	case []any:
		if len(x) == 0 {
			fn(path, "[]")
			return
		}
		for i, item := range x {
			walkLeaves(fmt.Sprintf("%s[%d]", path, i), item, fn)
		}
	default:
		fn(path, jsonValue(x))
	}
}

// jsonValue prints a leaf as JSON, without escaping HTML characters.
func jsonValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// joinKey appends a map key to a path: `.key` when it is a plain word,
// `["key"]` otherwise (label keys hold dots and slashes).
func joinKey(path, key string) string {
	if plainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// plainKey reports whether a key can stand in a path without quotes.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for i, c := range key {
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && !(i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// delta lists what changed from prev (an object's leaves by path) to next:
// changed and new leaves in next's order, then removed ones in prev's
// order.
func delta(prev []Field, next []Field) []Field {
	old := make(map[string]string, len(prev))
	for _, f := range prev {
		old[f.Path] = f.Value
	}
	var out []Field
	kept := make(map[string]bool, len(next))
	for _, f := range next {
		kept[f.Path] = true
		if v, ok := old[f.Path]; !ok || v != f.Value {
			out = append(out, f)
		}
	}
	for _, f := range prev {
		if !kept[f.Path] {
			out = append(out, Field{Path: f.Path, Removed: true})
		}
	}
	return out
}

// applyDelta returns state with a change's fields applied.
func applyDelta(state []Field, change []Field) []Field {
	if len(change) == 0 {
		return state
	}
	index := make(map[string]int, len(state))
	out := make([]Field, len(state))
	copy(out, state)
	for i, f := range out {
		index[f.Path] = i
	}
	removed := map[string]bool{}
	for _, f := range change {
		switch i, ok := index[f.Path]; {
		case f.Removed:
			removed[f.Path] = true
		case ok:
			out[i].Value = f.Value
		default:
			index[f.Path] = len(out)
			out = append(out, f)
		}
	}
	if len(removed) == 0 {
		return out
	}
	kept := out[:0]
	for _, f := range out {
		if !removed[f.Path] {
			kept = append(kept, f)
		}
	}
	return kept
}

// pathStep is one step of a path: a map key or a list index.
type pathStep struct {
	key   string
	index int
	list  bool
}

// parsePath splits a field path into its steps.
func parsePath(path string) ([]pathStep, error) {
	var steps []pathStep
	for i := 0; i < len(path); {
		switch c := path[i]; {
		case c == '.':
			i++
		case c == '[' && i+1 < len(path) && path[i+1] == '"':
			q, err := strconv.QuotedPrefix(path[i+1:])
			if err != nil {
				return nil, fmt.Errorf("path %q: %v", path, err)
			}
			key, _ := strconv.Unquote(q)
			i += 1 + len(q)
			if i >= len(path) || path[i] != ']' {
				return nil, fmt.Errorf("path %q: missing ]", path)
			}
			i++
			steps = append(steps, pathStep{key: key})
		case c == '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: missing ]", path)
			}
			n, err := strconv.Atoi(path[i+1 : i+end])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("path %q: bad index", path)
			}
			steps = append(steps, pathStep{index: n, list: true})
			i += end + 1
		default:
			end := i
			for end < len(path) && path[end] != '.' && path[end] != '[' {
				end++
			}
			steps = append(steps, pathStep{key: path[i:end]})
			i = end
		}
	}
	return steps, nil
}

// node is a step of an object being rebuilt from its leaves.
type node struct {
	leaf  json.RawMessage
	keys  map[string]*node
	items map[int]*node
}

// unflatten rebuilds an object's JSON encoding from its leaves.
func unflatten(fields []Field) ([]byte, error) {
	root := &node{}
	for _, f := range fields {
		steps, err := parsePath(f.Path)
		if err != nil {
			return nil, err
		}
		n := root
		for _, s := range steps {
			n = n.child(s)
		}
		n.leaf = json.RawMessage(f.Value)
	}
	return json.Marshal(root.value())
}

// child returns the node under step s, making it when it is new.
func (n *node) child(s pathStep) *node {
	if s.list {
		if n.items == nil {
			n.items = map[int]*node{}
		}
		if n.items[s.index] == nil {
			n.items[s.index] = &node{}
		}
		return n.items[s.index]
	}
	if n.keys == nil {
		n.keys = map[string]*node{}
	}
	if n.keys[s.key] == nil {
		n.keys[s.key] = &node{}
	}
	return n.keys[s.key]
}

// value turns a rebuilt node into what encoding/json marshals.
func (n *node) value() any {
	switch {
	case n.keys != nil:
		m := make(map[string]any, len(n.keys))
		for k, c := range n.keys {
			m[k] = c.value()
		}
		return m
	case n.items != nil:
		list := make([]any, len(n.items))
		for i := range list {
			if c := n.items[i]; c != nil {
				list[i] = c.value()
			}
		}
		return list
	case n.leaf != nil:
		return n.leaf
	}
	return nil
}

// decodeObject rebuilds a typed object of kind from its leaves; false when
// kubesim does not model the kind.
func decodeObject(kind string, fields []Field) (objects.Object, bool, error) {
	obj, ok := objects.NewObject(kind)
	if !ok {
		return nil, false, nil
	}
	data, err := unflatten(fields)
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal(data, obj); err != nil {
		return nil, false, fmt.Errorf("%s: %v", kind, err)
	}
	return obj, true, nil
}
