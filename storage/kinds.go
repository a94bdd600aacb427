package storage

import (
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/objects"
)

// isNilObject reports whether obj is nil or a typed nil pointer, which would
// panic on the first field access.
func isNilObject(obj objects.Object) bool {
	if obj == nil {
		return true
	}
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// resolveKind fills in the apiVersion and kind of an object the caller left
// them out of (typed Go callers usually do, as client-go's do) and returns
// the kind's description. It works on the store's private copy.
func (s *Store) resolveKind(obj objects.Object) (objects.KindInfo, error) {
	tm := obj.GetTypeMeta()
	typed, isTyped := s.kindsByType[reflect.TypeOf(obj)]
	switch {
	case tm.Kind == "" && !isTyped:
		return objects.KindInfo{}, newBadRequest("Object 'Kind' is missing")
	case tm.Kind == "":
		tm.Kind = typed.Kind
	case isTyped && tm.Kind != typed.Kind:
		// Strategies dispatch on the Go type; a mislabelled object would be
		// stored under one kind and treated as another.
		return objects.KindInfo{}, newBadRequest(fmt.Sprintf("the object's kind %q does not match its type (%s)", tm.Kind, typed.Kind))
	case !isTyped:
		if k, ok := objects.LookupKind(tm.Kind); ok && k.Modelled() {
			// A modelled kind held as, say, Unstructured would escape its
			// strategy and clash with the typed objects of its kind.
			return objects.KindInfo{}, newBadRequest(fmt.Sprintf("kind %q is modelled and must be stored as its typed object, not %T", tm.Kind, obj))
		}
	}
	info := objects.KindInfoFor(tm.Kind, tm.APIVersion)
	if tm.APIVersion == "" {
		tm.APIVersion = info.APIVersion()
	}
	return info, nil
}

// normalizeNamespace applies the kind's scope to obj: namespaced kinds
// default to namespace "default", cluster-scoped kinds have none.
func normalizeNamespace(obj objects.Object, info objects.KindInfo) {
	m := obj.GetObjectMeta()
	switch {
	case !info.Namespaced:
		m.Namespace = ""
	case m.Namespace == "":
		m.Namespace = objects.NamespaceDefault
	}
}

// prepareInput validates the shape of a caller's object and returns it,
// normalised, with its kind description. The store takes the object as it
// is, without a copy: a write hands it over, and it becomes (with the
// system fields the store fills in) the stored, shared, read-only version.
// The caller must not change it afterwards, nor pass an object it read
// from the store (DeepCopyObject that first).
func (s *Store) prepareInput(obj objects.Object) (objects.Object, objects.KindInfo, error) {
	if isNilObject(obj) {
		return nil, objects.KindInfo{}, newBadRequest("the object is nil")
	}
	in := obj
	info, err := s.resolveKind(in)
	if err != nil {
		return nil, info, err
	}
	normalizeNamespace(in, info)
	return in, info, nil
}
