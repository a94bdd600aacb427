package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mitchellh/go-wordwrap"
)

// This file prints a schema as kubectl explain's plaintext template does
// (k8s.io/kubectl pkg/explain/v2/templates/plaintext.tmpl, 1.37): each
// template is a method here, walking the schema as JSON decodes it, with
// text/template's truth (an empty map, list or string is false) and its
// map order (sorted keys). Descriptions are wrapped by go-wordwrap, as the
// template's wrap function does, and indented after wrapping.

// explainer prints one explanation.
type explainer struct {
	// doc is the OpenAPI document that $refs point into.
	doc       map[string]any
	recursive bool
	// maxDepth caps the levels --recursive prints (0: no cap).
	maxDepth int
}

// Widths and markers of the template.
const (
	explainWrap        = 76 // the DESCRIPTION block's wrap
	explainFieldWrap   = 78 // a field's description wraps at 78 less its indent
	explainEnumLimit   = 4  // enum values a field list shows before ", ...."
	explainNoDesc      = "<no description>"
	explainEmptyDesc   = "<empty>"
	explainRequired    = " -required-"
	explainEnumMore    = ", ...."
	explainObjectGuess = "Object"
)

// output is the template "output": follow path down the schema, print
// "FIELD:" for its last field and then the description and field list of
// what it ends on; "" when the path leads nowhere.
func (e *explainer) output(schema map[string]any, history map[string]bool, path []string) string {
	ref, _ := schema["$ref"].(string)
	next := withRef(history, ref)
	resolved := e.resolveOr(ref, schema)
	if len(path) == 0 {
		return e.describeAll(resolved)
	}
	if ref != "" && history[ref] {
		return "" // a cycle
	}
	if props, _ := resolved["properties"].(map[string]any); truthy(props) && truthy(props[path[0]]) {
		sub, _ := props[path[0]].(map[string]any)
		var b strings.Builder
		if len(path) == 1 {
			b.WriteString("FIELD: " + path[0] + " <" + e.typeGuess(sub) + ">\n")
			b.WriteString(extractEnum(sub, true, -1, 0) + "\n\n")
		}
		b.WriteString(e.output(sub, nil, path[1:]))
		return b.String()
	}
	if items, ok := resolved["items"].(map[string]any); ok && truthy(items) {
		return e.output(items, next, path)
	}
	if extra, ok := mapProperties(resolved); ok {
		return e.output(extra, next, path)
	}
	for _, sub := range listOf(resolved["allOf"]) {
		if out := e.output(sub, next, path); out != "" {
			return out
		}
	}
	return ""
}

// describeAll is "output" at the end of the path: DESCRIPTION, then
// FIELDS when there are any.
func (e *explainer) describeAll(resolved map[string]any) string {
	var b strings.Builder
	b.WriteString("DESCRIPTION:\n")
	desc := e.description(resolved)
	if desc == "" {
		desc = explainEmptyDesc
	}
	b.WriteString(indentText(4, wordwrap.WrapString(desc, explainWrap)) + "\n")
	if docs := externalDocs(resolved, 0); docs != "" {
		b.WriteString("\n" + docs)
	}
	if fields := e.fieldList(resolved, 1, nil); fields != "" {
		b.WriteString("FIELDS:\n" + fields)
	}
	return b.String()
}

// description is the template "description": the schema's description
// and those of what it is made of (allOf, items, map values), a line each.
func (e *explainer) description(schema map[string]any) string {
	ref, _ := schema["$ref"].(string)
	s := e.resolveOr(ref, schema)
	if !truthy(s) {
		return ""
	}
	var b strings.Builder
	if d, _ := s["description"].(string); d != "" {
		b.WriteString(d + "\n")
	}
	for _, sub := range listOf(s["allOf"]) {
		b.WriteString(e.description(sub))
	}
	if items, ok := s["items"].(map[string]any); ok && truthy(items) {
		b.WriteString(e.description(items))
	}
	if extra, ok := mapProperties(s); ok {
		b.WriteString(e.description(extra))
	}
	return b.String()
}

