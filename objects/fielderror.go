package objects

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ErrorType says what is wrong with a field, as upstream's field.ErrorType does.
type ErrorType string

// Error types, with upstream's values; String gives the words printed in messages.
const (
	ErrorTypeNotFound     ErrorType = "FieldValueNotFound"
	ErrorTypeRequired     ErrorType = "FieldValueRequired"
	ErrorTypeDuplicate    ErrorType = "FieldValueDuplicate"
	ErrorTypeInvalid      ErrorType = "FieldValueInvalid"
	ErrorTypeNotSupported ErrorType = "FieldValueNotSupported"
	ErrorTypeForbidden    ErrorType = "FieldValueForbidden"
	ErrorTypeTooLong      ErrorType = "FieldValueTooLong"
	ErrorTypeTooMany      ErrorType = "FieldValueTooMany"
)

// String returns the words upstream prints for the type: "Required value",
// "Invalid value", "Unsupported value"...
func (t ErrorType) String() string {
	switch t {
	case ErrorTypeNotFound:
		return "Not found"
	case ErrorTypeRequired:
		return "Required value"
	case ErrorTypeDuplicate:
		return "Duplicate value"
	case ErrorTypeInvalid:
		return "Invalid value"
	case ErrorTypeNotSupported:
		return "Unsupported value"
	case ErrorTypeForbidden:
		return "Forbidden"
	case ErrorTypeTooLong:
		return "Too long"
	case ErrorTypeTooMany:
		return "Too many"
	}
	return string(t)
}

// FieldPath is the dotted path of a field, "spec.containers[0].image",
// built with Child, Index and Key as upstream's field.Path is.
type FieldPath string

// NewFieldPath returns the path of a top-level field.
func NewFieldPath(name string) FieldPath { return FieldPath(name) }

// Child returns the path of a named sub-field.
func (p FieldPath) Child(name string) FieldPath {
	if p == "" {
		return FieldPath(name)
	}
	return p + "." + FieldPath(name)
}

// Index returns the path of a list element: "containers[1]".
func (p FieldPath) Index(i int) FieldPath { return p + "[" + FieldPath(strconv.Itoa(i)) + "]" }

// Key returns the path of a map entry: "limits[cpu]".
func (p FieldPath) Key(k string) FieldPath { return p + "[" + FieldPath(k) + "]" }

// String returns the path text.
func (p FieldPath) String() string { return string(p) }

// FieldError is one problem with one field of an object, printed as upstream
// prints a field.Error: "spec.containers[0].image: Required value".
//
// +kubebuilder:object:generate=false
type FieldError struct {
	Type     ErrorType
	Field    string
	BadValue any
	Detail   string
}

// Error prints "<field>: <type words>[: <value>][: <detail>]".
func (e *FieldError) Error() string { return e.Field + ": " + e.ErrorBody() }

// ErrorBody is the message without the field path. Strings are quoted,
// numbers and booleans printed plainly, anything else as JSON, as upstream does.
func (e *FieldError) ErrorBody() string {
	s := e.Type.String()
	switch e.Type {
	case ErrorTypeInvalid, ErrorTypeNotSupported, ErrorTypeNotFound, ErrorTypeDuplicate, ErrorTypeTooMany:
		if e.BadValue != OmitValue {
			s += ": " + formatBadValue(e.BadValue)
		}
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// formatBadValue renders a bad value the way upstream's ErrorBody does.
func formatBadValue(v any) string {
	switch t := v.(type) {
	case int64, int32, int, float64, float32, bool:
		return fmt.Sprint(t)
	case string:
		return strconv.Quote(t)
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprintf("%#v", v)
}

// omitValueType is the type of OmitValue.
type omitValueType struct{}

// OmitValue, given as a bad value, leaves the value out of the message, as
// upstream's field.OmitValueType does.
var OmitValue any = omitValueType{}

// TooManyError reports a list longer than maxQuantity items.
func TooManyError(path FieldPath, actualQuantity, maxQuantity int) *FieldError {
	unit := "items"
	if maxQuantity == 1 {
		unit = "item"
	}
	return &FieldError{Type: ErrorTypeTooMany, Field: string(path), BadValue: actualQuantity,
		Detail: fmt.Sprintf("must have at most %d %s", maxQuantity, unit)}
}

// RequiredError reports a missing field.
func RequiredError(path FieldPath, detail string) *FieldError {
	return &FieldError{Type: ErrorTypeRequired, Field: string(path), Detail: detail}
}

// InvalidError reports a field whose value is malformed.
func InvalidError(path FieldPath, value any, detail string) *FieldError {
	return &FieldError{Type: ErrorTypeInvalid, Field: string(path), BadValue: value, Detail: detail}
}

// NotSupportedError reports a value outside a fixed set, listing the set as
// upstream does: `supported values: "Always", "Never", "OnFailure"`.
func NotSupportedError(path FieldPath, value any, valid []string) *FieldError {
	detail := ""
	if len(valid) > 0 {
		quoted := make([]string, len(valid))
		for i, v := range valid {
			quoted[i] = strconv.Quote(v)
		}
		detail = "supported values: " + strings.Join(quoted, ", ")
	}
	return &FieldError{Type: ErrorTypeNotSupported, Field: string(path), BadValue: value, Detail: detail}
}

// DuplicateError reports a value that must be unique but is not.
func DuplicateError(path FieldPath, value any) *FieldError {
	return &FieldError{Type: ErrorTypeDuplicate, Field: string(path), BadValue: value}
}

// ForbiddenError reports a field that may not be set (or changed) here.
func ForbiddenError(path FieldPath, detail string) *FieldError {
	return &FieldError{Type: ErrorTypeForbidden, Field: string(path), Detail: detail}
}

// TooLongError reports a value longer than maxLength bytes.
func TooLongError(path FieldPath, maxLength int) *FieldError {
	unit := "bytes"
	if maxLength == 1 {
		unit = "byte"
	}
	return &FieldError{Type: ErrorTypeTooLong, Field: string(path), BadValue: "<value omitted>",
		Detail: fmt.Sprintf("may not be more than %d %s", maxLength, unit)}
}

// NotFoundError reports a reference to something that does not exist.
func NotFoundError(path FieldPath, value any) *FieldError {
	return &FieldError{Type: ErrorTypeNotFound, Field: string(path), BadValue: value}
}

// ErrorList is every problem found with an object, in the order found.
//
// +kubebuilder:object:generate=false
type ErrorList []*FieldError

// Error prints the list as upstream's ToAggregate().Error() does: duplicate
// messages dropped, a single message alone, several as "[a, b]".
func (l ErrorList) Error() string {
	msgs := l.messages()
	if len(msgs) == 1 {
		return msgs[0]
	}
	if len(msgs) == 0 {
		return ""
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// messages returns each distinct message once, in order.
func (l ErrorList) messages() []string {
	seen := make(map[string]bool, len(l))
	var out []string
	for _, e := range l {
		m := e.Error()
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// ToAggregate returns the list as an error, or nil when it is empty, so that
// callers never hold a non-nil error that says nothing.
func (l ErrorList) ToAggregate() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
