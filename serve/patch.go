package serve

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Patch media types the apiserver takes.
const (
	strategicMergePatch = "application/strategic-merge-patch+json"
	mergePatch          = "application/merge-patch+json"
	jsonPatch           = "application/json-patch+json"
	applyPatch          = "application/apply-patch+yaml"
)

// patch answers a PATCH of an object, its status or its scale.
func (s *Server) patch(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch media {
	case mergePatch, jsonPatch, applyPatch:
	case strategicMergePatch:
		if req.res.custom {
			return failure(http.StatusUnsupportedMediaType, reasonUnsupportedMediaType,
				"the body of the request was in an unknown format - accepted media types include: "+
					"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
		}
	default:
		return failure(http.StatusUnsupportedMediaType, reasonUnsupportedMediaType,
			"the body of the request was in an unknown format - accepted media types include: "+
				"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
	}
	if req.sub != "" && req.sub != "status" && req.sub != "scale" {
		return methodNotAllowed(r.Method)
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	rep, err := s.patchLocked(r, req, media, body)
	s.Unlock()
	if err != nil {
		return err
	}
	rep.send(w)
	return nil
}

func (s *Server) patchLocked(r *http.Request, req *apiRequest, media string, body []byte) (*reply, error) {
	key := keyIn(req.res, req.namespace, req.name)
	cur, err := s.c.Store().Get(key)
	if errors.Is(err, storage.ErrNotFound) && media == applyPatch && req.sub == "" {
		return s.applyCreate(r, req, body)
	}
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if req.sub == "scale" {
		tree, err = scaleOf(cur)
	} else {
		tree, err = s.served(cur, req.res)
	}
	if err != nil {
		return nil, err
	}
	patched, err := patchTree(media, tree, body, typeOfKind(req.res))
	if err != nil {
		return nil, err
	}
	if req.sub == "scale" {
		spec, _ := patched["spec"].(map[string]any)
		replicas, err := int64Field(spec["replicas"])
		if err != nil {
			return nil, badRequest("spec.replicas: %v", err)
		}
		out, err := s.scaleLocked(r, req, patched, replicas)
		return &reply{code: http.StatusOK, body: out}, err
	}
	if meta, _ := patched["metadata"].(map[string]any); meta != nil {
		if name, _ := meta["name"].(string); name != req.name {
			return nil, badRequest("the name of the object (%s) does not match the name on the URL (%s)", name, req.name)
		}
	}
	if req.res.eventsV1 {
		fromEventsV1(patched)
	}
	obj, overlay, unknown, err := treeObject(patched)
	if err != nil {
		return nil, err
	}
	out, err := s.writeLocked(r, req, obj, overlay)
	if err != nil {
		return nil, err
	}
	return &reply{code: http.StatusOK, body: out, warnings: warningsFor(obj, unknown)}, nil
}

// applyCreate is a server-side apply of an object that does not exist
// yet: it is created as given.
func (s *Server) applyCreate(r *http.Request, req *apiRequest, body []byte) (*reply, error) {
	obj, overlay, unknown, err := bodyObject(body, req)
	if err != nil {
		return nil, err
	}
	if obj.GetObjectMeta().Name != req.name {
		return nil, badRequest("the name of the object (%s) does not match the name on the URL (%s)", obj.GetObjectMeta().Name, req.name)
	}
	if req.query.Get("dryRun") == "All" {
		if obj, err = s.dryRunCreate(req, obj); err != nil {
			return nil, err
		}
		tree, err := s.served(obj, req.res)
		return &reply{code: http.StatusCreated, body: tree}, err
	}
	created, err := s.clientFor(r).Create(obj)
	if err != nil {
		return nil, err
	}
	s.kept.set(created, overlay)
	tree, err := s.served(created, req.res)
	return &reply{code: http.StatusCreated, body: tree, warnings: warningsFor(created, unknown)}, err
}

// patchTree applies a patch of the given media type to tree; t is the Go
// type of the object (nil when kubesim does not model the kind), whose
// list fields say how strategic merge patches merge them.
func patchTree(media string, tree map[string]any, body []byte, t reflect.Type) (map[string]any, error) {
	switch media {
	case jsonPatch:
		return applyJSONPatch(tree, body)
	case applyPatch:
		applied, err := decodeTree(yamlOrJSON(body))
		if err != nil {
			return nil, badRequest("error decoding YAML: %v", err)
		}
		delete(applied, "status")
		return strategicMerge(tree, applied, t)
	}
	p, err := decodeTree(yamlOrJSON(body))
	if err != nil {
		return nil, badRequest("error decoding patch: %v", err)
	}
	if media == mergePatch {
		return mergeJSON(tree, p), nil
	}
	return strategicMerge(tree, p, t)
}

// typeOfKind is the Go type of res's kind, or nil when not modelled.
func typeOfKind(res *resource) reflect.Type {
	if res.custom {
		return nil
	}
	obj, ok := objects.NewObject(res.info.Kind)
	if !ok {
		return nil
	}
	return reflect.TypeOf(obj)
}

// mergeJSON applies an RFC 7386 JSON merge patch: maps merge, null
// deletes, everything else replaces.
func mergeJSON(target, patch map[string]any) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(target, k)
		case map[string]any:
			tm, _ := target[k].(map[string]any)
			target[k] = mergeJSON(tm, pv)
		default:
			target[k] = v
		}
	}
	return target
}

