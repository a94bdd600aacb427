package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl annotate (k8s.io/kubectl pkg/cmd/annotate).

var annotateFlags = []flagSpec{
	{long: "overwrite"},
	{long: "selector", short: "l", hasValue: true},
	{long: "all"},
	{long: "list"},
}

// changeCauseAnnotation may always be overwritten (polymorphichelpers.ChangeCauseAnnotation).
const changeCauseAnnotation = "kubernetes.io/change-cause"

// annotate handles `annotate KIND NAME k=v k2-` and `annotate KIND/NAME ...`,
// checking its words in the order AnnotateFlags.ToOptions does, and prints
// "<resource>/<name> annotated" for every object, changed or not.
func (k *Kubectl) annotate(inv *invocation) error {
	resources, pairs, err := resourcesAndPairs(inv.p.args, "annotation")
	if err != nil {
		return err
	}
	set, remove, err := parsePairs(pairs, "annotation")
	if err != nil {
		return err
	}
	if inv.p.bool("all") && inv.p.get("selector") != "" {
		return plainError("cannot set --all and --selector at the same time")
	}
	if len(resources) == 0 {
		return plainError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	if len(set) == 0 && len(remove) == 0 && !inv.p.bool("list") {
		return plainError("at least one annotation update is required")
	}
	var both []string
	for _, r := range remove {
		if _, ok := set[r]; ok {
			both = append(both, r)
		}
	}
	if len(both) > 0 {
		return plainError("can not both modify and remove the following annotation(s) in the same command: %s", strings.Join(both, ", "))
	}
	targets, err := resolveTargets(resources)
	if err != nil {
		return err
	}
	keys, _, err := k.targetKeys(inv, targets)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.annotateOne(inv, key, set, remove); err != nil {
			return err
		}
	}
	return nil
}

// annotateOne changes one object's annotations.
func (k *Kubectl) annotateOne(inv *invocation, key objects.Key, set map[string]string, remove []string) error {
	obj, err := k.c.Get(key)
	if err != nil {
		return serverError(err, "")
	}
	obj = obj.DeepCopyObject() // the store's objects are shared and read-only
	m := obj.GetObjectMeta()
	if inv.p.bool("list") {
		for _, ak := range sortedKeysOf(m.Annotations) {
			inv.printf("%s=%s\n", ak, m.Annotations[ak])
		}
		return nil
	}
	if !inv.p.bool("overwrite") {
		if err := noAnnotationOverwrites(m.Annotations, set); err != nil {
			return err
		}
	}
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	for ak, v := range set {
		m.Annotations[ak] = v
	}
	for _, r := range remove {
		delete(m.Annotations, r)
	}
	out, err := k.c.Update(obj)
	if err != nil {
		return serverError(err, "")
	}
	warner{}.about(inv, out)
	inv.printf("%s annotated\n", resourceName(out))
	return nil
}

// noAnnotationOverwrites is validateNoAnnotationOverwrites: a new value for
// an annotation that has another is refused without --overwrite (all
// named, in key order where kubectl walks its map), except the change cause.
func noAnnotationOverwrites(current, set map[string]string) error {
	var found []string
	for _, ak := range sortedKeysOf(set) {
		if ak == changeCauseAnnotation {
			continue
		}
		if cur, ok := current[ak]; ok && cur != set[ak] {
			found = append(found, fmt.Sprintf("'%s' already has a value (%s)", ak, cur))
		}
	}
	if len(found) > 0 {
		return plainError("--overwrite is false but found the following declared annotation(s): %s", strings.Join(found, "; "))
	}
	return nil
}

// resourcesAndPairs is cmdutil.GetResourcesAndPairs: the words before the
// first "k=v" or "k-" name resources, the rest are pairs.
func resourcesAndPairs(args []string, pairType string) (resources, pairs []string, err error) {
	foundPair := false
	for _, s := range args {
		isPair := (strings.Contains(s, "=") && s[0] != '=') || (strings.HasSuffix(s, "-") && s != "-")
		switch {
		case isPair:
			foundPair = true
			pairs = append(pairs, s)
		case foundPair:
			return nil, nil, plainError("all resources must be specified before %s changes: %s", pairType, s)
		default:
			resources = append(resources, s)
		}
	}
	return resources, pairs, nil
}

// parsePairs is cmdutil.ParsePairs with removal: "k=v" sets, "k-" removes,
// anything else is named in one error.
func parsePairs(args []string, pairType string) (map[string]string, []string, error) {
	set := map[string]string{}
	var remove, invalid []string
	for _, a := range args {
		switch {
		case strings.Contains(a, "=") && a[0] != '=':
			key, value, _ := strings.Cut(a, "=")
			set[key] = value
		case strings.HasSuffix(a, "-") && a != "-":
			remove = append(remove, strings.TrimSuffix(a, "-"))
		default:
			invalid = append(invalid, a)
		}
	}
	if len(invalid) > 0 {
		return nil, nil, plainError("invalid %s format: %s", pairType, strings.Join(invalid, ", "))
	}
	return set, remove, nil
}

// sortedKeysOf returns m's keys in order, so map order never reaches output.
func sortedKeysOf(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
