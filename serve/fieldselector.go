package serve

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// fieldRequirement is one term of a field selector: field = value or
// field != value.
type fieldRequirement struct {
	field, value string
	not          bool
}

// fieldSelector is a parsed field selector; the empty one matches all.
type fieldSelector []fieldRequirement

// selectableFields are the fields each kind can be selected by, beyond
// metadata.name and metadata.namespace, as upstream's registries declare
// them (each kind's GetAttrs / ToSelectableFields).
var selectableFields = map[string][]string{
	"Pod": {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
		"spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"},
	"Event": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
		"involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
		"reason", "reportingComponent", "source", "type"},
	"Node":                      {"spec.unschedulable"},
	"Namespace":                 {"status.phase"},
	"Secret":                    {"type"},
	"Job":                       {"status.successful"},
	"ReplicaSet":                {"status.replicas"},
	"ReplicationController":     {"status.replicas"},
	"Service":                   {"spec.clusterIP", "spec.type"},
	"CertificateSigningRequest": {"spec.signerName"},
}

// fieldAliases are selectable fields whose value lives elsewhere in the
// object.
var fieldAliases = map[string]string{"source": "source.component"}

// parseFieldSelector reads a field selector for kind: terms separated by
// commas, each field=value, field==value or field!=value; a backslash
// escapes the next character. Fields the kind cannot be selected by are
// refused as the apiserver refuses them. mapField renames a field to the
// stored object's (events.k8s.io/v1's regarding.name is involvedObject.name).
func parseFieldSelector(s, kind string, mapField func(string) string) (fieldSelector, error) {
	var out fieldSelector
	for _, term := range splitUnescaped(s, ',') {
		if term == "" {
			continue
		}
		req, err := parseFieldTerm(term)
		if err != nil {
			return nil, err
		}
		req.field = mapField(req.field)
		if !fieldSelectable(kind, req.field) {
			return nil, badRequest("field label not supported: %s", req.field)
		}
		out = append(out, req)
	}
	return out, nil
}

// parseFieldTerm reads one term.
func parseFieldTerm(term string) (fieldRequirement, error) {
	for _, op := range []struct {
		text string
		not  bool
	}{{"!=", true}, {"==", false}, {"=", false}} {
		if i := indexUnescaped(term, op.text); i >= 0 {
			return fieldRequirement{field: strings.TrimSpace(term[:i]), value: unescapeField(term[i+len(op.text):]), not: op.not}, nil
		}
	}
	return fieldRequirement{}, badRequest("invalid selector: '%s'; can't understand '%s'", term, term)
}

// fieldSelectable reports whether kind can be selected by field.
func fieldSelectable(kind, field string) bool {
	if field == "metadata.name" || field == "metadata.namespace" {
		return true
	}
	for _, f := range selectableFields[kind] {
		if f == field {
			return true
		}
	}
	return false
}

// matches reports whether obj's JSON tree satisfies every term.
func (fs fieldSelector) matches(tree map[string]any) bool {
	for _, r := range fs {
		path := r.field
		if alias, ok := fieldAliases[path]; ok {
			path = alias
		}
		if (fieldValue(tree, path) == r.value) == r.not {
			return false
		}
	}
	return true
}

// matchesObject is matches for an object, encoding it only when needed.
func (fs fieldSelector) matchesObject(obj objects.Object) bool {
	if len(fs) == 0 {
		return true
	}
	b, err := objects.Encode(obj)
	if err != nil {
		return false
	}
	tree, err := decodeTree(b)
	if err != nil {
		return false
	}
	return fs.matches(tree)
}

// fieldValue is the text of the value at a dotted path: "" when absent,
// booleans and numbers printed as the apiserver's field sets print them.
func fieldValue(tree map[string]any, path string) string {
	var cur any = tree
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[part]
	}
	switch v := cur.(type) {
	case nil:
		if strings.HasSuffix(path, "hostNetwork") || strings.HasSuffix(path, "unschedulable") {
			return "false"
		}
		if strings.HasSuffix(path, "status.successful") || strings.HasSuffix(path, "status.replicas") {
			return "0"
		}
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// splitUnescaped splits s at sep characters not escaped by a backslash.
func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// indexUnescaped finds op in s outside backslash escapes.
func indexUnescaped(s, op string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], op) {
			return i
		}
	}
	return -1
}

// unescapeField removes the backslashes of a selector value.
func unescapeField(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
