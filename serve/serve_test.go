package serve_test

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
)

// fixture is a served cluster whose virtual time moves only when told
// (Speed 0), so what the tests see does not depend on the wall clock.
type fixture struct {
	t   *testing.T
	srv *serve.Server
	ts  *httptest.Server
}

func newFixture(t *testing.T, opts serve.Options) *fixture {
	t.Helper()
	c, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := serve.New(c, opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		c.Close()
	})
	return &fixture{t: t, srv: srv, ts: ts}
}

// do sends a request and returns the status code, headers and body.
func (f *fixture) do(method, path, contentType, body string, header ...string) (int, http.Header, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// decode parses a JSON body.
func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	return m
}

// field reads a dotted path of a decoded tree.
func field(tree any, path string) any {
	for _, p := range strings.Split(path, ".") {
		m, ok := tree.(map[string]any)
		if !ok {
			return nil
		}
		tree = m[p]
	}
	return tree
}

const podJSON = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"hello","labels":{"app":"hello"}},
"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox:1.36","command":["sh","-c","echo hi; sleep 30"]},
{"name":"side","image":"busybox:1.36","command":["sleep","3600"]}]}}`

func TestDiscovery(t *testing.T) {
	f := newFixture(t, serve.Options{})
	code, _, body := f.do("GET", "/api/v1", "", "")
	if code != 200 {
		t.Fatalf("GET /api/v1: %d %s", code, body)
	}
	var pods, podLog map[string]any
	for _, r := range decode(t, body)["resources"].([]any) {
		switch m := r.(map[string]any); m["name"] {
		case "pods":
			pods = m
		case "pods/log":
			podLog = m
		}
	}
	if pods == nil || podLog == nil || pods["kind"] != "Pod" || pods["namespaced"] != true {
		t.Fatalf("/api/v1 lacks pods or pods/log: %s", body)
	}
	code, hdr, body := f.do("GET", "/apis", "", "", "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
	if code != 200 || !strings.Contains(hdr.Get("Content-Type"), "as=APIGroupDiscoveryList") {
		t.Fatalf("aggregated /apis: %d %q", code, hdr.Get("Content-Type"))
	}
	if !strings.Contains(body, `"resource":"deployments"`) || !strings.Contains(body, `"subresource":"scale"`) {
		t.Errorf("aggregated discovery lacks deployments and their scale: %.300s", body)
	}
}

func TestCreateGetErrors(t *testing.T) {
	f := newFixture(t, serve.Options{})
	code, _, body := f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	if uid := field(decode(t, body), "metadata.uid"); uid == nil || uid == "" {
		t.Errorf("created pod has no uid: %s", body)
	}
	code, _, body = f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	st := decode(t, body)
	if code != 409 || st["reason"] != "AlreadyExists" || st["message"] != `pods "hello" already exists` {
		t.Errorf("second create: %d %s", code, body)
	}
	code, _, body = f.do("GET", "/api/v1/namespaces/default/pods/nope", "", "")
	st = decode(t, body)
	if code != 404 || st["reason"] != "NotFound" || field(st, "details.kind") != "pods" {
		t.Errorf("missing pod: %d %s", code, body)
	}
	bad := strings.Replace(podJSON, `"image":"busybox:1.36","command":["sh"`, `"command":["sh"`, 1)
	bad = strings.Replace(bad, `"name":"hello"`, `"name":"bad"`, 1)
	code, _, body = f.do("POST", "/api/v1/namespaces/default/pods", "application/json", bad)
	st = decode(t, body)
	if code != 422 || st["reason"] != "Invalid" || !strings.Contains(body, "spec.containers[0].image") {
		t.Errorf("invalid pod: %d %s", code, body)
	}
	code, _, body = f.do("POST", "/api/v1/namespaces/default/pods", "application/cbor", "x")
	if code != 415 || decode(t, body)["reason"] != "UnsupportedMediaType" {
		t.Errorf("CBOR body: %d %s", code, body)
	}
	code, _, body = f.do("POST", "/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf", "x")
	if code != 400 || !strings.Contains(body, "k8s protobuf prefix") {
		t.Errorf("garbage protobuf body: %d %s", code, body)
	}
}

func TestUnmodelledFieldsKept(t *testing.T) {
	f := newFixture(t, serve.Options{})
	pod := strings.Replace(podJSON, `"restartPolicy":"Never"`, `"restartPolicy":"Never","affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}}]}}`, 1)
	code, hdr, body := f.do("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", "application/json", pod)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	if w := hdr.Get("Warning"); !strings.Contains(w, `unknown field \"spec.affinity\"`) {
		t.Errorf("Warning = %q, want one naming spec.affinity", w)
	}
	_, _, body = f.do("GET", "/api/v1/namespaces/default/pods/hello", "", "")
	if field(decode(t, body), "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution") == nil {
		t.Errorf("spec.affinity was not served back: %s", body)
	}
}

func TestListSelectorsAndChunks(t *testing.T) {
	f := newFixture(t, serve.Options{})
	for _, name := range []string{"a", "b", "c"} {
		p := strings.Replace(podJSON, `"name":"hello"`, `"name":"`+name+`"`, 1)
		if name == "b" {
			p = strings.Replace(p, `"app":"hello"`, `"app":"other"`, 1)
		}
		if code, _, body := f.do("POST", "/api/v1/namespaces/default/pods", "application/json", p); code != 201 {
			t.Fatalf("create %s: %d %s", name, code, body)
		}
	}
	names := func(body string) []string {
		var out []string
		for _, it := range decode(t, body)["items"].([]any) {
			out = append(out, field(it, "metadata.name").(string))
		}
		return out
	}
	_, _, body := f.do("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dhello", "", "")
	if got := strings.Join(names(body), ","); got != "a,c" {
		t.Errorf("labelSelector app=hello: %s", got)
	}
	_, _, body = f.do("GET", "/api/v1/pods?fieldSelector=metadata.name%3Db", "", "")
	if got := strings.Join(names(body), ","); got != "b" {
		t.Errorf("fieldSelector metadata.name=b: %s", got)
	}
	code, _, body := f.do("GET", "/api/v1/pods?fieldSelector=spec.bogus%3Dx", "", "")
	if code != 400 || decode(t, body)["message"] != "field label not supported: spec.bogus" {
		t.Errorf("bad field selector: %d %s", code, body)
	}
	_, _, body = f.do("GET", "/api/v1/namespaces/default/pods?limit=2", "", "")
	first := decode(t, body)
	cont, _ := field(first, "metadata.continue").(string)
	if got := strings.Join(names(body), ","); got != "a,b" || cont == "" {
		t.Fatalf("first chunk: %s, continue %q", got, cont)
	}
	// A pod created between chunks does not show: the chunks read one snapshot.
	p := strings.Replace(podJSON, `"name":"hello"`, `"name":"d"`, 1)
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", p)
	_, _, body = f.do("GET", "/api/v1/namespaces/default/pods?limit=2&continue="+cont, "", "")
	if got := strings.Join(names(body), ","); got != "c" {
		t.Errorf("second chunk: %s", got)
	}
}

func TestPatches(t *testing.T) {
	f := newFixture(t, serve.Options{})
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	// Strategic merge: containers merge by name, so "side" is kept.
	code, _, body := f.do("PATCH", "/api/v1/namespaces/default/pods/hello", "application/strategic-merge-patch+json",
		`{"metadata":{"labels":{"tier":"web"}},"spec":{"containers":[{"name":"main","image":"busybox:1.37"}]}}`)
	pod := decode(t, body)
	cs, _ := field(pod, "spec.containers").([]any)
	if code != 200 || len(cs) != 2 || field(cs[0], "image") != "busybox:1.37" || field(cs[1], "name") != "side" {
		t.Fatalf("strategic merge: %d %s", code, body)
	}
	// JSON merge patch: lists replace.
	_, _, body = f.do("PATCH", "/api/v1/namespaces/default/pods/hello", "application/merge-patch+json",
		`{"metadata":{"labels":{"tier":null}}}`)
	if field(decode(t, body), "metadata.labels.tier") != nil {
		t.Errorf("merge patch did not delete the label: %s", body)
	}
	// JSON patch.
	code, _, body = f.do("PATCH", "/api/v1/namespaces/default/pods/hello", "application/json-patch+json",
		`[{"op":"add","path":"/metadata/annotations","value":{"a":"b"}},{"op":"test","path":"/metadata/name","value":"hello"}]`)
	if code != 200 || field(decode(t, body), "metadata.annotations.a") != "b" {
		t.Errorf("json patch: %d %s", code, body)
	}
	code, _, body = f.do("PATCH", "/api/v1/namespaces/default/pods/hello", "application/json-patch+json",
		`[{"op":"remove","path":"/metadata/nothere"}]`)
	if code != 422 {
		t.Errorf("json patch of a missing path: %d %s", code, body)
	}
}

func TestTable(t *testing.T) {
	f := newFixture(t, serve.Options{})
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	f.srv.FastForward(5 * time.Second)
	code, hdr, body := f.do("GET", "/api/v1/namespaces/default/pods", "", "", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
	if code != 200 || !strings.Contains(hdr.Get("Content-Type"), "as=Table") {
		t.Fatalf("table: %d %q", code, hdr.Get("Content-Type"))
	}
	table := decode(t, body)
	cols := table["columnDefinitions"].([]any)
	if field(cols[0], "name") != "Name" || field(cols[len(cols)-1], "priority") != 1.0 {
		t.Errorf("columns: %v", cols)
	}
	row := table["rows"].([]any)[0].(map[string]any)
	cells := row["cells"].([]any)
	// NAME READY STATUS RESTARTS AGE: the age is virtual (5s after the create).
	if cells[0] != "hello" || cells[2] != "Running" || cells[4] != "5s" {
		t.Errorf("row cells: %v", cells)
	}
	if field(row, "object.kind") != "PartialObjectMetadata" || field(row, "object.metadata.labels.app") != "hello" {
		t.Errorf("row object: %v", row["object"])
	}
}

// watchLines opens a watch and returns a function reading its next event.
func (f *fixture) watch(path string) (func() map[string]any, func()) {
	f.t.Helper()
	resp, err := f.ts.Client().Get(f.ts.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	next := func() map[string]any {
		f.t.Helper()
		if !sc.Scan() {
			f.t.Fatalf("watch ended: %v", sc.Err())
		}
		return decode(f.t, sc.Text())
	}
	return next, func() { resp.Body.Close() }
}

func TestWatch(t *testing.T) {
	f := newFixture(t, serve.Options{HistoryLimit: 50})
	_, _, body := f.do("GET", "/api/v1/namespaces/default/pods", "", "")
	rv := field(decode(t, body), "metadata.resourceVersion").(string)
	next, stop := f.watch("/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + rv)
	defer stop()
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	ev := next()
	if ev["type"] != "ADDED" || field(ev, "object.metadata.name") != "hello" {
		t.Fatalf("first event: %v", ev)
	}
	// The scheduler binds it at once: the next change is the pod's.
	if ev := next(); ev["type"] != "MODIFIED" || field(ev, "object.spec.nodeName") == nil {
		t.Errorf("second event: %v", ev)
	}

	// WatchList: the current objects, then the initial-events-end bookmark.
	next2, stop2 := f.watch("/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
	defer stop2()
	if ev := next2(); ev["type"] != "ADDED" {
		t.Errorf("watch-list first event: %v", ev)
	}
	ev = next2()
	annotations, _ := field(ev, "object.metadata.annotations").(map[string]any)
	if ev["type"] != "BOOKMARK" || annotations["k8s.io/initial-events-end"] != "true" {
		t.Errorf("watch-list bookmark: %v", ev)
	}

	// Past the history kept, a watch gets 410 Expired.
	f.srv.FastForward(10 * time.Minute)
	next3, stop3 := f.watch("/api/v1/namespaces/default/pods?watch=true&resourceVersion=1")
	defer stop3()
	if ev := next3(); ev["type"] != "ERROR" || field(ev, "object.code") != 410.0 || field(ev, "object.reason") != "Expired" {
		t.Errorf("old resourceVersion: %v", ev)
	}
}

func TestScale(t *testing.T) {
	f := newFixture(t, serve.Options{})
	dep := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,
"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}`
	if code, _, body := f.do("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", dep); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	code, _, body := f.do("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", "application/merge-patch+json", `{"spec":{"replicas":3}}`)
	if code != 200 || field(decode(t, body), "spec.replicas") != 3.0 || field(decode(t, body), "status.selector") != "app=web" {
		t.Fatalf("scale: %d %s", code, body)
	}
	_, _, body = f.do("GET", "/apis/apps/v1/namespaces/default/deployments/web", "", "")
	if field(decode(t, body), "spec.replicas") != 3.0 {
		t.Errorf("deployment after scale: %s", body)
	}
}

// protoBytes is a protobuf length-delimited field.
func protoBytes(num int, b []byte) []byte {
	out := []byte{byte(num<<3 | 2)}
	out = binary.AppendUvarint(out, uint64(len(b)))
	return append(out, b...)
}

// TestProtobufBody creates a Secret from the protobuf body client-go's
// typed clients send: the "k8s\x00" prefix, then a runtime.Unknown
// {typeMeta, raw} around the Secret's own message.
func TestProtobufBody(t *testing.T) {
	f := newFixture(t, serve.Options{})
	meta := protoBytes(1, []byte("s")) // ObjectMeta.name
	entry := append(protoBytes(1, []byte("a")), protoBytes(2, []byte("hello"))...)
	secret := append(protoBytes(1, meta), protoBytes(2, entry)...) // Secret.metadata, Secret.data
	secret = append(secret, protoBytes(3, []byte("Opaque"))...)    // Secret.type
	typeMeta := append(protoBytes(1, []byte("v1")), protoBytes(2, []byte("Secret"))...)
	unknown := append(protoBytes(1, typeMeta), protoBytes(2, secret)...)
	body := append([]byte("k8s\x00"), unknown...)
	code, _, out := f.do("POST", "/api/v1/namespaces/default/secrets", "application/vnd.kubernetes.protobuf", string(body))
	if code != 201 {
		t.Fatalf("create from protobuf: %d %s", code, out)
	}
	got := decode(t, out)
	if field(got, "metadata.name") != "s" || field(got, "data.a") != "aGVsbG8=" || field(got, "type") != "Opaque" {
		t.Errorf("secret: %s", out)
	}
}
