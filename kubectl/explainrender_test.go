package kubectl

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The cases below are upstream's own (k8s.io/kubectl
// pkg/explain/v2/templates/plaintext_test.go): the schemas it renders each
// sub-template with and what the template prints, so that the branches
// kubesim's schemas never reach (maps, unnamed refs, numeric enums,
// external docs, --max-depth) are held to the template too.

func TestExplainTypeGuess(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"v1.Time": map[string]any{"type": "string", "format": "date-time"},
	}}}
	crv := "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation"
	cases := []struct {
		name   string
		schema map[string]any
		want   string
	}{
		{"Scalar", map[string]any{"type": "string"}, "string"},
		{"True additionalProperties", map[string]any{"type": "string", "additionalProperties": true}, "string"},
		{"PrimitiveRef", map[string]any{"description": "a cool field", "$ref": "#/components/schemas/v1.Time"}, "string"},
		{"ArrayUnknown", map[string]any{"type": "array"}, "array"},
		{"ObjectTitle", map[string]any{"type": "object"}, "Object"},
		{"ArrayOfScalar", map[string]any{"type": "array", "items": map[string]any{"type": "number"}}, "[]number"},
		{"ArrayOfAllOfRef", map[string]any{"type": "array", "items": map[string]any{"type": "object",
			"allOf": []any{map[string]any{"$ref": crv}}}}, "[]CustomResourceValidation"},
		{"ArrayOfRef", map[string]any{"type": "array", "items": map[string]any{"type": "object", "$ref": crv}}, "[]CustomResourceValidation"},
		{"ArrayOfMap", map[string]any{"type": "array", "items": map[string]any{"type": "object",
			"additionalProperties": map[string]any{"type": "string"}}}, "[]map[string]string"},
		{"MapOfArrayOfScalar", map[string]any{"type": "object", "additionalProperties": map[string]any{
			"type": "array", "items": map[string]any{"type": "string"}}}, "map[string][]string"},
		{"MapOfRef", map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string",
			"allOf": []any{map[string]any{"$ref": crv}}}}, "map[string]CustomResourceValidation"},
		{"Unknown", map[string]any{"description": "a cool field"}, "Object"},
	}
	e := &explainer{doc: doc}
	for _, c := range cases {
		assert.Equal(t, c.want, e.typeGuess(c.schema), c.name)
	}
}

func TestExplainExtractEnum(t *testing.T) {
	numbers := map[string]any{"enum": []any{0.0, 1.0, 2.0, 3.0}}
	assert.Equal(t, "", extractEnum(map[string]any{"enum": []any{}}, true, -1, 0), "extractEmptyEnum")
	assert.Equal(t, "ENUM:\n    0\n    1\n    2\n    3", extractEnum(numbers, true, -1, 0), "extractEnumSimpleForm")
	assert.Equal(t, "\n  enum: 0, 1, 2, 3", extractEnum(numbers, false, -1, 2), "extractEnumLongFormWithIndent")
	assert.Equal(t, "\n  enum: 0, 1, ....", extractEnum(numbers, false, 2, 2), "extractEnumLongFormWithLimitAndIndent")
	assert.Equal(t, "ENUM:\n    0\n    1, ....", extractEnum(numbers, true, 2, 2), "extractEnumSimpleFormWithLimitAndIndent")
	assert.Equal(t, "ENUM:\n    Block\n    File\n    \"\"",
		extractEnum(map[string]any{"enum": []any{"Block", "File", ""}}, true, -1, 0), "extractEnumSimpleFormEmptyString")
}