// fieldList is the template "fieldList": the schema's properties by name,
// each with its description, or with --recursive one line each and their
// own fields below, two spaces deeper a level; a $ref already followed on
// the way down is not followed again.
func (e *explainer) fieldList(schema map[string]any, level int, history map[string]bool) string {
	ref, _ := schema["$ref"].(string)
	if ref != "" && history[ref] {
		return ""
	}
	next := withRef(history, ref)
	resolved := e.resolveOr(ref, schema)
	var b strings.Builder
	props, _ := resolved["properties"].(map[string]any)
	for _, name := range sortedKeys(props) {
		b.WriteString(e.fieldDetail(name, resolved, level))
		if e.recursive && (e.maxDepth == 0 || level < e.maxDepth) {
			sub, _ := props[name].(map[string]any)
			b.WriteString(e.fieldList(sub, level+1, next))
		}
	}
	for _, sub := range listOf(resolved["allOf"]) {
		b.WriteString(e.fieldList(sub, level, next))
	}
	if items, ok := resolved["items"].(map[string]any); ok && truthy(items) {
		b.WriteString(e.fieldList(items, level, next))
	}
	if extra, ok := mapProperties(resolved); ok {
		b.WriteString(e.fieldList(extra, level, next))
	}
	return b.String()
}

// fieldDetail is the template "fieldDetail": "name\t<type>", -required-,
// the enum's first values; without --recursive the description below.
func (e *explainer) fieldDetail(name string, parent map[string]any, level int) string {
	indent := level * 2
	props, _ := parent["properties"].(map[string]any)
	field, _ := props[name].(map[string]any)
	var b strings.Builder
	b.WriteString(indentText(indent, name) + "\t<" + e.typeGuess(field) + ">")
	if containsValue(parent["required"], name) {
		b.WriteString(explainRequired)
	}
	b.WriteString(extractEnum(field, false, explainEnumLimit, indent) + "\n")
	if e.recursive {
		return b.String()
	}
	desc, _ := field["description"].(string)
	if desc == "" {
		desc = explainNoDesc
	}
	b.WriteString(indentText(indent+2, wordwrap.WrapString(desc, uint(explainFieldWrap-indent))) + "\n")
	if docs, ok := field["externalDocs"].(map[string]any); ok && truthy(docs) {
		b.WriteString("\n" + indentText(indent+2, "EXTERNAL DOCS:") + "\n" + externalDocsBody(docs, indent+4, explainWrap-indent))
	}
	b.WriteString("\n")
	return b.String()
}

// externalDocs is the template "externalDocs" of a schema.
func externalDocs(schema map[string]any, indent int) string {
	docs, ok := schema["externalDocs"].(map[string]any)
	if !ok || !truthy(docs) {
		return ""
	}
	return "EXTERNAL DOCS:\n" + externalDocsBody(docs, indent+4, explainWrap)
}

// externalDocsBody is an externalDocs' description and URL lines.
func externalDocsBody(docs map[string]any, indent, wrap int) string {
	var b strings.Builder
	if d, _ := docs["description"].(string); d != "" {
		b.WriteString(indentText(indent, wordwrap.WrapString(d, uint(wrap))) + "\n")
	}
	if u, _ := docs["url"].(string); u != "" {
		b.WriteString(indentText(indent, "URL: "+u) + "\n")
	}
	return b.String()
}

