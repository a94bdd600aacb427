package kubectl

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

var createFlags = []flagSpec{
	{long: "filename", short: "f", hasValue: true, repeat: true},
	{long: "from-literal", hasValue: true, repeat: true},
	// The generators' flags (create_more.go).
	{long: "from-file", hasValue: true, repeat: true},
	{long: "image", hasValue: true, repeat: true},
	{long: "replicas", short: "r", hasValue: true},
	{long: "port", hasValue: true},
	{long: "from", hasValue: true},
	{long: "schedule", hasValue: true},
	{long: "restart", hasValue: true},
	{long: "dry-run", hasValue: true},
	{long: "save-config"},
	{long: "validate", hasValue: true},
	{long: "output", short: "o", hasValue: true},
}

var applyFlags = []flagSpec{
	{long: "filename", short: "f", hasValue: true, repeat: true},
	{long: "validate", hasValue: true},
	{long: "output", short: "o", hasValue: true},
}

// create handles `create -f`, `create secret generic`, `create namespace`
// and the generators of create_more.go.
func (k *Kubectl) create(inv *invocation) error {
	if len(inv.p.args) > 0 && !inv.p.has("filename") {
		switch inv.p.args[0] {
		case "secret":
			return k.createSecret(inv)
		case "namespace", "ns":
			return k.createNamespace(inv)
		case "deployment", "deploy":
			return k.createDeployment(inv)
		case "job":
			return k.createJob(inv)
		case "cronjob", "cj":
			return k.createCronJob(inv)
		case "configmap", "cm":
			return k.createConfigMap(inv)
		}
		return &usageError{msg: fmt.Sprintf("unknown command %q for \"kubectl create\"", inv.p.args[0]), verb: "create"}
	}
	validate, err := validationDirective(inv)
	if err != nil {
		return err
	}
	sources, err := k.readManifests(inv)
	if err != nil {
		return err
	}
	items, builderErrs := k.visit(inv, sources, validate)
	warned := warner{}
	// kubectl create visits document by document: each object is created
	// (and printed) in turn, each failure is kept, and the builder's own
	// errors (unknown kinds, unreadable documents) come last, after the
	// objects' (ContinueOnErrorVisitor over EagerVisitorList).
	var errs []error
	count := 0
	for _, it := range items {
		if err := it.problem("creating"); err != nil {
			errs = append(errs, err)
			continue
		}
		warned.print(inv, it.warnings)
		created, err := k.c.CreateObjects(it.obj)
		if err != nil {
			errs = append(errs, withSource("creating", it.source, unwrapApplyError(err)))
			continue
		}
		count++
		warned.about(inv, created[0])
		inv.printf("%s created\n", resourceName(created[0]))
	}
	errs = append(errs, newAggregate(builderErrs))
	if err := oneOrAggregate(nonNil(errs)); err != nil {
		return errors.New(checkErr(err))
	}
	if count == 0 {
		return plainError("no objects passed to create")
	}
	return nil
}

// apply handles `apply -f`: create or update each object.
func (k *Kubectl) apply(inv *invocation) error {
	validate, err := validationDirective(inv)
	if err != nil {
		return err
	}
	sources, err := k.readManifests(inv)
	if err != nil {
		return err
	}
	// kubectl apply reads every object first (GetObjects), then applies
	// them one by one: the errors of reading come first, then each
	// object's, in order.
	items, builderErrs := k.visit(inv, sources, validate)
	var visitErrs []error
	for _, it := range items {
		if it.nsErr != nil {
			visitErrs = append(visitErrs, it.nsErr)
		}
	}
	visitErrs = append(visitErrs, newAggregate(builderErrs))
	var errs []error
	if err := oneOrAggregate(nonNil(visitErrs)); err != nil {
		errs = append(errs, err)
	}
	warned := warner{}
	applied := 0
	for _, it := range items {
		if it.nsErr != nil {
			continue
		}
		applied++
		if err := k.applyItem(inv, it, warned); err != nil {
			errs = append(errs, err)
		}
	}
	if applied == 0 && len(errs) == 0 {
		return plainError("no objects passed to apply")
	}
	if err := oneOrAggregate(errs); err != nil {
		return errors.New(checkErr(err))
	}
	return nil
}

