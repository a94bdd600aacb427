package serve

import (
	"errors"
	"net/http"

	"github.com/kubesim/kubesim/objects"
)

// Some resources are only created, and the apiserver answers them without
// storing anything. A review: a client creates one and reads the answer
// in its status (`kubectl auth can-i` creates a SelfSubjectAccessReview,
// `kubectl auth whoami` a SelfSubjectReview). kubesim checks no
// credentials and enforces no authorization, as an apiserver run with
// --authorization-mode=AlwaysAllow does: every access review is allowed,
// and the user is the one kubeadm's admin.conf names, which kubectl on
// the tutorial's master uses. A Binding: a scheduler binds a pod to a node
// (POST bindings, or the pod's binding subresource).

// createOnlyKinds are the create-only resources of a 1.37 apiserver, as
// `kubectl api-resources` lists them.
var createOnlyKinds = []objects.KindInfo{
	{Kind: "Binding", Version: "v1", Resource: "bindings", Singular: "binding", Namespaced: true},
	{Kind: "SelfSubjectReview", Group: "authentication.k8s.io", Version: "v1", Resource: "selfsubjectreviews", Singular: "selfsubjectreview"},
	{Kind: "TokenReview", Group: "authentication.k8s.io", Version: "v1", Resource: "tokenreviews", Singular: "tokenreview"},
	{Kind: "LocalSubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "localsubjectaccessreviews",
		Singular: "localsubjectaccessreview", Namespaced: true},
	{Kind: "SelfSubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectaccessreviews", Singular: "selfsubjectaccessreview"},
	{Kind: "SelfSubjectRulesReview", Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectrulesreviews", Singular: "selfsubjectrulesreview"},
	{Kind: "SubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "subjectaccessreviews", Singular: "subjectaccessreview"},
}

// createOnlyDocs are upstream's descriptions of the review kinds
// (k8s.io/api's types_swagger_doc_generated.go), for kubectl explain.
var createOnlyDocs = map[string]string{
	"Binding": "Binding ties one object to another; for example, a pod is bound to a node by a scheduler.",
	"SelfSubjectReview": "SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. " +
		"When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request " +
		"header authentication is used, any extra keys will have their case ignored and returned as lowercase.",
	"TokenReview": "TokenReview attempts to authenticate a token to a known user. Note: TokenReview requests may be cached by the " +
		"webhook token authenticator plugin in the kube-apiserver.",
	"LocalSubjectAccessReview": "LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given " +
		"namespace. Having a namespace scoped resource makes it much easier to grant namespace scoped policy that includes " +
		"permissions checking.",
	"SelfSubjectAccessReview": "SelfSubjectAccessReview checks whether or the current user can perform an action.  Not filling in a " +
		"spec.namespace means \"in all namespaces\".  Self is a special case, because users should always be able to check " +
		"whether they can perform an action",
	"SelfSubjectRulesReview": "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace. " +
		"The returned list of actions may be incomplete depending on the server's authorization mode, and any errors experienced " +
		"during the evaluation. SelfSubjectRulesReview should be used by UIs to show/hide actions, or to quickly let an end user " +
		"reason about their permissions. It should NOT Be used by external systems to drive authorization decisions as this " +
		"raises confused deputy, cache lifetime/revocation, and correctness concerns. SubjectAccessReview, and LocalAccessReview " +
		"are the correct way to defer authorization decisions to the API server.",
	"SubjectAccessReview": "SubjectAccessReview checks whether or not a user or group can perform an action.",
}

// createOnlyVerbs are a create-only resource's verbs.
var createOnlyVerbs = []string{"create"}

// The user every request is taken to come from: kubeadm's admin.conf
// (kubeadm 1.29 and later put its user in kubeadm:cluster-admins).
const (
	adminUser  = "kubernetes-admin"
	adminGroup = "kubeadm:cluster-admins"
)

// addCreateOnly adds the create-only resources to a catalog being built.
func addCreateOnly(cat *catalog, addVersion func(group, version string)) {
	for _, k := range createOnlyKinds {
		addVersion(k.Group, k.Version)
		gv := joinGV(k.Group, k.Version)
		cat.byGV[gv] = append(cat.byGV[gv], &resource{info: k, version: k.Version, createOnly: true})
	}
}

// serveCreateOnly answers a request to a create-only resource: a review
// gets its answer, a binding binds; nothing but create is allowed.
func (s *Server) serveCreateOnly(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	if r.Method != http.MethodPost || req.name != "" || req.sub != "" {
		writeStatus(w, methodNotAllowed(r.Method))
		return
	}
	body, err := readBody(r)
	var st *Status
	if errors.As(err, &st) && st.Code == http.StatusRequestEntityTooLarge {
		writeStatus(w, err)
		return
	}
	// A protobuf body of a kind kubesim has no message for does not
	// decode: a review's answer does not depend on it.
	tree, _ := decodeTree(yamlOrJSON(body))
	if req.res.info.Kind == "Binding" {
		meta, _ := tree["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		s.bind(w, r, req, name, tree)
		return
	}
	spec, _ := tree["spec"].(map[string]any)
	if spec == nil {
		spec = map[string]any{}
	}
	meta := map[string]any{"creationTimestamp": nil}
	if req.res.info.Namespaced {
		meta["namespace"] = req.namespace
	}
	out := map[string]any{"kind": req.res.info.Kind, "apiVersion": req.res.apiVersion(), "metadata": meta,
		"status": reviewStatus(req.res.info.Kind)}
	if req.res.info.Kind != "SelfSubjectReview" {
		out["spec"] = spec
	}
	writeJSON(w, http.StatusCreated, out)
}

// reviewStatus is a review's answer.
func reviewStatus(kind string) map[string]any {
	switch kind {
	case "SelfSubjectReview":
		return map[string]any{"userInfo": map[string]any{"username": adminUser,
			"groups": []string{adminGroup, "system:authenticated"}}}
	case "TokenReview":
		// No token is known: kubesim's clients carry none.
		return map[string]any{"user": map[string]any{}}
	case "SelfSubjectRulesReview":
		return map[string]any{
			"resourceRules":    []any{map[string]any{"verbs": []string{"*"}, "apiGroups": []string{"*"}, "resources": []string{"*"}}},
			"nonResourceRules": []any{map[string]any{"verbs": []string{"*"}, "nonResourceURLs": []string{"*"}}},
			"incomplete":       false}
	default:
		return map[string]any{"allowed": true}
	}
}

// bind binds pod to the Binding's target node, and answers as the
// apiserver's binding storage does: a Status of Success, 201.
func (s *Server) bind(w http.ResponseWriter, r *http.Request, req *apiRequest, pod string, binding map[string]any) {
	target, _ := binding["target"].(map[string]any)
	node, _ := target["name"].(string)
	if kind, _ := target["kind"].(string); kind != "" && kind != "Node" {
		writeStatus(w, badRequest("Binding target kind must be Node, not %q", kind))
		return
	}
	if pod == "" || node == "" {
		writeStatus(w, badRequest("a Binding needs metadata.name (the pod) and target.name (the node)"))
		return
	}
	if err := s.enter(); err != nil {
		writeStatus(w, err)
		return
	}
	s.faults.wrote(s, r)
	_, err := s.c.As(s.actor(r)).Bind(objects.Key{Kind: "Pod", Namespace: req.namespace, Name: pod}, node)
	s.Unlock()
	if err != nil {
		writeStatus(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, &Status{Kind: "Status", APIVersion: "v1", Metadata: map[string]any{},
		Status: "Success", Code: http.StatusCreated})
}
