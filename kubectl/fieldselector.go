package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// This file is --field-selector: the apiserver's field selectors
// (fields.ParseSelector, each kind's field label conversion and selectable
// fields), answered by kubesim's store on behalf of the apiserver, with
// the error kubectl's resource visitor words around a refusal.

// fieldRequirement is one "field=value" or "field!=value" of a selector.
type fieldRequirement struct {
	field, value string
	not          bool
}

// parseFieldSelector is fields.ParseSelector: comma-separated
// requirements with =, == or !=.
func parseFieldSelector(s string) ([]fieldRequirement, error) {
	var out []fieldRequirement
	if s == "" {
		return nil, nil
	}
	for _, part := range strings.Split(s, ",") {
		switch {
		case part == "":
			continue // parseSelector skips empty terms
		case strings.Contains(part, "!="):
			f, v, _ := strings.Cut(part, "!=")
			out = append(out, fieldRequirement{field: f, value: v, not: true})
		case strings.Contains(part, "=="):
			f, v, _ := strings.Cut(part, "==")
			out = append(out, fieldRequirement{field: f, value: v})
		case strings.Contains(part, "="):
			f, v, _ := strings.Cut(part, "=")
			out = append(out, fieldRequirement{field: f, value: v})
		default:
			return nil, fmt.Errorf("invalid selector: '%s'; can't understand '%s'", s, part)
		}
	}
	return out, nil
}

// fieldSet is an object's selectable fields, as the kind's registry
// strategy lists them (ToSelectableFields / GetAttrs).
func fieldSet(obj objects.Object) map[string]string {
	m := obj.GetObjectMeta()
	set := map[string]string{"metadata.name": m.Name}
	if resourceInfo(obj).Namespaced {
		set["metadata.namespace"] = m.Namespace
	}
	switch o := obj.(type) {
	case *objects.Pod:
		set["spec.nodeName"] = o.Spec.NodeName
		set["spec.restartPolicy"] = o.Spec.RestartPolicy
		set["spec.schedulerName"] = o.Spec.SchedulerName
		set["spec.serviceAccountName"] = o.Spec.ServiceAccountName
		set["spec.hostNetwork"] = strconv.FormatBool(o.Spec.HostNetwork)
		set["status.phase"] = o.Status.Phase
		set["status.podIP"] = o.Status.PodIP
		set["status.nominatedNodeName"] = ""
	case *objects.Node:
		set["spec.unschedulable"] = strconv.FormatBool(o.Spec.Unschedulable)
	case *objects.Event:
		source := o.Source.Component
		if source == "" {
			source = o.ReportingController
		}
		ref := o.InvolvedObject
		set["involvedObject.kind"] = ref.Kind
		set["involvedObject.namespace"] = ref.Namespace
		set["involvedObject.name"] = ref.Name
		set["involvedObject.uid"] = ref.UID
		set["involvedObject.apiVersion"] = ref.APIVersion
		set["involvedObject.resourceVersion"] = ref.ResourceVersion
		set["involvedObject.fieldPath"] = ref.FieldPath
		set["reason"] = o.Reason
		set["reportingComponent"] = o.ReportingController
		set["source"] = source
		set["type"] = o.Type
	case *objects.Namespace:
		set["status.phase"] = o.Status.Phase
	case *objects.Secret:
		set["type"] = o.Type
	case *objects.ReplicaSet:
		set["status.replicas"] = strconv.Itoa(int(o.Status.Replicas))
	case *objects.Job:
		set["status.successful"] = strconv.Itoa(int(o.Status.Succeeded))
	}
	return set
}

// selectableFields are the labels each kind's conversion function
// accepts; a kind without one takes metadata.name and metadata.namespace
// only (runtime.DefaultMetaV1FieldSelectorConversion).
var selectableFields = map[string][]string{
	"Pod": {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
		"spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"},
	"Node": {"metadata.name", "spec.unschedulable"},
	"Event": {"metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
		"involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
		"reason", "reportingComponent", "source", "type"},
	"Namespace":             {"metadata.name", "status.phase"},
	"Secret":                {"metadata.name", "metadata.namespace", "type"},
	"ReplicationController": {"metadata.name", "metadata.namespace", "status.replicas"},
	"ReplicaSet":            {"metadata.name", "metadata.namespace", "status.replicas"},
	"Job":                   {"metadata.name", "metadata.namespace", "status.successful"},
}

// checkFieldLabels is the apiserver's field label conversion: an unknown
// field is refused with the kind's words.
func checkFieldLabels(kind string, reqs []fieldRequirement) error {
	for _, r := range reqs {
		known, custom := selectableFields[kind]
		if !custom {
			if r.field != "metadata.name" && r.field != "metadata.namespace" {
				return fmt.Errorf("%q is not a known field selector: only %q, %q", r.field, "metadata.name", "metadata.namespace")
			}
			continue
		}
		ok := false
		for _, f := range known {
			ok = ok || f == r.field
		}
		if !ok && !(kind == "Pod" && r.field == "spec.host") {
			return fmt.Errorf("field label not supported: %s", r.field)
		}
	}
	return nil
}

// matchesFields reports whether obj satisfies every requirement; a field
// the object's set lacks reads as "".
func matchesFields(obj objects.Object, reqs []fieldRequirement) bool {
	set := fieldSet(obj)
	for _, r := range reqs {
		field := r.field
		if field == "spec.host" {
			field = "spec.nodeName"
		}
		if (set[field] == r.value) == r.not {
			return false
		}
	}
	return true
}

// listError is kubectl's visitor's framing of the apiserver's refusal of
// a list with selectors: Unable to find "GROUP/VERSION, Resource=RESOURCE"
// that match label selector "...", field selector "...": CAUSE.
func listError(info objects.KindInfo, labelSel, fieldSel string, cause error) error {
	gvr := fmt.Sprintf("%s/%s, Resource=%s", info.Group, info.Version, info.Resource)
	return fmt.Errorf("Error from server (BadRequest): Unable to find %q that match label selector %q, field selector %q: %v",
		gvr, labelSel, fieldSel, cause)
}

// filterFields keeps the objects every requirement holds for.
func filterFields(objs []objects.Object, reqs []fieldRequirement) []objects.Object {
	if len(reqs) == 0 {
		return objs
	}
	var out []objects.Object
	for _, o := range objs {
		if matchesFields(o, reqs) {
			out = append(out, o)
		}
	}
	return out
}

// cmpOr returns the first non-nil error.
func cmpOr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
