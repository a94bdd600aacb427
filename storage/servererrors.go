package storage

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Reasons of failures that come from the apiserver's state rather than
// the request's object: the store never returns them by itself, but a
// client can get them from a real apiserver at any write, and the
// simulation's fault injector hands them to controllers (sim.Fault).
const (
	ReasonInternalError      Reason = "InternalError"
	ReasonTooManyRequests    Reason = "TooManyRequests"
	ReasonServiceUnavailable Reason = "ServiceUnavailable"
)

// Sentinels for errors.Is, one per reason above.
var (
	ErrInternalError      error = &reasonError{ReasonInternalError, "internal error"}
	ErrTooManyRequests    error = &reasonError{ReasonTooManyRequests, "too many requests"}
	ErrServiceUnavailable error = &reasonError{ReasonServiceUnavailable, "service unavailable"}
)

// The HTTP codes RequestError answers with.
const (
	CodeConflict           = 409
	CodeInternalError      = 500
	CodeTooManyRequests    = 429
	CodeServiceUnavailable = 503
)

// RequestCodes lists the codes RequestError accepts.
var RequestCodes = []int{CodeConflict, CodeInternalError, CodeTooManyRequests, CodeServiceUnavailable}

// quotaTimeoutCause is the cause of the best-known InternalError a write
// gets: the ResourceQuota admission plugin giving up on a slow store
// (upstream's quota evaluator: "resource quota evaluation timed out").
const quotaTimeoutCause = "resource quota evaluation timed out"

// RequestError returns the error a client sees when the apiserver fails a
// write of the object at key with code, whatever the object holds:
//
//	409 Conflict            Operation cannot be fulfilled on pods "x": the object has been modified; ...
//	500 InternalError       Internal error occurred: resource quota evaluation timed out
//	429 TooManyRequests     the server has received too many requests and has asked us to try again later (post pods)
//	503 ServiceUnavailable  the server is currently unable to handle the request (post pods)
//
// The 429 and 503 bodies are plain text (the max-in-flight and priority
// and fairness filters, a server shutting down), which client-go words as
// NewGenericServerResponse does: the method, resource and name follow the
// message. method is the request's HTTP method (POST, PUT, DELETE);
// create says the request is a create, posted to the collection, so that
// the generic messages name no object. key.Name may be a generateName
// prefix, for a create whose name the server would generate. Any other
// code is an error.
func RequestError(code int, method string, key objects.Key, create bool) (*StatusError, error) {
	info := objects.KindInfoFor(key.Kind, "")
	name, requestName := key.Name, key.Name
	if create {
		requestName = ""
	}
	switch code {
	case CodeConflict:
		return newConflict(info, info.GroupResource(), name, optimisticLockMsg), nil
	case CodeInternalError:
		e := newStatusError(ReasonInternalError, CodeInternalError, info, name,
			"Internal error occurred: "+quotaTimeoutCause)
		return e, nil
	case CodeTooManyRequests:
		return newStatusError(ReasonTooManyRequests, CodeTooManyRequests, info, name,
			genericMessage("the server has received too many requests and has asked us to try again later", method, info, requestName)), nil
	case CodeServiceUnavailable:
		return newStatusError(ReasonServiceUnavailable, CodeServiceUnavailable, info, name,
			genericMessage("the server is currently unable to handle the request", method, info, requestName)), nil
	}
	return nil, fmt.Errorf("no request error for code %d (want one of 409, 500, 429, 503)", code)
}

// genericMessage adds the request to a generic message as client-go's
// NewGenericServerResponse does with a request's resource and name:
// "(post pods)", "(put pods pi-x)". A create is posted to the collection,
// so it names no object.
func genericMessage(msg, method string, info objects.KindInfo, name string) string {
	resource := info.Resource
	if resource == "" {
		return msg
	}
	if name == "" {
		return fmt.Sprintf("%s (%s %s)", msg, strings.ToLower(method), resource)
	}
	return fmt.Sprintf("%s (%s %s %s)", msg, strings.ToLower(method), resource, name)
}
