package serve

import (
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// events.k8s.io/v1 serves the core Events under new field names, as the
// apiserver does (one storage, two versions): client-go's tools/events
// and controller-runtime's GetEventRecorder write there. A request through
// this group version is converted at the edge: its body's fields renamed
// to core's before it is decoded, and what it reads renamed back.

// eventsV1Kind is the resource as discovery lists it.
var eventsV1Kind = objects.KindInfo{Kind: "Event", Group: "events.k8s.io", Version: "v1", Resource: "events",
	Singular: "event", ShortNames: []string{"ev"}, Namespaced: true}

// eventsV1Fields maps core v1 Event fields to their events.k8s.io/v1
// names (k8s.io/kubernetes pkg/apis/events/v1 conversion); the other
// fields (reason, type, action, eventTime, series, related,
// reportingInstance) keep their names.
var eventsV1Fields = map[string]string{
	"involvedObject":     "regarding",
	"message":            "note",
	"source":             "deprecatedSource",
	"firstTimestamp":     "deprecatedFirstTimestamp",
	"lastTimestamp":      "deprecatedLastTimestamp",
	"count":              "deprecatedCount",
	"reportingComponent": "reportingController",
}

// addEventsV1 adds the group version to a catalog being built.
func addEventsV1(cat *catalog, addVersion func(group, version string)) {
	addVersion(eventsV1Kind.Group, eventsV1Kind.Version)
	gv := joinGV(eventsV1Kind.Group, eventsV1Kind.Version)
	cat.byGV[gv] = append(cat.byGV[gv], &resource{info: eventsV1Kind, version: "v1", eventsV1: true})
}

// renameFields renames a tree's top-level fields by names, in place.
func renameFields(tree map[string]any, names map[string]string) {
	for from, to := range names {
		if v, ok := tree[from]; ok {
			delete(tree, from)
			tree[to] = v
		}
	}
}

// toEventsV1 renames a core Event's tree to events.k8s.io/v1's.
func toEventsV1(tree map[string]any) {
	renameFields(tree, eventsV1Fields)
	tree["apiVersion"] = eventsV1Kind.APIVersion()
}

// fromEventsV1 renames an events.k8s.io/v1 Event's tree to core's, for
// decoding and storing.
func fromEventsV1(tree map[string]any) {
	back := make(map[string]string, len(eventsV1Fields))
	for core, v1 := range eventsV1Fields {
		back[v1] = core
	}
	renameFields(tree, back)
	if av, _ := tree["apiVersion"].(string); av == "" || av == eventsV1Kind.APIVersion() {
		tree["apiVersion"] = "v1"
	}
}

// coreEventField is the core field a field selector of events.k8s.io/v1
// names ("regarding.name" is "involvedObject.name").
func coreEventField(field string) string {
	head, rest, dotted := strings.Cut(field, ".")
	for core, v1 := range eventsV1Fields {
		if head == v1 {
			if dotted {
				return core + "." + rest
			}
			return core
		}
	}
	return field
}
