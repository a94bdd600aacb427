package serve_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
)

// podNamed is podJSON's pod under another name.
func podNamed(name string) string {
	return strings.Replace(podJSON, `"name":"hello"`, `"name":"`+name+`"`, 1)
}

// as is the header argument of fixture.do for a client's user agent.
func as(userAgent string) []string { return []string{"User-Agent", userAgent} }

// podCount lists the default namespace's pods as a client sees them.
func (f *fixture) podCount(userAgent string) int {
	f.t.Helper()
	code, _, body := f.do("GET", "/api/v1/namespaces/default/pods", "", "", as(userAgent)...)
	if code != 200 {
		f.t.Fatalf("list as %s: %d %s", userAgent, code, body)
	}
	items, _ := decode(f.t, body)["items"].([]any)
	return len(items)
}

func TestInjectFaultRejectsBadFaults(t *testing.T) {
	f := newFixture(t, serve.Options{})
	for _, bad := range []serve.Fault{
		{Kind: serve.CrashAfterWrite},
		{Client: "ctl", Kind: "melt"},
		{Client: "ctl", Kind: serve.StaleReads},
		{Client: "ctl", Kind: serve.StaleReads, Count: 65},
		{Client: "ctl", Kind: serve.LoseWatchEvents, Count: -1},
	} {
		if err := f.srv.InjectFault(bad); err == nil {
			t.Errorf("InjectFault(%+v) did not fail", bad)
		}
	}
}

// TestCrashAfterWrite: the write that the crash follows is made, the
// client's incarnation is cut off, OnCrash names it, and the next
// incarnation (another user agent) is served.
func TestCrashAfterWrite(t *testing.T) {
	var crashed []string
	f := newFixture(t, serve.Options{OnCrash: func(client string) { crashed = append(crashed, client) }})
	if err := f.srv.InjectFault(serve.Fault{Client: "ctl", Kind: serve.CrashAfterWrite}); err != nil {
		t.Fatal(err)
	}
	if code, _, body := f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON, as("ctl/1 (linux/amd64)")...); code != 201 {
		t.Fatalf("the write before the crash: %d %s", code, body)
	}
	if len(crashed) != 1 || crashed[0] != "ctl" {
		t.Errorf("OnCrash was told %q, want [ctl]", crashed)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/namespaces/default/pods", nil)
	req.Header.Set("User-Agent", "ctl/1 (linux/amd64)")
	if resp, err := f.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("the crashed incarnation was answered: %s", resp.Status)
	}
	if n := f.podCount("ctl/2 (linux/amd64)"); n != 1 {
		t.Errorf("the next incarnation lists %d pods, want 1", n)
	}
	// The fault struck once: the next write crashes nothing.
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podNamed("again"), as("ctl/2")...)
	if len(crashed) != 1 {
		t.Errorf("a second crash: %q", crashed)
	}
}

// TestStaleReads: a client with a stale-read fault lists the store as it
// was some changes ago (here: as far back as the views kept since the
// fault, just after pod a was made), for a second of virtual time; others
// read it live.
func TestStaleReads(t *testing.T) {
	f := newFixture(t, serve.Options{})
	if err := f.srv.InjectFault(serve.Fault{Client: "ctl", Kind: serve.StaleReads, Count: 64}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podNamed(name), as("writer")...)
	}
	if n := f.podCount("writer"); n != 3 {
		t.Fatalf("the writer lists %d pods, want 3", n)
	}
	if n := f.podCount("ctl/1"); n != 1 {
		t.Errorf("the stale client lists %d pods, want 1", n)
	}
	f.srv.Do(func(c *sim.Cluster) { c.AdvanceTo(c.Now().Add(2 * time.Second)) })
	if n := f.podCount("ctl/1"); n != 3 {
		t.Errorf("after the fault's second the client lists %d pods, want 3", n)
	}
}

// TestLoseWatchEvents: a client's watch loses the change and ends with
// 410 Expired, so its reflector lists again; other watches see it.
func TestLoseWatchEvents(t *testing.T) {
	f := newFixture(t, serve.Options{})
	_, _, body := f.do("GET", "/api/v1/namespaces/default/pods", "", "")
	rv := field(decode(t, body), "metadata.resourceVersion").(string)
	if err := f.srv.InjectFault(serve.Fault{Client: "ctl", Kind: serve.LoseWatchEvents, Count: 1}); err != nil {
		t.Fatal(err)
	}
	watchAs := func(userAgent string) *bufio.Scanner {
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/namespaces/default/pods?watch=true&resourceVersion="+rv, nil)
		req.Header.Set("User-Agent", userAgent)
		resp, err := f.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return bufio.NewScanner(resp.Body)
	}
	faulty, healthy := watchAs("ctl/1"), watchAs("other/1")
	f.do("POST", "/api/v1/namespaces/default/pods", "application/json", podJSON)
	if !healthy.Scan() || decode(t, healthy.Text())["type"] != "ADDED" {
		t.Errorf("the healthy watch: %q", healthy.Text())
	}
	if !faulty.Scan() {
		t.Fatalf("the faulty watch ended without an event: %v", faulty.Err())
	}
	if ev := decode(t, faulty.Text()); ev["type"] != "ERROR" || field(ev, "object.code") != 410.0 {
		t.Errorf("the faulty watch's event: %v, want ERROR 410", ev)
	}
}