// Strategic merge patch directives (k8s.io/apimachinery strategicpatch).
const (
	directiveMarker      = "$patch"
	retainKeysDirective  = "$retainKeys"
	setElementOrderPref  = "$setElementOrder/"
	deleteFromPrimitPref = "$deleteFromPrimitiveList/"
)

// mergeKeys are the list fields strategic merge patches merge item by
// item, by the Go type holding them (kubesim's names) and the field's
// JSON name, with the key that identifies an item ("" for a list of
// scalars merged as a set); upstream declares them as patchStrategy and
// patchMergeKey tags in k8s.io/api. Any "conditions" list merges by
// "type". Other lists are replaced whole.
var mergeKeys = map[string]string{
	"ObjectMeta.finalizers": "", "ObjectMeta.ownerReferences": "uid",
	"PodSpec.volumes": "name", "PodSpec.initContainers": "name", "PodSpec.containers": "name",
	"PodSpec.ephemeralContainers": "name", "PodSpec.imagePullSecrets": "name", "PodSpec.hostAliases": "ip",
	"PodSpec.topologySpreadConstraints": "topologyKey", "PodSpec.resourceClaims": "name", "PodSpec.schedulingGates": "name",
	"Container.ports": "containerPort", "Container.env": "name", "Container.volumeMounts": "mountPath",
	"Container.volumeDevices": "devicePath", "EphemeralContainer.ports": "containerPort",
	"PodStatus.podIPs": "ip", "PodStatus.hostIPs": "ip",
	"ServiceSpec.ports": "port", "NodeSpec.podCIDRs": "", "NodeStatus.addresses": "type",
}

// listMergeKey says how the list field name of struct type t merges.
func listMergeKey(t reflect.Type, name string) (string, bool) {
	if name == "conditions" {
		return "type", true
	}
	if t == nil {
		return "", false
	}
	key, ok := mergeKeys[t.Name()+"."+name]
	return key, ok
}

// fieldType is the Go type of the JSON field name of t (a struct, or a
// pointer to one), following embedded structs; nil when unknown.
func fieldType(t reflect.Type, name string) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return nil
	}
	if t.Kind() == reflect.Map {
		return t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && tag == "" {
			if ft := fieldType(f.Type, name); ft != nil {
				return ft
			}
			continue
		}
		if tag == name {
			return f.Type
		}
	}
	return nil
}

// structOf strips pointers and slices down to the element struct type.
func structOf(t reflect.Type) reflect.Type {
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return t
}

