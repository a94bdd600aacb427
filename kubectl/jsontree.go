package kubectl

import (
	"encoding/json"

	"github.com/kubesim/kubesim/objects"
)

// toTree returns obj as a JSON tree.
func toTree(obj objects.Object) (map[string]any, error) {
	b, err := objects.Encode(obj)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	err = json.Unmarshal(b, &tree)
	return tree, err
}

// fromTree decodes a JSON tree back into an object.
func fromTree(tree map[string]any) (objects.Object, error) {
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	return objects.DecodeOne(b)
}

// field walks a path of map keys in a JSON tree.
func field(tree map[string]any, path ...string) (any, bool) {
	var cur any = tree
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[p]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// selectorFromJSON reads spec.selector of an encoded object: a
// LabelSelector (Job, Deployment...) or a plain map (Service, RC).
func selectorFromJSON(encoded []byte) (*objects.LabelSelector, error) {
	var tree map[string]any
	if err := json.Unmarshal(encoded, &tree); err != nil {
		return nil, err
	}
	raw, ok := field(tree, "spec", "selector")
	if !ok {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, nil
	}
	if _, structured := m["matchLabels"]; !structured {
		if _, hasExpr := m["matchExpressions"]; !hasExpr {
			labels := map[string]string{}
			for k, v := range m {
				if s, ok := v.(string); ok {
					labels[k] = s
				}
			}
			return &objects.LabelSelector{MatchLabels: labels}, nil
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var ls objects.LabelSelector
	if err := json.Unmarshal(b, &ls); err != nil {
		return nil, err
	}
	return &ls, nil
}

// mergePatch applies an RFC 7386 JSON merge patch to a tree: maps merge,
// null deletes, anything else replaces.
func mergePatch(target map[string]any, patch map[string]any) map[string]any {
	return patchTree(target, patch, false)
}

// strategicPatch applies a strategic merge patch the way upstream does for
// the lists kubesim's kinds have: lists of objects keyed by "name"
// (containers, volumes, env...) merge item by item; other lists replace.
func strategicPatch(target map[string]any, patch map[string]any) map[string]any {
	return patchTree(target, patch, true)
}

func patchTree(target map[string]any, patch map[string]any, byName bool) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(target, k)
		case map[string]any:
			tm, _ := target[k].(map[string]any)
			target[k] = patchTree(tm, pv, byName)
		case []any:
			tl, _ := target[k].([]any)
			if byName && keyedByName(pv) && keyedByName(tl) {
				target[k] = mergeNamedList(tl, pv)
			} else {
				target[k] = v
			}
		default:
			target[k] = v
		}
	}
	return target
}

// keyedByName reports whether every item is an object with a "name".
func keyedByName(items []any) bool {
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["name"].(string); !ok {
			return false
		}
	}
	return true
}

// mergeNamedList patches items of target by name and appends new ones.
func mergeNamedList(target, patch []any) []any {
	out := append([]any(nil), target...)
	for _, p := range patch {
		pm := p.(map[string]any)
		found := false
		for i, t := range out {
			tm := t.(map[string]any)
			if tm["name"] == pm["name"] {
				out[i] = patchTree(tm, pm, true)
				found = true
				break
			}
		}
		if !found {
			out = append(out, pm)
		}
	}
	return out
}
