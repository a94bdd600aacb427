package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

var scaleFlags = []flagSpec{
	{long: "replicas", hasValue: true},
	{long: "current-replicas", hasValue: true},
	{long: "filename", short: "f", hasValue: true, repeat: true},
}

// scalable kinds have a scale subresource.
var scalable = map[string]bool{"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "ReplicationController": true}

// scale handles `scale KIND/NAME --replicas=N` and `scale KIND NAME --replicas=N`.
func (k *Kubectl) scale(inv *invocation) error {
	rs := inv.p.get("replicas")
	if rs == "" {
		return &usageError{msg: "required flag(s) \"replicas\" not set", verb: "scale"}
	}
	n, err := strconv.Atoi(rs)
	if err != nil || n < 0 {
		return plainError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
	}
	targets, err := resolveTargets(inv.p.args)
	if err != nil {
		return err
	}
	if len(targets) == 0 || len(targets[0].names) == 0 {
		return &usageError{msg: "resource(s) were provided, but no name was specified", verb: "scale"}
	}
	for _, t := range targets {
		for _, name := range t.names {
			if err := k.scaleOne(inv, t.info, name, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func (k *Kubectl) scaleOne(inv *invocation, info objects.KindInfo, name string, replicas int) error {
	obj, err := k.c.Store().Get(keyFor(info, inv.namespace(), name))
	if err != nil {
		return serverError(err, "")
	}
	if !scalable[info.Kind] {
		return fmt.Errorf("Error from server (NotFound): the server could not find the requested resource")
	}
	tree, err := toTree(obj)
	if cur := inv.p.get("current-replicas"); cur != "" {
		have, _ := field(tree, "spec", "replicas")
		if fmt.Sprint(have) != strings.TrimSpace(cur) {
			return plainError("Expected replicas to be %s, was %v", cur, have)
		}
	}
	if err != nil {
		return plainError("%v", err)
	}
	mergePatch(tree, map[string]any{"spec": map[string]any{"replicas": replicas}})
	updated, err := fromTree(tree)
	if err != nil {
		return plainError("%v", err)
	}
	if _, err := k.c.Update(updated); err != nil {
		return serverError(err, "")
	}
	inv.printf("%s scaled\n", resourceName(obj))
	return nil
}