// strategicMerge applies a strategic merge patch to orig (t is orig's Go
// type, or nil): maps merge, null deletes, lists listed in mergeKeys merge
// by their key, other lists replace; the $patch, $retainKeys,
// $setElementOrder and $deleteFromPrimitiveList directives kubectl sends
// are honoured.
func strategicMerge(orig, patch map[string]any, t reflect.Type) (map[string]any, error) {
	out, err := smpMap(orig, patch, structOf(t))
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// smpMap merges patch into orig; a nil result means "delete this map".
func smpMap(orig, patch map[string]any, t reflect.Type) (map[string]any, error) {
	switch d := patch[directiveMarker]; d {
	case nil:
	case "replace":
		return cleanPatch(patch), nil
	case "delete":
		return nil, nil
	default:
		return nil, fmt.Errorf("unknown patch type: %v", d)
	}
	out := make(map[string]any, len(orig)+len(patch))
	for k, v := range orig {
		out[k] = v
	}
	for _, k := range sortedKeys(patch) {
		pv := patch[k]
		if strings.HasPrefix(k, "$") {
			if field, ok := strings.CutPrefix(k, deleteFromPrimitPref); ok {
				out[field] = removeValues(out[field], pv)
			}
			continue
		}
		if err := smpField(out, k, pv, t); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedKeys(patch) {
		if field, ok := strings.CutPrefix(k, setElementOrderPref); ok {
			key, _ := listMergeKey(t, field)
			out[field] = reorder(out[field], patch[k], key)
		}
	}
	if keys, ok := patch[retainKeysDirective].([]any); ok {
		keep := map[string]bool{}
		for _, k := range keys {
			if s, ok := k.(string); ok {
				keep[s] = true
			}
		}
		for k := range out {
			if !keep[k] {
				delete(out, k)
			}
		}
	}
	return out, nil
}

// smpField merges one field of a patch into out.
func smpField(out map[string]any, k string, pv any, t reflect.Type) error {
	ft := fieldType(t, k)
	switch v := pv.(type) {
	case nil:
		delete(out, k)
	case map[string]any:
		om, _ := out[k].(map[string]any)
		merged, err := smpMap(om, v, structOf(ft))
		if err != nil {
			return err
		}
		if merged == nil {
			delete(out, k)
		} else {
			out[k] = merged
		}
	case []any:
		key, strategic := listMergeKey(t, k)
		if !strategic {
			out[k] = cleanList(v)
			return nil
		}
		ol, _ := out[k].([]any)
		merged, err := mergeList(ol, v, key, structOf(ft))
		if err != nil {
			return err
		}
		out[k] = merged
	default:
		out[k] = v
	}
	return nil
}

// mergeList merges a patch list into orig by key (a set of scalars when
// key is ""); items with $patch: delete remove their match.
func mergeList(orig, patch []any, key string, elem reflect.Type) ([]any, error) {
	out := append([]any(nil), orig...)
	if key == "" {
		for _, pv := range patch {
			if indexOfValue(out, pv) < 0 {
				out = append(out, pv)
			}
		}
		return out, nil
	}
	for _, item := range patch {
		pm, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("unable to find api field in struct for the list item %v", item)
		}
		if pm[directiveMarker] == "replace" {
			return cleanList(patch), nil
		}
		i := indexByKey(out, key, pm[key])
		if pm[directiveMarker] == "delete" {
			if i >= 0 {
				out = append(out[:i], out[i+1:]...)
			}
			continue
		}
		if i < 0 {
			out = append(out, cleanPatch(pm))
			continue
		}
		om, _ := out[i].(map[string]any)
		merged, err := smpMap(om, pm, elem)
		if err != nil {
			return nil, err
		}
		out[i] = merged
	}
	return out, nil
}

// reorder orders a merged list as a $setElementOrder directive says: the
// items it names first, in its order, then the others as they were.
func reorder(list any, order any, key string) any {
	items, ok := list.([]any)
	want, ok2 := order.([]any)
	if !ok || !ok2 {
		return list
	}
	var out []any
	used := make([]bool, len(items))
	for _, o := range want {
		var id any = o
		if m, ok := o.(map[string]any); ok {
			id = m[key]
		}
		for i, it := range items {
			if used[i] {
				continue
			}
			var itID any = it
			if m, ok := it.(map[string]any); ok {
				itID = m[key]
			}
			if jsonEqual(itID, id) {
				out = append(out, it)
				used[i] = true
				break
			}
		}
	}
	for i, it := range items {
		if !used[i] {
			out = append(out, it)
		}
	}
	return out
}

// removeValues drops values from a list of scalars.
func removeValues(list any, values any) any {
	items, _ := list.([]any)
	drop, _ := values.([]any)
	var out []any
	for _, it := range items {
		if indexOfValue(drop, it) < 0 {
			out = append(out, it)
		}
	}
	return out
}

func indexOfValue(list []any, v any) int {
	for i, it := range list {
		if jsonEqual(it, v) {
			return i
		}
	}
	return -1
}

func indexByKey(list []any, key string, v any) int {
	for i, it := range list {
		if m, ok := it.(map[string]any); ok && jsonEqual(m[key], v) {
			return i
		}
	}
	return -1
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	ab, err1 := jsonMarshal(a)
	bb, err2 := jsonMarshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

// cleanPatch removes directives from a patch map (recursively), leaving
// what is to be stored.
func cleanPatch(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if strings.HasPrefix(k, "$") {
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			out[k] = cleanPatch(x)
		case []any:
			out[k] = cleanList(x)
		default:
			out[k] = v
		}
	}
	return out
}

func cleanList(l []any) []any {
	out := make([]any, 0, len(l))
	for _, v := range l {
		if m, ok := v.(map[string]any); ok {
			if m[directiveMarker] == "delete" {
				continue
			}
			out = append(out, cleanPatch(m))
			continue
		}
		out = append(out, v)
	}
	return out
}

// sortedKeys returns m's keys in order, so patches apply deterministically.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
