package serve_test

import (
	"slices"
	"testing"

	"github.com/kubesim/kubesim/serve"
)

// TestReviews: the review resources are listed with the create verb only,
// an access review is allowed (no authorization is enforced), whoami names
// kubeadm's admin, and nothing but create is served.
func TestReviews(t *testing.T) {
	f := newFixture(t, serve.Options{})
	code, _, body := f.do("GET", "/apis/authorization.k8s.io/v1", "", "")
	if code != 200 {
		t.Fatalf("GET /apis/authorization.k8s.io/v1: %d %s", code, body)
	}
	var names []string
	for _, r := range decode(t, body)["resources"].([]any) {
		m := r.(map[string]any)
		names = append(names, m["name"].(string))
		if verbs := m["verbs"].([]any); len(verbs) != 1 || verbs[0] != "create" {
			t.Errorf("%s's verbs: %v, want [create]", m["name"], verbs)
		}
	}
	want := []string{"localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"}
	if !slices.Equal(names, want) {
		t.Errorf("authorization.k8s.io/v1 lists %v, want %v", names, want)
	}

	review := `{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
"spec":{"resourceAttributes":{"namespace":"default","verb":"delete","resource":"pods"}}}`
	code, _, body = f.do("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json", review)
	m := decode(t, body)
	if code != 201 || field(m, "status.allowed") != true || field(m, "spec.resourceAttributes.verb") != "delete" {
		t.Errorf("a SelfSubjectAccessReview: %d %s", code, body)
	}
	code, _, body = f.do("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "application/json",
		`{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}`)
	if code != 201 || field(decode(t, body), "status.userInfo.username") != "kubernetes-admin" {
		t.Errorf("a SelfSubjectReview: %d %s", code, body)
	}
	if code, _, body := f.do("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "", ""); code != 405 {
		t.Errorf("listing access reviews: %d %s, want 405", code, body)
	}
	if code, _, body := f.do("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x", "", ""); code != 405 {
		t.Errorf("getting an access review: %d %s, want 405", code, body)
	}
}
