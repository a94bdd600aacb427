package serve

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// jsonPatchOp is one operation of an RFC 6902 JSON patch.
type jsonPatchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	From  string          `json:"from"`
	Value json.RawMessage `json:"value"`
}

// applyJSONPatch applies an RFC 6902 JSON patch (kubectl patch --type
// json) to tree, operation by operation; a failing operation fails the
// whole patch, with the apiserver's wording where it has one.
func applyJSONPatch(tree map[string]any, body []byte) (map[string]any, error) {
	var ops []jsonPatchOp
	if err := json.Unmarshal(yamlOrJSON(body), &ops); err != nil {
		return nil, badRequest("error decoding patch: %v", err)
	}
	var doc any = tree
	for _, op := range ops {
		var err error
		doc, err = applyOp(doc, op)
		if err != nil {
			return nil, failure(422, reasonInvalid, err.Error())
		}
	}
	out, ok := doc.(map[string]any)
	if !ok {
		return nil, badRequest("the patch replaced the object with a %T", doc)
	}
	return out, nil
}

// applyOp applies one operation to doc and returns the new document.
func applyOp(doc any, op jsonPatchOp) (any, error) {
	var value any
	if len(op.Value) > 0 {
		v, err := decodeValue(op.Value)
		if err != nil {
			return nil, err
		}
		value = v
	}
	switch op.Op {
	case "add":
		return setPointer(doc, op.Path, value, true)
	case "replace":
		if _, err := getPointer(doc, op.Path); err != nil {
			return nil, fmt.Errorf("replace operation does not apply: doc is missing key: %s: missing value", op.Path)
		}
		return setPointer(doc, op.Path, value, false)
	case "remove":
		return removePointer(doc, op.Path)
	case "move", "copy":
		v, err := getPointer(doc, op.From)
		if err != nil {
			return nil, fmt.Errorf("%s operation does not apply: doc is missing from path: %s: missing value", op.Op, op.From)
		}
		v = deepCopy(v)
		if op.Op == "move" {
			if doc, err = removePointer(doc, op.From); err != nil {
				return nil, err
			}
		}
		return setPointer(doc, op.Path, v, true)
	case "test":
		v, err := getPointer(doc, op.Path)
		if err != nil || !jsonEqual(v, value) {
			return nil, fmt.Errorf("testing value %s failed: test failed", op.Path)
		}
		return doc, nil
	}
	return nil, fmt.Errorf("Unexpected kind: %s", op.Op)
}

// decodeValue decodes one JSON value keeping numbers exact.
func decodeValue(raw json.RawMessage) (any, error) {
	tree, err := decodeTree([]byte(`{"v":` + string(raw) + `}`))
	if err != nil {
		return nil, err
	}
	return tree["v"], nil
}

// splitPointer splits an RFC 6901 JSON pointer into its unescaped tokens.
func splitPointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("JSON pointer must be empty or start with a \"/\": %q", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, part := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// getPointer reads the value at p.
func getPointer(doc any, p string) (any, error) {
	parts, err := splitPointer(p)
	if err != nil {
		return nil, err
	}
	cur := doc
	for _, part := range parts {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[part]
			if !ok {
				return nil, fmt.Errorf("missing key %q", part)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("bad index %q", part)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("cannot index %T with %q", cur, part)
		}
	}
	return cur, nil
}

// setPointer sets (or, when insert, adds: list items shift) the value at
// p and returns the new document.
func setPointer(doc any, p string, v any, insert bool) (any, error) {
	parts, err := splitPointer(p)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return v, nil
	}
	return setIn(doc, parts, v, insert, p)
}

func setIn(cur any, parts []string, v any, insert bool, p string) (any, error) {
	part := parts[0]
	last := len(parts) == 1
	switch c := cur.(type) {
	case map[string]any:
		if last {
			c[part] = v
			return c, nil
		}
		child, ok := c[part]
		if !ok {
			return nil, fmt.Errorf("add operation does not apply: doc is missing path: %q: missing value", p)
		}
		nv, err := setIn(child, parts[1:], v, insert, p)
		if err != nil {
			return nil, err
		}
		c[part] = nv
		return c, nil
	case []any:
		i := len(c)
		if part != "-" {
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 || n > len(c) || (!insert || !last) && n == len(c) {
				return nil, fmt.Errorf("add operation does not apply: doc is missing path: %q: missing value", p)
			}
			i = n
		}
		if !last {
			nv, err := setIn(c[i], parts[1:], v, insert, p)
			if err != nil {
				return nil, err
			}
			c[i] = nv
			return c, nil
		}
		if insert {
			c = append(c, nil)
			copy(c[i+1:], c[i:])
			c[i] = v
			return c, nil
		}
		c[i] = v
		return c, nil
	}
	return nil, fmt.Errorf("add operation does not apply: doc is missing path: %q: missing value", p)
}

// removePointer removes the value at p.
func removePointer(doc any, p string) (any, error) {
	parts, err := splitPointer(p)
	if err != nil || len(parts) == 0 {
		return nil, fmt.Errorf("remove operation does not apply: doc is missing path: %q: missing value", p)
	}
	return removeIn(doc, parts, p)
}

func removeIn(cur any, parts []string, p string) (any, error) {
	part := parts[0]
	missing := fmt.Errorf("remove operation does not apply: doc is missing path: %q: missing value", p)
	switch c := cur.(type) {
	case map[string]any:
		child, ok := c[part]
		if !ok {
			return nil, missing
		}
		if len(parts) == 1 {
			delete(c, part)
			return c, nil
		}
		nv, err := removeIn(child, parts[1:], p)
		if err != nil {
			return nil, err
		}
		c[part] = nv
		return c, nil
	case []any:
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(c) {
			return nil, missing
		}
		if len(parts) == 1 {
			return append(c[:i], c[i+1:]...), nil
		}
		nv, err := removeIn(c[i], parts[1:], p)
		if err != nil {
			return nil, err
		}
		c[i] = nv
		return c, nil
	}
	return nil, missing
}
