package kubectl

import (
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl api-resources (k8s.io/kubectl pkg/cmd/apiresources):
// the resources discovery lists, sorted by group and then name (or by
// --sort-by name|kind), printed through kubectl's tab writer.

var apiResourcesFlags = []flagSpec{
	{long: "api-group", hasValue: true},
	{long: "namespaced", hasValue: false},
	{long: "sort-by", hasValue: true},
	{long: "no-headers"},
	{long: "output", short: "o", hasValue: true},
	{long: "cached"},
}

// apiResource is one row of api-resources.
type apiResource struct {
	name, group, version, kind string
	shortNames                 []string
	namespaced                 bool
}

// unstoredResources are what a 1.37 apiserver's discovery lists besides
// the kinds it stores (objects' served list): the reviews, Binding,
// ComponentStatus, and the Event of events.k8s.io.
var unstoredResources = []apiResource{
	{name: "bindings", version: "v1", kind: "Binding", namespaced: true},
	{name: "componentstatuses", version: "v1", kind: "ComponentStatus", shortNames: []string{"cs"}},
	{name: "selfsubjectreviews", group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview"},
	{name: "tokenreviews", group: "authentication.k8s.io", version: "v1", kind: "TokenReview"},
	{name: "localsubjectaccessreviews", group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview", namespaced: true},
	{name: "selfsubjectaccessreviews", group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview"},
	{name: "selfsubjectrulesreviews", group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview"},
	{name: "subjectaccessreviews", group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview"},
	{name: "events", group: "events.k8s.io", version: "v1", kind: "Event", shortNames: []string{"ev"}, namespaced: true},
}

// discoveredResources is ServerPreferredResources as kubesim serves it.
func discoveredResources() []apiResource {
	out := append([]apiResource(nil), unstoredResources...)
	for _, k := range objects.Kinds() {
		out = append(out, apiResource{name: k.Resource, group: k.Group, version: k.Version, kind: k.Kind,
			shortNames: k.ShortNames, namespaced: k.Namespaced})
	}
	return out
}

// apiResources handles `api-resources [--namespaced=BOOL] [--api-group=G]
// [--sort-by=name|kind] [--no-headers] [-o name]`.
func (k *Kubectl) apiResources(inv *invocation) error {
	sortBy := inv.p.get("sort-by")
	if sortBy != "" && sortBy != "name" && sortBy != "kind" {
		return plainError("--sort-by accepts only name or kind")
	}
	output := inv.p.get("output")
	if output != "" && output != "name" && output != "wide" {
		return plainError("unable to match a printer suitable for the output format %q, allowed formats are: name,wide", output)
	}
	if output == "wide" {
		return plainError("kubesim's kubectl api-resources does not print -o wide (verbs and categories)")
	}
	if len(inv.p.args) > 0 {
		return &usageError{msg: "unexpected arguments: [" + strings.Join(inv.p.args, " ") + "]", verb: "api-resources"}
	}
	var rows []apiResource
	for _, r := range discoveredResources() {
		if inv.p.has("api-group") && r.group != inv.p.get("api-group") {
			continue
		}
		if inv.p.has("namespaced") && r.namespaced != inv.p.bool("namespaced") {
			continue
		}
		rows = append(rows, r)
	}
	sortResources(rows, sortBy)
	if output == "name" {
		for _, r := range rows {
			name := r.name
			if r.group != "" {
				name += "." + r.group
			}
			inv.printf("%s\n", name)
		}
		return nil
	}
	tw := tabwriter.NewWriter(&inv.out, 6, 4, 3, ' ', 0) // cli-runtime's GetNewTabWriter (its RememberWidths matters only across flushes)
	if !inv.p.bool("no-headers") {
		tw.Write([]byte("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n"))
	}
	for _, r := range rows {
		apiVersion := r.version
		if r.group != "" {
			apiVersion = r.group + "/" + r.version
		}
		namespaced := "false"
		if r.namespaced {
			namespaced = "true"
		}
		tw.Write([]byte(r.name + "\t" + strings.Join(r.shortNames, ",") + "\t" + apiVersion + "\t" + namespaced + "\t" + r.kind + "\n"))
	}
	return tw.Flush()
}

// sortResources is sortableResource under sort.Stable: by group (or name,
// or kind), then by name.
func sortResources(rows []apiResource, by string) {
	key := func(r apiResource) string {
		switch by {
		case "name":
			return r.name
		case "kind":
			return r.kind
		}
		return r.group
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if c := strings.Compare(key(rows[i]), key(rows[j])); c != 0 {
			return c < 0
		}
		return rows[i].name < rows[j].name
	})
}
