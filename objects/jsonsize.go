package objects

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// EncodedSize returns len(json.Marshal(v)) without encoding v: the store
// measures every object it writes for etcd's quota, and an encoding per
// write cost more than the rest of the write. It follows encoding/json's
// rules (field names and tags, omitempty, omitzero, embedded structs, map
// keys, HTML-safe string escapes, base64 for []byte) for the types of this
// package; a value of a type it does not handle (a float, a custom
// Marshaler other than Time, Quantity and IntOrString) is measured by
// encoding it. It returns 0 for a value encoding/json cannot encode.
// FuzzEncodedSize checks it against encoding/json.
//
// It caches a plan per type in a copy-on-write map, so that an edge that
// decodes outside the simulation's lock (kubesim serve) may call it too.
func EncodedSize(v any) int {
	if v == nil {
		return len("null")
	}
	rv := reflect.ValueOf(v)
	return sizerFor(rv.Type())(rv)
}

// sizer measures one value of one type.
type sizer func(v reflect.Value) int

// sizers caches a sizer per type (types are few).
var sizers memo[reflect.Type, sizer]

func cachedSizer(t reflect.Type) (sizer, bool) { return sizers.get(t) }

func cacheSizer(t reflect.Type, s sizer) { sizers.put(t, s) }

var (
	sizeTimeType        = reflect.TypeFor[Time]()
	sizeQuantityType    = reflect.TypeFor[Quantity]()
	sizeIntOrStringType = reflect.TypeFor[IntOrString]()
	marshalerType       = reflect.TypeFor[json.Marshaler]()
)

func sizerFor(t reflect.Type) sizer {
	if s, ok := cachedSizer(t); ok {
		return s
	}
	// A recursive type finds its own sizer through the cache while it is
	// being built.
	var s sizer
	cacheSizer(t, func(v reflect.Value) int { return s(v) })
	s = buildSizer(t)
	cacheSizer(t, s)
	return s
}

func buildSizer(t reflect.Type) sizer {
	if s := marshalerSizer(t); s != nil {
		return s
	}
	if t.Kind() == reflect.Pointer && marshalerSizer(t.Elem()) != nil {
		// *Time, *Quantity, *IntOrString: their MarshalJSON has a value
		// receiver, so encoding/json writes a nil one as null and a
		// non-nil one as what it points to.
		elem := sizerFor(t.Elem())
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			return elem(v.Elem())
		}
	}
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return encodeSize
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(v reflect.Value) int {
			if v.Bool() {
				return len("true")
			}
			return len("false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) int { return intLen(v.Int()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) int { return uintLen(v.Uint()) }
	case reflect.String:
		return func(v reflect.Value) int { return quotedLen(v.String()) }
	case reflect.Pointer:
		elem := sizerFor(t.Elem())
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			return elem(v.Elem())
		}
	case reflect.Interface:
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			e := v.Elem()
			return sizerFor(e.Type())(e)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(marshalerType) {
			return func(v reflect.Value) int {
				if v.IsNil() {
					return len("null")
				}
				return base64.StdEncoding.EncodedLen(v.Len()) + 2
			}
		}
		elem := sizerFor(t.Elem())
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			return sequenceSize(v, elem)
		}
	case reflect.Array:
		elem := sizerFor(t.Elem())
		return func(v reflect.Value) int { return sequenceSize(v, elem) }
	case reflect.Map:
		return mapSizer(t)
	case reflect.Struct:
		return structSizer(t)
	}
	return encodeSize // floats, complex numbers and the like
}

// marshalerSizer measures the json.Marshalers of this package's types
// without calling them, or returns nil for any other type.
func marshalerSizer(t reflect.Type) sizer {
	switch t {
	case sizeTimeType:
		return func(v reflect.Value) int { return timeSize(valueAs[Time](v).Time) }
	case sizeQuantityType:
		return func(v reflect.Value) int {
			q := valueAs[Quantity](v)
			return quantityLen(&q)
		}
	case sizeIntOrStringType:
		return func(v reflect.Value) int {
			x := valueAs[IntOrString](v)
			if x.Type == IntOrStringString {
				return quotedLen(x.StrVal)
			}
			return intLen(int64(x.IntVal))
		}
	}
	return nil
}

