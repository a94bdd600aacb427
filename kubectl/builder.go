package kubectl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl's resource builder for -f (k8s.io/cli-runtime
// resource.Builder with ContinueOnError, as create and apply use it): it
// reads each source document by document and yields the objects to send,
// keeping the errors it finds on the way in the words and order kubectl's
// visitors give them:
//
//   - a document that is not YAML or JSON stops its source (StreamVisitor:
//     "error parsing f.yaml: ..."); so does one whose apiVersion or kind is
//     missing while validation is on (the default: "error validating
//     "f.yaml": error validating data: kind not set; if you choose to ignore
//     these errors, turn validation off with --validate=false");
//   - a kind the cluster does not serve skips the document ("resource
//     mapping not found for name: ... ensure CRDs are installed first"), as
//     does, with --validate=false, one that cannot be decoded ("unable to
//     decode ...");
//   - what only the apiserver would refuse (unknown fields, values of the
//     wrong type, a document over its request limit) is not a builder error:
//     the object is yielded with the refusal, and the command reports it as
//     the answer to sending it.

// item is one object the builder yields, or what sending it will get.
type item struct {
	source string
	// obj is the decoded object; nil for a document refused before it was
	// read whole (over the request limit).
	obj objects.Object
	// refused is the apiserver's answer to sending obj, known before it is
	// sent: a *objects.DecodeError (unknown fields, wrong types, too large).
	refused *objects.DecodeError
	// nsErr is the builder's RequireNamespace error: the object names a
	// namespace other than the -n given.
	nsErr error
	// warnings are the apiserver's warnings about the version the object
	// is written in (a deprecated one), sent with every request for it.
	warnings []string
}

// problem returns the error that stops the item from being sent, worded
// for verb ("creating"), or nil.
func (it item) problem(verb string) error {
	switch {
	case it.nsErr != nil:
		return it.nsErr
	case it.refused != nil:
		return withSource(verb, it.source, it.refused)
	}
	return nil
}

// identity returns the kind, name and namespace the item's object has, or
// had as written when it was refused.
func (it item) identity() (kind, name, namespace string) {
	if it.obj != nil {
		m := it.obj.GetObjectMeta()
		return it.obj.GetTypeMeta().Kind, m.Name, m.Namespace
	}
	if it.refused != nil {
		return it.refused.Kind, it.refused.Name, it.refused.Namespace
	}
	return "", "", ""
}

// validationDirective reads --validate as kubectl's GetValidationDirective
// does: true or strict (the default) and warn keep client-side validation
// on, false or ignore turn it off.
func validationDirective(inv *invocation) (bool, error) {
	v := inv.p.get("validate")
	if v == "" {
		return true, nil
	}
	if b, err := strconv.ParseBool(v); err == nil {
		return b, nil
	}
	switch v {
	case "strict", "warn":
		return true, nil
	case "ignore":
		return false, nil
	}
	return false, plainError("invalid - validate option %q; must be one of: strict (or true), warn, ignore (or false)", v)
}

// visit reads the sources in order and returns the items to send and the
// builder's errors (EagerVisitorList's), in the order found.
func (k *Kubectl) visit(inv *invocation, sources []manifest, validate bool) ([]item, []error) {
	v := &visitor{inv: inv, mapper: k.c.Mapper(), versions: k.c, validate: validate}
	for _, src := range sources {
		v.source(src)
	}
	return v.items, v.errs
}

// visitor is the state of one visit.
type visitor struct {
	inv      *invocation
	mapper   mapper
	versions releaseVersions
	validate bool
	items    []item
	errs     []error
	// written are the apiVersions of the current source's objects as
	// written, where the release decides whether they are served.
	written map[versionKey]string
}

// releaseVersions is the part of sim.Cluster that says which versions its
// release serves and warns about.
type releaseVersions interface {
	ServesVersion(kind, apiVersion string) bool
	VersionWarnings(kind, apiVersion string) []string
}

// mapper is the part of sim.Mapper the builder uses.
type mapper interface {
	Check(obj objects.Object) error
}

