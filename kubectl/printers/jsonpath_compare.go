package printers

import (
	"errors"
	"fmt"
)

// The comparisons of jsonpath filters: client-go's copy of text/template's
// eq, ne, lt, le, gt and ge. Integers compare as integers whatever their Go
// type, so [?(@.restartCount==3)] matches the int64 restartCount of an
// unstructured object, as kubernetes/kubernetes#36391 says kubectl has
// done since 1.6. Values of different kinds (a string and a number, a
// float and an integer) or of kinds that cannot be compared (objects,
// arrays, null) quietly fail to match, except with !=, which passes: the
// latest client-go ignores those comparison errors where older ones
// stopped the template with them.

// The comparison errors evalOperator ignores.
var (
	errBadComparisonType = errors.New("invalid type for comparison")
	errBadComparison     = errors.New("incompatible types for comparison")
)

// Basic kinds of compared values.
const (
	kindInvalid = iota
	kindBool
	kindInt
	kindFloat
	kindString
)

// compareJP applies a filter operator to two values.
func compareJP(op string, left, right any) (bool, error) {
	var pass bool
	var err error
	switch op {
	case "<":
		pass, err = lessJP(left, right)
	case ">":
		pass, err = lessEqualJP(left, right)
		pass = !pass && err == nil
	case "==":
		pass, err = equalJP(left, right)
	case "!=":
		pass, err = equalJP(left, right)
		pass = !pass
	case "<=":
		pass, err = lessEqualJP(left, right)
	case ">=":
		pass, err = lessJP(left, right)
		pass = !pass && err == nil
	default:
		return false, fmt.Errorf("unrecognized filter operator %s", op)
	}
	if err != nil && err != errBadComparisonType && err != errBadComparison {
		return false, err
	}
	return pass, nil
}

// basicKind classifies a value for comparison.
func basicKind(v any) (int, error) {
	switch v.(type) {
	case bool:
		return kindBool, nil
	case int, int64:
		return kindInt, nil
	case float64:
		return kindFloat, nil
	case string:
		return kindString, nil
	}
	return kindInvalid, errBadComparisonType
}

// kinds classifies both operands, which must be of one basic kind.
func kinds(a, b any) (int, error) {
	k1, err := basicKind(a)
	if err != nil {
		return k1, err
	}
	k2, err := basicKind(b)
	if err != nil {
		return k2, err
	}
	if k1 != k2 {
		return kindInvalid, errBadComparison
	}
	return k1, nil
}

// equalJP is text/template's eq for two operands.
func equalJP(a, b any) (bool, error) {
	k, err := kinds(a, b)
	if err != nil {
		return false, err
	}
	if k == kindInt {
		return toInt64(a) == toInt64(b), nil
	}
	return a == b, nil
}

// lessJP is text/template's lt.
func lessJP(a, b any) (bool, error) {
	k, err := kinds(a, b)
	if err != nil {
		return false, err
	}
	switch k {
	case kindInt:
		return toInt64(a) < toInt64(b), nil
	case kindFloat:
		return a.(float64) < b.(float64), nil
	case kindString:
		return a.(string) < b.(string), nil
	}
	return false, errBadComparisonType
}

// lessEqualJP is text/template's le: lt, or eq.
func lessEqualJP(a, b any) (bool, error) {
	lt, err := lessJP(a, b)
	if lt || err != nil {
		return lt, err
	}
	return equalJP(a, b)
}

// toInt64 widens an int or int64.
func toInt64(v any) int64 {
	if i, ok := v.(int); ok {
		return int64(i)
	}
	i, _ := v.(int64)
	return i
}
