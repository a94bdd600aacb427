package serve

import (
	"net/http"
	"runtime"
	"strings"
)

// ServerVersion is the Kubernetes release the server reports (/version):
// the one whose behaviour kubesim follows.
const ServerVersion = "v1.37.0"

// serveVersion answers /version.
func (s *Server) serveVersion(w http.ResponseWriter) {
	major, minor, _ := strings.Cut(strings.TrimPrefix(ServerVersion, "v"), ".")
	minor, _, _ = strings.Cut(minor, ".")
	writeJSON(w, http.StatusOK, map[string]string{
		"major": major, "minor": minor, "gitVersion": ServerVersion + "-kubesim",
		"gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
		"buildDate": "2023-12-22T00:00:00Z", "goVersion": runtime.Version(), "compiler": runtime.Compiler,
		"platform": runtime.GOOS + "/" + runtime.GOARCH,
	})
}

// Verbs of a resource and of its subresources, as discovery lists them.
var (
	resourceVerbs   = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
	subGetUpdate    = []string{"get", "patch", "update"}
	subCreate       = []string{"create"}
	subCreateGet    = []string{"create", "get"}
	subGet          = []string{"get"}
	subUpdate       = []string{"update"}
	aggregatedMedia = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
)

// verbs are the verbs of the resource itself.
func (res *resource) verbs() []string {
	if res.createOnly {
		return createOnlyVerbs
	}
	if res.components {
		return componentStatusVerbs
	}
	return resourceVerbs
}

// subresource is one subresource as discovery lists it.
type subresource struct {
	name                string
	group, version      string // of the kind it answers with, when not the resource's
	kind                string
	verbs               []string
	sameKindAsResource  bool
	sameGroupAsResource bool
}

// subresources lists res's subresources in upstream's order.
func (res *resource) subresources() []subresource {
	var out []subresource
	own := func(name string, verbs []string) subresource {
		return subresource{name: name, kind: res.info.Kind, verbs: verbs, sameKindAsResource: true, sameGroupAsResource: true}
	}
	if res.pod {
		out = append(out,
			subresource{name: "attach", kind: "PodAttachOptions", verbs: subCreateGet, sameGroupAsResource: true},
			subresource{name: "binding", kind: "Binding", verbs: subCreate, sameGroupAsResource: true},
			subresource{name: "eviction", group: "policy", version: "v1", kind: "Eviction", verbs: subCreate},
			subresource{name: "exec", kind: "PodExecOptions", verbs: subCreateGet, sameGroupAsResource: true},
			own("log", subGet))
	}
	if res.info.Kind == "Namespace" {
		out = append(out, own("finalize", subUpdate))
	}
	if res.scale {
		out = append(out, subresource{name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: subGetUpdate})
	}
	if res.status {
		out = append(out, own("status", subGetUpdate))
	}
	return out
}

