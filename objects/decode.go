package objects

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"
)

// DecodeErrorReason says which check a manifest failed.
type DecodeErrorReason string

// Reasons a DecodeError gives.
const (
	// DecodeSyntax means the text is not YAML or JSON (or is a YAML bomb,
	// whose aliases expand past what the apiserver would accept).
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
	// DecodeStrict means unknown fields, as the apiserver's strict field
	// validation reports them.
	DecodeStrict DecodeErrorReason = "Strict"
	// DecodeObjectCount means DecodeOne was given no object, or several.
	DecodeObjectCount DecodeErrorReason = "ObjectCount"
	// DecodeNotObject means a document is a JSON or YAML value other than a
	// mapping (a string, a list).
	DecodeNotObject DecodeErrorReason = "NotObject"
	// DecodeTypeMeta means apiVersion or kind is not a string.
	DecodeTypeMeta DecodeErrorReason = "TypeMeta"
	// DecodeTooLarge means a document is larger than the apiserver accepts
	// in one request (MaxObjectBytes).
	DecodeTooLarge DecodeErrorReason = "TooLarge"
	// DecodeTooMany means the input holds more than MaxManifestObjects
	// documents and List items.
	DecodeTooMany DecodeErrorReason = "TooMany"
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
	// for YAML syntax errors, else the document's first line. 0 when unknown.
	// (Message, like kubectl's, counts a YAML syntax error's line from the
	// start of its document.)
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
	// KindProblems lists, in the words of kubectl's client-side validation,
	// what is wrong with the document's apiVersion and kind ("kind not
	// set", "apiVersion isn't string type", "invalid object to validate"),
	// for DecodeMissingKind, DecodeMissingVersion, DecodeTypeMeta and
	// DecodeNotObject.
	KindProblems []string
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
// *Unstructured for others. It is [DecodeEach] made all or nothing: any
// error fails the whole input and nothing is returned with it. The error is
// always a *DecodeError: the first document's error, in input order.
//
// Decoding is what `kubectl apply -f` and a current apiserver do together:
// unknown fields are errors (kubectl sends fieldValidation=Strict), as are
// values of the wrong type and known kinds named with a version the API does
// not serve. A key given twice in one mapping is not an error: kubectl's
// YAML-to-JSON conversion keeps the last value, so the apiserver never sees
// the first.
//
// Typed objects come back with TypeMeta set to the kind's preferred
// apiVersion (a CronJob given as batch/v1beta1 comes back as batch/v1, as the
// apiserver would store it), and with values normalised as the apiserver
// stores them: quantities and timestamps in canonical form, empty lists and
// maps of omitempty fields dropped. Unstructured objects keep their
// apiVersion as written.
func Decode(data []byte) ([]Object, error) {
	decoded, err := DecodeEach(data)
	out := make([]Object, 0, len(decoded))
	for _, d := range decoded {
		if d.Err != nil {
			return nil, d.Err
		}
		out = append(out, d.Object)
	}
	if err != nil {
		return nil, err
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

// decodeValue decodes one JSON value that must be an object: a List (whose
// items are decoded in turn, each on its own) or a single object.
func decodeValue(tree any, raw []byte, at location) []Decoded {
	m, ok := tree.(map[string]any)
	if !ok {
		var target map[string]any
		err := json.Unmarshal(raw, &target)
		if err == nil {
			err = errors.New("json: cannot unmarshal null into Go value of type map[string]interface {}")
		}
		e := at.errorf(DecodeNotObject, "%s", err.Error())
		e.Err = err
		e.KindProblems = []string{notAnObjectProblem}
		return failed(e)
	}
	var tm TypeMeta
	if err := typeMetaFromTree(m, &tm); err != nil {
		e := at.errorf(DecodeTypeMeta, "%s", err.Error())
		e.Err = err
		e.KindProblems = kindProblems(m)
		return failed(e)
	}
	if problems := kindProblems(m); tm.Kind == "" || tm.APIVersion == "" {
		reason, format := DecodeMissingKind, "Object 'Kind' is missing in '%s'"
		if tm.Kind != "" {
			reason, format = DecodeMissingVersion, "Object 'apiVersion' is missing in '%s'"
		}
		e := at.errorf(reason, format, raw)
		e.Kind, e.Version = tm.Kind, tm.APIVersion
		e.KindProblems = problems
		return failed(e)
	}
	if items, isList := m["items"]; isList && strings.HasSuffix(tm.Kind, "List") {
		return decodeList(tm, items, at)
	}
	obj, err := decodeObject(tm, m, at)
	if err != nil {
		return failed(err)
	}
	return []Decoded{{Object: obj}}
}

// failed is the result of a document that did not decode.
func failed(e *DecodeError) []Decoded { return []Decoded{{Err: e}} }

// notAnObjectProblem is kubectl's validation message for a document that is
// not a mapping.
const notAnObjectProblem = "invalid object to validate"

// kindProblems lists what kubectl's client-side validation (getObjectKind in
// k8s.io/kubectl/pkg/validation) finds wrong with an object's apiVersion and
// kind, in its words; empty when both are usable strings.
func kindProblems(m map[string]any) []string {
	var out []string
	switch v := m[fieldAPIVersion].(type) {
	case nil:
		out = append(out, "apiVersion not set")
	case string:
		if strings.Count(v, "/") > 1 {
			out = append(out, "unexpected GroupVersion string: "+v)
		}
	default:
		out = append(out, "apiVersion isn't string type")
	}
	switch m[fieldKind].(type) {
	case nil:
		out = append(out, "kind not set")
	case string:
	default:
		out = append(out, "kind isn't string type")
	}
	return out
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

// decodeList decodes a List's items in order, each on its own: an item that
// fails does not stop the next, as kubectl's FlattenListVisitor goes on.
// Items that name neither kind nor apiVersion take them from the list
// ("PodList" items are Pods), as kubectl's unstructured list decoding does.
func decodeList(list TypeMeta, items any, at location) []Decoded {
	arr, ok := items.([]any)
	if !ok {
		if items == nil {
			return nil
		}
		e := at.errorf(DecodeInvalidType, "json: cannot unmarshal %s into Go struct field List.items of type []runtime.RawExtension", jsonTypeName(items))
		e.Kind, e.Version = list.Kind, list.APIVersion
		return failed(e)
	}
	itemKind := strings.TrimSuffix(list.Kind, "List")
	var out []Decoded
	for i, item := range arr {
		raw, err := marshalJSONTree(item)
		if err != nil {
			out = append(out, failed(at.errorf(DecodeSyntax, "%s", err.Error()))...)
			continue
		}
		if m, ok := item.(map[string]any); ok && itemKind != "" && m[fieldKind] == nil && m[fieldAPIVersion] == nil {
			item = withTypeMeta(m, list.APIVersion, itemKind)
		}
		out = append(out, decodeValue(item, raw, location{doc: at.doc, listIndex: i, line: at.line})...)
	}
	return out
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
func decodeObject(tm TypeMeta, m map[string]any, at location) (Object, *DecodeError) {
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
	if len(c.tooLarge) > 0 {
		return nil, at.errorf(DecodeInvalidType, "%s: %v", strings.Join(c.tooLarge, ", "), ErrQuantityTooLarge)
	}
	if err := remarshalTree(pruned, obj); err != nil {
		return nil, typeError(err, at)
	}
	if c.unknown { // else the strict decode has nothing to find
		if unknown := strictUnknownFields(m, reflect.TypeOf(obj).Elem()); len(unknown) > 0 {
			return nil, strictError(unknown, at)
		}
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
		if err := remarshalTree(map[string]any{fieldMetadata: pruned}, &wrapper); err != nil {
			return nil, typeError(err, at)
		}
		u.ObjectMeta = wrapper.Metadata
	}
	content, err := unstructuredContent(m)
	if err != nil {
		return nil, typeError(err, at)
	}
	u.Content = content
	if meta, ok := m[fieldMetadata]; ok && c.unknown {
		if unknown := strictUnknownFields(map[string]any{fieldMetadata: meta}, unstructuredMetaType); len(unknown) > 0 {
			return nil, strictError(unknown, at)
		}
	}
	return u, nil
}

// unstructuredMetaType is what strictly decodes an unstructured object's
// metadata.
var unstructuredMetaType = reflect.TypeOf(struct {
	Metadata ObjectMeta `json:"metadata"`
}{})

// objectMetaType is the Go type of metadata.
var objectMetaType = reflect.TypeOf(ObjectMeta{})

// typeError reports a value of the wrong type with the decoder's message,
// its Go type names spelled as upstream's (v1.Container, resource.Quantity).
func typeError(err error, at location) *DecodeError {
	e := at.errorf(DecodeInvalidType, "%s", upstreamTypeMessage(err))
	e.Err = err
	return e
}

// strictError reports unknown fields as the apiserver's strict decoding
// error lists them.
func strictError(problems []string, at location) *DecodeError {
	e := at.errorf(DecodeStrict, "strict decoding error: %s", strings.Join(problems, ", "))
	e.StrictErrors = problems
	return e
}
