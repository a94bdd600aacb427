package objects

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	sigsjson "sigs.k8s.io/json"
)

// Unknown fields are found by sigs.k8s.io/json's UnmarshalStrict, the
// decoder the apiserver's strict JSON serializer runs: its messages
// ("unknown field \"spec.containers[0].imagee\""), its order (document
// order; kubesim's trees are marshalled with sorted keys, as kubectl sends
// them), its de-duplication and its cap of 100 errors.

// strictUnknownFields decodes tree strictly into a new value of type t and
// returns the strict errors' messages. A tree the strict decoder cannot
// decode at all has none here: its type errors are reported by the
// decode of the checked tree.
func strictUnknownFields(tree any, t reflect.Type) []string {
	b, err := marshalJSONTree(tree)
	if err != nil {
		return nil
	}
	strictErrs, err := sigsjson.UnmarshalStrict(b, reflect.New(t).Interface(), sigsjson.DisallowUnknownFields)
	if err != nil {
		return nil
	}
	out := make([]string, len(strictErrs))
	for i, e := range strictErrs {
		out[i] = e.Error()
	}
	return out
}

// fieldChecker walks a decoded JSON tree alongside the Go type it is about
// to be decoded into, and
//
//   - returns the tree without the fields the type does not have (which
//     strictUnknownFields reports), so that encoding/json, which
//     matches field names case-insensitively, only sees exact names
//     (upstream's decoder is case-sensitive: "Spec" is unknown, not spec);
//   - normalises what the apiserver would normalise when storing the object:
//     values of types with their own JSON form (Quantity, Time, IntOrString)
//     are rewritten in canonical form, and empty lists and maps of omitempty
//     fields are dropped, since they would not survive a round trip.
//
// Values of the wrong JSON type are left alone for encoding/json to report.
// A fieldChecker is used for one object and is not safe to share.
type fieldChecker struct {
	// tooLarge lists quantities past MaxQuantityDigits, by path: they are
	// replaced by 0 in the tree so that decoding it cannot hang.
	tooLarge []string
	// root and path are where the walk stands: the path check was given,
	// then the steps below it.
	root string
	path []pathStep
	// unknown says an object had a key its struct type lacks. The strict
	// decode matches keys exactly as the checker does and goes where the
	// checker goes, so without one it finds nothing, and decoding skips
	// it (FuzzStrictDecodeNeedsUnknown checks this).
	unknown bool
}

// jsonField is what the checker needs to know about one struct field.
type jsonField struct {
	typ       reflect.Type
	omitEmpty bool
}

// newFieldChecker returns a checker.
func newFieldChecker() *fieldChecker {
	return &fieldChecker{path: make([]pathStep, 0, checkDepth)}
}

// checkDepth is as deep as the steps of most objects go
// (spec.template.spec.containers[0].resources.limits.cpu).
const checkDepth = 8

// structFields caches the JSON fields of each struct type (types are
// few); the maps it holds are read, never changed. A type's fields are a
// function of the type alone, so sharing them between calls changes no
// result, and each decode no longer works them out again.
var structFields memo[reflect.Type, map[string]jsonField]

var (
	jsonUnmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	jsonMarshalerType   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// check returns v, checked against and normalised for type t, at path.
func (c *fieldChecker) check(v any, t reflect.Type, path string) any {
	c.root, c.path = path, c.path[:0]
	out, _ := c.checkAt(v, t)
	return out
}

// pathStep is one step of the checker's walk: a field or key, or an
// element's index.
type pathStep struct {
	name    string
	index   int
	isIndex bool
}

// pathString spells the walk's current path as upstream prints paths:
// spec.containers[0].image. Only a quantity too large
// needs it, so the walk keeps its steps and spells them out then, rather
// than joining a string for every field it passes.
func (c *fieldChecker) pathString() string {
	b := []byte(c.root)
	for _, s := range c.path {
		switch {
		case s.isIndex:
			b = append(strconv.AppendInt(append(b, '['), int64(s.index), 10), ']')
		case len(b) > 0:
			b = append(append(b, '.'), s.name...)
		default:
			b = append(b, s.name...)
		}
	}
	return string(b)
}

// checkAt is check at the path the walk stands on. It returns v itself,
// and false, when v needs no change: an object the checker leaves as it is
// keeps its tree, copied only from the first value that differs.
func (c *fieldChecker) checkAt(v any, t reflect.Type) (any, bool) {
	pointer := false
	for t.Kind() == reflect.Pointer {
		t, pointer = t.Elem(), true
	}
	if v == nil && pointer {
		return nil, false // null leaves a pointer nil
	}
	if t == quantityType && c.quantityTooLarge(v) {
		return "0", true
	}
	if decodesItself(t) {
		out := canonicalLeaf(v, t)
		return out, !sameLeaf(v, out)
	}
	switch t.Kind() {
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			return c.checkStruct(m, t)
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			return c.checkObject(m, func(string) (reflect.Type, bool) { return t.Elem(), true })
		}
	case reflect.Slice, reflect.Array:
		if a, ok := v.([]any); ok && t.Elem().Kind() != reflect.Uint8 {
			return c.checkList(a, t.Elem())
		}
	}
	return v, false
}

