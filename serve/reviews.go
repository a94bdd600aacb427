package serve

import (
	"errors"
	"net/http"

	"github.com/kubesim/kubesim/objects"
)

// Reviews are resources the apiserver answers without storing anything: a
// client creates one and reads the answer in its status (`kubectl auth
// can-i` creates a SelfSubjectAccessReview, `kubectl auth whoami` a
// SelfSubjectReview). kubesim checks no credentials and enforces no
// authorization, as an apiserver run with --authorization-mode=AlwaysAllow
// does: every access review is allowed, and the user is the one kubeadm's
// admin.conf names, which kubectl on the tutorial's master uses.

// reviewKinds are the review resources of a 1.37 apiserver, as
// `kubectl api-resources` lists them.
var reviewKinds = []objects.KindInfo{
	{Kind: "SelfSubjectReview", Group: "authentication.k8s.io", Version: "v1", Resource: "selfsubjectreviews", Singular: "selfsubjectreview"},
	{Kind: "TokenReview", Group: "authentication.k8s.io", Version: "v1", Resource: "tokenreviews", Singular: "tokenreview"},
	{Kind: "LocalSubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "localsubjectaccessreviews",
		Singular: "localsubjectaccessreview", Namespaced: true},
	{Kind: "SelfSubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectaccessreviews", Singular: "selfsubjectaccessreview"},
	{Kind: "SelfSubjectRulesReview", Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectrulesreviews", Singular: "selfsubjectrulesreview"},
	{Kind: "SubjectAccessReview", Group: "authorization.k8s.io", Version: "v1", Resource: "subjectaccessreviews", Singular: "subjectaccessreview"},
}

// reviewDocs are upstream's descriptions of the review kinds
// (k8s.io/api's types_swagger_doc_generated.go), for kubectl explain.
var reviewDocs = map[string]string{
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

// reviewVerbs are a review resource's verbs: create only.
var reviewVerbs = []string{"create"}

// The user every request is taken to come from: kubeadm's admin.conf
// (kubeadm 1.29 and later put its user in kubeadm:cluster-admins).
const (
	adminUser  = "kubernetes-admin"
	adminGroup = "kubeadm:cluster-admins"
)

// addReviews adds the review resources to a catalog being built.
func addReviews(cat *catalog, addVersion func(group, version string)) {
	for _, k := range reviewKinds {
		addVersion(k.Group, k.Version)
		gv := joinGV(k.Group, k.Version)
		cat.byGV[gv] = append(cat.byGV[gv], &resource{info: k, version: k.Version, review: true})
	}
}

// serveReview answers a request to a review resource: a create gets the
// review back with its answer; nothing else is allowed.
func (s *Server) serveReview(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	if r.Method != http.MethodPost || req.name != "" || req.sub != "" {
		writeStatus(w, methodNotAllowed(r.Method))
		return
	}
	spec := map[string]any{}
	if body, err := readBody(r); err == nil {
		// A protobuf body of a kind kubesim has no message for does not
		// decode: the answer does not depend on the spec.
		if tree, err := decodeTree(yamlOrJSON(body)); err == nil {
			if sp, ok := tree["spec"].(map[string]any); ok {
				spec = sp
			}
		}
	} else if st := (*Status)(nil); errors.As(err, &st) && st.Code == http.StatusRequestEntityTooLarge {
		writeStatus(w, err)
		return
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
