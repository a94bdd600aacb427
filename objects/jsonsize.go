package objects

import (
	"encoding"
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
// Marshaler other than Time, Quantity and IntOrString, a TextMarshaler) is
// measured by encoding it. It returns 0 for a value encoding/json cannot encode.
// FuzzEncodedSize checks it against encoding/json.
//
// It caches a plan per type in a copy-on-write map, so that an edge that
// decodes outside the simulation's lock (kubesim serve) may call it too.
func EncodedSize(v any) int {
	if v == nil {
		return len("null")
	}
	return valueSize(reflect.ValueOf(v))
}

// valueSize measures v, of any type: what a pointer (an object) points
// to, where it lies, or else a copy that has an address. A pointer whose
// type is a json.Marshaler (*Time...) is measured as such.
func valueSize(v reflect.Value) int {
	t := v.Type()
	if t.Kind() == reflect.Pointer && !t.Implements(marshalerType) {
		if v.IsNil() {
			return len("null")
		}
		return sizerFor(t.Elem())(v.UnsafePointer())
	}
	c := reflect.New(t)
	c.Elem().Set(v)
	return sizerFor(t)(c.UnsafePointer())
}

// A sizer measures the value of one type that lies at p. Sizers read
// values in place, by offset and layout, rather than through
// reflect.Value's field and element accessors, which cost as much again
// as the measuring; reflect is left for maps, interfaces and the odd kinds.
type sizer func(p unsafe.Pointer) int

// sizers caches a sizer per type (types are few).
var sizers memo[reflect.Type, sizer]

var (
	sizeTimeType        = reflect.TypeFor[Time]()
	sizeMicroTimeType   = reflect.TypeFor[MicroTime]()
	sizeQuantityType    = reflect.TypeFor[Quantity]()
	sizeIntOrStringType = reflect.TypeFor[IntOrString]()
	marshalerType       = reflect.TypeFor[json.Marshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// implements reports whether t or *t implements iface: encoding/json
// calls a pointer method of an addressable value.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

func sizerFor(t reflect.Type) sizer {
	if s, ok := sizers.get(t); ok {
		return s
	}
	// A recursive type finds its own sizer through the cache while it is
	// being built.
	var s sizer
	sizers.put(t, func(p unsafe.Pointer) int { return s(p) })
	s = buildSizer(t)
	sizers.put(t, s)
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
		return pointerSizer(t)
	}
	if implements(t, marshalerType) || implements(t, textMarshalerType) {
		return encodeSizer(t)
	}
	if t == reflect.TypeFor[json.Number]() {
		return func(p unsafe.Pointer) int {
			return max(1, len(*(*json.Number)(p))) // written bare; "" as 0
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(p unsafe.Pointer) int {
			if *(*bool)(p) {
				return len("true")
			}
			return len("false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intSizer(t)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintSizer(t)
	case reflect.String:
		return func(p unsafe.Pointer) int { return quotedLen(*(*string)(p)) }
	case reflect.Pointer:
		return pointerSizer(t)
	case reflect.Interface:
		return interfaceSizer(t)
	case reflect.Slice:
		return sliceSizer(t)
	case reflect.Array:
		elem, size, n := sizerFor(t.Elem()), t.Elem().Size(), t.Len()
		return func(p unsafe.Pointer) int { return sequenceSize(p, n, size, elem) }
	case reflect.Map:
		return mapSizer(t)
	case reflect.Struct:
		return structSizer(t)
	}
	return encodeSizer(t) // floats, complex numbers and the like
}

// marshalerSizer measures the json.Marshalers of this package's types
// without calling them, or returns nil for any other type.
func marshalerSizer(t reflect.Type) sizer {
	switch t {
	case sizeTimeType:
		return func(p unsafe.Pointer) int { return timeSize((*Time)(p).Time) }
	case sizeMicroTimeType:
		return func(p unsafe.Pointer) int {
			t := (*MicroTime)(p).Time
			if t.IsZero() {
				return len("null")
			}
			return timeSize(t) + len(".000000") // six digits, always
		}
	case sizeQuantityType:
		return func(p unsafe.Pointer) int {
			q := *(*Quantity)(p)
			return quantityLen(&q)
		}
	case sizeIntOrStringType:
		return func(p unsafe.Pointer) int {
			x := (*IntOrString)(p)
			if x.Type == IntOrStringString {
				return quotedLen(x.StrVal)
			}
			return intLen(int64(x.IntVal))
		}
	}
	return nil
}

// encodeSizer measures by encoding: the fallback for what sizers do not model.
func encodeSizer(t reflect.Type) sizer {
	return func(p unsafe.Pointer) int {
		b, err := json.Marshal(reflect.NewAt(t, p).Elem().Interface())
		if err != nil {
			return 0
		}
		return len(b)
	}
}

func intSizer(t reflect.Type) sizer {
	switch t.Size() {
	case 1:
		return func(p unsafe.Pointer) int { return intLen(int64(*(*int8)(p))) }
	case 2:
		return func(p unsafe.Pointer) int { return intLen(int64(*(*int16)(p))) }
	case 4:
		return func(p unsafe.Pointer) int { return intLen(int64(*(*int32)(p))) }
	}
	return func(p unsafe.Pointer) int { return intLen(*(*int64)(p)) }
}

func uintSizer(t reflect.Type) sizer {
	switch t.Size() {
	case 1:
		return func(p unsafe.Pointer) int { return uintLen(uint64(*(*uint8)(p))) }
	case 2:
		return func(p unsafe.Pointer) int { return uintLen(uint64(*(*uint16)(p))) }
	case 4:
		return func(p unsafe.Pointer) int { return uintLen(uint64(*(*uint32)(p))) }
	}
	return func(p unsafe.Pointer) int { return uintLen(*(*uint64)(p)) }
}

func pointerSizer(t reflect.Type) sizer {
	elem := sizerFor(t.Elem())
	return func(p unsafe.Pointer) int {
		if q := *(*unsafe.Pointer)(p); q != nil {
			return elem(q)
		}
		return len("null")
	}
}

// interfaceSizer measures an interface's dynamic value (objects hold few
// interfaces: Unstructured's content).
func interfaceSizer(t reflect.Type) sizer {
	return func(p unsafe.Pointer) int {
		v := reflect.NewAt(t, p).Elem()
		if v.IsNil() {
			return len("null")
		}
		return valueSize(v.Elem())
	}
}

// sliceOf reads the data pointer and length of the slice at p, whatever
// its element type: every slice has the same header.
func sliceOf(p unsafe.Pointer) (data unsafe.Pointer, n int) {
	s := *(*[]byte)(p)
	return unsafe.Pointer(unsafe.SliceData(s)), len(s)
}

func sliceSizer(t reflect.Type) sizer {
	if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(marshalerType) {
		return func(p unsafe.Pointer) int {
			data, n := sliceOf(p)
			if data == nil {
				return len("null")
			}
			return base64.StdEncoding.EncodedLen(n) + 2
		}
	}
	elem, size := sizerFor(t.Elem()), t.Elem().Size()
	return func(p unsafe.Pointer) int {
		data, n := sliceOf(p)
		if data == nil {
			return len("null")
		}
		return sequenceSize(data, n, size, elem)
	}
}

// sequenceSize measures n elements of size bytes each, from data on.
func sequenceSize(data unsafe.Pointer, n int, size uintptr, elem sizer) int {
	total := 2 // []
	for i := range n {
		if i > 0 {
			total++ // ,
		}
		total += elem(unsafe.Add(data, uintptr(i)*size))
	}
	return total
}

func mapSizer(t reflect.Type) sizer {
	if t.Key().Kind() != reflect.String || t.Key().Implements(textMarshalerType) {
		return encodeSizer(t)
	}
	switch t {
	case reflect.TypeFor[map[string]string]():
		return func(p unsafe.Pointer) int {
			m := *(*map[string]string)(p)
			if m == nil {
				return len("null")
			}
			n := 2
			for k, val := range m {
				n += quotedLen(k) + 1 + quotedLen(val) + 1 // "k":v,
			}
			return n - min(1, len(m)) // no comma after the last
		}
	case reflect.TypeFor[ResourceList]():
		return func(p unsafe.Pointer) int {
			m := *(*ResourceList)(p)
			if m == nil {
				return len("null")
			}
			n := 2
			for k, q := range m {
				n += quotedLen(k) + 1 + quantityLen(&q) + 1
			}
			return n - min(1, len(m))
		}
	}
	elem := sizerFor(t.Elem())
	return func(p unsafe.Pointer) int {
		v := reflect.NewAt(t, p).Elem()
		if v.IsNil() {
			return len("null")
		}
		if v.Len() == 0 {
			return len("{}")
		}
		// Values set from the iterator in place: Key and Value would
		// allocate a copy of each key and element.
		key := reflect.New(t.Key()).Elem()
		val := reflect.New(t.Elem())
		n := 2
		iter := v.MapRange()
		for iter.Next() {
			key.SetIterKey(iter)
			val.Elem().SetIterValue(iter)
			n += quotedLen(key.String()) + 1 + elem(val.UnsafePointer()) + 1
		}
		return n - 1
	}
}

// structField is one field a struct encodes, found as encoding/json finds
// it: by its tag or name, embedded structs' fields promoted.
type structField struct {
	// path leads to the field: offsets from the struct, each but the
	// last into an embedded struct, through a pointer where deref says.
	// When no step goes through a pointer (most fields), the field lies
	// at offset, their sum.
	path    []fieldStep
	direct  bool
	offset  uintptr
	nameLen int                       // the quoted name and colon
	omit    func(unsafe.Pointer) bool // omitempty and omitzero; nil if neither
	size    sizer
	// str marks a plain string field (most fields), measured in the loop
	// rather than through size and omit; omitEmpty then says it is left
	// out when empty (omitempty or omitzero).
	str, omitEmpty bool
	// top is the index of the struct's own field the field is or lies in
	// (an embedded struct's promoted fields lie in it).
	top int
}

// fieldStep is one step to a field: its offset, and whether what lies
// there is a pointer to follow (an embedded *struct) before the next step.
type fieldStep struct {
	offset uintptr
	deref  bool
}

func structSizer(t reflect.Type) sizer {
	fields := collectFields(t, nil, -1)
	return func(p unsafe.Pointer) int {
		bytes, written := fieldsSize(p, fields)
		return structSize(bytes, written)
	}
}

// structSize is the length of a struct's encoding whose written fields
// take bytes ("name":value each): the braces and a comma between fields.
func structSize(bytes, written int) int { return 2 + bytes + max(written-1, 0) }

// fieldsSize measures the fields of the struct at p: the bytes of those
// written, each "name":value, and how many are written (not left out by
// omitempty or omitzero, nor behind a nil embedded pointer).
func fieldsSize(p unsafe.Pointer, fields []structField) (bytes, written int) {
	for i := range fields {
		f := &fields[i]
		fp := unsafe.Add(p, f.offset)
		if !f.direct {
			var ok bool
			if fp, ok = fieldAt(p, f.path); !ok {
				continue // behind a nil embedded pointer
			}
		}
		var size int
		if f.str {
			s := *(*string)(fp)
			if f.omitEmpty && len(s) == 0 {
				continue
			}
			size = quotedLen(s)
		} else {
			if f.omit != nil && f.omit(fp) {
				continue
			}
			size = f.size(fp)
		}
		written++
		bytes += f.nameLen + size
	}
	return bytes, written
}

// fieldAt follows path from p, reporting false at a nil embedded pointer
// (encoding/json skips the fields behind one).
func fieldAt(p unsafe.Pointer, path []fieldStep) (unsafe.Pointer, bool) {
	for _, s := range path {
		p = unsafe.Add(p, s.offset)
		if s.deref {
			if p = *(*unsafe.Pointer)(p); p == nil {
				return nil, false
			}
		}
	}
	return p, true
}

// collectFields lists t's encoded fields in order, each reached by prefix
// and then its own offset; top is the index of the outer struct's field
// that t lies in, or -1 when t is the outer struct.
func collectFields(t reflect.Type, prefix []fieldStep, top int) []structField {
	var out []structField
	for i := range t.NumField() {
		sf := t.Field(i)
		outer := top
		if top < 0 {
			outer = i
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			deref := ft.Kind() == reflect.Pointer
			if deref {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				path := append(append([]fieldStep(nil), prefix...), fieldStep{offset: sf.Offset, deref: deref})
				out = append(out, collectFields(ft, path, outer)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		omitEmpty, omitZero := hasOption(opts, "omitempty"), hasOption(opts, "omitzero")
		f := structField{path: append(append([]fieldStep(nil), prefix...), fieldStep{offset: sf.Offset}),
			nameLen: quotedLen(name) + 1, omit: omitRule(sf.Type, omitEmpty, omitZero), size: sizerFor(sf.Type), top: outer}
		f.direct, f.offset = directOffset(f.path)
		if plainString(sf.Type) {
			f.str, f.omitEmpty = true, omitEmpty || omitZero // a string's zero is empty
		}
		out = append(out, f)
	}
	return out
}

// directOffset sums path's offsets, reporting false if a step goes
// through a pointer.
func directOffset(path []fieldStep) (bool, uintptr) {
	var off uintptr
	for _, s := range path {
		if s.deref {
			return false, 0
		}
		off += s.offset
	}
	return true, off
}

// plainString reports whether t is measured as a string is: a string
// kind that is not a json.Number and has no Marshal method.
func plainString(t reflect.Type) bool {
	return t.Kind() == reflect.String && t != reflect.TypeFor[json.Number]() &&
		!implements(t, marshalerType) && !implements(t, textMarshalerType)
}

// omitRule is the test that leaves a field of type t out, worked out once
// per field: encoding/json's omitempty, its omitzero, either, or nil.
func omitRule(t reflect.Type, omitEmpty, omitZero bool) func(unsafe.Pointer) bool {
	var empty, zero func(unsafe.Pointer) bool
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
	return func(p unsafe.Pointer) bool { return empty(p) || zero(p) }
}

// emptyRule is encoding/json's omitempty test for t (isEmptyValue), or
// nil for the kinds it never omits (structs).
func emptyRule(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Slice:
		return func(p unsafe.Pointer) bool { _, n := sliceOf(p); return n == 0 }
	case reflect.Pointer:
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Map:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().Len() == 0 }
	case reflect.Array:
		empty := t.Len() == 0
		return func(unsafe.Pointer) bool { return empty }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface:
		return zeroValue(t)
	}
	return nil
}

// zeroRule is encoding/json's omitzero test for t: its IsZero method
// when it has one, the zero value otherwise.
func zeroRule(t reflect.Type) func(unsafe.Pointer) bool {
	type zeroer interface{ IsZero() bool }
	zeroerType := reflect.TypeFor[zeroer]()
	switch {
	case t == sizeTimeType: // the common case, without reflect
		return func(p unsafe.Pointer) bool { return (*Time)(p).IsZero() }
	case t.Kind() == reflect.Interface && t.Implements(zeroerType):
		return func(p unsafe.Pointer) bool {
			v := reflect.NewAt(t, p).Elem()
			return v.IsNil() || (v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil()) || v.Interface().(zeroer).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(zeroerType):
		return func(p unsafe.Pointer) bool {
			v := reflect.NewAt(t, p).Elem()
			return v.IsNil() || v.Interface().(zeroer).IsZero()
		}
	case t.Implements(zeroerType) || reflect.PointerTo(t).Implements(zeroerType):
		// A *T has T's methods too; boxing a pointer does not allocate.
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Interface().(zeroer).IsZero() }
	}
	return zeroValue(t)
}

// zeroValue is reflect.Value.IsZero for values of type t, read in place:
// false, 0 (-0.0 too), "", nil, and arrays and structs whose elements and
// (non-blank) fields are all zero.
func zeroValue(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return zeroBits(t.Size())
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Slice:
		return func(p unsafe.Pointer) bool { data, _ := sliceOf(p); return data == nil }
	case reflect.Array:
		elem, size, n := zeroValue(t.Elem()), t.Elem().Size(), t.Len()
		return func(p unsafe.Pointer) bool {
			for i := range n {
				if !elem(unsafe.Add(p, uintptr(i)*size)) {
					return false
				}
			}
			return true
		}
	case reflect.Struct:
		return zeroStruct(t)
	}
	// Floats (== 0, not bitwise), complex numbers, interfaces.
	return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().IsZero() }
}

// zeroBits tests an integer of size bytes for 0.
func zeroBits(size uintptr) func(unsafe.Pointer) bool {
	switch size {
	case 1:
		return func(p unsafe.Pointer) bool { return *(*uint8)(p) == 0 }
	case 2:
		return func(p unsafe.Pointer) bool { return *(*uint16)(p) == 0 }
	case 4:
		return func(p unsafe.Pointer) bool { return *(*uint32)(p) == 0 }
	}
	return func(p unsafe.Pointer) bool { return *(*uint64)(p) == 0 }
}

// zeroStruct tests every field but blank ones, as reflect.Value.IsZero does.
func zeroStruct(t reflect.Type) func(unsafe.Pointer) bool {
	type zeroField struct {
		offset uintptr
		zero   func(unsafe.Pointer) bool
	}
	var fields []zeroField
	for i := range t.NumField() {
		if f := t.Field(i); f.Name != "_" {
			fields = append(fields, zeroField{f.Offset, zeroValue(f.Type)})
		}
	}
	return func(p unsafe.Pointer) bool {
		for _, f := range fields {
			if !f.zero(unsafe.Add(p, f.offset)) {
				return false
			}
		}
		return true
	}
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

// timeSize is the length of Time's encoding: "null", or RFC 3339 in UTC,
// quoted, without formatting it. Everything but the year has a fixed width
// ("-01-02T15:04:05Z": no fraction, the zone always Z); the year has at
// least four digits and a minus sign before zero, as time.Format writes it.
func timeSize(t time.Time) int {
	if t.IsZero() {
		return len("null")
	}
	const quotes, afterYear = 2, len("-01-02T15:04:05Z")
	if sec := t.Unix(); fourDigitYearsFrom <= sec && sec < fourDigitYearsUntil {
		return quotes + len("2006") + afterYear
	}
	year := int64(t.UTC().Year())
	n := quotes + afterYear
	if year < 0 {
		n++ // -
		year = -year
	}
	return n + max(4, uintLen(uint64(year)))
}

// The instants whose UTC year has four digits (0000 to 9999), in Unix
// seconds: most times' length needs no calendar.
var (
	fourDigitYearsFrom  = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	fourDigitYearsUntil = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

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
