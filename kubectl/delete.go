package kubectl

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var deleteFlags = []flagSpec{
	{long: "filename", short: "f", hasValue: true, repeat: true},
	{long: "selector", short: "l", hasValue: true},
	{long: "all"},
	{long: "cascade", hasValue: true},
	{long: "grace-period", hasValue: true},
	{long: "now"},
	{long: "force"},
	{long: "wait", hasValue: true},
	{long: "timeout", hasValue: true},
	{long: "ignore-not-found"},
	{long: "all-namespaces", short: "A"},
}

// waitCap bounds how long `kubectl delete` waits for objects to go when no
// --timeout is given (kubectl waits a week); a simulation should not spin
// that far for an object a missing controller will never release.
const waitCap = 24 * time.Hour

// deleted is an object delete asked to remove, to wait for.
type deleted struct {
	key objects.Key
	uid string
}

// delete handles `delete -f FILE`, `delete KIND NAME...`, `delete KIND/NAME`
// and `delete KIND -l SEL|--all`, then waits until the objects are gone.
func (k *Kubectl) delete(inv *invocation) error {
	opts, err := deleteOptions(inv)
	if err != nil {
		return err
	}
	keys, source, err := k.deleteKeys(inv)
	if err != nil {
		return err
	}
	if inv.p.bool("force") && opts.GracePeriodSeconds != nil && *opts.GracePeriodSeconds == 0 {
		inv.printf("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n")
	}
	var gone []deleted
	var errs []error
	for _, key := range keys {
		obj, err := k.c.Delete(key, opts)
		if err != nil {
			if errors.Is(err, storage.ErrNotFound) && inv.p.bool("ignore-not-found") {
				continue
			}
			ctx := ""
			if source != "" {
				ctx = fmt.Sprintf("error when deleting %q: ", source)
			}
			errs = append(errs, serverError(err, ctx))
			continue
		}
		inv.printf("%s\n", deletedMessage(obj, k.c.DeleteNamesNamespace()))
		gone = append(gone, deleted{key: key, uid: obj.GetObjectMeta().UID})
	}
	if err := k.waitGone(inv, gone); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// deletedMessage is kubectl's line for a deleted object; withNamespace
// names a namespaced object's namespace, as kubectl does since 1.34
// (kubernetes#126619).
func deletedMessage(obj objects.Object, withNamespace bool) string {
	info := resourceInfo(obj)
	m := obj.GetObjectMeta()
	if info.Namespaced && withNamespace {
		return fmt.Sprintf("%s %q deleted from %s namespace", qualifiedSingular(info), m.Name, m.Namespace)
	}
	return fmt.Sprintf("%s %q deleted", qualifiedSingular(info), m.Name)
}

// deleteOptions reads --cascade, --grace-period, --now and --force.
func deleteOptions(inv *invocation) (storage.DeleteOptions, error) {
	var opts storage.DeleteOptions
	switch c := inv.p.get("cascade"); c {
	case "", "background", "true":
		opts.PropagationPolicy = storage.DeletePropagationBackground
	case "foreground":
		opts.PropagationPolicy = storage.DeletePropagationForeground
	case "orphan", "false":
		opts.PropagationPolicy = storage.DeletePropagationOrphan
	default:
		return opts, plainError("invalid cascade value (%v). Must be \"background\", \"foreground\", or \"orphan\"", c)
	}
	grace := int64(-1)
	if g := inv.p.get("grace-period"); g != "" {
		v, err := strconv.ParseInt(g, 10, 64)
		if err != nil {
			return opts, &usageError{msg: fmt.Sprintf("invalid argument %q for \"--grace-period\" flag: %v", g, err), verb: "delete"}
		}
		grace = v
	}
	if inv.p.bool("now") {
		grace = 1
	}
	if inv.p.bool("force") && grace < 0 {
		grace = 0
	}
	if grace >= 0 {
		opts.GracePeriodSeconds = &grace
	}
	return opts, nil
}

// deleteKeys lists the objects a delete names and, for -f, the source file.
func (k *Kubectl) deleteKeys(inv *invocation) ([]objects.Key, string, error) {
	if inv.p.has("filename") {
		sources, err := k.readManifests(inv)
		if err != nil {
			return nil, "", err
		}
		var keys []objects.Key
		source := ""
		for _, src := range sources {
			if src.stop != nil {
				return nil, "", errors.New(checkErr(src.stop.err(src.name)))
			}
			objs, err := objects.Decode(src.data)
			if err != nil {
				return nil, "", applyFailure(err, "deleting", src.name)
			}
			source = src.name
			for _, o := range objs {
				info := resourceInfo(o)
				ns := o.GetObjectMeta().Namespace
				if ns == "" {
					ns = inv.namespace()
				}
				keys = append(keys, keyFor(info, ns, o.GetObjectMeta().Name))
			}
		}
		return keys, source, nil
	}
	targets, err := resolveTargets(inv.p.args)
	if err != nil {
		return nil, "", err
	}
	if len(targets) == 0 {
		return nil, "", &usageError{msg: "You must provide one or more resources by argument or filename.", verb: "delete"}
	}
	return k.targetKeys(inv, targets)
}

// targetKeys expands named targets, or with -l/--all every matching object.
func (k *Kubectl) targetKeys(inv *invocation, targets []target) ([]objects.Key, string, error) {
	sel, err := selectorOf(inv)
	if err != nil {
		return nil, "", err
	}
	var keys []objects.Key
	for _, t := range targets {
		if len(t.names) > 0 {
			for _, n := range t.names {
				keys = append(keys, keyFor(t.info, inv.namespace(), n))
			}
			continue
		}
		if sel == nil && !inv.p.bool("all") {
			return nil, "", plainError("resource(s) were provided, but no name was specified")
		}
		objs, _ := k.fetch(inv, t, sel)
		for _, o := range objs {
			keys = append(keys, objects.KeyOf(o))
		}
	}
	if len(keys) == 0 {
		inv.printf("No resources found\n")
	}
	return keys, "", nil
}

// waitGone lets virtual time pass until every deleted object is gone, as
// kubectl delete waits by default.
func (k *Kubectl) waitGone(inv *invocation, gone []deleted) error {
	if len(gone) == 0 || inv.p.get("wait") == "false" {
		return nil
	}
	limit := waitCap
	if t := inv.p.get("timeout"); t != "" && t != "0s" && t != "0" {
		d, err := time.ParseDuration(t)
		if err != nil {
			return plainError("invalid --timeout %q: %v", t, err)
		}
		limit = d
	}
	allGone := func(r storage.Reader) bool {
		_, _, left := firstLeft(r, gone)
		return !left
	}
	if k.c.RunUntil(allGone, limit) {
		return nil
	}
	if g, obj, left := firstLeft(k.c.Store(), gone); left {
		info := objects.KindInfoFor(g.key.Kind, obj.GetTypeMeta().APIVersion)
		return plainError("timed out waiting for the condition on %s/%s", info.Resource, g.key.Name)
	}
	return nil
}

// firstLeft returns the first deleted object that r still holds (the same
// object, by UID, not a new one of the same name).
func firstLeft(r storage.Reader, gone []deleted) (deleted, objects.Object, bool) {
	for _, g := range gone {
		if obj, err := r.Get(g.key); err == nil && obj.GetObjectMeta().UID == g.uid {
			return g, obj, true
		}
	}
	return deleted{}, nil, false
}
