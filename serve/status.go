package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Status is the apiserver's metav1.Status: how a call failed (or, for some
// deletes, succeeded), with a reason and an HTTP code.
type Status struct {
	Kind       string         `json:"kind"`
	APIVersion string         `json:"apiVersion"`
	Metadata   map[string]any `json:"metadata"`
	Status     string         `json:"status"`
	Message    string         `json:"message,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Details    *StatusDetails `json:"details,omitempty"`
	Code       int            `json:"code"`
}

// StatusDetails names the object a Status is about and, for Invalid, the
// field problems.
type StatusDetails struct {
	Name              string        `json:"name,omitempty"`
	Group             string        `json:"group,omitempty"`
	Kind              string        `json:"kind,omitempty"`
	UID               string        `json:"uid,omitempty"`
	Causes            []StatusCause `json:"causes,omitempty"`
	RetryAfterSeconds int           `json:"retryAfterSeconds,omitempty"`
}

// StatusCause is one field problem of an Invalid error.
type StatusCause struct {
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	Field   string `json:"field,omitempty"`
}

// Error returns the message, so a *Status is an error.
func (s *Status) Error() string { return s.Message }

// Reasons the apiserver gives that the store never does.
const (
	reasonNotFound             = "NotFound"
	reasonBadRequest           = "BadRequest"
	reasonMethodNotAllowed     = "MethodNotAllowed"
	reasonUnsupportedMediaType = "UnsupportedMediaType"
	reasonExpired              = "Expired"
	reasonInternalError        = "InternalError"
	reasonInvalid              = "Invalid"
	reasonConflict             = "Conflict"
)

// failure returns a Failure Status.
func failure(code int, reason, msg string) *Status {
	return &Status{Kind: "Status", APIVersion: "v1", Metadata: map[string]any{}, Status: "Failure",
		Message: msg, Reason: reason, Code: code}
}

// notFoundPath is the apiserver's answer to a path it does not serve.
func notFoundPath() *Status {
	s := failure(http.StatusNotFound, reasonNotFound, "the server could not find the requested resource")
	s.Details = &StatusDetails{}
	return s
}

// methodNotAllowed is the answer to a method the path does not take.
func methodNotAllowed(method string) *Status {
	return failure(http.StatusMethodNotAllowed, reasonMethodNotAllowed,
		fmt.Sprintf("the server does not allow this method on the requested resource (%s)", method))
}

// badRequest is a 400 with the message alone, as apierrors.NewBadRequest.
func badRequest(format string, args ...any) *Status {
	return failure(http.StatusBadRequest, reasonBadRequest, fmt.Sprintf(format, args...))
}

// internalError is upstream's NewInternalError.
func internalError(err error) *Status {
	s := failure(http.StatusInternalServerError, reasonInternalError,
		fmt.Sprintf("Internal error occurred: %v", err))
	s.Details = &StatusDetails{Causes: []StatusCause{{Message: err.Error()}}}
	return s
}

// expired is the 410 Gone of a watch or continue token from history the
// server no longer keeps.
func expired(msg string) *Status { return failure(http.StatusGone, reasonExpired, msg) }

// toStatus turns any error the cluster returns into the Status the
// apiserver would answer with.
func toStatus(err error, res *resource, name string) *Status {
	var st *Status
	if errors.As(err, &st) {
		return st
	}
	var se *storage.StatusError
	if errors.As(err, &se) {
		return fromStorage(se)
	}
	var de *objects.DecodeError
	if errors.As(err, &de) {
		return fromDecode(de)
	}
	var ae *sim.ApplyError
	if errors.As(err, &ae) && ae.Err != nil && ae.Err != err {
		return toStatus(ae.Err, res, name)
	}
	return internalError(err)
}

// fromStorage converts the store's error, which carries the apiserver's
// reason, code and wording.
func fromStorage(se *storage.StatusError) *Status {
	code := int(se.Code)
	if code == 0 {
		code = http.StatusInternalServerError
	}
	st := failure(code, string(se.Reason), se.Message)
	if se.Reason == storage.ReasonUnknown && code == http.StatusInternalServerError {
		st.Reason = ""
	}
	d := &StatusDetails{Name: se.Name, Group: se.Group, Kind: se.Resource}
	if se.Reason == storage.ReasonInvalid {
		// NewInvalid names the kind, not the resource.
		d.Kind = se.Kind
		for _, fe := range se.Causes {
			d.Causes = append(d.Causes, StatusCause{Reason: string(fe.Type), Message: causeMessage(fe.Error(), fe.Field), Field: fe.Field})
		}
	}
	if d.Name != "" || d.Kind != "" || len(d.Causes) > 0 {
		st.Details = d
	}
	return st
}

// causeMessage is a field error's message without its field, as a
// StatusCause carries it ("Required value").
func causeMessage(full, field string) string {
	return strings.TrimPrefix(full, field+": ")
}

// fromDecode converts a decoding error: the apiserver answers a body it
// cannot decode (or that strict field validation refuses) with 400.
func fromDecode(de *objects.DecodeError) *Status {
	if de.Reason == objects.DecodeTooLarge {
		return failure(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", de.Error())
	}
	return badRequest("%s", de.Error())
}

// unsupportedMediaType is the 415 for a body in a format the server does
// not speak (protobuf, CBOR), worded as the apiserver's negotiation error.
func unsupportedMediaType() *Status {
	return failure(http.StatusUnsupportedMediaType, reasonUnsupportedMediaType,
		fmt.Sprintf("the body of the request was in an unknown format - accepted media types include: %s", strings.Join(acceptedTypes, ", ")))
}

// notAcceptable is the 406 for a request that accepts only answers the
// server does not write.
func notAcceptable() *Status {
	return failure(http.StatusNotAcceptable, "NotAcceptable",
		fmt.Sprintf("only the following media types are accepted: %s", strings.Join(acceptedTypes, ", ")))
}

// acceptedTypes are the media types the server reads and writes.
var acceptedTypes = []string{"application/json", "application/yaml"}

// binaryTypes are media types the server does not write; of them it
// reads protobuf bodies (see protobuf.go) but not CBOR.
var binaryTypes = []string{"application/vnd.kubernetes.protobuf", "application/cbor", "application/apply-patch+cbor"}

// refusesBody reports a request whose body is CBOR, which the server does
// not read (client-go sends it only when told to, ClientsPreferCBOR).
func refusesBody(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Content-Type"), "cbor")
}

// refusesAnswer reports a request that accepts only protobuf or CBOR
// answers: a list of types that names JSON (or anything) is fine.
func refusesAnswer(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if accept == "" || !hasBinaryType(accept) {
		return false
	}
	for _, part := range strings.Split(accept, ",") {
		if !hasBinaryType(part) {
			return false
		}
	}
	return true
}

func hasBinaryType(v string) bool {
	for _, t := range binaryTypes {
		if strings.Contains(v, t) {
			return true
		}
	}
	return false
}

// writeStatus answers with err as a Status.
func writeStatus(w http.ResponseWriter, err error) {
	st := toStatus(err, nil, "")
	writeJSON(w, st.Code, st)
}

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		st := internalError(err)
		b, _ = json.Marshal(st)
		code = st.Code
	}
	writeRaw(w, code, "application/json", b)
}

// writeRaw answers with a body of the given type.
func writeRaw(w http.ResponseWriter, code int, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-cache, private")
	w.WriteHeader(code)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}
