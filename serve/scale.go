package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// scaleOf is obj's scale subresource, an autoscaling/v1 Scale: the
// replicas asked for and seen, and the pod selector as a string.
func scaleOf(obj objects.Object) (map[string]any, error) {
	tree, err := objectTree(obj)
	if err != nil {
		return nil, err
	}
	spec, _ := tree["spec"].(map[string]any)
	status, _ := tree["status"].(map[string]any)
	m := obj.GetObjectMeta()
	meta := map[string]any{"name": m.Name, "namespace": m.Namespace, "uid": m.UID,
		"resourceVersion": m.ResourceVersion, "creationTimestamp": m.CreationTimestamp}
	out := map[string]any{"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
		"spec":   map[string]any{"replicas": numberOr(spec["replicas"], 1)},
		"status": map[string]any{"replicas": numberOr(status["replicas"], 0)}}
	if sel := selectorString(spec["selector"]); sel != "" {
		out["status"].(map[string]any)["selector"] = sel
	}
	return out, nil
}

// numberOr returns v when it is a number, else def.
func numberOr(v any, def int64) any {
	if n, ok := v.(json.Number); ok {
		return n
	}
	return def
}

// selectorString prints a label selector tree as the Scale's status
// carries it ("app=web").
func selectorString(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	var ls objects.LabelSelector
	if err := json.Unmarshal(b, &ls); err != nil {
		return ""
	}
	sel, err := objects.LabelSelectorAsSelector(&ls)
	if err != nil {
		return ""
	}
	return sel.String()
}

// objectTree is obj's JSON tree.
func objectTree(obj objects.Object) (map[string]any, error) {
	b, err := objects.Encode(obj)
	if err != nil {
		return nil, err
	}
	return decodeTree(b)
}

// writeScale sets the replicas a Scale asks for on its object, for a PUT
// or PATCH of /scale.
func (s *Server) writeScale(w http.ResponseWriter, r *http.Request, req *apiRequest, scale map[string]any) error {
	spec, _ := scale["spec"].(map[string]any)
	replicas, err := int64Field(spec["replicas"])
	if err != nil {
		return badRequest("spec.replicas: %v", err)
	}
	if err := s.enter(); err != nil {
		return err
	}
	out, err := s.scaleLocked(r, req, scale, replicas)
	s.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) scaleLocked(r *http.Request, req *apiRequest, scale map[string]any, replicas int64) (map[string]any, error) {
	cur, err := s.c.Store().Get(keyIn(req.res, req.namespace, req.name))
	if err != nil {
		return nil, err
	}
	if meta, _ := scale["metadata"].(map[string]any); meta != nil {
		if rv, _ := meta["resourceVersion"].(string); rv != "" && rv != cur.GetObjectMeta().ResourceVersion {
			return nil, failure(http.StatusConflict, reasonConflict, fmt.Sprintf(
				"Operation cannot be fulfilled on %s %q: the object has been modified; please apply your changes to the latest version and try again",
				req.groupResource(), req.name))
		}
	}
	tree, err := objectTree(cur)
	if err != nil {
		return nil, err
	}
	spec, _ := tree["spec"].(map[string]any)
	if spec == nil {
		spec = map[string]any{}
		tree["spec"] = spec
	}
	spec["replicas"] = replicas
	obj, _, _, err := treeObject(tree)
	if err != nil {
		return nil, err
	}
	out, err := s.clientFor(r).Update(obj)
	if err != nil {
		return nil, err
	}
	return scaleOf(out)
}

// int64Field reads an integer from a JSON tree.
func int64Field(v any) (int64, error) {
	switch n := v.(type) {
	case json.Number:
		return strconv.ParseInt(string(n), 10, 64)
	case float64:
		return int64(n), nil
	case int64:
		return n, nil
	}
	return 0, fmt.Errorf("Required value")
}
