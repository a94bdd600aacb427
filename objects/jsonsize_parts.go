package objects

import (
	"reflect"
	"unsafe"
)

// This file measures an object's encoding part by part, for a store that
// keeps the sizes of each stored version's parts: a status update copies
// the spec it keeps from the stored version and a finalizer's removal
// changes the metadata only, so the new version's size is the old one's
// with only the changed part measured again.

// Part is one of the three parts of a kind's object, as the apiserver's
// strategies split it: its metadata (the embedded TypeMeta and
// ObjectMeta), its status (a field named Status), and its spec (every
// other field: Spec, or an Event's or ConfigMap's top-level fields).
type Part uint8

// The parts of an object.
const (
	PartMeta Part = iota
	PartSpec
	PartStatus
	// NumParts is how many parts an object has.
	NumParts
)

var (
	partTypeMetaType   = reflect.TypeFor[TypeMeta]()
	partObjectMetaType = reflect.TypeFor[ObjectMeta]()
)

// PartOf returns the part a top-level field of a kind's struct belongs to.
func PartOf(f reflect.StructField) Part {
	switch {
	case f.Type == partTypeMetaType || f.Type == partObjectMetaType:
		return PartMeta
	case f.Name == "Status":
		return PartStatus
	}
	return PartSpec
}

// PartSize is the encoding of one part of an object as it stands in the
// object's JSON: Bytes counts its written fields ("name":value each) and
// Fields how many fields are written. The braces and the commas between
// fields belong to the whole object (SizeOfParts).
type PartSize struct{ Bytes, Fields int }

// SizeOfParts returns the EncodedSize of an object whose parts measure
// parts: braces, the parts' fields, and a comma between two fields.
func SizeOfParts(parts [NumParts]PartSize) int {
	bytes, written := 0, 0
	for _, p := range parts {
		bytes += p.Bytes
		written += p.Fields
	}
	return structSize(bytes, written)
}

// partPlan is how a struct type's values are measured part by part.
type partPlan struct {
	// fields are the encoded fields of each part, in encoding order.
	fields [NumParts][]structField
	// spans are the memory of each part's own fields (top-level fields
	// in a row merged), offsets into the struct.
	spans [NumParts][]memorySpan
}

// memorySpan is a range of bytes of a struct: [offset, offset+size).
type memorySpan struct{ offset, size uintptr }

// partPlans caches a plan per pointer type, nil for a type EncodedSize
// does not measure field by field.
var partPlans memo[reflect.Type, *partPlan]

// partPlanFor returns the plan for objects of type t, or nil when t is
// not a pointer to a struct measured field by field (a Marshaler, such
// as Unstructured, encodes itself).
func partPlanFor(t reflect.Type) *partPlan {
	if plan, ok := partPlans.get(t); ok {
		return plan
	}
	plan := buildPartPlan(t)
	partPlans.put(t, plan)
	return plan
}

func buildPartPlan(t reflect.Type) *partPlan {
	if t.Kind() != reflect.Pointer || t.Implements(marshalerType) {
		return nil
	}
	st := t.Elem()
	if st.Kind() != reflect.Struct || marshalerSizer(st) != nil ||
		implements(st, marshalerType) || implements(st, textMarshalerType) {
		return nil
	}
	plan := &partPlan{}
	for _, f := range collectFields(st, nil, -1) {
		p := PartOf(st.Field(f.top))
		plan.fields[p] = append(plan.fields[p], f)
	}
	for i := range st.NumField() {
		f := st.Field(i)
		p := PartOf(f)
		spans := plan.spans[p]
		if n := len(spans); n > 0 && spans[n-1].offset+spans[n-1].size == f.Offset {
			spans[n-1].size += f.Type.Size()
			continue
		}
		plan.spans[p] = append(spans, memorySpan{f.Offset, f.Type.Size()})
	}
	return plan
}

// objectPointer returns what obj, a pointer, points to, and its plan;
// plan is nil for anything but a non-nil pointer of a planned type.
func objectPointer(obj any) (unsafe.Pointer, *partPlan) {
	t := reflect.TypeOf(obj)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil, nil
	}
	plan := partPlanFor(t)
	p := reflect.ValueOf(obj).UnsafePointer()
	if plan == nil || p == nil {
		return nil, nil
	}
	return p, plan
}

// EncodedPartSize measures part p of obj, a pointer to a kind's struct,
// as EncodedSize measures the whole: SizeOfParts of its three parts is
// EncodedSize(obj). ok is false for anything else (an Unstructured,
// which encodes itself), which EncodedSize measures whole.
func EncodedPartSize(obj any, p Part) (size PartSize, ok bool) {
	ptr, plan := objectPointer(obj)
	if plan == nil || p >= NumParts {
		return PartSize{}, false
	}
	size.Bytes, size.Fields = fieldsSize(ptr, plan.fields[p])
	return size, true
}

// SamePart reports whether a and b, pointers to the same kind's struct,
// hold the very same words in part p's fields: equal numbers, and the
// same strings, slices, maps and pointers (the same memory, not equal
// copies). What those point to is then the same too, as long as nobody
// changes it: two objects a store holds, which are never changed, that
// share a part encode alike in it. It is false for objects without parts
// (see EncodedPartSize).
func SamePart(a, b any, p Part) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) || p >= NumParts {
		return false
	}
	pa, plan := objectPointer(a)
	pb, _ := objectPointer(b)
	if plan == nil || pb == nil {
		return false
	}
	for _, s := range plan.spans[p] {
		if unsafe.String((*byte)(unsafe.Add(pa, s.offset)), s.size) !=
			unsafe.String((*byte)(unsafe.Add(pb, s.offset)), s.size) {
			return false
		}
	}
	return true
}