// serveRootDiscovery answers /api and /apis, aggregated when the client
// asks for it (kubectl does first), plain otherwise.
func (s *Server) serveRootDiscovery(w http.ResponseWriter, r *http.Request, root string) {
	if !s.peek() {
		writeStatus(w, errClosed)
		return
	}
	cat := s.catalog()
	s.give()
	if strings.Contains(r.Header.Get("Accept"), "as=APIGroupDiscoveryList") {
		b := aggregatedDiscovery(cat, root == "api")
		writeJSONType(w, aggregatedMedia, b)
		return
	}
	if root == "api" {
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": r.Host}}})
		return
	}
	groups := []any{}
	for _, g := range cat.groups {
		if g.name != "" {
			groups = append(groups, apiGroup(g))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

// apiGroup is a group as /apis and /apis/{group} describe it.
func apiGroup(g groupInfo) map[string]any {
	versions := []map[string]string{}
	for _, v := range g.versions {
		versions = append(versions, map[string]string{"groupVersion": joinGV(g.name, v), "version": v})
	}
	return map[string]any{"name": g.name, "versions": versions, "preferredVersion": versions[0]}
}

// serveGroupDiscovery answers /apis/{group}, /api/v1 and /apis/{group}/{version}.
func (s *Server) serveGroupDiscovery(w http.ResponseWriter, req *apiRequest, cat *catalog) {
	if req.version == "" {
		for _, g := range cat.groups {
			if g.name == req.group {
				group := apiGroup(g)
				group["kind"], group["apiVersion"] = "APIGroup", "v1"
				writeJSON(w, http.StatusOK, group)
				return
			}
		}
		writeStatus(w, notFoundPath())
		return
	}
	resources := []any{}
	for _, res := range cat.byGV[joinGV(req.group, req.version)] {
		resources = append(resources, legacyResource(res, "", subresource{}))
		for _, sub := range res.subresources() {
			resources = append(resources, legacyResource(res, sub.name, sub))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "apiVersion": "v1",
		"groupVersion": joinGV(req.group, req.version), "resources": resources})
}

// legacyResource is one entry of an APIResourceList.
func legacyResource(res *resource, subName string, sub subresource) map[string]any {
	if subName == "" {
		out := map[string]any{"name": res.info.Resource, "singularName": res.info.Singular,
			"namespaced": res.info.Namespaced, "kind": res.info.Kind, "verbs": res.verbs()}
		if len(res.info.ShortNames) > 0 {
			out["shortNames"] = res.info.ShortNames
		}
		if len(res.categories) > 0 {
			out["categories"] = res.categories
		}
		return out
	}
	out := map[string]any{"name": res.info.Resource + "/" + subName, "singularName": "",
		"namespaced": res.info.Namespaced, "kind": sub.kind, "verbs": sub.verbs}
	if sub.group != "" || sub.version != "" {
		out["group"], out["version"] = sub.group, sub.version
	}
	return out
}

// aggregatedDiscovery is the apidiscovery.k8s.io/v2 APIGroupDiscoveryList
// of the core group (/api) or of the others (/apis).
func aggregatedDiscovery(cat *catalog, core bool) map[string]any {
	items := []any{}
	for _, g := range cat.groups {
		if (g.name == "") != core {
			continue
		}
		var versions []any
		for _, v := range g.versions {
			var resources []any
			for _, res := range cat.byGV[joinGV(g.name, v)] {
				resources = append(resources, aggregatedResource(res))
			}
			versions = append(versions, map[string]any{"version": v, "resources": resources, "freshness": "Current"})
		}
		meta := map[string]any{"creationTimestamp": nil}
		if g.name != "" {
			meta["name"] = g.name
		}
		items = append(items, map[string]any{"metadata": meta, "versions": versions})
	}
	return map[string]any{"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
		"metadata": map[string]any{}, "items": items}
}

// aggregatedResource is one resource of an aggregated discovery document.
func aggregatedResource(res *resource) map[string]any {
	scope := "Cluster"
	if res.info.Namespaced {
		scope = "Namespaced"
	}
	gvk := func(group, version, kind string) map[string]string {
		return map[string]string{"group": group, "version": version, "kind": kind}
	}
	out := map[string]any{"resource": res.info.Resource,
		"responseKind":     gvk(res.info.Group, res.version, res.info.Kind),
		"scope":            scope,
		"singularResource": res.info.Singular, "verbs": res.verbs()}
	if len(res.info.ShortNames) > 0 {
		out["shortNames"] = res.info.ShortNames
	}
	if len(res.categories) > 0 {
		out["categories"] = res.categories
	}
	var subs []any
	for _, sub := range res.subresources() {
		group, version := sub.group, sub.version
		if sub.sameGroupAsResource {
			group, version = res.info.Group, res.version
		}
		subs = append(subs, map[string]any{"subresource": sub.name, "responseKind": gvk(group, version, sub.kind), "verbs": sub.verbs})
	}
	if len(subs) > 0 {
		out["subresources"] = subs
	}
	return out
}

// writeJSONType answers 200 with v as JSON under a given media type.
func writeJSONType(w http.ResponseWriter, mediaType string, v any) {
	b, err := jsonMarshal(v)
	if err != nil {
		writeStatus(w, internalError(err))
		return
	}
	writeRaw(w, http.StatusOK, mediaType, b)
}
