package sim

import (
	"encoding/json"
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// LastAppliedAnnotation holds the manifest kubectl apply last wrote, so the
// next apply can tell which fields the user dropped.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// setLastApplied records the manifest from in into's annotation, as kubectl
// apply does.
func setLastApplied(into, from objects.Object) error {
	manifest, err := lastAppliedJSON(from)
	if err != nil {
		return err
	}
	m := into.GetObjectMeta()
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	m.Annotations[LastAppliedAnnotation] = manifest
	return nil
}

// lastAppliedJSON is obj as the user wrote it, without the annotation itself.
func lastAppliedJSON(obj objects.Object) (string, error) {
	tree, err := toTree(obj)
	if err != nil {
		return "", err
	}
	if meta, ok := tree["metadata"].(map[string]any); ok {
		if ann, ok := meta["annotations"].(map[string]any); ok {
			delete(ann, LastAppliedAnnotation)
			if len(ann) == 0 {
				delete(meta, "annotations")
			}
		}
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}

// mergeApplied returns current with the manifest applied on top of it
// (three-way: current, the last applied manifest, the new one).
func mergeApplied(current, applied objects.Object) (objects.Object, error) {
	cur, err := toTree(current)
	if err != nil {
		return nil, err
	}
	next, err := toTree(applied)
	if err != nil {
		return nil, err
	}
	var last map[string]any
	if s := current.GetObjectMeta().Annotations[LastAppliedAnnotation]; s != "" {
		_ = json.Unmarshal([]byte(s), &last) // a corrupt annotation is treated as absent, as kubectl does
	}
	delete(next, "status")
	merged := mergeTree(cur, last, next)
	out, err := fromTree(merged)
	if err != nil {
		return nil, err
	}
	if err := setLastApplied(out, applied); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeTree merges next into cur: maps merge key by key, anything else is
// replaced; keys in last but not in next are deleted from cur.
func mergeTree(cur, last, next map[string]any) map[string]any {
	out := make(map[string]any, len(cur))
	for k, v := range cur {
		out[k] = v
	}
	for k := range last {
		if _, kept := next[k]; !kept {
			delete(out, k)
		}
	}
	for k, v := range next {
		nv, nIsMap := v.(map[string]any)
		cv, cIsMap := out[k].(map[string]any)
		if nIsMap && cIsMap {
			lv, _ := last[k].(map[string]any)
			out[k] = mergeTree(cv, lv, nv)
			continue
		}
		out[k] = v
	}
	return out
}

func toTree(obj objects.Object) (map[string]any, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// fromTree decodes tree into a new object of the kind it names.
func fromTree(tree map[string]any) (objects.Object, error) {
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	out, err := objects.DecodeOne(b)
	if err != nil {
		return nil, fmt.Errorf("merging applied manifest: %w", err)
	}
	return out, nil
}
