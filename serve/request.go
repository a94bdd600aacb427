package serve

import (
	"net/http"
	"net/url"
	"strings"
)

// apiRequest is an API request resolved against the catalog, as the
// apiserver's RequestInfo resolves it.
type apiRequest struct {
	// discovery is set for /api/v1, /apis/{group} and /apis/{group}/{version}.
	discovery bool
	// verb is get, list, watch, create, update, patch, delete or
	// deletecollection.
	verb           string
	group, version string
	res            *resource
	namespace      string
	name           string
	// sub is the subresource: status, scale, log, exec, attach, binding,
	// eviction, finalize, or "".
	sub   string
	query url.Values
}

// parseRequest resolves r's path and method.
func parseRequest(r *http.Request, cat *catalog) (*apiRequest, error) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	req := &apiRequest{query: r.URL.Query()}
	switch parts[0] {
	case "api":
		if len(parts) < 2 {
			return nil, notFoundPath()
		}
		req.version, parts = parts[1], parts[2:]
	case "apis":
		if len(parts) < 2 {
			return nil, notFoundPath()
		}
		req.group = parts[1]
		if len(parts) == 2 {
			req.discovery = true
			return req, nil
		}
		req.version, parts = parts[2], parts[3:]
	default:
		return nil, notFoundPath()
	}
	if !cat.servesGV(req.group, req.version) {
		return nil, notFoundPath()
	}
	if len(parts) == 0 {
		req.discovery = true
		return req, nil
	}
	if err := req.resolve(parts, cat); err != nil {
		return nil, err
	}
	req.verb = verbOf(r.Method, req)
	if req.verb == "" {
		return nil, methodNotAllowed(r.Method)
	}
	return req, nil
}

// resolve reads the resource path: [namespaces/{ns}/]{resource}[/{name}[/{sub}]].
func (req *apiRequest) resolve(parts []string, cat *catalog) error {
	// /api/v1/namespaces/{ns}/{resource}... is a namespaced request, but
	// /api/v1/namespaces/{name}[/status|/finalize] is the namespace itself.
	if parts[0] == "namespaces" && len(parts) >= 3 && !(len(parts) == 3 && (parts[2] == "status" || parts[2] == "finalize")) {
		req.namespace, parts = parts[1], parts[2:]
	}
	res := cat.lookup(req.group, req.version, parts[0])
	if res == nil {
		return notFoundPath()
	}
	req.res = res
	if len(parts) > 1 {
		req.name = parts[1]
	}
	if len(parts) > 2 {
		req.sub = parts[2]
	}
	if len(parts) > 3 || !req.subresourceServed() {
		return notFoundPath()
	}
	if req.namespace != "" && !res.info.Namespaced {
		return notFoundPath()
	}
	return nil
}

// subresourceServed reports whether the resource has the subresource asked for.
func (req *apiRequest) subresourceServed() bool {
	switch req.sub {
	case "":
		return true
	case "status":
		return req.res.status
	case "scale":
		return req.res.scale
	case "log", "exec", "attach", "binding", "eviction":
		return req.res.pod
	case "finalize":
		return req.res.info.Kind == "Namespace"
	}
	return false
}

// verbOf is the apiserver's verb for method on req, or "" when the
// method is not allowed there.
func verbOf(method string, req *apiRequest) string {
	named := req.name != ""
	switch method {
	case http.MethodGet, http.MethodHead:
		switch {
		case named:
			return "get"
		case isTrue(req.query.Get("watch")):
			return "watch"
		}
		return "list"
	case http.MethodPost:
		if named && req.sub == "" {
			return ""
		}
		return "create"
	case http.MethodPut:
		if named {
			return "update"
		}
	case http.MethodPatch:
		if named {
			return "patch"
		}
	case http.MethodDelete:
		if named {
			return "delete"
		}
		return "deletecollection"
	}
	return ""
}

// isTrue reads a boolean query parameter as the apiserver's conversion
// does: "true" or "1".
func isTrue(v string) bool { return v == "true" || v == "1" }

// kindPath names the object of a request in errors: the resource qualified
// by its group ("jobs.batch").
func (req *apiRequest) groupResource() string { return req.res.info.GroupResource() }
