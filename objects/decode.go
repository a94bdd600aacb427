package objects

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"

	"sigs.k8s.io/yaml"
)

// DecodeErrorReason says which check a manifest failed.
type DecodeErrorReason string

// Reasons a DecodeError gives.
const (
	// DecodeSyntax means the text is not YAML or JSON, or a document is not an object.
	DecodeSyntax DecodeErrorReason = "Syntax"
	// DecodeMissingKind means a document has no kind.
	DecodeMissingKind DecodeErrorReason = "MissingKind"
	// DecodeMissingVersion means a document has no apiVersion.
	DecodeMissingVersion DecodeErrorReason = "MissingVersion"
	// DecodeNoKindMatch means a known kind is named with a version the API does not serve.
	DecodeNoKindMatch DecodeErrorReason = "NoKindMatch"
	// DecodeInvalidType means a field holds a value of the wrong type, or one its
	// type cannot parse (a bad quantity or timestamp), or apiVersion/kind are
	// not strings.
	DecodeInvalidType DecodeErrorReason = "InvalidType"
	// DecodeStrict means unknown or duplicate fields, as the apiserver's strict
	// field validation reports them.
	DecodeStrict DecodeErrorReason = "Strict"
	// DecodeObjectCount means DecodeOne was given no object, or several.
	DecodeObjectCount DecodeErrorReason = "ObjectCount"
)

// DecodeError reports why a manifest could not be decoded. Error() gives the
// text the apiserver or kubectl prints; the fields let a caller format it as
// kubectl does (`error: resource mapping not found for name: "x" namespace:
// "" from "file.yaml": no matches for kind "Pod" in version "v2"`).
//
// +kubebuilder:object:generate=false
type DecodeError struct {
	Reason DecodeErrorReason
	// Doc is the 0-based index of the document ("---"-separated, or one JSON
	// value of a stream) in the input.
	Doc int
	// ListIndex is the position of the object among a List's items, or -1
	// when the object is not a List item.
	ListIndex int
	// Line is the 1-based line of the input the problem was found on: exact
	// for YAML syntax errors and duplicate fields, else the document's first
	// line. 0 when unknown.
	Line int
	// Kind and Version are the object's kind and apiVersion as written ("" if
	// absent); Name and Namespace its metadata, when they could be read.
	Kind, Version   string
	Name, Namespace string
	// Message is the decoder's own message, without the apiserver's
	// `<Kind> in version "<v>" cannot be handled as a <Kind>: ` prefix.
	Message string
	// StrictErrors lists each strict-decoding problem (`unknown field
	// "spec.foo"`) when Reason is DecodeStrict.
	StrictErrors []string
	// Err is the underlying error, when there is one (a *json.UnmarshalTypeError...).
	Err error
}

// Error prints the message as the apiserver or kubectl would.
func (e *DecodeError) Error() string {
	switch e.Reason {
	case DecodeNoKindMatch:
		return fmt.Sprintf("no matches for kind %q in version %q", e.Kind, e.Version)
	case DecodeStrict, DecodeInvalidType:
		if e.Kind != "" {
			return fmt.Sprintf("%s in version %q cannot be handled as a %s: %s", e.Kind, versionOf(e.Version), e.Kind, e.Message)
		}
	}
	return e.Message
}

// Unwrap returns the underlying error, if any.
func (e *DecodeError) Unwrap() error { return e.Err }

// versionOf returns the version part of an apiVersion ("apps/v1" -> "v1"),
// which is what the apiserver names in its decode errors.
func versionOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[i+1:]
	}
	return apiVersion
}

