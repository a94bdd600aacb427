package serve_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/serve"
)

// TestDryRunValidates: a dryRun=All write is defaulted and validated as a
// real one (kubectl apply --dry-run=server reports what a write would),
// and stores nothing.
func TestDryRunValidates(t *testing.T) {
	f := newFixture(t, serve.Options{})
	const pods = "/api/v1/namespaces/default/pods"
	noImage := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"spec":{"containers":[{"name":"c"}]}}`
	code, _, body := f.do("POST", pods+"?dryRun=All", "application/json", noImage)
	if code != 422 || !strings.Contains(body, `spec.containers[0].image: Required value`) {
		t.Errorf("dry-run create of a pod without an image: %d %s", code, body)
	}
	code, _, body = f.do("POST", pods+"?dryRun=All", "application/json", podJSON)
	if code != 201 || field(decode(t, body), "spec.restartPolicy") != "Never" {
		t.Errorf("dry-run create: %d %s", code, body)
	}
	if !strings.Contains(body, `"dnsPolicy":"ClusterFirst"`) {
		t.Errorf("the dry-run create's answer is not defaulted: %s", body)
	}
	if code, _, body := f.do("GET", pods+"/hello", "", ""); code != 404 {
		t.Errorf("the dry run stored the pod: %d %s", code, body)
	}

	if code, _, body := f.do("POST", pods, "application/json", podJSON); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	code, _, body = f.do("POST", pods+"?dryRun=All", "application/json", podJSON)
	if code != 409 || !strings.Contains(body, `pods \"hello\" already exists`) {
		t.Errorf("dry-run create of an existing pod: %d %s", code, body)
	}
	code, _, body = f.do("PATCH", pods+"/hello?dryRun=All", "application/merge-patch+json", `{"spec":{"restartPolicy":"Sometimes"}}`)
	if code != 422 {
		t.Errorf("dry-run patch to an invalid restartPolicy: %d %s", code, body)
	}
	code, _, body = f.do("PATCH", pods+"/hello?dryRun=All", "application/merge-patch+json", `{"metadata":{"labels":{"x":"y"}}}`)
	if code != 200 || field(decode(t, body), "metadata.labels.x") != "y" {
		t.Errorf("dry-run patch of a label: %d %s", code, body)
	}
	_, _, body = f.do("GET", pods+"/hello", "", "")
	if field(decode(t, body), "metadata.labels.x") != nil {
		t.Errorf("the dry-run patch was stored: %s", body)
	}
}