// source visits one source's documents.
func (v *visitor) source(src manifest) {
	decoded, streamErr := objects.DecodeEach(src.data)
	v.written = writtenVersions(src.data)
	for _, d := range decoded {
		if stop := v.document(src.name, d); stop != nil {
			v.errs = append(v.errs, stop)
			return
		}
	}
	if streamErr != nil {
		var de *objects.DecodeError
		msg := streamErr.Error()
		if errors.As(streamErr, &de) {
			msg = de.Message
		}
		v.errs = append(v.errs, fmt.Errorf("error parsing %s: %s", src.name, msg))
		return
	}
	switch {
	case src.stop == nil:
	case src.stop.tooLarge:
		v.items = append(v.items, item{source: src.name, refused: &objects.DecodeError{
			Reason: objects.DecodeTooLarge, ListIndex: -1, Message: tooLargeMessage}})
	default:
		v.errs = append(v.errs, src.stop.err(src.name))
	}
}

// document visits one decoded document. It returns the error that stops
// the source, or nil.
func (v *visitor) document(source string, d objects.Decoded) error {
	if d.Err != nil {
		return v.failed(source, d.Err)
	}
	if err := v.mapper.Check(d.Object); err != nil {
		v.errs = append(v.errs, mappingError(source, err))
		return nil
	}
	var warnings []string
	if version, ok := writtenVersion(v.written, d.Object); ok {
		kind, meta := d.Object.GetTypeMeta().Kind, d.Object.GetObjectMeta()
		if !v.versions.ServesVersion(kind, version) {
			v.errs = append(v.errs, mappingError(source, &objects.DecodeError{Reason: objects.DecodeNoKindMatch, ListIndex: -1,
				Kind: kind, Version: version, Name: meta.Name, Namespace: meta.Namespace}))
			return nil
		}
		warnings = v.versions.VersionWarnings(kind, version)
	}
	v.items = append(v.items, item{source: source, obj: d.Object, nsErr: v.setNamespace(d.Object), warnings: warnings})
	return nil
}

// failed sorts a document's decode error into what kubectl does with it.
func (v *visitor) failed(source string, de *objects.DecodeError) error {
	switch de.Reason {
	case objects.DecodeMissingKind, objects.DecodeMissingVersion, objects.DecodeTypeMeta, objects.DecodeNotObject:
		if v.validate {
			return fmt.Errorf("error validating %q: error validating data: %s; %s",
				source, problemList(de.KindProblems), stopValidateMessage)
		}
		v.errs = append(v.errs, fmt.Errorf("unable to decode %q: %s", source, de.Message))
	case objects.DecodeNoKindMatch:
		v.errs = append(v.errs, mappingError(source, de))
	case objects.DecodeStrict, objects.DecodeInvalidType, objects.DecodeTooLarge:
		v.items = append(v.items, item{source: source, refused: de})
	default:
		return fmt.Errorf("error parsing %s: %s", source, de.Message)
	}
	return nil
}

// stopValidateMessage is kubectl's hint after a client-side validation error.
const stopValidateMessage = "if you choose to ignore these errors, turn validation off with --validate=false"

// problemList prints validation problems as an aggregate of them prints:
// one alone, several in brackets.
func problemList(problems []string) string {
	if len(problems) == 1 {
		return problems[0]
	}
	return "[" + strings.Join(problems, ", ") + "]"
}

// mappingError is the builder's error for a kind the cluster does not
// serve (cli-runtime's mapper.infoForData), naming the object as written.
func mappingError(source string, err error) error {
	var de *objects.DecodeError
	if !errors.As(err, &de) {
		return fmt.Errorf("unable to recognize %q: %v", source, err)
	}
	return fmt.Errorf("resource mapping not found for name: %q namespace: %q from %q: %s\nensure CRDs are installed first",
		de.Name, de.Namespace, source, de.Error())
}

// setNamespace gives a namespaced object without a namespace the command's
// (-n, or default), as the builder's SetNamespace and RequireNamespace do,
// and returns RequireNamespace's error when -n names another namespace than
// the object's.
func (v *visitor) setNamespace(obj objects.Object) error {
	if !resourceInfo(obj).Namespaced {
		return nil
	}
	m := obj.GetObjectMeta()
	ns := v.inv.namespace()
	switch {
	case m.Namespace == "":
		m.Namespace = ns
	case v.inv.p.has("namespace") && m.Namespace != ns:
		return fmt.Errorf("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.",
			m.Namespace, ns, m.Namespace)
	}
	return nil
}
