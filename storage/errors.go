package storage

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// Reason is the machine-readable cause of a failed call, with the values of
// upstream's metav1.StatusReason.
type Reason string

// Reasons the store reports. ReasonUnknown is upstream's empty reason, used
// for failures the apiserver reports as a plain 500.
const (
	ReasonUnknown       Reason = ""
	ReasonNotFound      Reason = "NotFound"
	ReasonAlreadyExists Reason = "AlreadyExists"
	ReasonConflict      Reason = "Conflict"
	ReasonInvalid       Reason = "Invalid"
	ReasonForbidden     Reason = "Forbidden"
	ReasonBadRequest    Reason = "BadRequest"
)

// reasonError is a sentinel standing for every StatusError of one reason.
type reasonError struct {
	reason Reason
	text   string
}

func (e *reasonError) Error() string { return e.text }

// Sentinels for errors.Is: errors.Is(err, ErrNotFound) holds for every
// StatusError whose Reason is NotFound, whatever its message.
var (
	ErrNotFound      error = &reasonError{ReasonNotFound, "not found"}
	ErrAlreadyExists error = &reasonError{ReasonAlreadyExists, "already exists"}
	ErrConflict      error = &reasonError{ReasonConflict, "conflict"}
	ErrInvalid       error = &reasonError{ReasonInvalid, "invalid"}
	ErrForbidden     error = &reasonError{ReasonForbidden, "forbidden"}
	ErrBadRequest    error = &reasonError{ReasonBadRequest, "bad request"}
)

// ErrResourceVersionSetOnCreate is the cause of the error Create returns for
// an object that already carries a resourceVersion (upstream's
// storage.ErrResourceVersionSetOnCreate, reported as a plain 500).
var ErrResourceVersionSetOnCreate = errors.New("resourceVersion should not be set on objects to be created")

// StatusError is every error the store returns: the apiserver's Status
// object, reduced to what callers branch on and print. Error() returns
// Message, which is worded as the apiserver words it.
type StatusError struct {
	Reason   Reason
	Code     int32  // HTTP status code the apiserver would answer with
	Kind     string // kind of the object concerned: "Pod"
	Group    string // API group of the kind: "" for core, "batch"
	Resource string // plural resource: "pods"
	Name     string
	Message  string
	// Causes lists the field problems of an Invalid error.
	Causes objects.ErrorList
	cause  error
}

// Error returns the apiserver's message.
func (e *StatusError) Error() string { return e.Message }

// Is matches the sentinel of the error's reason (ErrNotFound...).
func (e *StatusError) Is(target error) bool {
	r, ok := target.(*reasonError)
	return ok && r.reason == e.Reason
}

// Unwrap returns the underlying cause, if any (ErrResourceVersionSetOnCreate).
func (e *StatusError) Unwrap() error { return e.cause }

// ReasonOf returns the reason of a StatusError found in err's chain, or
// ReasonUnknown.
func ReasonOf(err error) Reason {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Reason
	}
	return ReasonUnknown
}

// groupKind prints a kind qualified by its group as upstream's
// schema.GroupKind.String does: "Pod", "Job.batch".
func groupKind(info objects.KindInfo) string {
	if info.Group == "" {
		return info.Kind
	}
	return info.Kind + "." + info.Group
}

// newStatusError fills the identifying fields every error carries.
func newStatusError(reason Reason, code int32, info objects.KindInfo, name, msg string) *StatusError {
	return &StatusError{Reason: reason, Code: code, Kind: info.Kind, Group: info.Group,
		Resource: info.Resource, Name: name, Message: msg}
}

// newNotFound is upstream's NewNotFound: `pods "x" not found`.
func newNotFound(info objects.KindInfo, name string) *StatusError {
	// Concatenated, not formatted: controllers look up missing objects
	// often (a deleted owner, a pod gone). strconv.Quote is %q.
	return newStatusError(ReasonNotFound, 404, info, name,
		info.GroupResource()+" "+strconv.Quote(name)+" not found")
}

// newAlreadyExists is upstream's NewAlreadyExists: `pods "x" already exists`.
func newAlreadyExists(info objects.KindInfo, name string) *StatusError {
	return newStatusError(ReasonAlreadyExists, 409, info, name,
		fmt.Sprintf("%s %q already exists", info.GroupResource(), name))
}

// newGenerateNameConflict is upstream's NewGenerateNameConflict, returned when
// every generated name was taken.
func newGenerateNameConflict(info objects.KindInfo, name string) *StatusError {
	return newStatusError(ReasonAlreadyExists, 409, info, name,
		fmt.Sprintf("%s %q already exists, the server was not able to generate a unique name for the object",
			info.GroupResource(), name))
}

// newConflict is upstream's NewConflict: `Operation cannot be fulfilled on
// <qualified> "x": <detail>`. qualified is usually the group resource, but
// upstream's delete preconditions name the kind there instead.
func newConflict(info objects.KindInfo, qualified, name, detail string) *StatusError {
	return newStatusError(ReasonConflict, 409, info, name,
		fmt.Sprintf("Operation cannot be fulfilled on %s %q: %s", qualified, name, detail))
}

// optimisticLockMsg is upstream's OptimisticLockErrorMsg.
const optimisticLockMsg = "the object has been modified; please apply your changes to the latest version and try again"

// newInvalid is upstream's NewInvalid: `Pod "x" is invalid: <causes>`.
func newInvalid(info objects.KindInfo, name string, errs objects.ErrorList) *StatusError {
	msg := fmt.Sprintf("%s %q is invalid", groupKind(info), name)
	if len(errs) > 0 {
		msg += ": " + errs.ToAggregate().Error()
	}
	e := newStatusError(ReasonInvalid, 422, info, name, msg)
	e.Causes = errs
	return e
}

// newForbidden is upstream's NewForbidden: `pods "x" is forbidden: <detail>`.
func newForbidden(info objects.KindInfo, name, detail string) *StatusError {
	return newStatusError(ReasonForbidden, 403, info, name,
		fmt.Sprintf("%s %q is forbidden: %s", info.GroupResource(), name, detail))
}

// newBadRequest is upstream's NewBadRequest: the message alone.
func newBadRequest(msg string) *StatusError {
	return &StatusError{Reason: ReasonBadRequest, Code: 400, Message: msg}
}

// newNoSubresource is the apiserver's 404 for a subresource a kind lacks.
func newNoSubresource(info objects.KindInfo, name string) *StatusError {
	return newStatusError(ReasonNotFound, 404, info, name, "the server could not find the requested resource")
}

// newRVSetOnCreate wraps ErrResourceVersionSetOnCreate as the 500 the
// apiserver answers with.
func newRVSetOnCreate(info objects.KindInfo, name string) *StatusError {
	e := newStatusError(ReasonUnknown, 500, info, name, ErrResourceVersionSetOnCreate.Error())
	e.cause = ErrResourceVersionSetOnCreate
	return e
}

// namespaceInfo describes the Namespace kind for errors about namespaces,
// whether or not the scheme registered it.
func namespaceInfo() objects.KindInfo {
	return objects.KindInfoFor("Namespace", "v1")
}