// valueAs reads v as a T without the allocation that boxing it would make.
// It reads an addressable v in place through UnsafeAddr, not Addr, which
// would first look up the pointer type (a tenth of EncodedSize's time).
func valueAs[T any](v reflect.Value) T {
	if v.CanAddr() {
		return *(*T)(unsafe.Pointer(v.UnsafeAddr()))
	}
	return v.Interface().(T)
}

// encodeSize measures by encoding: the fallback for what sizers do not model.
func encodeSize(v reflect.Value) int {
	if !v.CanInterface() {
		return 0
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return 0
	}
	return len(b)
}

func sequenceSize(v reflect.Value, elem sizer) int {
	n := 2 // []
	for i := range v.Len() {
		if i > 0 {
			n++ // ,
		}
		n += elem(v.Index(i))
	}
	return n
}

func mapSizer(t reflect.Type) sizer {
	if t.Key().Kind() != reflect.String || t.Key().Implements(reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()) {
		return encodeSize
	}
	switch t {
	case reflect.TypeFor[map[string]string]():
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			n := 2
			for k, val := range valueAs[map[string]string](v) {
				n += quotedLen(k) + 1 + quotedLen(val) + 1 // "k":v,
			}
			return n - min(1, v.Len()) // no comma after the last
		}
	case reflect.TypeFor[ResourceList]():
		return func(v reflect.Value) int {
			if v.IsNil() {
				return len("null")
			}
			n := 2
			for k, q := range valueAs[ResourceList](v) {
				n += quotedLen(k) + 1 + quantityLen(&q) + 1
			}
			return n - min(1, v.Len())
		}
	}
	elem := sizerFor(t.Elem())
	return func(v reflect.Value) int {
		if v.IsNil() {
			return len("null")
		}
		if v.Len() == 0 {
			return len("{}")
		}
		// Values set from the iterator in place: Key and Value would
		// allocate a copy of each key and element.
		key := reflect.New(t.Key()).Elem()
		val := reflect.New(t.Elem()).Elem()
		n := 2
		iter := v.MapRange()
		for iter.Next() {
			key.SetIterKey(iter)
			val.SetIterValue(iter)
			n += quotedLen(key.String()) + 1 + elem(val) + 1
		}
		return n - 1
	}
}

// structField is one field a struct encodes, found as encoding/json finds
// it: by its tag or name, embedded structs' fields promoted.
type structField struct {
	index   []int
	nameLen int                      // the quoted name and colon
	omit    func(reflect.Value) bool // omitempty and omitzero; nil if neither
	size    sizer
}

func structSizer(t reflect.Type) sizer {
	fields := collectFields(t, nil)
	return func(v reflect.Value) int {
		n := 2 // {}
		first := true
		for i := range fields {
			f := &fields[i]
			var fv reflect.Value
			if len(f.index) == 1 {
				fv = v.Field(f.index[0])
			} else if x, ok := fieldByIndex(v, f.index); ok {
				fv = x
			} else {
				continue // behind a nil embedded pointer
			}
			if f.omit != nil && f.omit(fv) {
				continue
			}
			if !first {
				n++
			}
			first = false
			n += f.nameLen + f.size(fv)
		}
		return n
	}
}

// collectFields lists t's encoded fields in order.
func collectFields(t reflect.Type, prefix []int) []structField {
	var out []structField
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(append([]int(nil), prefix...), i)
		ft := sf.Type
		if sf.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, collectFields(ft, index)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, structField{index: index, nameLen: quotedLen(name) + 1,
			omit: omitRule(sf.Type, hasOption(opts, "omitempty"), hasOption(opts, "omitzero")), size: sizerFor(sf.Type)})
	}
	return out
}

// omitRule is the test that leaves a field of type t out, worked out once
// per field: encoding/json's omitempty, its omitzero, either, or nil.
func omitRule(t reflect.Type, omitEmpty, omitZero bool) func(reflect.Value) bool {
	var empty, zero func(reflect.Value) bool
	if omitEmpty {
		empty = emptyRule(t)
	}
	if omitZero {
		zero = zeroRule(t)
	}
	switch {
	case empty == nil:
		return zero
	case zero == nil:
		return empty
	}
	return func(v reflect.Value) bool { return empty(v) || zero(v) }
}