// checkStep checks v one step down the path.
func (c *fieldChecker) checkStep(v any, t reflect.Type, step pathStep) (any, bool) {
	c.path = append(c.path, step)
	out, changed := c.checkAt(v, t)
	c.path = c.path[:len(c.path)-1]
	return out, changed
}

// checkStruct checks an object against struct type t.
func (c *fieldChecker) checkStruct(m map[string]any, t reflect.Type) (map[string]any, bool) {
	fields := c.fieldsOf(t)
	return c.checkObject(m, func(k string) (reflect.Type, bool) {
		f, known := fields[k]
		if !known {
			c.unknown = true
			return nil, false // reported by strictUnknownFields
		}
		if f.omitEmpty && isEmptyCollection(m[k], f.typ) {
			return nil, false
		}
		return f.typ, true
	})
}

// checkObject checks each value of m, in key order, against the type
// typeOf gives its key, dropping the keys it refuses. It returns m itself
// when it keeps every key and value as they are.
func (c *fieldChecker) checkObject(m map[string]any, typeOf func(string) (reflect.Type, bool)) (map[string]any, bool) {
	var buf [objectKeysOnStack]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)      // as sortedJSONKeys: quantities too large are listed in key order
	var out map[string]any // nil while every key so far is kept as it is
	for i, k := range keys {
		t, keep := typeOf(k)
		v, changed := m[k], !keep
		if keep {
			v, changed = c.checkStep(v, t, pathStep{name: k})
		}
		if changed && out == nil {
			out = make(map[string]any, len(m))
			for _, kept := range keys[:i] {
				out[kept] = m[kept]
			}
		}
		if out != nil && keep {
			out[k] = v
		}
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// checkList checks each element of a against type elem. It returns a
// itself when it keeps every element as it is.
func (c *fieldChecker) checkList(a []any, elem reflect.Type) ([]any, bool) {
	var out []any // nil while every element so far is kept as it is
	for i, e := range a {
		v, changed := c.checkStep(e, elem, pathStep{index: i, isIndex: true})
		if changed && out == nil {
			out = make([]any, len(a))
			copy(out, a[:i])
		}
		if out != nil {
			out[i] = v
		}
	}
	if out == nil {
		return a, false
	}
	return out, true
}

// sameLeaf reports whether canonicalising a JSON leaf gave it back as it
// was (a string, number, bool or null of the same value).
func sameLeaf(was, now any) bool {
	switch x := was.(type) {
	case string:
		y, ok := now.(string)
		return ok && x == y
	case json.Number:
		y, ok := now.(json.Number)
		return ok && x == y
	case bool:
		y, ok := now.(bool)
		return ok && x == y
	case nil:
		return now == nil
	}
	return false
}

// quantityType is the Go type of quantities.
var quantityType = reflect.TypeFor[Quantity]()

// quantityTooLarge records and reports a quantity past MaxQuantityDigits.
func (c *fieldChecker) quantityTooLarge(v any) bool {
	var text string
	switch x := v.(type) {
	case string:
		text = strings.TrimSpace(x)
	case json.Number:
		text = string(x)
	default:
		return false
	}
	if !quantityTextTooLarge(text) {
		return false
	}
	c.tooLarge = append(c.tooLarge, c.pathString())
	return true
}

// decodesItself reports whether t has its own JSON decoding (Time, Quantity,
// IntOrString), which makes it a leaf for the checker.
func decodesItself(t reflect.Type) bool {
	if t.Kind() == reflect.Interface {
		return true
	}
	pt := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshalerType) || pt.Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

// canonicalLeaf rewrites a value of a self-decoding type in the form that
// type prints, so that "1000m" CPU is stored as "1" and a timestamp loses
// its fraction of a second, as they do once the apiserver has stored them.
// Values the type cannot read are returned unchanged for the real decode to
// report. null is canonicalised too: a Quantity given as null decodes to
// zero and is stored as "0".
func canonicalLeaf(v any, t reflect.Type) any {
	if t.Kind() == reflect.Interface || !t.Implements(jsonMarshalerType) {
		return v
	}
	raw, err := marshalJSONTree(v)
	if err != nil {
		return v
	}
	p := reflect.New(t)
	if err := json.Unmarshal(raw, p.Interface()); err != nil {
		return v
	}
	canon, err := json.Marshal(p.Elem().Interface())
	if err != nil {
		return v
	}
	var out any
	if err := unmarshalJSONTree(canon, &out); err != nil {
		return v
	}
	return out
}

// isEmptyCollection reports whether v is an empty JSON list or object given
// for a slice or map field.
func isEmptyCollection(v any, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map:
	default:
		return false
	}
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// fieldsOf returns the JSON fields of struct type t by name.
func (c *fieldChecker) fieldsOf(t reflect.Type) map[string]jsonField {
	if f, ok := structFields.get(t); ok {
		return f
	}
	f := dominantFields(collectFieldCandidates(t))
	structFields.put(t, f)
	return f
}

// fieldCandidate is one struct field that may carry a JSON name, found at
// some depth of embedding.
type fieldCandidate struct {
	name   string
	depth  int
	tagged bool
	field  jsonField
}

// collectFieldCandidates lists the JSON-visible fields of t, walking embedded
// structs breadth first as encoding/json does: an embedded struct without a
// JSON name (like TypeMeta with `json:",inline"`) lends its fields to t.
func collectFieldCandidates(t reflect.Type) []fieldCandidate {
	var out []fieldCandidate
	visited := map[reflect.Type]bool{}
	level := []reflect.Type{t}
	for depth := 0; len(level) > 0; depth++ {
		var next []reflect.Type
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := 0; i < st.NumField(); i++ {
				cand, embedded, ok := fieldCandidateOf(st.Field(i), depth)
				switch {
				case embedded != nil:
					next = append(next, embedded)
				case ok:
					out = append(out, cand)
				}
			}
		}
		level = next
	}
	return out
}

