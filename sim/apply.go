package sim

import (
	"errors"
	"fmt"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// User is the actor name the trace gives writes made through the Cluster's
// own methods (a test, kubectl).
const User = "kubectl"

// ApplyOutcome says what applying one object did, in kubectl's words.
type ApplyOutcome string

// Outcomes of applying an object.
const (
	Created    ApplyOutcome = "created"
	Configured ApplyOutcome = "configured"
	Unchanged  ApplyOutcome = "unchanged"
)

// Applied is one object of a manifest after it was applied.
type Applied struct {
	Object  objects.Object
	Outcome ApplyOutcome
	// MissedLastApplied reports that the object existed without the
	// last-applied annotation (it was made by create, not apply), which
	// kubectl warns about before patching it in.
	MissedLastApplied bool
}

// ApplyError is a manifest rejected as a whole: nothing of it was applied.
// Index is the failing object's position in the manifest, -1 when the
// manifest did not decode.
type ApplyError struct {
	Index  int
	Object objects.Object // nil when the manifest did not decode
	Err    error
}

func (e *ApplyError) Error() string { return e.Err.Error() }
func (e *ApplyError) Unwrap() error { return e.Err }

// Apply creates each object of a YAML or JSON manifest (several documents
// allowed), or updates it when it exists, like `kubectl apply -f`. The
// manifest is all or nothing: every object is decoded, its kind looked up
// (an unknown kind, or a custom resource whose CustomResourceDefinition is
// not stored yet, is refused as kubectl refuses it), defaulted and
// validated first; then the objects are written in order, and if a write
// fails (a cluster IP or node port already taken, two objects of one name)
// the writes before it are rolled back, so that the store, its
// resourceVersions and the random stream of names and UIDs are exactly as
// before and no controller or trace has seen anything. Real kubectl goes
// document by document; the kubectl package does too, applying one object
// at a time.
func (c *Cluster) Apply(manifest []byte) ([]Applied, error) {
	objs, err := objects.Decode(manifest)
	if err != nil {
		return nil, &ApplyError{Index: -1, Err: err}
	}
	return c.ApplyObjects(objs...)
}

// Create creates each object of a manifest, like `kubectl create -f`: all
// or nothing as Apply, failing (and creating nothing) if any already
// exists.
func (c *Cluster) Create(manifest []byte) ([]objects.Object, error) {
	objs, err := objects.Decode(manifest)
	if err != nil {
		return nil, &ApplyError{Index: -1, Err: err}
	}
	return c.CreateObjects(objs...)
}

// CreateObjects is Create for decoded objects.
func (c *Cluster) CreateObjects(objs ...objects.Object) ([]objects.Object, error) {
	c.verifyUnchanged("the caller, before a create")
	if err := c.precheck(objs, false); err != nil {
		return nil, err
	}
	out := make([]objects.Object, 0, len(objs))
	err := c.allOrNothing(func() error {
		for i, obj := range objs {
			created, err := c.writeUndispatched(controllers.Action{Verb: controllers.Create, Object: obj})
			if err != nil {
				return &ApplyError{Index: i, Object: obj, Err: err}
			}
			out = append(out, created)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ApplyObjects is Apply for decoded objects.
func (c *Cluster) ApplyObjects(objs ...objects.Object) ([]Applied, error) {
	c.verifyUnchanged("the caller, before an apply")
	if err := c.precheck(objs, true); err != nil {
		return nil, err
	}
	out := make([]Applied, 0, len(objs))
	err := c.allOrNothing(func() error {
		for i, obj := range objs {
			a, err := c.applyOne(obj)
			if err != nil {
				return &ApplyError{Index: i, Object: obj, Err: err}
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// precheck runs every check that needs no write on every object, in order:
// the kind is served, the object is valid in an existing namespace, and (for
// create) it does not exist.
func (c *Cluster) precheck(objs []objects.Object, mayExist bool) error {
	mapper := c.Mapper()
	declared := declaredNamespaces(objs)
	for i, obj := range objs {
		if err := mapper.Check(obj); err != nil {
			return &ApplyError{Index: i, Object: obj, Err: err}
		}
		if err := c.check(obj, mayExist, declared); err != nil {
			return &ApplyError{Index: i, Object: obj, Err: err}
		}
	}
	return nil
}

// allOrNothing runs writes, which write through writeUndispatched, as one
// transaction: if it fails, the store and the cluster's random stream are
// rolled back to where they were; if it succeeds, the changes are traced and
// offered to the controllers, in order.
func (c *Cluster) allOrNothing(writes func() error) error {
	rnd, err := c.pcg.MarshalBinary()
	if err != nil {
		return err // cannot happen: a PCG always marshals
	}
	tx := c.store.Begin()
	if err := writes(); err != nil {
		c.store.Abort(tx)
		if uerr := c.pcg.UnmarshalBinary(rnd); uerr != nil {
			panic("sim: restoring the random stream: " + uerr.Error())
		}
		return err
	}
	c.store.Commit(tx)
	prev := c.actor
	c.actor = User
	defer func() { c.actor = prev }()
	c.dispatch()
	return nil
}

// writeUndispatched performs one store write for the user without telling
// anyone: allOrNothing dispatches the writes once all have succeeded.
func (c *Cluster) writeUndispatched(a controllers.Action) (objects.Object, error) {
	if a.Verb == controllers.Create {
		if err := checkRequestSize(a.Object); err != nil {
			return nil, err
		}
	}
	return controllers.Perform(c.store, a)
}

// requestEntityTooLarge is the apiserver's reason for a request body over
// its limit.
const requestEntityTooLarge storage.Reason = "RequestEntityTooLarge"

// checkRequestSize refuses an object whose JSON, the body kubectl would
// send to create it, is over the apiserver's limit (objects.MaxObjectBytes),
// with the apiserver's 413 error.
func checkRequestSize(obj objects.Object) error {
	b, err := objects.Encode(obj)
	if err != nil || len(b) <= objects.MaxObjectBytes {
		return nil
	}
	return &storage.StatusError{Reason: requestEntityTooLarge, Code: 413,
		Message: fmt.Sprintf("Request entity too large: limit is %d", objects.MaxObjectBytes)}
}

// applyOne creates obj or, when it exists, merges obj into the stored
// object as kubectl apply's three-way merge does: fields the manifest sets
// replace the stored ones, fields the previous manifest set and this one
// dropped are removed, and fields the cluster filled in (uid, status,
// defaults, a pod's node) are kept.
func (c *Cluster) applyOne(obj objects.Object) (Applied, error) {
	key := c.keyOf(obj)
	current, err := c.store.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		fresh := obj.DeepCopyObject()
		if err := setLastApplied(fresh, obj); err != nil {
			return Applied{}, err
		}
		created, err := c.writeUndispatched(controllers.Action{Verb: controllers.Create, Object: fresh})
		return Applied{Object: created, Outcome: Created}, err
	}
	if err != nil {
		return Applied{}, err
	}
	desired, err := mergeApplied(current, obj)
	if err != nil {
		return Applied{}, err
	}
	before := current.GetObjectMeta().ResourceVersion
	updated, err := c.writeUndispatched(controllers.Action{Verb: controllers.Update, Object: desired})
	if err != nil {
		return Applied{}, err
	}
	outcome := Configured
	if updated.GetObjectMeta().ResourceVersion == before {
		outcome = Unchanged
	}
	_, had := current.GetObjectMeta().Annotations[LastAppliedAnnotation]
	return Applied{Object: updated, Outcome: outcome, MissedLastApplied: !had}, nil
}

// check verifies, without writing, that obj could be written: it decodes to
// a valid object in an existing namespace, and (for create) does not exist.
func (c *Cluster) check(obj objects.Object, mayExist bool, declared map[string]bool) error {
	probe := obj.DeepCopyObject()
	key := c.keyOf(probe)
	info := objects.KindInfoFor(key.Kind, probe.GetTypeMeta().APIVersion)
	probe.GetObjectMeta().Namespace = key.Namespace
	if m := probe.GetObjectMeta(); m.Name == "" && m.GenerateName != "" {
		// The store completes the name; any valid suffix stands in for it.
		m.Name = m.GenerateName + "x"
	}
	if info.Namespaced && !declared[key.Namespace] {
		if _, err := c.store.Get(objects.Key{Kind: "Namespace", Name: key.Namespace}); err != nil {
			return err
		}
	}
	current, err := c.store.Get(key)
	exists := err == nil
	if exists && !mayExist {
		return storage.NewAlreadyExists(info, key.Name)
	}
	var errs objects.ErrorList
	if exists {
		merged, err := mergeApplied(current, obj)
		if err != nil {
			return err
		}
		objects.SchemeDefault(merged) // update-time defaults only, as the store applies them
		errs = objects.ValidateUpdate(merged, current)
	} else {
		objects.Default(probe)
		errs = objects.ValidateCreate(probe)
	}
	if len(errs) > 0 {
		return storage.NewInvalid(info, key.Name, errs)
	}
	return nil
}

// declaredNamespaces lists the namespaces a manifest itself creates, so
// that objects later in it may live there (a Namespace document before the
// Deployment that uses it, as kubectl applies them in order).
func declaredNamespaces(objs []objects.Object) map[string]bool {
	out := map[string]bool{}
	for _, o := range objs {
		if o.GetTypeMeta().Kind == "Namespace" {
			out[o.GetObjectMeta().Name] = true
		}
	}
	return out
}

// keyOf returns where obj will be stored: namespaced kinds default to the
// default namespace.
func (c *Cluster) keyOf(obj objects.Object) objects.Key {
	key := objects.KeyOf(obj)
	info := objects.KindInfoFor(key.Kind, obj.GetTypeMeta().APIVersion)
	switch {
	case !info.Namespaced:
		key.Namespace = ""
	case key.Namespace == "":
		key.Namespace = objects.NamespaceDefault
	}
	return key
}

// Delete deletes the object named by key as `kubectl delete` does (graceful
// for pods, background cascade).
func (c *Cluster) Delete(key objects.Key, opts storage.DeleteOptions) (objects.Object, error) {
	c.verifyUnchanged("the caller, before a delete")
	return c.write(User, controllers.Action{Verb: controllers.Delete, Key: key, DeleteOptions: opts})
}

// Update writes obj as a user would with `kubectl replace`.
func (c *Cluster) Update(obj objects.Object) (objects.Object, error) {
	c.verifyUnchanged("the caller, before an update")
	return c.write(User, controllers.Action{Verb: controllers.Update, Object: obj})
}

// UpdateStatus writes obj's status as a user would through the status subresource.
func (c *Cluster) UpdateStatus(obj objects.Object) (objects.Object, error) {
	c.verifyUnchanged("the caller, before a status update")
	return c.write(User, controllers.Action{Verb: controllers.UpdateStatus, Object: obj})
}
