package objects

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

// Decoding encodes JSON trees (what unmarshalJSONTree reads: maps of
// string keys, lists, strings, json.Numbers, bools and nulls) several
// times: the checked tree to decode it into its type, a List's items, a
// tree for the strict decode. encoding/json walks such a tree by
// reflection and copies every map key and value it visits; marshalJSONTree
// writes the same bytes with a type switch.

// treeBufferSize is where a tree's encoding starts: a typical manifest's
// JSON fits.
const treeBufferSize = 1024

// marshalJSONTree returns json.Marshal(tree): the same bytes, or the same
// error.
func marshalJSONTree(tree any) ([]byte, error) {
	b, ok := appendJSONTree(make([]byte, 0, treeBufferSize), tree)
	if !ok {
		// A value of another type, or a number encoding/json refuses:
		// its own answer, error included.
		return json.Marshal(tree)
	}
	return b, nil
}

// remarshalTree decodes a JSON tree into the typed value v by way of its
// encoding, as remarshalJSON does.
func remarshalTree(tree, v any) error {
	b, err := marshalJSONTree(tree)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// appendJSONTree appends v's encoding as encoding/json writes it: map keys
// sorted, strings HTML-safe. It reports false, having appended part of it,
// for a value it does not write exactly as encoding/json would.
func appendJSONTree(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case string:
		return appendJSONString(b, x), true
	case bool:
		if x {
			return append(b, "true"...), true
		}
		return append(b, "false"...), true
	case json.Number:
		if x == "" {
			return append(b, '0'), true // encoding/json's zero Number
		}
		if !validJSONNumber(string(x)) {
			return b, false
		}
		return append(b, x...), true
	case []any:
		return appendJSONList(b, x)
	case map[string]any:
		return appendJSONObject(b, x)
	}
	return b, false
}

func appendJSONList(b []byte, list []any) ([]byte, bool) {
	if list == nil {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	for i, e := range list {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendJSONTree(b, e); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

// objectKeysOnStack is how many keys an object may have for their sorting
// to need no allocation.
const objectKeysOnStack = 16

func appendJSONObject(b []byte, m map[string]any) ([]byte, bool) {
	if m == nil {
		return append(b, "null"...), true
	}
	var buf [objectKeysOnStack]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // encoding/json's order: by the keys' bytes
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, k), ':')
		var ok bool
		if b, ok = appendJSONTree(b, m[k]); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

// hexDigits spells the \u00XX escapes.
const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json writes strings: the
// short escapes, \u00XX for other control characters and the HTML-unsafe
// < > &, \ufffd for each byte of invalid UTF-8, U+2028 and U+2029 escaped.
// quotedLen measures the same.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is yet to be copied
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiEscapeExtra[c] == 0 {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// validJSONNumber reports whether s is a JSON number (RFC 8259 section 6):
// an optional minus, an integer without leading zeros, an optional
// fraction, an optional exponent. encoding/json refuses to write a
// json.Number that is not one.
func validJSONNumber(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = trimDigits(s)
	default:
		return false
	}
	if len(s) > 0 && s[0] == '.' {
		digits := s[1:]
		if s = trimDigits(digits); len(s) == len(digits) {
			return false // a point without digits
		}
	}
	if len(s) > 0 && (s[0] == 'e' || s[0] == 'E') {
		digits := s[1:]
		if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
			digits = digits[1:]
		}
		if s = trimDigits(digits); len(s) == len(digits) {
			return false // an exponent without digits
		}
	}
	return s == ""
}

// trimDigits removes the decimal digits s starts with.
func trimDigits(s string) string {
	for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
		s = s[1:]
	}
	return s
}

// yamlToTree converts one YAML document as yamlToJSON does (its guard
// against aliases included) and returns with the JSON the tree
// unmarshalJSONTree would read back from it, built straight from the parsed
// YAML rather than by encoding it and parsing that. It parses as
// sigs.k8s.io/yaml's YAMLToJSON does (go.yaml.in/yaml/v2 into an empty
// interface) and takes the documents whose values all carry over unchanged:
// string keys, valid UTF-8, numbers, bools, nulls. Anything else (a key of
// another type, a timestamp or binary tag, an error) goes through
// yamlToJSON, and the tree is nil. FuzzYAMLToTree checks it against
// yamlToJSON and unmarshalJSONTree.
func yamlToTree(text []byte) (doc []byte, tree any, err error) {
	var parsed any
	if !aliasesExpandTooFar(text) && yamlv2.Unmarshal(text, &parsed) == nil {
		if tree, ok := jsonTreeOfYAML(parsed); ok {
			if doc, ok := appendJSONTree(make([]byte, 0, treeBufferSize), tree); ok {
				return doc, tree, nil
			}
		}
	}
	doc, err = yamlToJSON(text)
	return doc, nil, err
}

// jsonTreeOfYAML is v as it comes out of encoding to JSON and decoding back
// with numbers kept as json.Number, for the values that pass through
// unchanged; false for any other.
func jsonTreeOfYAML(v any) (any, bool) {
	switch x := v.(type) {
	case nil, bool:
		return x, true
	case string:
		return x, utf8.ValidString(x) // encoding/json replaces invalid bytes
	case int:
		return json.Number(strconv.Itoa(x)), true
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), true
	case uint64:
		return json.Number(strconv.FormatUint(x, 10)), true
	case float64:
		b, err := json.Marshal(x) // its own spelling of floats; NaN and infinities refused
		return json.Number(b), err == nil
	case []any:
		if x == nil {
			return nil, true
		}
		out := make([]any, len(x))
		for i, e := range x {
			var ok bool
			if out[i], ok = jsonTreeOfYAML(e); !ok {
				return nil, false
			}
		}
		return out, true
	case map[any]any:
		if x == nil {
			return nil, true
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			key, ok := k.(string)
			if !ok || !utf8.ValidString(key) {
				return nil, false // converted by sigs.k8s.io/yaml's own rules
			}
			if out[key], ok = jsonTreeOfYAML(e); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}