// Decode reads one or more YAML or JSON documents (separated by "---" lines;
// empty documents skipped; a `kind: List` with `items` expands to its items)
// and returns typed objects for modelled kinds (via scheme's NewObject) and
// *Unstructured for others.
//
// Decoding is strict, as `kubectl apply` against a current apiserver is:
// unknown and duplicate fields are errors, as are values of the wrong type
// and known kinds named with a version the API does not serve. Any error
// fails the whole input: nothing is returned with it. The error is always a
// *DecodeError.
//
// Typed objects come back with TypeMeta set to the kind's preferred
// apiVersion (a CronJob given as batch/v1beta1 comes back as batch/v1, as the
// apiserver would store it), and with values normalised as the apiserver
// stores them: quantities and timestamps in canonical form, empty lists and
// maps of omitempty fields dropped. Unstructured objects keep their
// apiVersion as written.
func Decode(data []byte) ([]Object, error) {
	docs, err := splitDocuments(data)
	if err != nil {
		return nil, err
	}
	var out []Object
	for _, doc := range docs {
		objs, err := decodeDocument(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

// DecodeOne decodes data, which must hold exactly one object.
func DecodeOne(data []byte) (Object, error) {
	objs, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if len(objs) != 1 {
		return nil, &DecodeError{Reason: DecodeObjectCount, ListIndex: -1,
			Message: fmt.Sprintf("expected exactly one object, found %d", len(objs))}
	}
	return objs[0], nil
}

// Encode returns obj as the API prints it: compact JSON with apiVersion,
// kind, metadata, then the kind's other fields (spec, status) in declaration
// order. A typed object whose TypeMeta is empty is printed with its kind's
// preferred apiVersion and kind, without changing obj.
func Encode(obj Object) ([]byte, error) {
	if obj == nil || reflect.ValueOf(obj).IsNil() {
		return nil, errors.New("cannot encode a nil object")
	}
	if obj.GetTypeMeta().Kind == "" {
		if info, ok := kindOfType(reflect.TypeOf(obj)); ok {
			obj = obj.DeepCopyObject()
			*obj.GetTypeMeta() = TypeMeta{APIVersion: info.APIVersion(), Kind: info.Kind}
		}
	}
	return json.Marshal(obj)
}

// EncodeYAML returns obj as `kubectl get -o yaml` prints it: the JSON
// encoding as YAML, fields ordered by name.
func EncodeYAML(obj Object) ([]byte, error) {
	b, err := Encode(obj)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(b)
}

// kindOfType finds the modelled kind whose objects have Go type t.
func kindOfType(t reflect.Type) (KindInfo, bool) {
	for _, k := range Kinds() {
		if k.Modelled() && reflect.TypeOf(k.New()) == t {
			return k, true
		}
	}
	return KindInfo{}, false
}

// document is one YAML document or JSON value of the input, as JSON.
type document struct {
	index int    // 0-based position in the input
	line  int    // 1-based line of the input the document starts on
	json  []byte // the document converted to JSON
	yaml  []byte // the document's YAML text, nil when it was read as JSON
}

// splitDocuments cuts data into documents as kubectl's YAMLOrJSONDecoder
// does: input starting with "{" is first tried as a stream of JSON values;
// anything else, or JSON that fails to parse, is read as "---"-separated
// YAML. When both fail, the JSON error is the one reported, as upstream.
func splitDocuments(data []byte) ([]document, error) {
	trimmed := bytes.TrimLeftFunc(data, unicode.IsSpace)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return yamlDocuments(data)
	}
	docs, jsonErr := jsonDocuments(data)
	if jsonErr == nil {
		return docs, nil
	}
	if len(docs) > 1 {
		// More than one JSON value parsed: unambiguously JSON.
		return nil, jsonErr
	}
	docs, err := yamlDocuments(data)
	if err != nil {
		return nil, jsonErr
	}
	return docs, nil
}

// jsonDocuments reads data as a stream of JSON values. On error it returns
// the values read so far with the error.
func jsonDocuments(data []byte) ([]document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var docs []document
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return docs, jsonStreamError(err, len(docs), data)
		}
		skipped := len(data[start:]) - len(bytes.TrimLeftFunc(data[start:], unicode.IsSpace))
		line := 1 + bytes.Count(data[:int(start)+skipped], []byte("\n"))
		docs = append(docs, document{index: len(docs), line: line, json: raw})
	}
}

