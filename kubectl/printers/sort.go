package printers

import (
	"fmt"
	"reflect"
	"sort"

	"k8s.io/client-go/util/jsonpath"

	"github.com/kubesim/kubesim/objects"
)

// SortByField orders objs as kubectl get --sort-by=FIELD does
// (get/sorter.go's TableSorter): FIELD is a relaxed jsonpath
// (".metadata.creationTimestamp"), each object is keyed by the first value
// it finds, objects without one come first, and the sort is sort.Sort's
// with kubectl's isLess, so objects with equal keys land where kubectl's
// land given the same order in. Strings that both read as quantities
// compare as quantities.
func SortByField(objs []objects.Object, field string) error {
	path, err := relaxedJSONPath(field)
	if err != nil {
		return err
	}
	parser := jsonpath.New("sorting").AllowMissingKeys(true)
	if err := guard(func() error { return parser.Parse(path) }); err != nil {
		return fmt.Errorf("sorting error: %v", err)
	}
	keys := make([]reflect.Value, len(objs))
	found := false
	for i, obj := range objs {
		tree, err := objectTree(obj)
		if err != nil {
			return err
		}
		var results [][]reflect.Value
		err = guard(func() error {
			var err error
			results, err = findResults(parser, tree)
			return err
		})
		if err != nil {
			return fmt.Errorf("Failed to get values for %v using %s (%v)", results, path, err)
		}
		if len(results) > 0 && len(results[0]) > 0 {
			keys[i], found = results[0][0], true
		}
	}
	if len(objs) > 0 && !found {
		return fmt.Errorf("couldn't find any field with path %q in the list of objects", path)
	}
	s := &fieldSorter{objs: objs, keys: keys, path: path}
	sort.Sort(s)
	return s.err
}

// fieldSorter sorts objects by their keys; an invalid key has none.
type fieldSorter struct {
	objs []objects.Object
	keys []reflect.Value
	path string
	err  error
}

// Len is the number of objects.
func (s *fieldSorter) Len() int { return len(s.objs) }

// Swap swaps two objects with their keys.
func (s *fieldSorter) Swap(i, j int) {
	s.objs[i], s.objs[j] = s.objs[j], s.objs[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
}

// Less is TableSorter.Less: no key sorts first. kubectl exits on keys it
// cannot compare; kubesim keeps the first such error for SortByField.
func (s *fieldSorter) Less(i, j int) bool {
	if !s.keys[i].IsValid() {
		return true
	}
	if !s.keys[j].IsValid() {
		return false
	}
	less, err := isLess(s.keys[i], s.keys[j])
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("Field %s is an unsortable type: %s, err: %v", s.path, s.keys[i].Kind(), err)
	}
	return less
}

// isLess is sorter.go's isLess for a JSON tree's values (its Interface
// case): nil first, numbers by value, strings as quantities when both
// read as ones and by bytes otherwise; anything else cannot be sorted.
func isLess(i, j reflect.Value) (bool, error) {
	a, b := valueOf(i), valueOf(j)
	switch {
	case a == nil && b == nil:
		return false, nil
	case a == nil:
		return true, nil
	case b == nil:
		return false, nil
	}
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return x < y, nil
		}
	case float64:
		if y, ok := b.(float64); ok {
			return x < y, nil
		}
	case string:
		if y, ok := b.(string); ok {
			qx, errX := objects.ParseQuantity(x)
			qy, errY := objects.ParseQuantity(y)
			if errX != nil || errY != nil {
				return x < y, nil
			}
			return qx.Cmp(qy) < 0, nil
		}
	default:
		return false, fmt.Errorf("unsortable type: %T", a)
	}
	return false, fmt.Errorf("unsortable interface: %v", reflect.Interface)
}

// valueOf is what a found value holds, nil for an empty interface.
func valueOf(v reflect.Value) any {
	if !v.IsValid() || (v.Kind() == reflect.Interface && v.IsNil()) {
		return nil
	}
	return v.Interface()
}
