package serve_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
)

// TestEventsV1: events.k8s.io/v1 serves the core Events under its field
// names, both ways, and selects by its own field names.
func TestEventsV1(t *testing.T) {
	f := newFixture(t, serve.Options{})
	var now time.Time
	f.srv.Do(func(c *sim.Cluster) { now = c.Now() })
	ev := `{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"mine"},
"eventTime":"` + now.Format("2006-01-02T15:04:05.000000Z") + `","reportingController":"example.com/labeler","reportingInstance":"labeler-0",
"action":"Label","reason":"Labelled","type":"Normal","note":"labelled it",
"regarding":{"kind":"Pod","namespace":"default","name":"hello","apiVersion":"v1"}}`
	code, _, body := f.do("POST", "/apis/events.k8s.io/v1/namespaces/default/events", "application/json", ev)
	if code != 201 || field(decode(t, body), "note") != "labelled it" || field(decode(t, body), "apiVersion") != "events.k8s.io/v1" {
		t.Fatalf("create through events.k8s.io/v1: %d %s", code, body)
	}
	_, _, body = f.do("GET", "/api/v1/namespaces/default/events/mine", "", "")
	core := decode(t, body)
	if field(core, "message") != "labelled it" || field(core, "involvedObject.name") != "hello" ||
		field(core, "reportingComponent") != "example.com/labeler" || field(core, "action") != "Label" {
		t.Errorf("the Event through core v1: %s", body)
	}
	code, _, body = f.do("GET", "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dhello", "", "")
	items, _ := decode(t, body)["items"].([]any)
	if code != 200 || len(items) != 1 || field(items[0], "regarding.name") != "hello" || field(items[0], "eventTime") == nil {
		t.Errorf("listing by regarding.name: %d %s", code, body)
	}
	code, _, body = f.do("PATCH", "/apis/events.k8s.io/v1/namespaces/default/events/mine", "application/merge-patch+json",
		`{"series":{"count":2,"lastObservedTime":"`+now.Add(5*time.Second).Format("2006-01-02T15:04:05.000000Z")+`"}}`)
	if code != 200 || field(decode(t, body), "series.count") != 2.0 || field(decode(t, body), "note") != "labelled it" {
		t.Errorf("patching the series: %d %s", code, body)
	}
	// Its first seen is the eventTime's, as upstream's printer falls back
	// to it; last seen and count are the series'.
	f.srv.FastForward(30 * time.Second)
	_, _, body = f.do("GET", "/api/v1/namespaces/default/events?fieldSelector=reason%3DLabelled", "", "",
		"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	if !strings.Contains(body, `"cells":["25s","Normal","Labelled","pod/hello","","example.com/labeler, labeler-0","labelled it","30s","2","mine"]`) {
		t.Errorf("the Table of the Event: %s", body)
	}
	_, _, body = f.do("GET", "/apis/events.k8s.io/v1", "", "")
	if !strings.Contains(body, `"name":"events"`) {
		t.Errorf("events.k8s.io/v1 discovery: %s", body)
	}
}
