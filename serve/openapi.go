package serve

//go:generate go run ./internal/gendocs ../objects zz_generated_docs.go

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The OpenAPI v3 documents are generated from kubesim's own Go types, so
// they describe what the cluster models: kubectl reads them to learn that
// the server takes fieldValidation (without them create and apply fail
// with "failed to download openapi") and to print `kubectl explain`.
// Descriptions are the types' doc comments (zz_generated_docs.go); kinds
// kubesim does not model are described as objects of any fields, and
// custom resources by their CustomResourceDefinition's schema.

// serveOpenAPIIndex answers /openapi/v3: the group versions and where
// their documents are.
func (s *Server) serveOpenAPIIndex(w http.ResponseWriter) {
	if !s.peek() {
		writeStatus(w, errClosed)
		return
	}
	cat := s.catalog()
	crds := customSchemas(s.c.Store())
	s.give()
	paths := map[string]any{}
	for gv := range cat.byGV {
		doc, err := jsonMarshal(openAPIDocument(cat, gv, crds))
		if err != nil {
			writeStatus(w, internalError(err))
			return
		}
		sum := sha256.Sum256(doc)
		path := openAPIPath(gv)
		paths[path] = map[string]string{"serverRelativeURL": "/openapi/v3/" + path + "?hash=" + strings.ToUpper(hex.EncodeToString(sum[:]))}
	}
	writeJSON(w, http.StatusOK, map[string]any{"paths": paths})
}

// openAPIPath is where a group version's document lives under /openapi/v3.
func openAPIPath(gv string) string {
	if strings.Contains(gv, "/") {
		return "apis/" + gv
	}
	return "api/" + gv
}

// serveOpenAPI answers /openapi/v3/api/v1 and /openapi/v3/apis/{g}/{v}.
func (s *Server) serveOpenAPI(w http.ResponseWriter, path string) {
	gv := strings.TrimPrefix(strings.TrimPrefix(path, "apis/"), "api/")
	if !s.peek() {
		writeStatus(w, errClosed)
		return
	}
	cat := s.catalog()
	crds := customSchemas(s.c.Store())
	s.give()
	if _, ok := cat.byGV[gv]; !ok || openAPIPath(gv) != path {
		writeStatus(w, notFoundPath())
		return
	}
	writeJSON(w, http.StatusOK, openAPIDocument(cat, gv, crds))
}

// openAPIDocument is one group version's OpenAPI v3 document: a path for
// each resource (its collection and its items, with the verbs' operations
// tagged with the kind) and the schemas of the kinds and every type they
// use.
func openAPIDocument(cat *catalog, gv string, crds map[string]map[string]any) map[string]any {
	g := &schemaGen{schemas: map[string]any{}}
	paths := map[string]any{}
	for _, res := range cat.byGV[gv] {
		gvk := map[string]string{"group": res.info.Group, "version": res.version, "kind": res.info.Kind}
		name := g.kindSchema(res, gvk, crds)
		addPaths(paths, res, gvk, name)
	}
	return map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]string{"title": "Kubernetes", "version": ServerVersion},
		"paths":      paths,
		"components": map[string]any{"schemas": g.schemas},
	}
}

// addPaths adds the collection and item paths of res.
func addPaths(paths map[string]any, res *resource, gvk map[string]string, schema string) {
	prefix := "/apis/" + res.groupVersion()
	if res.info.Group == "" {
		prefix = "/api/" + res.version
	}
	if res.info.Namespaced {
		prefix += "/namespaces/{namespace}"
	}
	collection := prefix + "/" + res.info.Resource
	ref := map[string]any{"$ref": "#/components/schemas/" + schema}
	op := func(action string, params ...string) map[string]any {
		o := map[string]any{"x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": action,
			"responses": map[string]any{"200": map[string]any{"description": "OK",
				"content": map[string]any{"application/json": map[string]any{"schema": ref}}}}}
		var ps []any
		for _, p := range params {
			ps = append(ps, map[string]any{"name": p, "in": "query", "schema": map[string]any{"type": "string", "uniqueItems": true}})
		}
		if len(ps) > 0 {
			o["parameters"] = ps
		}
		return o
	}
	writeParams := []string{"dryRun", "fieldManager", "fieldValidation"}
	if res.createOnly {
		paths[collection] = map[string]any{"post": op("post", writeParams...)}
		return
	}
	paths[collection] = map[string]any{
		"get":    op("list", "labelSelector", "fieldSelector", "limit", "continue", "watch", "resourceVersion"),
		"post":   op("post", writeParams...),
		"delete": op("deletecollection", "labelSelector", "fieldSelector", "dryRun", "propagationPolicy", "gracePeriodSeconds"),
	}
	paths[collection+"/{name}"] = map[string]any{
		"get":    op("get"),
		"put":    op("put", writeParams...),
		"patch":  op("patch", append(writeParams, "force")...),
		"delete": op("delete", "dryRun", "propagationPolicy", "gracePeriodSeconds"),
	}
	if res.status {
		paths[collection+"/{name}/status"] = map[string]any{"get": op("get"), "put": op("put", writeParams...),
			"patch": op("patch", append(writeParams, "force")...)}
	}
}

