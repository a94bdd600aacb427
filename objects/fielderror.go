package objects

import (
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Field errors are apimachinery's validation/field errors, the ones the
// apiserver builds and prints ("spec.containers[0].image: Required
// value"), so messages, bad-value rendering and the de-duplicated
// "[a, b]" aggregate are upstream's own.

// ErrorType says what is wrong with a field (field.ErrorType).
type ErrorType = field.ErrorType

// Error types, upstream's.
const (
	ErrorTypeNotFound     = field.ErrorTypeNotFound
	ErrorTypeRequired     = field.ErrorTypeRequired
	ErrorTypeDuplicate    = field.ErrorTypeDuplicate
	ErrorTypeInvalid      = field.ErrorTypeInvalid
	ErrorTypeNotSupported = field.ErrorTypeNotSupported
	ErrorTypeForbidden    = field.ErrorTypeForbidden
	ErrorTypeTooLong      = field.ErrorTypeTooLong
	ErrorTypeTooMany      = field.ErrorTypeTooMany
)

// FieldError is one problem with one field of an object (field.Error).
type FieldError = field.Error

// ErrorList is every problem found with an object, in the order found
// (field.ErrorList); ToAggregate makes it an error.
type ErrorList = field.ErrorList

// FieldPath is the dotted path of a field, "spec.containers[0].image",
// built with Child, Index and Key as upstream's field.Path prints. It is a
// string rather than a *field.Path because validation builds a path for
// every field of every write and upstream's allocates a node per step.
type FieldPath string

// NewFieldPath returns the path of a top-level field.
func NewFieldPath(name string) FieldPath { return FieldPath(name) }

// Child returns the path of a named sub-field.
func (p FieldPath) Child(name string) FieldPath {
	if p == "" {
		return FieldPath(name)
	}
	key := childKey{p, name}
	if c, ok := childPaths.get(key); ok {
		return c
	}
	c := p + "." + FieldPath(name)
	childPaths.put(key, c)
	return c
}

// childKey names a path's sub-field.
type childKey struct {
	parent FieldPath
	name   string
}

// childPaths remembers the paths Child made, so that validating every
// object of a kind spells "spec.template.spec.containers" once rather than
// at every write (validation walks the paths of fields that are fine, to
// name them only if they are not). It stops growing at maxChildPaths:
// paths under map keys and list indexes vary.
var childPaths = memo[childKey, FieldPath]{max: maxChildPaths}

// maxChildPaths bounds childPaths.
const maxChildPaths = 2048

// Index returns the path of a list element: "containers[1]".
func (p FieldPath) Index(i int) FieldPath { return p + "[" + FieldPath(strconv.Itoa(i)) + "]" }

// Key returns the path of a map entry: "limits[cpu]".
func (p FieldPath) Key(k string) FieldPath { return p + "[" + FieldPath(k) + "]" }

// Validation walks every field of every write, and nearly every field is
// fine: a path is worth spelling only for an error. atIndex and atKey
// validate a list element or map entry without spelling its path unless
// check finds something wrong: check runs first under the empty path, whose
// children cost nothing (Child of "" is the name itself), and only if it
// reports errors runs again under the element's real path for the
// messages. check must therefore have no side effects and report the same
// errors whatever path it is given.

// atIndex returns the errors check finds in element i of the list at list.
func atIndex(list FieldPath, i int, check func(FieldPath) ErrorList) ErrorList {
	if len(check("")) == 0 {
		return nil
	}
	return check(list.Index(i))
}

// atKey returns the errors check finds in entry k of the map at m.
func atKey(m FieldPath, k string, check func(FieldPath) ErrorList) ErrorList {
	if len(check("")) == 0 {
		return nil
	}
	return check(m.Key(k))
}

// String returns the path text.
func (p FieldPath) String() string { return string(p) }

// path is p as upstream's type, for its error constructors, which only
// print it.
func (p FieldPath) path() *field.Path { return field.NewPath(string(p)) }

// OmitValue, given as a bad value, leaves the value out of the message
// (field.OmitValueType).
var OmitValue any = field.OmitValueType{}

// TooManyError reports a list longer than maxQuantity items.
func TooManyError(path FieldPath, actualQuantity, maxQuantity int) *FieldError {
	return field.TooMany(path.path(), actualQuantity, maxQuantity)
}

// RequiredError reports a missing field.
func RequiredError(path FieldPath, detail string) *FieldError {
	return field.Required(path.path(), detail)
}

// InvalidError reports a field whose value is malformed.
func InvalidError(path FieldPath, value any, detail string) *FieldError {
	return field.Invalid(path.path(), value, detail)
}

// NotSupportedError reports a value outside a fixed set, listing the set as
// upstream does: `supported values: "Always", "Never", "OnFailure"`.
func NotSupportedError(path FieldPath, value any, valid []string) *FieldError {
	return field.NotSupported(path.path(), value, valid)
}

// DuplicateError reports a value that must be unique but is not.
func DuplicateError(path FieldPath, value any) *FieldError {
	return field.Duplicate(path.path(), value)
}

// ForbiddenError reports a field that may not be set (or changed) here.
func ForbiddenError(path FieldPath, detail string) *FieldError {
	return field.Forbidden(path.path(), detail)
}

// TooLongError reports a value longer than maxLength bytes.
func TooLongError(path FieldPath, maxLength int) *FieldError {
	return field.TooLong(path.path(), "", maxLength)
}

// NotFoundError reports a reference to something that does not exist.
func NotFoundError(path FieldPath, value any) *FieldError {
	return field.NotFound(path.path(), value)
}
