package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/client-go/util/jsonpath"

	"github.com/kubesim/kubesim/internal/openapi"
	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl explain (k8s.io/kubectl pkg/cmd/explain and
// pkg/explain): the resource and field path read as kubectl reads them,
// the kind's schema taken from package internal/openapi (what kubesim
// serve publishes under /openapi/v3, so the real kubectl explains the same
// words), printed as pkg/explain/v2's plaintext template prints it
// (explainrender.go).

var explainFlags = []flagSpec{
	{long: "recursive", short: "R"},
	{long: "api-version", hasValue: true},
	{long: "output", short: "o", hasValue: true},
	{long: "max-depth", hasValue: true},
}

// Upstream explain's texts (pkg/cmd/explain/explain.go, pkg/explain).
const (
	msgExplainNoType     = `You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.`
	msgExplainOneArg     = "We accept only this format: explain RESOURCE"
	msgMaxDepthRecursive = "--max-depth requires --recursive"
	msgMaxDepthNegative  = "--max-depth must be non-negative"
	msgFirstNodeField    = "invalid jsonpath syntax, first node must be field node"
	msgAllNodesField     = "invalid jsonpath syntax, all nodes must be field nodes"
	// msgExplainUnstored is kubesim's own: the resources api-resources
	// lists that kubesim answers without storing have no schema here.
	msgExplainUnstored    = "kubesim's kubectl does not explain %s, which the cluster answers without storing (kubectl explain against kubesim serve does)"
	msgExplainNoV2        = "kubesim serves OpenAPI v3 only: -o %s is not available"
	explainPlaintext      = "plaintext"
	explainPlaintextOAPI2 = "plaintext-openapiv2"
)

// explainOptions are explain's flags.
type explainOptions struct {
	recursive  bool
	apiVersion string
	output     string
	maxDepth   int
}

// gvr is the resource explained and the version asked for: kubectl's
// GroupVersionResource, with the kind it maps to.
type gvr struct {
	info    objects.KindInfo
	group   string
	version string
}

// String is schema.GroupVersionResource's: "batch/v1, Resource=jobs".
func (r gvr) String() string {
	return r.group + "/" + r.version + ", Resource=" + r.info.Resource
}

// explain handles `explain RESOURCE[.FIELD...] [--recursive] [--max-depth=N]
// [--api-version=GROUP/VERSION] [-o plaintext]`.
func (k *Kubectl) explain(inv *invocation) error {
	opts, err := readExplainOptions(inv)
	if err != nil {
		return err
	}
	target, fields, err := explainTarget(inv.p.args[0], opts.apiVersion != "")
	if err != nil {
		return err
	}
	if opts.output == explainPlaintextOAPI2 {
		// kubectl renders this one from /openapi/v2, which kubesim does
		// not serve.
		return plainError(msgExplainNoV2, explainPlaintextOAPI2)
	}
	if opts.apiVersion != "" {
		group, version, err := parseGroupVersion(opts.apiVersion)
		if err != nil {
			return plainError("%v", err)
		}
		target.group, target.version = group, version
	}
	if !servedGroupVersions()[joinGroupVersion(target.group, target.version)] {
		return plainError("couldn't find resource for %q", target.String())
	}
	if opts.output != explainPlaintext {
		return plainError("unrecognized format: %s", opts.output)
	}
	if !servesResource(target) {
		return plainError("GVR (%s) not found in OpenAPI schema", target.String())
	}
	doc, schema, err := kindDocument(target.info.Kind)
	if err != nil {
		return err
	}
	r := &explainer{doc: doc, recursive: opts.recursive, maxDepth: opts.maxDepth}
	inv.out.WriteString(explainHeader(target))
	body := r.output(schema, nil, fields)
	if body == "" {
		// The template's "schema": nothing printed means the path ended
		// somewhere; it names the path's last field, whichever was missing.
		return plainError("field %q does not exist", fields[len(fields)-1])
	}
	inv.out.WriteString(body + "\n")
	return nil
}

// readExplainOptions reads the flags and checks them and the arguments as
// ExplainOptions.Validate does.
func readExplainOptions(inv *invocation) (explainOptions, error) {
	opts := explainOptions{recursive: inv.p.bool("recursive"), apiVersion: inv.p.get("api-version"), output: explainPlaintext}
	if inv.p.has("output") {
		opts.output = inv.p.get("output")
	}
	if inv.p.has("max-depth") {
		v := inv.p.get("max-depth")
		n, err := strconv.ParseInt(v, 0, 64)
		if err != nil {
			return opts, &usageError{msg: fmt.Sprintf("invalid argument %q for \"--max-depth\" flag: %v", v, err), verb: "explain"}
		}
		opts.maxDepth = int(n)
	}
	switch {
	case len(inv.p.args) == 0:
		return opts, plainError("%s", msgExplainNoType)
	case len(inv.p.args) > 1:
		return opts, plainError("%s", msgExplainOneArg)
	case opts.maxDepth > 0 && !opts.recursive:
		return opts, plainError("%s", msgMaxDepthRecursive)
	case opts.maxDepth < 0:
		return opts, plainError("%s", msgMaxDepthNegative)
	}
	return opts, nil
}

// explainTarget reads "jobs.batch.spec.backoffLimit" as kubectl's
// SplitAndParseResourceRequestWithMatchingPrefix does (or, with
// --api-version, SplitAndParseResourceRequest): a JSONPath whose first
// field names the resource; a path that starts with the resource's
// group-qualified name ("jobs.batch") has its fields after that, any other
// has them after the first field.
func explainTarget(arg string, withAPIVersion bool) (gvr, []string, error) {
	nodes, err := explainPathNodes(arg)
	if err != nil {
		return gvr{}, nil, err
	}
	first, ok := nodes[0].(*jsonpath.FieldNode)
	if !ok {
		return gvr{}, nil, plainError("%s", msgFirstNodeField)
	}
	info, found := objects.LookupResource(first.Value)
	if !found || strings.Contains(first.Value, ".") {
		if r, ok := lookupUnstored(first.Value); ok {
			return gvr{}, nil, plainError(msgExplainUnstored, r.name)
		}
		// The RESTMapper's NoResourceMatchError, which kubectl's CheckErr
		// prints without "error: ".
		return gvr{}, nil, fmt.Errorf("the server doesn't have a resource type %q", first.Value)
	}
	target := gvr{info: info, group: info.Group, version: info.Version}
	rest := nodes[1:]
	notField := msgFirstNodeField
	if withAPIVersion {
		notField = msgAllNodesField
	} else if prefix := info.GroupResource(); strings.HasPrefix(arg, prefix) {
		rest = nil
		if suffix := arg[len(prefix):]; suffix != "" {
			suffixNodes, err := explainPathNodes(suffix)
			if err != nil {
				return gvr{}, nil, err
			}
			rest = suffixNodes[1:]
		}
	}
	var fields []string
	for _, n := range rest {
		f, ok := n.(*jsonpath.FieldNode)
		if !ok {
			return gvr{}, nil, plainError("%s", notField)
		}
		fields = append(fields, f.Value)
	}
	return target, fields, nil
}

// lookupUnstored finds a resource api-resources lists but kubesim does
// not store (unstoredResources) by plural, singular (its kind) or short
// name.
func lookupUnstored(name string) (apiResource, bool) {
	lower := strings.ToLower(name)
	for _, r := range unstoredResources {
		if lower == r.name || lower == strings.ToLower(r.kind) || slices.Contains(r.shortNames, lower) {
			return r, true
		}
	}
	return apiResource{}, false
}

// explainPathNodes is pkg/explain's jsonPathParse: the nodes of
// "{.ARG}", a trailing dot dropped.
func explainPathNodes(arg string) ([]jsonpath.Node, error) {
	p, err := jsonpath.Parse("user", "{."+strings.TrimSuffix(arg, ".")+"}")
	if err != nil {
		return nil, plainError("%v", err)
	}
	if len(p.Root.Nodes) != 1 {
		return nil, plainError("must pass in 1 jsonpath string")
	}
	list, ok := p.Root.Nodes[0].(*jsonpath.ListNode)
	if !ok || len(list.Nodes) == 0 {
		return nil, plainError("%s", msgFirstNodeField)
	}
	return list.Nodes, nil
}

// parseGroupVersion is schema.ParseGroupVersion: "v1", "batch/v1".
func parseGroupVersion(gv string) (group, version string, err error) {
	if gv == "" || gv == "/" {
		return "", "", nil
	}
	switch strings.Count(gv, "/") {
	case 0:
		return "", gv, nil
	case 1:
		group, version, _ = strings.Cut(gv, "/")
		return group, version, nil
	}
	return "", "", fmt.Errorf("unexpected GroupVersion string: %s", gv)
}

func joinGroupVersion(group, version string) string {
	if group == "" {
		return version
	}
	return group + "/" + version
}

// servedGroupVersions are the group versions whose OpenAPI documents
// kubesim serves: those of the kinds it serves (package serve's catalog)
// and the reviews' groups.
func servedGroupVersions() map[string]bool {
	out := map[string]bool{}
	for _, k := range objects.Kinds() {
		if !objects.ServesVersion(k.Kind, k.APIVersion()) {
			continue // registered for decoding only
		}
		for _, v := range append([]string{k.Version}, k.OtherVersions...) {
			out[joinGroupVersion(k.Group, v)] = true
		}
	}
	for _, r := range unstoredResources {
		out[joinGroupVersion(r.group, r.version)] = true
	}
	return out
}

// servesResource reports whether target's group version has its resource:
// the kind's group, and its version or one of its other versions.
func servesResource(target gvr) bool {
	if target.group != target.info.Group || !objects.ServesVersion(target.info.Kind, target.info.APIVersion()) {
		return false
	}
	for _, v := range append([]string{target.info.Version}, target.info.OtherVersions...) {
		if v == target.version {
			return true
		}
	}
	return false
}

// kindDocument is what kubectl reads from /openapi/v3 for kind, as JSON
// decodes it: the document's named schemas, and the kind's own.
func kindDocument(kind string) (map[string]any, map[string]any, error) {
	b := openapi.NewBuilder()
	schema := b.Kind(kind)
	raw, err := json.Marshal(map[string]any{"kind": schema, "components": map[string]any{"schemas": b.Schemas}})
	if err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, nil, err
	}
	kindSchema, ok := doc["kind"].(map[string]any)
	if !ok {
		return nil, nil, errors.New("error: kind schema is not an object")
	}
	return doc, kindSchema, nil
}

// explainHeader is the template's GROUP, KIND and VERSION lines and the
// empty line after them (no GROUP for the core group).
func explainHeader(target gvr) string {
	var b strings.Builder
	if target.group != "" {
		b.WriteString("GROUP:      " + target.group + "\n")
	}
	b.WriteString("KIND:       " + target.info.Kind + "\n")
	b.WriteString("VERSION:    " + target.version + "\n\n")
	return b.String()
}