func TestExplainFieldDetail(t *testing.T) {
	parent := map[string]any{"type": "object", "description": "a description that should not be printed",
		"properties": map[string]any{"thefield": map[string]any{"type": "string", "description": "a description that should be printed"}},
		"required":   []any{"thefield"}}
	short := &explainer{recursive: true}
	long := &explainer{}
	assert.Equal(t, "thefield\t<string> -required-\n", short.fieldDetail("thefield", parent, 0), "Required")
	assert.Equal(t, "thefield\t<string> -required-\n  a description that should be printed\n\n", long.fieldDetail("thefield", parent, 0), "Description")
	assert.Equal(t, "          thefield\t<string> -required-\n", short.fieldDetail("thefield", parent, 5), "Indent")

	withDocs := map[string]any{"properties": map[string]any{"thefield": map[string]any{"type": "string",
		"description":  "a description that should be printed",
		"externalDocs": map[string]any{"description": "Find more info here", "url": "https://example.com/docs"}}}}
	assert.Equal(t, "thefield\t<string>\n  a description that should be printed\n\n  EXTERNAL DOCS:\n    Find more info here\n    URL: https://example.com/docs\n\n",
		long.fieldDetail("thefield", withDocs, 0), "FieldExternalDocs")
	assert.Equal(t, "thefield\t<string>\n", short.fieldDetail("thefield", withDocs, 0), "FieldExternalDocsShort")
}

// nestedWidget is upstream's nestedWidgetOpenAPI's Widget.
var nestedWidget = map[string]any{"type": "object", "properties": map[string]any{
	"name": map[string]any{"type": "string"},
	"meta": map[string]any{"type": "object", "properties": map[string]any{
		"id":   map[string]any{"type": "string"},
		"tags": map[string]any{"type": "object", "properties": map[string]any{"key": map[string]any{"type": "string"}}},
	}},
}}

// Upstream's MaxDepth cases, without the GROUP/KIND/VERSION header and
// the template's last newline, which explain adds around describeAll.
func TestExplainMaxDepth(t *testing.T) {
	unlimited := "DESCRIPTION:\n    <empty>\nFIELDS:\n  meta\t<Object>\n    id\t<string>\n    tags\t<Object>\n      key\t<string>\n  name\t<string>\n"
	cases := []struct {
		name      string
		recursive bool
		maxDepth  int
		want      string
	}{
		{"MaxDepthZeroIsUnlimited", true, 0, unlimited},
		{"MaxDepthOneStopsAtTopLevelFields", true, 1, "DESCRIPTION:\n    <empty>\nFIELDS:\n  meta\t<Object>\n  name\t<string>\n"},
		{"MaxDepthTwoExpandsOneLevelDeeper", true, 2, "DESCRIPTION:\n    <empty>\nFIELDS:\n  meta\t<Object>\n    id\t<string>\n    tags\t<Object>\n  name\t<string>\n"},
		{"MaxDepthLargerThanSchemaEqualsUnlimited", true, 100, unlimited},
		{"MaxDepthIgnoredWhenRecursiveFalse", false, 5,
			"DESCRIPTION:\n    <empty>\nFIELDS:\n  meta\t<Object>\n    <no description>\n\n  name\t<string>\n    <no description>\n\n"},
	}
	for _, c := range cases {
		e := &explainer{recursive: c.recursive, maxDepth: c.maxDepth}
		assert.Equal(t, c.want, e.output(nestedWidget, nil, nil), c.name)
	}
}

// A schema that refers to itself: --recursive follows the reference once
// on each path down and stops where it would repeat, as the template's
// history does (the top level is not reached through the reference, so
// its fields show twice).
func TestExplainRecursiveStopsAtCycle(t *testing.T) {
	node := map[string]any{"type": "object", "properties": map[string]any{
		"child": map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/x.Node"}}},
		"name":  map[string]any{"type": "string"},
	}}
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{"x.Node": node}}}
	e := &explainer{doc: doc, recursive: true}
	assert.Equal(t, "  child\t<Node>\n    child\t<Node>\n    name\t<string>\n  name\t<string>\n", e.fieldList(node, 1, nil))
	// A path through the reference is followed as far as it goes.
	assert.Contains(t, e.output(node, nil, []string{"child", "child", "name"}), "FIELD: name <string>")
	assert.Equal(t, "", e.output(node, nil, []string{"child", "nope"}))
}
