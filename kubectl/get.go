package kubectl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var getFlags = []flagSpec{
	{long: "output", short: "o", hasValue: true},
	{long: "selector", short: "l", hasValue: true},
	{long: "all-namespaces", short: "A"},
	{long: "show-labels"},
	{long: "no-headers"},
	{long: "watch", short: "w"},
	{long: "watch-only"},
	{long: "filename", short: "f", hasValue: true, repeat: true},
	{long: "field-selector", hasValue: true},
	{long: "sort-by", hasValue: true},
}

// get handles `get KIND [NAME...]`, `get KIND/NAME...` and `get -f FILE`.
func (k *Kubectl) get(inv *invocation) error {
	if watchFlagsUsed(inv) {
		return k.getWatch(inv)
	}
	targets, err := k.targetsOf(inv)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return plainError(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.`)
	}
	format, template, err := outputFormat(inv.p.get("output"))
	if err != nil {
		return err
	}
	sel, err := selectorOf(inv)
	if err != nil {
		return err
	}
	fieldSel := inv.p.get("field-selector")
	fields, fieldErr := parseFieldSelector(fieldSel)
	var groups [][]objects.Object
	var notFound []error
	named := false
	for _, t := range targets {
		if len(t.names) > 0 && (sel != nil || fieldSel != "") {
			return plainError("name cannot be provided when a selector is specified")
		}
		if fieldSel != "" {
			if err := cmpOr(fieldErr, checkFieldLabels(t.info.Kind, fields)); err != nil {
				notFound = append(notFound, listError(t.info, inv.p.get("selector"), fieldSel, err))
				continue
			}
		}
		objs, missing := k.fetch(inv, t, sel)
		objs = filterFields(objs, fields)
		if by := inv.p.get("sort-by"); by != "" {
			if err := printers.SortByField(objs, by); err != nil {
				return wrapPrint(err)
			}
		}
		notFound = append(notFound, missing...)
		groups = append(groups, objs)
		named = named || len(t.names) > 0
	}
	var all []objects.Object
	for _, g := range groups {
		all = append(all, g...)
	}
	singleObject := named && len(all) == 1 && len(targets) == 1 && len(targets[0].names) == 1
	if err := k.print(inv, format, template, groups, all, singleObject, len(targets) > 1); err != nil {
		return err
	}
	if len(all) == 0 && len(notFound) == 0 && format == "table" {
		inv.printf("%s\n", noResources(inv, targets[0].info))
	}
	return errors.Join(notFound...)
}

// categoryAll is what "all" stands for (the apiserver's "all" category),
// in discovery's order: core, apps, autoscaling, batch, each group's
// resources by name.
var categoryAll = []string{"pods", "replicationcontrollers", "services", "daemonsets.apps", "deployments.apps",
	"replicasets.apps", "statefulsets.apps", "horizontalpodautoscalers.autoscaling", "cronjobs.batch", "jobs.batch"}

// expandCategories replaces "all" in a comma list of types with the
// resources of the category.
func expandCategories(args []string) []string {
	if len(args) == 0 || strings.Contains(args[0], "/") {
		return args
	}
	var types []string
	for _, t := range strings.Split(args[0], ",") {
		if t == "all" {
			types = append(types, categoryAll...)
			continue
		}
		types = append(types, t)
	}
	return append([]string{strings.Join(types, ",")}, args[1:]...)
}

// getWatch reads get's flags for a watch (watch.go).
func (k *Kubectl) getWatch(inv *invocation) error {
	format, template, err := outputFormat(inv.p.get("output"))
	if err != nil {
		return err
	}
	sel, err := selectorOf(inv)
	if err != nil {
		return err
	}
	fields, err := parseFieldSelector(inv.p.get("field-selector"))
	if err != nil {
		return plainError("%v", err)
	}
	return k.watchGet(inv, format, template, sel, fields)
}

// targetsOf reads the objects named on the command line, or in -f files.
func (k *Kubectl) targetsOf(inv *invocation) ([]target, error) {
	if !inv.p.has("filename") {
		return resolveTargets(expandCategories(inv.p.args))
	}
	sources, err := k.readManifests(inv)
	if err != nil {
		return nil, err
	}
	var out []target
	for _, src := range sources {
		if src.stop != nil {
			return nil, errors.New(checkErr(src.stop.err(src.name)))
		}
		objs, err := objects.Decode(src.data)
		if err != nil {
			return nil, applyFailure(err, "reading", src.name)
		}
		for _, o := range objs {
			info := resourceInfo(o)
			out = append(out, target{info: info, names: []string{o.GetObjectMeta().Name}, namespace: o.GetObjectMeta().Namespace})
		}
	}
	return out, nil
}

// fetch gets the named objects of t, or lists them, and returns kubectl's
// NotFound errors for names that do not exist.
func (k *Kubectl) fetch(inv *invocation, t target, sel objects.Selector) ([]objects.Object, []error) {
	ns := inv.namespace()
	if t.namespace != "" {
		ns = t.namespace
	}
	if len(t.names) == 0 {
		if inv.p.bool("all-namespaces") || !t.info.Namespaced {
			ns = ""
		}
		return k.c.Store().List(t.info.Kind, ns, sel), nil
	}
	var out []objects.Object
	var missing []error
	for _, name := range t.names {
		obj, err := k.c.Store().Get(keyFor(t.info, ns, name))
		if err != nil {
			missing = append(missing, serverError(err, ""))
			continue
		}
		out = append(out, obj)
	}
	return out, missing
}

// selectorOf parses -l.
func selectorOf(inv *invocation) (objects.Selector, error) {
	s := inv.p.get("selector")
	if s == "" {
		return nil, nil
	}
	sel, err := objects.ParseSelector(s)
	if err != nil {
		return nil, plainError("%v", err)
	}
	return sel, nil
}

// outputFormats is cli-runtime's list of -o formats, as its "unable to
// match a printer" error names them.
const outputFormats = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"

// outputFormat reads -o: table (default), wide, json, yaml, name,
// jsonpath=TEMPLATE, jsonpath-as-json=TEMPLATE, custom-columns=SPEC.
func outputFormat(o string) (format, template string, err error) {
	switch {
	case o == "":
		return "table", "", nil
	case o == "wide", o == "json", o == "yaml", o == "name":
		return o, "", nil
	}
	for _, f := range []string{"jsonpath", "jsonpath-as-json", "custom-columns"} {
		if t, ok := strings.CutPrefix(o, f+"="); ok {
			return f, t, nil
		}
		if o == f {
			return f, "", nil
		}
	}
	return "", "", fmt.Errorf("error: unable to match a printer suitable for the output format %q, allowed formats are: %s", o, outputFormats)
}

// print writes the fetched objects in the chosen format.
func (k *Kubectl) print(inv *invocation, format, template string, groups [][]objects.Object, all []objects.Object, single, mixed bool) error {
	switch format {
	case "json":
		return wrapPrint(printers.PrintJSON(&inv.out, all, !single))
	case "yaml":
		return wrapPrint(printers.PrintYAML(&inv.out, all, !single))
	case "name":
		return wrapPrint(printers.PrintName(&inv.out, all))
	case "jsonpath", "jsonpath-as-json":
		opts := printers.JSONPathOptions{AsList: !single, AsJSON: format == "jsonpath-as-json"}
		return wrapPrint(printers.PrintJSONPath(&inv.out, all, template, opts))
	case "custom-columns":
		cc, err := printers.ParseCustomColumns(template)
		if err != nil {
			return wrapPrint(err)
		}
		return wrapPrint(cc.Print(&inv.out, all, inv.p.bool("no-headers")))
	}
	first := true
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		if !first {
			inv.out.WriteString("\n")
		}
		first = false
		opts := printers.Options{
			Now: k.c.Now(), Wide: format == "wide", ShowLabels: inv.p.bool("show-labels"),
			ShowNamespace: inv.p.bool("all-namespaces"), NoHeaders: inv.p.bool("no-headers"), WithKind: mixed,
		}
		if err := printers.PrintTable(&inv.out, g, opts); err != nil {
			return wrapPrint(err)
		}
	}
	return nil
}

func wrapPrint(err error) error {
	if err == nil {
		return nil
	}
	if strings.HasPrefix(err.Error(), "error: ") {
		return err
	}
	return plainError("%v", err)
}

// getObject fetches one object by kind name and object name, with
// kubectl's error on failure.
func (k *Kubectl) getObject(inv *invocation, typ, name string) (objects.Object, error) {
	info, err := lookupKind(typ)
	if err != nil {
		return nil, err
	}
	obj, err := k.c.Store().Get(keyFor(info, inv.namespace(), name))
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return nil, serverError(err, "")
		}
		return nil, plainError("%v", err)
	}
	return obj, nil
}
