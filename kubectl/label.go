package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

var labelFlags = []flagSpec{
	{long: "overwrite"},
	{long: "selector", short: "l", hasValue: true},
	{long: "all"},
	{long: "list"},
}

// label handles `label KIND NAME k=v k2-` and `label KIND/NAME ...`.
func (k *Kubectl) label(inv *invocation) error {
	var resources, changes []string
	for _, a := range inv.p.args {
		if strings.Contains(a, "=") || (strings.HasSuffix(a, "-") && len(resources) > 0) {
			changes = append(changes, a)
		} else {
			resources = append(resources, a)
		}
	}
	if len(changes) == 0 && !inv.p.bool("list") {
		return &usageError{msg: "at least one label update is required", verb: "label"}
	}
	set, remove, err := parseLabelChanges(changes)
	if err != nil {
		return err
	}
	targets, err := resolveTargets(resources)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return &usageError{msg: "one or more resources must be specified as <resource> <name> or <resource>/<name>", verb: "label"}
	}
	keys, _, err := k.targetKeys(inv, targets)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.labelOne(inv, key, set, remove); err != nil {
			return err
		}
	}
	return nil
}

// parseLabelChanges splits "k=v" settings from "k-" removals.
func parseLabelChanges(changes []string) (map[string]string, []string, error) {
	set := map[string]string{}
	var remove []string
	for _, c := range changes {
		if key, value, ok := strings.Cut(c, "="); ok {
			if errs := objects.IsQualifiedName(key); len(errs) > 0 {
				return nil, nil, plainError("invalid label spec: %s", c)
			}
			if errs := objects.IsValidLabelValue(value); len(errs) > 0 {
				return nil, nil, plainError("invalid label value: %q: %s", c, strings.Join(errs, "; "))
			}
			set[key] = value
			continue
		}
		remove = append(remove, strings.TrimSuffix(c, "-"))
	}
	return set, remove, nil
}

func (k *Kubectl) labelOne(inv *invocation, key objects.Key, set map[string]string, remove []string) error {
	obj, err := k.c.Get(key)
	if err != nil {
		return serverError(err, "")
	}
	obj = obj.DeepCopyObject() // the store's objects are shared and read-only
	m := obj.GetObjectMeta()
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, lk := range keys {
		if old, ok := m.Labels[lk]; ok && old != set[lk] && !inv.p.bool("overwrite") {
			return fmt.Errorf("error: '%s' already has a value (%s), and --overwrite is false", lk, old)
		}
	}
	if m.Labels == nil {
		m.Labels = map[string]string{}
	}
	for _, lk := range keys {
		m.Labels[lk] = set[lk]
	}
	for _, r := range remove {
		delete(m.Labels, r)
	}
	before := m.ResourceVersion
	out, err := k.c.Update(obj)
	if err != nil {
		return serverError(err, "")
	}
	warner{}.about(inv, out)
	switch {
	case out.GetObjectMeta().ResourceVersion == before:
		inv.printf("%s not labeled\n", resourceName(obj))
	case len(set) == 0:
		inv.printf("%s unlabeled\n", resourceName(obj))
	default:
		inv.printf("%s labeled\n", resourceName(obj))
	}
	return nil
}
