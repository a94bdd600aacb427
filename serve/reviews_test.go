package serve_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
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

// TestBinding: a scheduler of the user's own binds pods through the pod's
// binding subresource or the bindings resource; a bound pod cannot be
// bound again.
func TestBinding(t *testing.T) {
	f := newFixture(t, serve.Options{})
	const pods = "/api/v1/namespaces/default/pods"
	pod := func(name string) string {
		return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `"},
"spec":{"schedulerName":"my-scheduler","containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"]}]}}`
	}
	for _, name := range []string{"a", "b"} {
		if code, _, body := f.do("POST", pods, "application/json", pod(name)); code != 201 {
			t.Fatalf("create %s: %d %s", name, code, body)
		}
	}
	_, _, body := f.do("GET", pods+"/a", "", "")
	if field(decode(t, body), "spec.nodeName") != nil {
		t.Fatalf("kubesim's scheduler bound a pod of another scheduler: %s", body)
	}
	binding := func(pod, node string) string {
		return `{"apiVersion":"v1","kind":"Binding","metadata":{"name":"` + pod + `"},"target":{"apiVersion":"v1","kind":"Node","name":"` + node + `"}}`
	}
	code, _, body := f.do("POST", pods+"/a/binding", "application/json", binding("a", "k8s-node2"))
	if code != 201 || field(decode(t, body), "status") != "Success" {
		t.Fatalf("binding pod a: %d %s", code, body)
	}
	code, _, body = f.do("POST", "/api/v1/namespaces/default/bindings", "application/json", binding("b", "k8s-node1"))
	if code != 201 {
		t.Fatalf("a Binding for pod b: %d %s", code, body)
	}
	for name, node := range map[string]string{"a": "k8s-node2", "b": "k8s-node1"} {
		_, _, body := f.do("GET", pods+"/"+name, "", "")
		if got := field(decode(t, body), "spec.nodeName"); got != node {
			t.Errorf("pod %s is on %v, want %s", name, got, node)
		}
	}
	code, _, body = f.do("POST", pods+"/a/binding", "application/json", binding("a", "k8s-node1"))
	if code != 409 || !strings.Contains(body, `pod a is already assigned to node \"k8s-node2\"`) {
		t.Errorf("binding a bound pod again: %d %s", code, body)
	}
}

// TestComponentStatuses: kubectl get cs lists the control plane's
// components, Healthy, with the apiserver's deprecation warning.
func TestComponentStatuses(t *testing.T) {
	f := newFixture(t, serve.Options{})
	code, hdr, body := f.do("GET", "/api/v1/componentstatuses", "", "")
	if code != 200 || !strings.Contains(hdr.Get("Warning"), "v1 ComponentStatus is deprecated in v1.19+") {
		t.Fatalf("list: %d %q %s", code, hdr.Get("Warning"), body)
	}
	items := decode(t, body)["items"].([]any)
	if len(items) != 3 || field(items[2], "metadata.name") != "scheduler" || field(items[2], "conditions") == nil {
		t.Errorf("componentstatuses: %s", body)
	}
	_, _, body = f.do("GET", "/api/v1/componentstatuses", "", "", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	if !strings.Contains(body, `"cells":["etcd-0","Healthy","ok",""]`) {
		t.Errorf("the Table: %s", body)
	}
	if code, _, body := f.do("GET", "/api/v1/componentstatuses/nope", "", ""); code != 500 || !strings.Contains(body, "Component not found: nope") {
		t.Errorf("an unknown component: %d %s", code, body)
	}
	if code, _, _ := f.do("DELETE", "/api/v1/componentstatuses/etcd-0", "", ""); code != 405 {
		t.Errorf("delete: %d, want 405", code)
	}
	// With the controller manager down, its probe is refused.
	f.srv.Do(func(c *sim.Cluster) { c.SetControllerDown("all", true) })
	_, _, body = f.do("GET", "/api/v1/componentstatuses", "", "", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	want := `"cells":["controller-manager","Unhealthy","","Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection refused"]`
	if !strings.Contains(body, want) || !strings.Contains(body, `"cells":["scheduler","Healthy","ok",""]`) {
		t.Errorf("the Table with the controller manager down: %s", body)
	}
}