// fieldCandidateOf describes one struct field: either a JSON field, or an
// embedded struct whose fields are promoted (returned as embedded), or
// nothing (ok false) for fields encoding/json ignores.
func fieldCandidateOf(sf reflect.StructField, depth int) (cand fieldCandidate, embedded reflect.Type, ok bool) {
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return fieldCandidate{}, nil, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	ft := sf.Type
	if sf.Anonymous {
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if !sf.IsExported() && ft.Kind() != reflect.Struct {
			return fieldCandidate{}, nil, false
		}
		if name == "" && ft.Kind() == reflect.Struct {
			return fieldCandidate{}, ft, false
		}
	} else if !sf.IsExported() {
		return fieldCandidate{}, nil, false
	}
	tagged := name != ""
	if !tagged {
		name = sf.Name
	}
	omitEmpty := false
	for _, o := range strings.Split(opts, ",") {
		omitEmpty = omitEmpty || o == "omitempty"
	}
	return fieldCandidate{name: name, depth: depth, tagged: tagged,
		field: jsonField{typ: sf.Type, omitEmpty: omitEmpty}}, nil, true
}

// dominantFields resolves fields sharing a name as encoding/json does: the
// shallowest wins, then the tagged one; a tie hides them all.
func dominantFields(cands []fieldCandidate) map[string]jsonField {
	byName := map[string][]fieldCandidate{}
	for _, c := range cands {
		byName[c.name] = append(byName[c.name], c)
	}
	out := make(map[string]jsonField, len(byName))
	for name, cs := range byName {
		if f, ok := dominantField(cs); ok {
			out[name] = f
		}
	}
	return out
}

// dominantField picks the field that wins among candidates sharing a name.
func dominantField(cs []fieldCandidate) (jsonField, bool) {
	minDepth := cs[0].depth
	for _, c := range cs {
		minDepth = min(minDepth, c.depth)
	}
	var shallow []fieldCandidate
	for _, c := range cs {
		if c.depth == minDepth {
			shallow = append(shallow, c)
		}
	}
	if len(shallow) == 1 {
		return shallow[0].field, true
	}
	var tagged []fieldCandidate
	for _, c := range shallow {
		if c.tagged {
			tagged = append(tagged, c)
		}
	}
	if len(tagged) == 1 {
		return tagged[0].field, true
	}
	return jsonField{}, false
}

// yamlLineRe finds the line number in the YAML parser's messages ("yaml:
// line 7: ...").
var yamlLineRe = regexp.MustCompile(`yaml: line (\d+)`)

// yamlError reports a YAML syntax error of the document starting at
// startLine. The message keeps the parser's line, counted from the start of
// the document as kubectl prints it; Line counts from the start of the input.
func yamlError(err error, doc, startLine int, prefix string) *DecodeError {
	line := startLine
	if sub := yamlLineRe.FindStringSubmatch(err.Error()); sub != nil {
		if n, convErr := strconv.Atoi(sub[1]); convErr == nil {
			line = startLine - 1 + n
		}
	}
	return &DecodeError{Reason: DecodeSyntax, Doc: doc, ListIndex: -1, Line: line, Message: prefix + err.Error(), Err: err}
}

// goTypeNames maps kubesim's Go type names to the names upstream's types
// carry, so that "of type []objects.Container" reads "of type []v1.Container"
// as the apiserver prints it. Longer names come first: the replacer tries
// them in order.
var goTypeNames = strings.NewReplacer(
	"objects.Quantity", "resource.Quantity",
	"objects.", "v1.",
)

// upstreamTypeMessage returns err's message with Go type names spelled as
// upstream's.
func upstreamTypeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Type != nil {
		return strings.Replace(err.Error(), "of type "+te.Type.String(), "of type "+goTypeNames.Replace(te.Type.String()), 1)
	}
	return err.Error()
}

// jsonTypeName names the JSON type of a decoded value as encoding/json's
// errors do ("string", "number", "object"...).
func jsonTypeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "number"
}