// typeGuess is the template "typeGuess": []T for lists, map[string]T for
// maps, the referenced type's last name part for objects (CronJobSpec),
// else the JSON type, "Object" for objects without a name.
func (e *explainer) typeGuess(schema map[string]any) string {
	if !truthy(schema) {
		return explainObjectGuess
	}
	if items, ok := schema["items"].(map[string]any); ok && truthy(items) {
		return "[]" + e.typeGuess(items)
	}
	if extra, ok := mapProperties(schema); ok {
		return "map[string]" + e.typeGuess(extra)
	}
	if allOf := listOf(schema["allOf"]); len(allOf) == 1 && !truthy(schema["properties"]) {
		return e.typeGuess(allOf[0])
	}
	if ref, _ := schema["$ref"].(string); ref != "" {
		target := e.resolve(ref)
		typ, _ := target["type"].(string)
		if !truthy(target) || typ == "" || typ == "object" {
			name := ref[strings.LastIndex(ref, "/")+1:]
			if last := name[strings.LastIndex(name, ".")+1:]; last != "" {
				return last
			}
			return explainObjectGuess
		}
		return typ
	}
	typ, _ := schema["type"].(string)
	if typ == "" || typ == "object" {
		return explainObjectGuess
	}
	return typ
}

// extractEnum is the template "extractEnum": in a field's header (long)
// "ENUM:" and a value a line; in a field list ", "-separated after
// "enum: " on a line of its own, at most limit values and then ", ....".
// "" shows as `""`.
func extractEnum(schema map[string]any, long bool, limit, indent int) string {
	values, _ := schema["enum"].([]any)
	if len(values) == 0 {
		return ""
	}
	var b strings.Builder
	if long {
		b.WriteString("ENUM:")
	} else {
		b.WriteString("\n" + strings.Repeat(" ", indent) + "enum: ")
	}
	for i, v := range values {
		if limit > -1 && i >= limit {
			b.WriteString(explainEnumMore)
			break
		}
		switch {
		case i > 0 && !long:
			b.WriteString(", ")
		case long:
			b.WriteString("\n    ")
		}
		if s, ok := v.(string); ok && s == "" {
			b.WriteString(`""`)
		} else {
			b.WriteString(fmt.Sprint(v))
		}
	}
	return b.String()
}

// resolve is the template's resolveRef: the schema a local reference
// ("#/components/schemas/io.k8s...") points to, or nil.
func (e *explainer) resolve(ref string) map[string]any {
	fragment, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil
	}
	cur := e.doc
	for _, part := range strings.Split(fragment, "/") {
		if part == "" {
			continue
		}
		next, ok := cur[part].(map[string]any)
		if !ok {
			return nil
		}
		cur = next
	}
	return cur
}

// resolveOr is `or (resolveRef ref) schema`.
func (e *explainer) resolveOr(ref string, schema map[string]any) map[string]any {
	if r := e.resolve(ref); truthy(r) {
		return r
	}
	return schema
}

// withRef is history with ref added, history left as it was.
func withRef(history map[string]bool, ref string) map[string]bool {
	out := make(map[string]bool, len(history)+1)
	for k, v := range history {
		out[k] = v
	}
	out[ref] = true
	return out
}

// mapProperties is a map schema's value schema (additionalProperties that
// is a schema, not a boolean).
func mapProperties(schema map[string]any) (map[string]any, bool) {
	extra, ok := schema["additionalProperties"].(map[string]any)
	return extra, ok && truthy(extra)
}

// listOf is a JSON list of schemas.
func listOf(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		m, _ := item.(map[string]any)
		out = append(out, m)
	}
	return out
}

// containsValue is the template's contains: list holds value.
func containsValue(list any, value string) bool {
	items, _ := list.([]any)
	for _, item := range items {
		if s, ok := item.(string); ok && s == value {
			return true
		}
	}
	return false
}

// truthy is text/template's truth for JSON values: nil, false, 0 and
// empty strings, maps and lists are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	}
	return true
}

// indentText is the template's indent: n spaces before the text and after
// each of its newlines.
func indentText(n int, text string) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(text, "\n", "\n"+pad)
}

// sortedKeys are m's keys in order (text/template ranges over maps so).
func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
