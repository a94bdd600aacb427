package kubectl

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var waitFlags = []flagSpec{
	{long: "for", hasValue: true},
	{long: "timeout", hasValue: true},
	{long: "selector", short: "l", hasValue: true},
	{long: "all"},
	{long: "filename", short: "f", hasValue: true, repeat: true},
}

// waitDefaultTimeout is kubectl wait's default --timeout.
const waitDefaultTimeout = 30 * time.Second

// waitCondition reports whether an object (nil when gone) satisfies --for.
type waitCondition func(obj objects.Object) bool

// wait handles `wait KIND/NAME --for=condition=C[=V]|delete|jsonpath=...`:
// virtual time passes until the condition holds or the timeout runs out.
func (k *Kubectl) wait(inv *invocation) error {
	cond, conditionName, err := parseFor(inv.p.get("for"))
	if err != nil {
		return err
	}
	timeout := waitDefaultTimeout
	if t := inv.p.get("timeout"); t != "" {
		if timeout, err = time.ParseDuration(t); err != nil {
			return plainError("invalid --timeout %q: %v", t, err)
		}
	}
	keys, err := k.waitKeys(inv)
	if err != nil {
		return err
	}
	for _, key := range keys {
		met := k.c.RunUntil(func(r storage.Reader) bool {
			obj, err := r.Get(key)
			if err != nil {
				obj = nil
			}
			return cond(obj)
		}, timeout)
		info := objects.KindInfoFor(key.Kind, "")
		if !met {
			return plainError("timed out waiting for the condition on %s/%s", info.Resource, key.Name)
		}
		inv.printf("%s/%s %s\n", qualifiedSingular(info), key.Name, conditionName)
	}
	return nil
}

// waitKeys resolves the objects to wait for; they must exist at the start.
func (k *Kubectl) waitKeys(inv *invocation) ([]objects.Key, error) {
	targets, err := resolveTargets(inv.p.args)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, &usageError{msg: "resource(s) were provided, but no name was specified", verb: "wait"}
	}
	var keys []objects.Key
	for _, t := range targets {
		if len(t.names) == 0 {
			sel, err := selectorOf(inv)
			if err != nil {
				return nil, err
			}
			if sel == nil && !inv.p.bool("all") {
				return nil, plainError("resource(s) were provided, but no name was specified")
			}
			objs, _ := k.fetch(inv, t, sel)
			if len(objs) == 0 {
				return nil, plainError("no matching resources found")
			}
			for _, o := range objs {
				keys = append(keys, objects.KeyOf(o))
			}
			continue
		}
		for _, n := range t.names {
			key := keyFor(t.info, inv.namespace(), n)
			if _, err := k.c.Get(key); err != nil {
				return nil, serverError(err, "")
			}
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// parseFor reads --for and returns the check and the word kubectl prints
// when it holds ("condition met", "deleted").
func parseFor(spec string) (waitCondition, string, error) {
	switch {
	case spec == "delete":
		return func(obj objects.Object) bool { return obj == nil }, "deleted", nil
	case strings.HasPrefix(spec, "condition="):
		name, want, hasValue := strings.Cut(strings.TrimPrefix(spec, "condition="), "=")
		if !hasValue {
			want = "true"
		}
		return func(obj objects.Object) bool { return obj != nil && hasCondition(obj, name, want) }, "condition met", nil
	case strings.HasPrefix(spec, "jsonpath="):
		expr := strings.TrimPrefix(spec, "jsonpath=")
		path, want, hasValue := splitJSONPathCondition(expr)
		return func(obj objects.Object) bool {
			if obj == nil {
				return false
			}
			var b bytes.Buffer
			if err := printers.PrintJSONPath(&b, []objects.Object{obj}, path, printers.JSONPathOptions{}); err != nil {
				return false
			}
			got := strings.TrimSpace(b.String())
			if !hasValue {
				return got != ""
			}
			return got == want
		}, "condition met", nil
	}
	return nil, "", plainError("unrecognized condition: %q", spec)
}

// splitJSONPathCondition splits '{.status.phase}=Running'.
func splitJSONPathCondition(expr string) (path, want string, hasValue bool) {
	expr = trimQuotes(expr)
	if i := strings.LastIndex(expr, "}="); i >= 0 {
		return expr[:i+1], trimQuotes(expr[i+2:]), true
	}
	return expr, "", false
}

// hasCondition reports whether obj's status.conditions has type name (any
// case) with status want (any case).
func hasCondition(obj objects.Object, name, want string) bool {
	tree, err := toTree(obj)
	if err != nil {
		return false
	}
	raw, _ := field(tree, "status", "conditions")
	conds, _ := raw.([]any)
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if strings.EqualFold(fmt.Sprint(m["type"]), name) && strings.EqualFold(fmt.Sprint(m["status"]), want) {
			return true
		}
	}
	return false
}