// applyItem applies one object as kubectl's applyOneObject does and prints
// what happened.
func (k *Kubectl) applyItem(inv *invocation, it item, warned warner) error {
	verb := "creating"
	if k.exists(it) {
		// kubectl patches an existing object and quotes the patch in its
		// error; kubesim names the source only.
		verb = "applying"
	}
	if err := it.problem(verb); err != nil {
		return err
	}
	if m := it.obj.GetObjectMeta(); m.Name == "" && m.GenerateName != "" {
		return fmt.Errorf("from %s: cannot use generate name with apply", m.GenerateName)
	}
	// kubectl reads the object in the version the file names before it
	// applies: the apiserver's warnings about that version come even when
	// nothing changes.
	warned.print(inv, it.warnings)
	applied, err := k.c.ApplyObjects(it.obj)
	if err != nil {
		return withSource(verb, it.source, unwrapApplyError(err))
	}
	a := applied[0]
	if a.Outcome != sim.Unchanged { // kubectl sent no request for an unchanged object
		warned.about(inv, a.Object)
	}
	if a.MissedLastApplied {
		inv.printf("Warning: resource %s/%s is missing the %s annotation which is required by kubectl apply. "+
			"kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. "+
			"The missing annotation will be patched automatically.\n",
			resourceInfo(a.Object).Resource, a.Object.GetObjectMeta().Name, sim.LastAppliedAnnotation)
	}
	inv.printf("%s %s\n", resourceName(a.Object), a.Outcome)
	return nil
}

// exists reports whether the object an item names is stored.
func (k *Kubectl) exists(it item) bool {
	kind, name, ns := it.identity()
	if name == "" {
		return false
	}
	_, err := k.c.Get(keyFor(objects.KindInfoFor(kind, ""), ns, name))
	return err == nil
}

// unwrapApplyError returns the cause of a refused apply.
func unwrapApplyError(err error) error {
	var ae *sim.ApplyError
	if errors.As(err, &ae) {
		return ae.Err
	}
	return err
}

// nonNil drops nil errors.
func nonNil(errs []error) []error {
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// applyFailure formats a rejected manifest as kubectl reports it.
func applyFailure(err error, doing, source string) error {
	context := fmt.Sprintf("error when %s %q: ", doing, source)
	var ae *sim.ApplyError
	if errors.As(err, &ae) {
		err = ae.Err
	}
	var de *objects.DecodeError
	if errors.As(err, &de) && de.Reason == objects.DecodeSyntax {
		return fmt.Errorf("error: error parsing %s: %s", source, de.Message)
	}
	return serverError(err, context)
}

// createSecret handles `create secret generic NAME --from-literal=k=v...`.
func (k *Kubectl) createSecret(inv *invocation) error {
	args := inv.p.args
	if len(args) < 2 || args[1] != "generic" {
		return &usageError{msg: "only \"kubectl create secret generic\" is supported", verb: "create secret"}
	}
	if len(args) < 3 {
		return &usageError{msg: "exactly one NAME is required, got 0", verb: "create secret generic"}
	}
	data := map[string]any{}
	for _, lit := range inv.p.all("from-literal") {
		key, value, ok := strings.Cut(lit, "=")
		if !ok || key == "" {
			return plainError("invalid literal source %s, expected key=value", lit)
		}
		if _, dup := data[key]; dup {
			return plainError("cannot add key %s, another key by that name already exists in Data for Secret %q", key, args[2])
		}
		data[key] = base64.StdEncoding.EncodeToString([]byte(value))
	}
	secret := &objects.Unstructured{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: objects.ObjectMeta{Name: args[2], Namespace: inv.namespace()},
		Content:    map[string]any{"type": "Opaque"},
	}
	if len(data) > 0 {
		secret.Content["data"] = data
	}
	return k.createObject(inv, secretObject(secret))
}

// secretObject returns the typed Secret when kubesim models Secrets, and the
// unstructured one otherwise.
func secretObject(u *objects.Unstructured) objects.Object {
	if _, ok := objects.NewObject("Secret"); !ok {
		return u
	}
	b, err := objects.Encode(u)
	if err != nil {
		return u
	}
	typed, err := objects.DecodeOne(b)
	if err != nil {
		return u
	}
	return typed
}

// createNamespace handles `create namespace NAME`.
func (k *Kubectl) createNamespace(inv *invocation) error {
	if len(inv.p.args) != 2 {
		return &usageError{msg: fmt.Sprintf("exactly one NAME is required, got %d", len(inv.p.args)-1), verb: "create namespace"}
	}
	ns := &objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: objects.ObjectMeta{Name: inv.p.args[1]}}
	return k.createObject(inv, ns)
}

// createObject creates one object built by kubectl itself.
func (k *Kubectl) createObject(inv *invocation, obj objects.Object) error {
	b, err := objects.Encode(obj)
	if err != nil {
		return plainError("%v", err)
	}
	created, err := k.c.Create(b)
	if err != nil {
		var ae *sim.ApplyError
		if errors.As(err, &ae) {
			err = ae.Err
		}
		return serverError(err, "")
	}
	for _, o := range created {
		inv.printf("%s created\n", resourceName(o))
	}
	return nil
}
