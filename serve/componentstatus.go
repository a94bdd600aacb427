package serve

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

// componentstatuses (`kubectl get cs`, deprecated since 1.19 and still
// served) are not stored: the apiserver probes the scheduler, the
// controller manager and etcd when asked. A component whose controllers a
// scenario has all taken down (`controller down all`) answers no probe;
// the others, and etcd, are Healthy.

// componentStatusKind is the resource as discovery lists it.
var componentStatusKind = objects.KindInfo{Kind: "ComponentStatus", Version: "v1", Resource: "componentstatuses",
	Singular: "componentstatus", ShortNames: []string{"cs"}}

// componentStatusVerbs are the resource's verbs.
var componentStatusVerbs = []string{"get", "list"}

// componentStatusWarning is the apiserver's deprecation warning, sent with
// every answer.
const componentStatusWarning = "v1 ComponentStatus is deprecated in v1.19+"

// componentStatusDoc is upstream's description of the kind.
const componentStatusDoc = "ComponentStatus (and ComponentStatusList) holds the cluster validation info. " +
	"Deprecated: This API is deprecated in v1.19+"

// components are the components the apiserver checks, by name, with the
// sim component each stands for and the health endpoint it probes.
var components = []struct{ name, component, healthz string }{
	{"controller-manager", sim.ControllerManager, "https://127.0.0.1:10257/healthz"},
	{"etcd-0", "", ""},
	{"scheduler", sim.Scheduler, "https://127.0.0.1:10259/healthz"},
}

// addComponentStatuses adds the resource to a catalog being built.
func addComponentStatuses(cat *catalog) {
	cat.byGV["v1"] = append(cat.byGV["v1"], &resource{info: componentStatusKind, version: "v1", components: true})
}

// componentStatus is one component's status, as upstream's REST storage
// makes it: Healthy with the probe's "ok", or not, with the probe's error.
func componentStatus(name string, down bool, healthz string) map[string]any {
	cond := map[string]any{"type": "Healthy", "status": "True", "message": "ok"}
	if down {
		host, _, _ := strings.Cut(strings.TrimPrefix(healthz, "https://"), "/")
		cond = map[string]any{"type": "Healthy", "status": "False",
			"error": fmt.Sprintf("Get %q: dial tcp %s: connect: connection refused", healthz, host)}
	}
	return map[string]any{"kind": "ComponentStatus", "apiVersion": "v1",
		"metadata":   map[string]any{"name": name, "creationTimestamp": nil},
		"conditions": []any{cond}}
}

// serveComponentStatuses answers a get or list of componentstatuses, as
// objects or as a Table (its columns are upstream's printer's).
func (s *Server) serveComponentStatuses(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	if r.Method != http.MethodGet || req.verb == "watch" || req.sub != "" {
		writeStatus(w, methodNotAllowed(r.Method))
		return
	}
	if err := s.enter(); err != nil {
		writeStatus(w, err)
		return
	}
	var items []map[string]any
	for _, c := range components {
		if req.name == "" || req.name == c.name {
			down := c.component != "" && s.c.ComponentDown(c.component)
			items = append(items, componentStatus(c.name, down, c.healthz))
		}
	}
	s.Unlock()
	if req.name != "" && len(items) == 0 {
		writeStatus(w, internalError(fmt.Errorf("Component not found: %s", req.name)))
		return
	}
	rep := &reply{code: http.StatusOK, warnings: []string{componentStatusWarning}}
	switch {
	case wantsTable(r):
		rep.body, rep.media = componentStatusTable(items, includeObject(r)), tableMedia
	case req.name != "":
		rep.body = items[0]
	default:
		list := make([]any, len(items))
		for i, it := range items {
			list[i] = it
		}
		rep.body = map[string]any{"kind": "ComponentStatusList", "apiVersion": "v1", "metadata": map[string]any{}, "items": list}
	}
	rep.send(w)
}

// componentStatusTable is the Table of upstream's printer: name, status,
// message, error.
func componentStatusTable(items []map[string]any, include string) map[string]any {
	col := func(name, format string) map[string]any {
		return map[string]any{"name": name, "type": "string", "format": format, "description": "", "priority": 0}
	}
	rows := make([]any, len(items))
	for i, it := range items {
		cond := it["conditions"].([]any)[0].(map[string]any)
		status, message, errText := "Healthy", cond["message"], cond["error"]
		if cond["status"] != "True" {
			status = "Unhealthy"
		}
		if message == nil {
			message = ""
		}
		if errText == nil {
			errText = ""
		}
		row := map[string]any{"cells": []any{it["metadata"].(map[string]any)["name"], status, message, errText}}
		switch include {
		case "Metadata":
			row["object"] = map[string]any{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": it["metadata"]}
		case "Object":
			row["object"] = it
		}
		rows[i] = row
	}
	return map[string]any{"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": map[string]any{},
		"columnDefinitions": []any{col("Name", "name"), col("Status", ""), col("Message", ""), col("Error", "")},
		"rows":              rows}
}
