package storage

import (
	"reflect"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// This file compares objects the way upstream's apiequality.Semantic does,
// and splits a typed object into metadata, spec and status by reflection so
// that kinds added to objects later get the same treatment without code here.

var (
	quantityType  = reflect.TypeFor[objects.Quantity]()
	timeType      = reflect.TypeFor[objects.Time]()
	stdTimeType   = reflect.TypeFor[time.Time]()
	stringMapType = reflect.TypeFor[map[string]string]()
)

// stringMapsEqual compares labels, annotations and the like without
// reflection (whose map iteration allocates); nil and empty are equal.
func stringMapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// semanticEqual reports whether a and b hold the same values. Like upstream's
// Semantic.DeepEqual it treats a nil and an empty slice or map as equal and
// compares quantities and times by value, so "1000m" equals "1" and a
// re-encoded time equals the original: the encoded objects would be the same.
func semanticEqual(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if eq, ok := valueEqual(a, b); ok {
		return eq
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Pointer() == b.Pointer() {
			return true // shared, as much of a new version is with the old
		}
		return semanticEqual(a.Elem(), b.Elem())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return semanticEqual(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() == b.Len() && a.Len() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		return sequenceEqual(a, b)
	case reflect.Array:
		return sequenceEqual(a, b)
	case reflect.Map:
		if a.Len() == b.Len() && a.Pointer() == b.Pointer() {
			return true
		}
		if a.Type() == stringMapType {
			return stringMapsEqual(a.Interface().(map[string]string), b.Interface().(map[string]string))
		}
		return mapEqual(a, b)
	case reflect.Struct:
		for i := range a.NumField() {
			if !semanticEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	default:
		return scalarEqual(a, b)
	}
}

// valueEqual compares the types that have their own notion of equality. It
// reports ok=false for any other type.
func valueEqual(a, b reflect.Value) (eq, ok bool) {
	if !a.CanInterface() || !b.CanInterface() {
		return false, false
	}
	switch a.Type() {
	case quantityType:
		if a.CanAddr() && b.CanAddr() { // through pointers: no boxing
			return a.Addr().Interface().(*objects.Quantity).Equal(*b.Addr().Interface().(*objects.Quantity)), true
		}
		return a.Interface().(objects.Quantity).Equal(b.Interface().(objects.Quantity)), true
	case timeType:
		if a.CanAddr() && b.CanAddr() {
			return a.Addr().Interface().(*objects.Time).Equal(b.Addr().Interface().(*objects.Time).Time), true
		}
		return a.Interface().(objects.Time).Equal(b.Interface().(objects.Time).Time), true
	case stdTimeType:
		if a.CanAddr() && b.CanAddr() {
			return a.Addr().Interface().(*time.Time).Equal(*b.Addr().Interface().(*time.Time)), true
		}
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time)), true
	}
	return false, false
}

// sequenceEqual compares slices or arrays element by element; nil and empty
// slices are equal.
func sequenceEqual(a, b reflect.Value) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := range a.Len() {
		if !semanticEqual(a.Index(i), b.Index(i)) {
			return false
		}
	}
	return true
}

// mapEqual compares maps key by key; nil and empty maps are equal.
func mapEqual(a, b reflect.Value) bool {
	if a.Len() != b.Len() {
		return false
	}
	iter := a.MapRange()
	for iter.Next() {
		bv := b.MapIndex(iter.Key())
		if !bv.IsValid() || !semanticEqual(iter.Value(), bv) {
			return false
		}
	}
	return true
}

// scalarEqual compares values of the basic kinds.
func scalarEqual(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Invalid:
		return true
	}
	// Funcs, channels, unsafe pointers: no object holds them; compare identity.
	return a.Pointer() == b.Pointer()
}

// objectsEqual reports whether two objects are semantically the same. A
// part held in the very same memory by both (objects.SamePart: a status
// update's spec, which the store copies from the stored version) is equal
// without a walk; the others are compared field by field.
func objectsEqual(a, b objects.Object) bool {
	if _, ok := structOf(a); !ok {
		return semanticEqual(reflect.ValueOf(a), reflect.ValueOf(b))
	}
	for p := range objects.NumParts {
		if !objects.SamePart(a, b, p) && !partsEqual(a, b, p) {
			return false
		}
	}
	return true
}

// part says which of an object's three parts a struct field belongs to.
type part = objects.Part

const (
	partMeta   = objects.PartMeta
	partSpec   = objects.PartSpec
	partStatus = objects.PartStatus
)

// fieldPart classifies a top-level field of a kind's struct: the embedded
// TypeMeta and ObjectMeta are metadata, a field named Status is the status,
// everything else (Spec, or an Event's top-level fields) is the spec. The
// quota's part sizes split objects the same way (objects.PartOf).
func fieldPart(f reflect.StructField) part { return objects.PartOf(f) }

// structOf returns the struct an object points to, or ok=false for objects
// that are not pointers to structs.
func structOf(obj objects.Object) (reflect.Value, bool) {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	return v.Elem(), true
}

// hasStatusField reports whether obj is a typed object with a Status field.
func hasStatusField(obj objects.Object) bool {
	v, ok := structOf(obj)
	if !ok {
		return false
	}
	_, found := v.Type().FieldByName("Status")
	return found
}

// partsEqual reports whether a and b agree on every field of part p.
func partsEqual(a, b objects.Object, p part) bool {
	va, okA := structOf(a)
	vb, okB := structOf(b)
	if !okA || !okB || va.Type() != vb.Type() {
		return false
	}
	t := va.Type()
	for i := range t.NumField() {
		if fieldPart(t.Field(i)) == p && !semanticEqual(va.Field(i), vb.Field(i)) {
			return false
		}
	}
	return true
}

// copyPart sets every field of part p in dst from src. The values are shared,
// not copied: src is a stored object, which is never mutated.
func copyPart(dst, src objects.Object, p part) {
	vd, okD := structOf(dst)
	vs, okS := structOf(src)
	if !okD || !okS || vd.Type() != vs.Type() {
		return
	}
	t := vd.Type()
	for i := range t.NumField() {
		if fieldPart(t.Field(i)) == p && vd.Field(i).CanSet() {
			vd.Field(i).Set(vs.Field(i))
		}
	}
}

// clearPart sets every field of part p in obj to its zero value.
func clearPart(obj objects.Object, p part) {
	v, ok := structOf(obj)
	if !ok {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		if fieldPart(t.Field(i)) == p && v.Field(i).CanSet() {
			v.Field(i).SetZero()
		}
	}
}