// jsonStreamError wraps a JSON parse error as upstream's JSONSyntaxError
// prints it ("json: offset 42: invalid character...").
func jsonStreamError(err error, doc int, data []byte) *DecodeError {
	e := &DecodeError{Reason: DecodeSyntax, Doc: doc, ListIndex: -1, Message: err.Error(), Err: err}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		e.Message = fmt.Sprintf("json: offset %d: %s", syntax.Offset, syntax.Error())
		if off := int(syntax.Offset); off >= 0 && off <= len(data) {
			e.Line = 1 + bytes.Count(data[:off], []byte("\n"))
		}
	}
	return e
}

// yamlDocuments splits data on "---" lines, as upstream's YAMLReader does,
// and converts each non-empty document to JSON.
func yamlDocuments(data []byte) ([]document, error) {
	chunks, err := splitYAML(data)
	if err != nil {
		return nil, err
	}
	var docs []document
	for _, c := range chunks {
		j, err := yaml.YAMLToJSON(c.text)
		if err != nil {
			return nil, yamlError(err, len(docs), c.line, "error converting YAML to JSON: ")
		}
		if string(j) == "null" {
			continue // empty document, or only comments
		}
		docs = append(docs, document{index: len(docs), line: c.line, json: j, yaml: c.text})
	}
	return docs, nil
}

// yamlChunk is the text of one YAML document and the line it starts on.
type yamlChunk struct {
	text []byte
	line int
}

// splitYAML cuts data at lines that start with "---" followed only by spaces
// or a comment. Like upstream, a "---" line followed by anything else is an
// error rather than a silently merged document.
func splitYAML(data []byte) ([]yamlChunk, error) {
	var chunks []yamlChunk
	var cur bytes.Buffer
	start := 1
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, line := range lines {
		if !bytes.HasPrefix(line, []byte("---")) {
			cur.Write(line)
			continue
		}
		rest := strings.TrimSpace(string(line[3:]))
		if rest != "" && rest[0] != '#' {
			return nil, &DecodeError{Reason: DecodeSyntax, Doc: len(chunks), ListIndex: -1, Line: i + 1,
				Message: "invalid Yaml document separator: " + rest}
		}
		chunks = append(chunks, yamlChunk{text: bytes.Clone(cur.Bytes()), line: start})
		cur.Reset()
		start = i + 2
	}
	return append(chunks, yamlChunk{text: cur.Bytes(), line: start}), nil
}

// decodeDocument decodes the object, or the List's items, one document holds.
func decodeDocument(doc document) ([]Object, error) {
	var tree any
	if err := unmarshalJSONTree(doc.json, &tree); err != nil {
		return nil, &DecodeError{Reason: DecodeSyntax, Doc: doc.index, ListIndex: -1, Line: doc.line, Message: err.Error(), Err: err}
	}
	if tree == nil {
		return nil, nil // a JSON null in a stream
	}
	dups, err := duplicateFields(doc)
	if err != nil {
		return nil, err
	}
	at := location{doc: doc.index, listIndex: -1, line: doc.line, dups: dups}
	return decodeValue(tree, doc.json, at)
}

// location says where an object sits in the input, for error reports, and
// carries the duplicate-field errors found in its document.
type location struct {
	doc, listIndex, line int
	dups                 []string
}

// errorf builds a DecodeError at this location.
func (at location) errorf(reason DecodeErrorReason, format string, args ...any) *DecodeError {
	return &DecodeError{Reason: reason, Doc: at.doc, ListIndex: at.listIndex, Line: at.line,
		Message: fmt.Sprintf(format, args...)}
}

// duplicateFields finds fields given twice in the document, as the
// apiserver's strict decoding does: through the YAML parser's strict mode for
// YAML (its message names the line, which is made relative to the whole
// input), by walking the tokens for JSON.
func duplicateFields(doc document) ([]string, error) {
	if doc.yaml == nil {
		return jsonDuplicateFields(doc.json), nil
	}
	if _, err := yaml.YAMLToJSONStrict(doc.yaml); err != nil {
		msg, _ := shiftYAMLLines(err.Error(), doc.line-1)
		return []string{msg}, nil
	}
	return nil, nil
}

