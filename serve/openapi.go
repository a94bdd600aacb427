package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/internal/openapi"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The OpenAPI v3 documents are generated from kubesim's own Go types, so
// they describe what the cluster models: kubectl reads them to learn that
// the server takes fieldValidation (without them create and apply fail
// with "failed to download openapi") and to print `kubectl explain`.
// The kinds' schemas and their descriptions (upstream's, else the types'
// doc comments) come from package internal/openapi, which kubesim's own
// kubectl explain reads too; kinds kubesim does not model are described
// as objects of any fields, and custom resources by their
// CustomResourceDefinition's schema.

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
	g := openapi.NewBuilder()
	paths := map[string]any{}
	for _, res := range cat.byGV[gv] {
		gvk := map[string]string{"group": res.info.Group, "version": res.version, "kind": res.info.Kind}
		name := kindSchema(g, res, gvk, crds)
		addPaths(paths, res, gvk, name)
	}
	return map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]string{"title": "Kubernetes", "version": ServerVersion},
		"paths":      paths,
		"components": map[string]any{"schemas": g.Schemas},
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
	if res.components {
		paths[collection] = map[string]any{"get": op("list", "labelSelector", "fieldSelector")}
		paths[collection+"/{name}"] = map[string]any{"get": op("get")}
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

// kindSchema adds the schema of res's kind to g and returns its name.
func kindSchema(g *openapi.Builder, res *resource, gvk map[string]string, crds map[string]map[string]any) string {
	name := kindSchemaName(res)
	var schema map[string]any
	switch {
	case res.custom:
		schema = map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}
		if s, ok := crds[res.info.Group+"/"+res.version+"/"+res.info.Kind]; ok {
			schema = deepCopy(s).(map[string]any)
		}
	default:
		schema = g.Kind(res.info.Kind)
	}
	if res.createOnly {
		schema["description"] = createOnlyDocs[res.info.Kind]
	}
	if res.components {
		schema["description"] = componentStatusDoc
	}
	if res.eventsV1 {
		if props, ok := schema["properties"].(map[string]any); ok {
			renameFields(props, eventsV1Fields)
		}
	}
	if d := openapi.Describe(res.info.Kind); d != "" && schema["description"] == nil {
		schema["description"] = d
	}
	schema["x-kubernetes-group-version-kind"] = []any{gvk}
	g.Schemas[name] = schema
	return name
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