// schemaGen builds the schemas of Go types, each named struct once.
type schemaGen struct {
	schemas map[string]any
}

// kindSchema adds the schema of res's kind and returns its name.
func (g *schemaGen) kindSchema(res *resource, gvk map[string]string, crds map[string]map[string]any) string {
	name := kindSchemaName(res)
	var schema map[string]any
	switch {
	case res.custom:
		schema = map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}
		if s, ok := crds[res.info.Group+"/"+res.version+"/"+res.info.Kind]; ok {
			schema = deepCopy(s).(map[string]any)
		}
	default:
		if obj, ok := objects.NewObject(res.info.Kind); ok {
			schema = g.structSchema(reflect.TypeOf(obj).Elem())
		} else {
			schema = g.unmodelledSchema(res.info.Kind)
		}
	}
	if res.createOnly {
		schema["description"] = createOnlyDocs[res.info.Kind]
	}
	if d := describe(res.info.Kind); d != "" && schema["description"] == nil {
		schema["description"] = d
	}
	schema["x-kubernetes-group-version-kind"] = []any{gvk}
	g.schemas[name] = schema
	return name
}

// describe is the description of a type ("PodSpec") or field
// ("PodSpec.volumes"): upstream's where kubesim's type has upstream's name,
// else the doc comment of kubesim's own.
func describe(key string) string {
	if d := upstreamDocs[key]; d != "" {
		return d
	}
	return typeDocs[key]
}

// kindSchemaName is upstream's schema name for a kind:
// io.k8s.api.core.v1.Pod, io.k8s.api.batch.v1.Job.
func kindSchemaName(res *resource) string {
	group := res.info.Group
	switch {
	case res.custom:
		return reverseDomain(group) + "." + res.version + "." + res.info.Kind
	case group == "":
		group = "core"
	default:
		group, _, _ = strings.Cut(group, ".")
	}
	return "io.k8s.api." + group + "." + res.version + "." + res.info.Kind
}

// reverseDomain reverses a DNS name's labels: example.com -> com.example.
func reverseDomain(d string) string {
	parts := strings.Split(d, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// unmodelledSchema describes a kind kubesim keeps unstructured: its
// metadata, and any other fields.
func (g *schemaGen) unmodelledSchema(kind string) map[string]any {
	props := typeMetaProperties()
	props["metadata"] = g.refTo(reflect.TypeOf(objects.ObjectMeta{}), "Standard object's metadata.")
	return map[string]any{"type": "object", "properties": props, "x-kubernetes-preserve-unknown-fields": true,
		"description": kind + " is served by kubesim without being modelled: its fields are kept as given."}
}

// typeMetaProperties are apiVersion and kind.
func typeMetaProperties() map[string]any {
	return map[string]any{
		"apiVersion": map[string]any{"type": "string", "description": "APIVersion is the versioned schema of this representation of an object: group/version, or version for the core group."},
		"kind":       map[string]any{"type": "string", "description": "Kind is the REST resource this object represents, in CamelCase."},
	}
}

// requiredFields are the fields upstream's schemas mark required, by
// kubesim's type name, for the types kubesim models.
var requiredFields = map[string][]string{
	"Container": {"name"}, "PodSpec": {"containers"}, "JobSpec": {"template"},
	"CronJobSpec": {"schedule", "jobTemplate"}, "DeploymentSpec": {"selector", "template"},
	"StatefulSetSpec": {"selector", "template"}, "ReplicaSetSpec": {"selector"},
	"EnvVar": {"name"}, "VolumeMount": {"name", "mountPath"}, "Volume": {"name"},
	"ContainerPort": {"containerPort"}, "ServicePort": {"port"}, "KeyToPath": {"key", "path"},
}

// structSchema is the schema of a struct type: its JSON fields.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.addFields(t, props)
	out := map[string]any{"type": "object", "properties": props}
	if d := describe(t.Name()); d != "" {
		out["description"] = d
	}
	if req := requiredFields[t.Name()]; len(req) > 0 {
		out["required"] = req
	}
	return out
}

// addFields adds t's JSON fields, embedded structs' included, to props.
func (g *schemaGen) addFields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && tag == "" {
			if f.Type == reflect.TypeOf(objects.TypeMeta{}) {
				for k, v := range typeMetaProperties() {
					props[k] = v
				}
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				g.addFields(f.Type, props)
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		prop := g.refTo(f.Type, describe(t.Name()+"."+tag))
		if values := upstreamEnums[t.Name()+"."+tag]; values != nil && prop["type"] == "string" {
			// upstream's +enum types: kubectl explain prints them (ENUM:).
			prop["enum"] = values
		}
		props[tag] = prop
	}
}

// refTo is the schema of a field of type t: inline for scalars, lists and
// maps, a reference (wrapped in allOf, as upstream's v3 documents do) for
// named structs.
func (g *schemaGen) refTo(t reflect.Type, desc string) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out map[string]any
	switch {
	case t.PkgPath() == reflect.TypeOf(objects.Time{}).PkgPath() && specialTypes[t.Name()] != nil:
		out = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/" + g.special(t.Name())}}}
	case t.Kind() == reflect.Struct:
		out = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/" + g.named(t)}}}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		out = map[string]any{"type": "string", "format": "byte"}
	case t.Kind() == reflect.Slice:
		out = map[string]any{"type": "array", "items": g.refTo(t.Elem(), "")}
	case t.Kind() == reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			out = map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}
		} else {
			out = map[string]any{"type": "object", "additionalProperties": g.refTo(t.Elem(), "")}
		}
	case t.Kind() == reflect.Interface:
		out = map[string]any{"x-kubernetes-preserve-unknown-fields": true}
	default:
		out = scalarSchema(t)
	}
	if desc != "" {
		out["description"] = desc
	}
	return out
}