// decodeValue decodes one JSON value that must be an object: a List (whose
// items are decoded in turn) or a single object.
func decodeValue(tree any, raw []byte, at location) ([]Object, error) {
	m, ok := tree.(map[string]any)
	if !ok {
		var target map[string]any
		err := json.Unmarshal(raw, &target)
		if err == nil {
			err = errors.New("json: cannot unmarshal null into Go value of type map[string]interface {}")
		}
		e := at.errorf(DecodeSyntax, "%s", err.Error())
		e.Err = err
		return nil, e
	}
	var tm TypeMeta
	if err := typeMetaFromTree(m, &tm); err != nil {
		e := at.errorf(DecodeInvalidType, "%s", err.Error())
		e.Err = err
		return nil, e
	}
	if tm.Kind == "" {
		return nil, at.errorf(DecodeMissingKind, "Object 'Kind' is missing in '%s'", raw)
	}
	if tm.APIVersion == "" {
		return nil, at.errorf(DecodeMissingVersion, "Object 'apiVersion' is missing in '%s'", raw)
	}
	if items, isList := m["items"]; isList && strings.HasSuffix(tm.Kind, "List") {
		return decodeList(tm, items, at)
	}
	obj, err := decodeObject(tm, m, at)
	if err != nil {
		return nil, err
	}
	return []Object{obj}, nil
}

// typeMetaFromTree reads apiVersion and kind, which must be strings when
// present. A non-string gets the message the apiserver's kind sniffing gives.
func typeMetaFromTree(m map[string]any, tm *TypeMeta) error {
	for _, f := range []struct {
		name string
		dst  *string
	}{{fieldAPIVersion, &tm.APIVersion}, {fieldKind, &tm.Kind}} {
		switch v := m[f.name].(type) {
		case nil:
		case string:
			*f.dst = v
		default:
			var probe struct {
				APIVersion string `json:"apiVersion,omitempty"`
				Kind       string `json:"kind,omitempty"`
			}
			err := remarshalJSON(map[string]any{f.name: v}, &probe)
			return fmt.Errorf("couldn't get version/kind; json parse error: %v", err)
		}
	}
	return nil
}

