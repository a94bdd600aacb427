package kubectl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// This file holds the errors of verbs that go on after a failure (create
// -f and apply -f): they collect their errors as kubectl's resource builder
// and commands do, nesting aggregates where upstream nests them, and print
// them at the end as cmdutil.CheckErr does. The shapes matter: an error
// alone is printed with "error: " or "The Pod "x" is invalid: ..."; errors
// together are printed one a line through StandardErrorMessage, without the
// "error: " prefix.

// aggregate is apimachinery's utilerrors aggregate: several errors as one.
type aggregate []error

// newAggregate is utilerrors.NewAggregate: nil for no errors (nil errors
// dropped), an aggregate otherwise, even of one error.
func newAggregate(errs []error) error {
	var out aggregate
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// oneOrAggregate is how kubectl's visitors and apply return what they
// collected: a single error as itself, several as an aggregate.
func oneOrAggregate(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return newAggregate(errs)
}

// Error is utilerrors' message: one error's own message, or the distinct
// messages of the errors (nested aggregates flattened) in brackets.
func (a aggregate) Error() string {
	if len(a) == 1 {
		return a[0].Error()
	}
	var msgs []string
	seen := map[string]bool{}
	a.visit(func(err error) {
		if msg := err.Error(); !seen[msg] {
			seen[msg] = true
			msgs = append(msgs, msg)
		}
	})
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// visit calls f on each error, descending into nested aggregates.
func (a aggregate) visit(f func(error)) {
	for _, err := range a {
		if nested, ok := err.(aggregate); ok {
			nested.visit(f)
			continue
		}
		f(err)
	}
}

// statusError is an API error as kubectl holds it (apierrors.StatusError):
// the reason, the message (with "error when creating ..." once a command
// added its source), and for Invalid errors the details kubectl prints the
// causes from.
type statusError struct {
	reason  string
	message string
	invalid *storage.StatusError
}

func (e *statusError) Error() string { return e.message }

// asStatus returns the API error err stands for, and false when err is a
// client-side error. Store errors are API errors; so are the manifest
// problems the apiserver finds (unknown fields, wrong types: BadRequest; a
// body over its limit: RequestEntityTooLarge).
func asStatus(err error) (*statusError, bool) {
	var st *statusError
	if errors.As(err, &st) {
		return st, true
	}
	var se *storage.StatusError
	if errors.As(err, &se) {
		out := &statusError{reason: string(se.Reason), message: se.Message}
		if se.Reason == "" {
			out.reason = "InternalError"
		}
		if se.Reason == storage.ReasonInvalid && len(se.Causes) > 0 {
			out.invalid = se
		}
		return out, true
	}
	var de *objects.DecodeError
	if errors.As(err, &de) {
		switch de.Reason {
		case objects.DecodeStrict, objects.DecodeInvalidType:
			return &statusError{reason: string(storage.ReasonBadRequest), message: de.Error()}, true
		case objects.DecodeTooLarge:
			return &statusError{reason: reasonTooLarge, message: de.Error()}, true
		}
	}
	return nil, false
}

// withSource is cmdutil.AddSourceToErr: "error when <verb> "<source>": "
// before the message, an API error staying an API error.
func withSource(verb, source string, err error) error {
	if st, ok := asStatus(err); ok {
		out := *st
		out.message = fmt.Sprintf("error when %s %q: %s", verb, source, st.message)
		return &out
	}
	return fmt.Errorf("error when %s %q: %v", verb, source, err)
}

// checkErr renders err as cmdutil.CheckErr prints it: an aggregate of one
// as its error; an Invalid error as "The Pod "x" is invalid: ..." with its
// causes; several errors one a line; anything else through
// StandardErrorMessage, or with "error: " before it.
func checkErr(err error) string {
	if agg, ok := err.(aggregate); ok && len(agg) == 1 {
		err = agg[0]
	}
	if st, ok := err.(*statusError); ok && st.invalid != nil {
		return invalidMessage(st.invalid)
	}
	if agg, ok := err.(aggregate); ok {
		lines := make([]string, len(agg))
		for i, e := range agg {
			lines[i] = messageForError(e)
		}
		return strings.Join(lines, "\n")
	}
	if msg, ok := standardErrorMessage(err); ok {
		return msg
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "error: ") {
		msg = "error: " + msg
	}
	return msg
}

// messageForError is one error of several as kubectl prints it.
func messageForError(err error) string {
	if msg, ok := standardErrorMessage(err); ok {
		return msg
	}
	return err.Error()
}

// standardErrorMessage is cmdutil.StandardErrorMessage for API errors:
// "Error from server (Reason): message".
func standardErrorMessage(err error) (string, bool) {
	st, ok := err.(*statusError)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("Error from server (%s): %s", st.reason, st.message), true
}