// named adds the schema of a named struct type once and returns its name.
func (g *schemaGen) named(t reflect.Type) string {
	name := "io.kubesim.objects." + t.Name()
	if t.Name() == "ObjectMeta" {
		name = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
	}
	if _, done := g.schemas[name]; !done {
		g.schemas[name] = map[string]any{} // stops recursion
		g.schemas[name] = g.structSchema(t)
	}
	return name
}

// specialTypes are the objects types with a JSON form of their own, by
// name, and their schemas (upstream's Time, Quantity, IntOrString).
var specialTypes = map[string]map[string]any{
	"Time": {"type": "string", "format": "date-time",
		"description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. Wrappers are provided for many of the factory methods that the time package offers."},
	"Quantity": {"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}},
		"description": "Quantity is a fixed-point representation of a number, written with a suffix: 100m, 2Gi, 1.5."},
	"IntOrString": {"type": "string", "format": "int-or-string", "x-kubernetes-int-or-string": true,
		"description": "IntOrString is a type that can hold an int32 or a string."},
}

// special adds the schema of a type with its own JSON form.
func (g *schemaGen) special(name string) string {
	full := map[string]string{"Time": "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
		"Quantity": "io.k8s.apimachinery.pkg.api.resource.Quantity", "IntOrString": "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}[name]
	g.schemas[full] = specialTypes[name]
	return full
}

// scalarSchema is the schema of a Go scalar type.
func scalarSchema(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint16, reflect.Uint8:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	}
	return map[string]any{"type": "string"}
}

// customSchemas reads the openAPIV3Schema of each served version of the
// stored CustomResourceDefinitions, by group/version/kind.
func customSchemas(r storage.Reader) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, o := range r.List("CustomResourceDefinition", "", nil) {
		u, ok := o.(*objects.Unstructured)
		if !ok {
			continue
		}
		spec, _ := u.Content["spec"].(map[string]any)
		group, _ := spec["group"].(string)
		names, _ := spec["names"].(map[string]any)
		kind, _ := names["kind"].(string)
		versions, _ := spec["versions"].([]any)
		for _, v := range versions {
			vm, _ := v.(map[string]any)
			name, _ := vm["name"].(string)
			schema, _ := vm["schema"].(map[string]any)
			if s, ok := schema["openAPIV3Schema"].(map[string]any); ok {
				out[group+"/"+name+"/"+kind] = s
			}
		}
	}
	return out
}

// sortedGVs lists the catalog's group versions in order.
func sortedGVs(cat *catalog) []string {
	out := make([]string, 0, len(cat.byGV))
	for gv := range cat.byGV {
		out = append(out, gv)
	}
	sort.Strings(out)
	return out
}
