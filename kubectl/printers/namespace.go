package printers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Namespace: `kubectl get namespaces` columns and `kubectl describe
// namespace` (printers.go printNamespace, describe.go describeNamespace).
func init() {
	register("Namespace", kindPrinter{
		columns:  []column{{name: "Name", isName: true}, {name: "Status"}, {name: "Age"}},
		row:      typedRow(namespaceRow),
		describe: typedDescribe(describeNamespace),
	})
}

// namespaceRow is upstream's printNamespace.
func namespaceRow(ns *objects.Namespace, now time.Time) []string {
	return []string{ns.Name, ns.Status.Phase, since(ns.CreationTimestamp, now)}
}

// describeNamespace follows describe.go describeNamespace: the namespace,
// then its resource quotas and limit ranges.
func describeNamespace(w *prefixWriter, ns *objects.Namespace, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", ns.Name)
	printLabelsMultiline(w, "Labels", ns.Labels)
	printAnnotationsMultiline(w, "Annotations", ns.Annotations)
	w.write(0, "Status:\t%s\n", ns.Status.Phase)
	w.write(0, "\n")
	if err := describeResourceQuotas(w, opts.ResourceQuotas); err != nil {
		return err
	}
	w.write(0, "\n")
	return describeLimitRanges(w, opts.LimitRanges)
}

// describeResourceQuotas writes the quotas of a namespace (describe.go
// DescribeResourceQuotas), read from their unstructured content.
func describeResourceQuotas(w *prefixWriter, quotas []objects.Object) error {
	if len(quotas) == 0 {
		w.write(0, "No resource quota.\n")
		return nil
	}
	trees, err := sortedTrees(quotas)
	if err != nil {
		return err
	}
	w.write(0, "Resource Quotas\n")
	for _, q := range trees {
		w.write(1, "Name:\t%s\n", nestedString(q, "metadata", "name"))
		describeQuotaScopes(w, nestedSlice(q, "spec", "scopes"))
		w.write(1, "Resource\tUsed\tHard\n")
		w.write(1, "--------\t---\t---\n")
		hard, used := nestedMap(q, "status", "hard"), nestedMap(q, "status", "used")
		for _, name := range sortedKeys(hard) {
			w.write(1, "%s\t%s\t%s\n", name, quantityString(used[name]), quantityString(hard[name]))
		}
	}
	return nil
}

// describeQuotaScopes writes a quota's scopes and what each one matches.
func describeQuotaScopes(w *prefixWriter, raw []any) {
	if len(raw) == 0 {
		return
	}
	scopes := make([]string, 0, len(raw))
	for _, s := range raw {
		scopes = append(scopes, fmt.Sprint(s))
	}
	sort.Strings(scopes)
	w.write(1, "Scopes:\t%s\n", strings.Join(scopes, ", "))
	for _, s := range scopes {
		if help := quotaScopeHelp[s]; help != "" {
			w.write(1, "* %s\n", help)
		}
	}
}

// quotaScopeHelp explains the quota scopes (describe.go helpTextForResourceQuotaScope).
var quotaScopeHelp = map[string]string{
	"Terminating":    "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
	"NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
	"BestEffort":     "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
	"NotBestEffort":  "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
}

// describeLimitRanges writes the limit ranges of a namespace as one table
// (describe.go DescribeLimitRanges). Upstream lists the resources of each
// limit in map order, which varies from run to run; they are sorted here.
func describeLimitRanges(w *prefixWriter, ranges []objects.Object) error {
	if len(ranges) == 0 {
		w.write(0, "No LimitRange resource.\n")
		return nil
	}
	trees, err := sortedTrees(ranges)
	if err != nil {
		return err
	}
	w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
	w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
	for _, lr := range trees {
		for _, item := range nestedSlice(lr, "spec", "limits") {
			if m, ok := item.(map[string]any); ok {
				describeLimit(w, m, " ")
			}
		}
	}
	return nil
}

// describeLimit writes one row per resource of one LimitRange item.
func describeLimit(w *prefixWriter, item map[string]any, prefix string) {
	parts := []map[string]any{
		nestedMap(item, "min"), nestedMap(item, "max"), nestedMap(item, "defaultRequest"),
		nestedMap(item, "default"), nestedMap(item, "maxLimitRequestRatio"),
	}
	names := map[string]bool{}
	for _, p := range parts {
		for k := range p {
			names[k] = true
		}
	}
	for _, name := range sortedKeys(names) {
		cells := make([]any, 0, 8)
		cells = append(cells, prefix, fmt.Sprint(item["type"]), name)
		for _, p := range parts {
			v := "-"
			if q, ok := p[name]; ok {
				v = quantityString(q)
			}
			cells = append(cells, v)
		}
		w.write(0, "%s%s\t%v\t%v\t%v\t%v\t%v\t%v\n", cells...)
	}
}

// sortedTrees returns the objects' JSON trees ordered by name.
func sortedTrees(objs []objects.Object) ([]map[string]any, error) {
	var trees []map[string]any
	for _, o := range objs {
		t, err := objectTree(o)
		if err != nil {
			return nil, err
		}
		trees = append(trees, t)
	}
	sort.SliceStable(trees, func(i, j int) bool {
		return nestedString(trees[i], "metadata", "name") < nestedString(trees[j], "metadata", "name")
	})
	return trees, nil
}

// quantityString prints a quantity from a JSON tree canonically ("0" when
// absent); text that is not a quantity prints as it is.
func quantityString(v any) string {
	if v == nil {
		return "0"
	}
	s := fmt.Sprint(v)
	q, err := objects.ParseQuantity(s)
	if err != nil {
		return s
	}
	return q.String()
}

// nestedMap returns the object at path in tree, or nil.
func nestedMap(tree map[string]any, path ...string) map[string]any {
	m, _ := nested(tree, path...).(map[string]any)
	return m
}

// nestedSlice returns the array at path in tree, or nil.
func nestedSlice(tree map[string]any, path ...string) []any {
	s, _ := nested(tree, path...).([]any)
	return s
}

// nestedString returns the string at path in tree, or "".
func nestedString(tree map[string]any, path ...string) string {
	s, _ := nested(tree, path...).(string)
	return s
}

// nested returns the value at path in tree, or nil.
func nested(tree map[string]any, path ...string) any {
	var v any = tree
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}
