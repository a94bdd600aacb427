package printers

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"k8s.io/client-go/util/jsonpath"
)

// client-go's jsonpath walks a map's values in reflect's MapKeys order,
// which Go randomises: kubectl's `{.metadata.labels.*}` and `{..image}`
// print in a different order from one run to the next. kubesim must print
// the same bytes every run, so templates run on an ordered copy of the
// tree: every JSON object becomes a struct whose fields are its keys in
// sorted order, tagged with the key (client-go finds a struct's field by
// its json tag, and walks a struct's fields in order). What the engine
// finds is turned back into plain maps before it is printed, so values
// print exactly as kubectl prints them; an error is taken from a run on
// the plain tree, so its words (which print values) are upstream's too.

// orderedTrees builds and remembers the struct types standing for objects.
type orderedTrees struct {
	// byKeys is the struct type for a sorted key list, joined by NUL.
	byKeys map[string]reflect.Type
	// keysOf is the key of each field of a struct type, in field order.
	keysOf map[reflect.Type][]string
}

// newOrderedTrees returns an empty type cache; one serves one printing.
func newOrderedTrees() *orderedTrees {
	return &orderedTrees{byKeys: map[string]reflect.Type{}, keysOf: map[reflect.Type][]string{}}
}

// anyType is the type of every field of an ordered object.
var anyType = reflect.TypeFor[any]()

// ordered returns v with its objects as ordered structs. An object with a
// key that cannot be a json tag (empty, or with a quote, comma or other
// character encoding/json refuses in tags) stays a map: no Kubernetes
// field or label key is one.
func (o *orderedTrees) ordered(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if !validTagKey(k) {
				return o.orderedValues(x)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		s := reflect.New(o.structFor(keys)).Elem()
		for i, k := range keys {
			if e := o.ordered(x[k]); e != nil {
				s.Field(i).Set(reflect.ValueOf(e))
			}
		}
		return s.Interface()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = o.ordered(e)
		}
		return out
	}
	return v
}

// orderedValues orders the values of a map kept as a map.
func (o *orderedTrees) orderedValues(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = o.ordered(e)
	}
	return out
}

// structFor returns the struct type for sorted keys: field i is named
// "Ξi" (exported, and no template names it) and tagged with key i.
func (o *orderedTrees) structFor(keys []string) reflect.Type {
	id := strings.Join(keys, "\x00")
	if t, ok := o.byKeys[id]; ok {
		return t
	}
	fields := make([]reflect.StructField, len(keys))
	for i, k := range keys {
		fields[i] = reflect.StructField{Name: "Ξ" + strconv.Itoa(i), Type: anyType,
			Tag: reflect.StructTag(`json:"` + k + `"`)}
	}
	t := reflect.StructOf(fields)
	o.byKeys[id], o.keysOf[t] = t, keys
	return t
}

// plain turns an ordered value back into maps and lists.
func (o *orderedTrees) plain(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = o.plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = o.plain(e)
		}
		return out
	case nil:
		return nil
	}
	rv := reflect.ValueOf(v)
	keys, ok := o.keysOf[rv.Type()]
	if !ok {
		return v
	}
	out := make(map[string]any, len(keys))
	for i, k := range keys {
		out[k] = o.plain(rv.Field(i).Interface())
	}
	return out
}

// plainResults turns what the engine found back into plain values.
func (o *orderedTrees) plainResults(results [][]reflect.Value) [][]reflect.Value {
	out := make([][]reflect.Value, len(results))
	for i, group := range results {
		out[i] = make([]reflect.Value, len(group))
		for j, v := range group {
			out[i][j] = o.plainValue(v)
		}
	}
	return out
}

// plainValue is plain for one value the engine found; an interface
// holding nil stays as it was (client-go prints it as null).
func (o *orderedTrees) plainValue(v reflect.Value) reflect.Value {
	if !v.IsValid() || !v.CanInterface() {
		return v
	}
	x := v.Interface()
	if x == nil {
		return v
	}
	return reflect.ValueOf(o.plain(x))
}

// findResults runs j on tree in key order and returns plain results; an
// error is the one a run on the plain tree gives.
func findResults(j *jsonpath.JSONPath, tree map[string]any) ([][]reflect.Value, error) {
	o := newOrderedTrees()
	results, err := j.FindResults(o.ordered(tree))
	if err != nil {
		if _, plainErr := j.FindResults(tree); plainErr != nil {
			return nil, plainErr
		}
		return nil, err
	}
	return o.plainResults(results), nil
}

// validTagKey reports whether k can be a json struct tag name, as
// encoding/json's isValidTag judges one.
func validTagKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