// decodeList decodes a List's items in order. Items that name neither kind
// nor apiVersion take them from the list ("PodList" items are Pods), as
// kubectl's unstructured list decoding does.
func decodeList(list TypeMeta, items any, at location) ([]Object, error) {
	arr, ok := items.([]any)
	if !ok {
		if items == nil {
			return nil, nil
		}
		e := at.errorf(DecodeInvalidType, "json: cannot unmarshal %s into Go struct field List.items of type []runtime.RawExtension", jsonTypeName(items))
		e.Kind, e.Version = list.Kind, list.APIVersion
		return nil, e
	}
	if len(at.dups) > 0 {
		e := strictError(at.dups, at)
		e.Kind, e.Version = list.Kind, list.APIVersion
		return nil, e
	}
	itemKind := strings.TrimSuffix(list.Kind, "List")
	var out []Object
	for i, item := range arr {
		raw, err := json.Marshal(item)
		if err != nil {
			return nil, at.errorf(DecodeSyntax, "%s", err.Error())
		}
		if m, ok := item.(map[string]any); ok && itemKind != "" && m[fieldKind] == nil && m[fieldAPIVersion] == nil {
			item = withTypeMeta(m, list.APIVersion, itemKind)
		}
		objs, err := decodeValue(item, raw, location{doc: at.doc, listIndex: i, line: at.line})
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

// withTypeMeta returns a shallow copy of m with apiVersion and kind set.
func withTypeMeta(m map[string]any, apiVersion, kind string) map[string]any {
	out := make(map[string]any, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	out[fieldAPIVersion], out[fieldKind] = apiVersion, kind
	return out
}

// decodeObject decodes one object: typed when kubesim models its kind,
// Unstructured otherwise. A registered kind must be named with a version the
// API serves for it.
func decodeObject(tm TypeMeta, m map[string]any, at location) (Object, error) {
	info, registered := LookupKind(tm.Kind)
	if registered && !servesVersion(info, tm.APIVersion) {
		e := at.errorf(DecodeNoKindMatch, "no matches for kind %q in version %q", tm.Kind, tm.APIVersion)
		e.Kind, e.Version = tm.Kind, tm.APIVersion
		e.Name, e.Namespace = metadataString(m, "name"), metadataString(m, "namespace")
		return nil, e
	}
	var obj Object
	var err *DecodeError
	if registered && info.Modelled() {
		obj, err = decodeTyped(info, m, at)
	} else {
		obj, err = decodeUnstructured(tm, m, at)
	}
	if err != nil {
		err.Kind, err.Version = tm.Kind, tm.APIVersion
		err.Name, err.Namespace = metadataString(m, "name"), metadataString(m, "namespace")
		return nil, err
	}
	return obj, nil
}

// servesVersion reports whether apiVersion names the kind's group with its
// preferred version or one of its other served versions.
func servesVersion(info KindInfo, apiVersion string) bool {
	if apiVersion == info.APIVersion() {
		return true
	}
	for _, v := range info.OtherVersions {
		other := info
		other.Version = v
		if apiVersion == other.APIVersion() {
			return true
		}
	}
	return false
}

// metadataString returns metadata.<field> when it is a string, else "".
func metadataString(m map[string]any, field string) string {
	meta, _ := m[fieldMetadata].(map[string]any)
	s, _ := meta[field].(string)
	return s
}

// decodeTyped decodes m into a new object of a modelled kind. Type errors
// win over strict errors, as in the apiserver, which only reports unknown
// fields once the object decoded.
func decodeTyped(info KindInfo, m map[string]any, at location) (Object, *DecodeError) {
	obj, _ := NewObject(info.Kind)
	c := newFieldChecker()
	pruned := c.check(m, reflect.TypeOf(obj).Elem(), "")
	if err := remarshalJSON(pruned, obj); err != nil {
		return nil, typeError(err, at)
	}
	if strict := append(append([]string{}, at.dups...), c.unknown...); len(strict) > 0 {
		return nil, strictError(strict, at)
	}
	*obj.GetTypeMeta() = TypeMeta{APIVersion: info.APIVersion(), Kind: info.Kind}
	return obj, nil
}

// decodeUnstructured keeps m as an Unstructured. Its metadata is decoded
// strictly, as the apiserver decodes every object's metadata; the rest is
// kept as given.
func decodeUnstructured(tm TypeMeta, m map[string]any, at location) (Object, *DecodeError) {
	u := &Unstructured{TypeMeta: tm}
	c := newFieldChecker()
	if meta, ok := m[fieldMetadata]; ok {
		// Decoding through a wrapper makes type errors read as decoding the
		// whole object would: "Go struct field Unstructured.metadata" or
		// "ObjectMeta.metadata.name". The local type shadows the package's
		// on purpose, for that name.
		type Unstructured struct {
			Metadata ObjectMeta `json:"metadata"`
		}
		var wrapper Unstructured
		pruned := c.check(meta, objectMetaType, fieldMetadata)
		if err := remarshalJSON(map[string]any{fieldMetadata: pruned}, &wrapper); err != nil {
			return nil, typeError(err, at)
		}
		u.ObjectMeta = wrapper.Metadata
	}
	content, err := unstructuredContent(m)
	if err != nil {
		return nil, typeError(err, at)
	}
	u.Content = content
	if strict := append(append([]string{}, at.dups...), c.unknown...); len(strict) > 0 {
		return nil, strictError(strict, at)
	}
	return u, nil
}

// objectMetaType is the Go type of metadata.
var objectMetaType = reflect.TypeOf(ObjectMeta{})

// typeError reports a value of the wrong type with the decoder's message,
// its Go type names spelled as upstream's (v1.Container, resource.Quantity).
func typeError(err error, at location) *DecodeError {
	e := at.errorf(DecodeInvalidType, "%s", upstreamTypeMessage(err))
	e.Err = err
	return e
}

// strictError reports unknown and duplicate fields as the apiserver's
// strict decoding error lists them.
func strictError(problems []string, at location) *DecodeError {
	e := at.errorf(DecodeStrict, "strict decoding error: %s", strings.Join(problems, ", "))
	e.StrictErrors = problems
	if len(at.dups) > 0 {
		if _, line := shiftYAMLLines(at.dups[0], 0); line > 0 {
			e.Line = line
		}
	}
	return e
}
