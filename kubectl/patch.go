package kubectl

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

var patchFlags = []flagSpec{
	{long: "patch", short: "p", hasValue: true},
	{long: "type", hasValue: true},
	{long: "subresource", hasValue: true},
	{long: "output", short: "o", hasValue: true},
}

// patch handles `patch KIND NAME -p JSON`: a strategic merge patch by
// default (lists of named objects merge by name, as containers, volumes and
// env do upstream), or a JSON merge patch with --type merge.
func (k *Kubectl) patch(inv *invocation) error {
	body := inv.p.get("patch")
	if body == "" {
		return &usageError{msg: "must specify -p to patch", verb: "patch"}
	}
	switch t := inv.p.get("type"); t {
	case "", "strategic", "merge":
	case "json":
		return plainError("--type=json patches are not supported by kubesim; use a merge patch")
	default:
		return plainError("--type must be one of [json merge strategic], not %q", t)
	}
	var patch map[string]any
	if err := json.Unmarshal([]byte(body), &patch); err != nil {
		return fmt.Errorf("error: unable to parse %q: %v", body, err)
	}
	targets, err := resolveTargets(inv.p.args)
	if err != nil {
		return err
	}
	if len(targets) != 1 || len(targets[0].names) != 1 {
		return &usageError{msg: "exactly one resource name is required", verb: "patch"}
	}
	obj, err := k.c.Store().Get(keyFor(targets[0].info, inv.namespace(), targets[0].names[0]))
	if err != nil {
		return serverError(err, "")
	}
	return k.patchOne(inv, obj, patch, inv.p.get("type") != "merge")
}

func (k *Kubectl) patchOne(inv *invocation, obj objects.Object, patch map[string]any, strategic bool) error {
	tree, err := toTree(obj)
	if err != nil {
		return plainError("%v", err)
	}
	if strategic {
		strategicPatch(tree, patch)
	} else {
		mergePatch(tree, patch)
	}
	patched, err := fromTree(tree)
	if err != nil {
		return serverError(err, "")
	}
	before := obj.GetObjectMeta().ResourceVersion
	write := k.c.Update
	if inv.p.get("subresource") == "status" {
		write = k.c.UpdateStatus
	}
	out, err := write(patched)
	if err != nil {
		return serverError(err, "")
	}
	if inv.p.get("subresource") != "status" { // status strategies send no warnings
		warner{}.about(inv, out)
	}
	suffix := ""
	if out.GetObjectMeta().ResourceVersion == before {
		suffix = " (no change)"
	}
	inv.printf("%s patched%s\n", resourceName(obj), suffix)
	return nil
}

// trimQuotes removes one layer of matching quotes.
func trimQuotes(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}