// emptyRule is encoding/json's omitempty test for t (isEmptyValue), or
// nil for the kinds it never omits (structs).
func emptyRule(t reflect.Type) func(reflect.Value) bool {
	switch t.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return func(v reflect.Value) bool { return v.Len() == 0 }
	case reflect.Pointer, reflect.Interface:
		return reflect.Value.IsNil
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return reflect.Value.IsZero
	}
	return nil
}

// zeroRule is encoding/json's omitzero test for t: its IsZero method
// when it has one, the zero value otherwise.
func zeroRule(t reflect.Type) func(reflect.Value) bool {
	type zeroer interface{ IsZero() bool }
	zeroerType := reflect.TypeFor[zeroer]()
	switch {
	case t == sizeTimeType: // the common case, without boxing
		return func(v reflect.Value) bool { return valueAs[Time](v).IsZero() }
	case t.Kind() == reflect.Interface && t.Implements(zeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || (v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil()) || v.Interface().(zeroer).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(zeroerType):
		return func(v reflect.Value) bool { return v.IsNil() || v.Interface().(zeroer).IsZero() }
	case t.Implements(zeroerType):
		return func(v reflect.Value) bool {
			if v.CanAddr() { // a pointer boxes without allocating
				return v.Addr().Interface().(zeroer).IsZero()
			}
			return v.Interface().(zeroer).IsZero()
		}
	case reflect.PointerTo(t).Implements(zeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(t).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(zeroer).IsZero()
		}
	}
	return reflect.Value.IsZero
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// fieldByIndex follows index through embedded pointers, reporting false
// at a nil one (encoding/json skips such fields).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// timeSize is the length of Time's encoding: "null", or RFC 3339 in UTC,
// quoted, without formatting it. Everything but the year has a fixed width
// ("-01-02T15:04:05Z": no fraction, the zone always Z); the year has at
// least four digits and a minus sign before zero, as time.Format writes it.
func timeSize(t time.Time) int {
	if t.IsZero() {
		return len("null")
	}
	const quotes, afterYear = 2, len("-01-02T15:04:05Z")
	year := int64(t.UTC().Year())
	n := quotes + afterYear
	if year < 0 {
		n++ // -
		year = -year
	}
	return n + max(4, uintLen(uint64(year)))
}

// quantityLen is the length of Quantity's encoding: its string quoted,
// which MarshalJSON writes. q is the caller's copy: String caches the
// canonical form in it when the Quantity has none (one made by arithmetic
// rather than parsed), and the caller's value must not change.
func quantityLen(q *Quantity) int { return quotedLen(q.String()) }

func intLen(i int64) int {
	var buf [24]byte
	return len(strconv.AppendInt(buf[:0], i, 10))
}

func uintLen(u uint64) int {
	var buf [24]byte
	return len(strconv.AppendUint(buf[:0], u, 10))
}

// quotedLen is the length of s as encoding/json writes it: quoted, with
// its escapes, HTML-safe (<, > and & as \u003c...), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func quotedLen(s string) int {
	n := len(`""`) + len(s)
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			n += int(asciiEscapeExtra[b])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += len(`\ufffd`) - 1
		case r == '\u2028' || r == '\u2029':
			n += len(`\u2028`) - size
		}
		i += size
	}
	return n
}

// asciiEscapeExtra is how many bytes encoding/json's escape of an ASCII
// byte adds to the byte itself: 1 for \" \\ \n \r \t \b \f, 5 for the
// other control characters and the HTML-unsafe < > & (\u003c), else 0.
var asciiEscapeExtra = func() (t [utf8.RuneSelf]uint8) {
	for b := range byte(utf8.RuneSelf) {
		switch {
		case b == '"' || b == '\\' || b == '\n' || b == '\r' || b == '\t' || b == '\b' || b == '\f':
			t[b] = 1 // \n
		case b < 0x20 || b == '<' || b == '>' || b == '&':
			t[b] = 5 // \u003c
		}
	}
	return t
}()
