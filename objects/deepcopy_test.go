package objects

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Leaf types the filler sets as whole values rather than field by field.
var timeType = reflect.TypeFor[Time]()

// fill sets every field reachable from v to a non-zero value: pointers
// allocated, slices and maps given one element, so a field added later is
// covered without changing this test.
func fill(v reflect.Value) {
	switch v.Type() {
	case quantityType:
		v.Set(reflect.ValueOf(MustParseQuantity("123456789012345678901234567890"))) // big mantissa
		return
	case timeType:
		v.Set(reflect.ValueOf(NewTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	}
}

// mutate changes every value reachable from v in place, reaching through
// pointers, slices and maps, so that any storage shared with another object
// shows up as a change there.
func mutate(v reflect.Value) {
	switch v.Type() {
	case quantityType:
		q := v.Addr().Interface().(*Quantity)
		q.AsDec().SetUnscaled(1) // in place on purpose: a shared inf.Dec would leak
		return
	case timeType:
		t := v.Addr().Interface().(*Time)
		t.Time = t.Add(time.Hour)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		mutate(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mutate(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.Map:
		mutateMap(v)
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	}
}

// mutateMap changes each element of a map (elements are not addressable,
// so each is copied, changed and stored back) and adds a key.
func mutateMap(v reflect.Value) {
	for _, k := range v.MapKeys() {
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(v.MapIndex(k))
		if e.Type() == quantityType {
			q := e.Interface().(Quantity)
			q.AsDec().SetUnscaled(1) // shares the original's inf.Dec if DeepCopy did not copy it
			continue
		}
		mutate(e)
		v.SetMapIndex(k, e)
	}
	extra := reflect.New(v.Type().Key()).Elem()
	fill(extra)
	if extra.Kind() == reflect.String {
		extra.SetString("added")
	}
	v.SetMapIndex(extra, reflect.New(v.Type().Elem()).Elem())
}

func TestDeepCopyIsIndependent(t *testing.T) {
	kinds := []func() Object{
		func() Object { return &Pod{} },
		func() Object { return &Node{} },
		func() Object { return &Namespace{} },
		func() Object { return &Event{} },
	}
	for _, newObj := range kinds {
		orig, want := newObj(), newObj()
		fill(reflect.ValueOf(orig).Elem())
		fill(reflect.ValueOf(want).Elem())
		name := reflect.TypeOf(orig).Elem().Name()
		t.Run(name, func(t *testing.T) {
			require.Equal(t, want, orig, "the filler must be deterministic")
			cp := orig.DeepCopyObject()
			require.Equal(t, orig, cp, "a copy starts equal")
			mutate(reflect.ValueOf(cp).Elem())
			assert.NotEqual(t, want, cp, "the mutation must change the copy")
			assert.Equal(t, want, orig, "changing the copy must leave the original alone")
		})
	}
}

func TestDeepCopyNilAndTime(t *testing.T) {
	var p *Pod
	assert.Nil(t, p.DeepCopy())
	var tm *Time
	assert.Nil(t, tm.DeepCopy())
	ts := NewTime(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	assert.Equal(t, ts, *ts.DeepCopy())
}
