package storage

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// Create stores a new object and returns it as stored. It follows the
// apiserver's create path: namespaced kinds default to namespace "default",
// which must exist and not be terminating; generateName gets five random
// characters (retried up to 8 times on collision); uid, creationTimestamp,
// resourceVersion and generation are set by the store; the kind's defaults,
// initial status and validation apply. On any error nothing changes.
func (s *Store) Create(obj objects.Object) (objects.Object, error) {
	in, info, err := s.prepareInput(obj)
	if err != nil {
		return nil, err
	}
	if err := s.admitNamespace(in, info); err != nil {
		return nil, err
	}
	m := in.GetObjectMeta()
	if m.Name == "" && m.GenerateName != "" {
		return s.createWithGeneratedName(in, info)
	}
	return s.create(in, info)
}

// CreateTrusted is Create for an object its caller built well-formed by
// construction (the simulation's event recorder): everything Create does
// but the kind's validation, whose result cannot be an error for it.
// Validation errors it would have missed are the caller's bug.
func (s *Store) CreateTrusted(obj objects.Object) (objects.Object, error) {
	in, info, err := s.prepareInput(obj)
	if err != nil {
		return nil, err
	}
	if err := s.admitNamespace(in, info); err != nil {
		return nil, err
	}
	s.trusted = true
	defer func() { s.trusted = false }()
	return s.create(in, info)
}

// createWithGeneratedName tries fresh generated names until one is free, as
// upstream's createWithGenerateNameRetry does.
func (s *Store) createWithGeneratedName(in objects.Object, info objects.KindInfo) (objects.Object, error) {
	var err error
	for range maxNameGenerationAttempts {
		name := generateName(s.rnd, in.GetObjectMeta().GenerateName)
		// A name that is free cannot fail as AlreadyExists: the store
		// takes in itself, as a create with a name does. A taken one gets
		// a copy, so that the next attempt starts from in as given.
		attempt := in
		if key := objects.KeyOf(in); s.lookup(objects.Key{Kind: key.Kind, Namespace: key.Namespace, Name: name}) != nil {
			attempt = in.DeepCopyObject()
		}
		m := attempt.GetObjectMeta()
		m.Name = name
		var out objects.Object
		out, err = s.create(attempt, info)
		if err == nil || !errors.Is(err, ErrAlreadyExists) {
			return out, err
		}
	}
	return nil, err
}

// create runs the create strategy on in (the store's own copy, named) and
// stores it.
func (s *Store) create(in objects.Object, info objects.KindInfo) (objects.Object, error) {
	m := in.GetObjectMeta()
	requestedRV := m.ResourceVersion
	objects.Default(in)
	if svc, ok := in.(*objects.Service); ok {
		if err := s.allocateService(svc, info); err != nil {
			return nil, err
		}
	}
	s.fillSystemFields(m, info.Kind)
	if needsUIDToPrepare(in) {
		m.UID = newUID(s.rnd)
	}
	prepareForCreate(in)
	s.prepareVolumeForCreate(in)
	if !s.trusted {
		if errs := validateCreate(in); len(errs) > 0 {
			return nil, newInvalid(info, m.Name, errs)
		}
	}
	if requestedRV != "" && requestedRV != "0" {
		return nil, newRVSetOnCreate(info, m.Name)
	}
	if existing := s.lookup(objects.KeyOf(in)); existing != nil {
		return nil, alreadyExists(existing, in, info)
	}
	sz, err := s.admitWrite(in, nil, info, m.Name)
	if err != nil {
		return nil, err
	}
	// The uid is drawn only once the object is sure to be stored, so that a
	// rejected create leaves the random stream where it was.
	if m.UID == "" {
		m.UID = newUID(s.rnd)
	}
	rev := s.nextRevision()
	m.ResourceVersion = strconv.FormatInt(rev, 10)
	s.put(in, nil, sz)
	s.emit(Added, in, nil, rev)
	return in, nil
}

// fillSystemFields resets the metadata only the store may set, as upstream's
// FillObjectMetaSystemFields and BeforeCreate do, and the kind's strategy
// its generation (generationKinds). The uid comes later.
func (s *Store) fillSystemFields(m *objects.ObjectMeta, kind string) {
	m.UID = ""
	m.ResourceVersion = ""
	m.Generation = 0
	if hasGeneration(kind) {
		m.Generation = 1
	}
	m.CreationTimestamp = objects.NewTime(s.clk.Now())
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
}

// validateCreate returns the kind's create validation errors, adding the
// apiserver's object-meta check for a missing name when validation did not
// report one.
func validateCreate(obj objects.Object) objects.ErrorList {
	errs := objects.ValidateCreate(obj)
	if obj.GetObjectMeta().Name == "" && !hasFieldError(errs, "metadata.name") {
		errs = append(objects.ErrorList{objects.RequiredError(objects.NewFieldPath("metadata").Child("name"),
			"name or generateName is required")}, errs...)
	}
	return errs
}

// hasFieldError reports whether errs holds an error about field.
func hasFieldError(errs objects.ErrorList, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// alreadyExists builds the AlreadyExists error for in colliding with
// existing, worded as upstream's create path words it.
func alreadyExists(existing, in objects.Object, info objects.KindInfo) *StatusError {
	m := in.GetObjectMeta()
	var e *StatusError
	if m.GenerateName != "" {
		e = newGenerateNameConflict(info, m.Name)
	} else {
		e = newAlreadyExists(info, m.Name)
	}
	if existing.GetObjectMeta().DeletionTimestamp != nil {
		e.Message = "object is being deleted: " + e.Message
	}
	return e
}

// admitNamespace is the NamespaceLifecycle admission check: a namespaced
// object needs an existing namespace that is not terminating.
func (s *Store) admitNamespace(in objects.Object, info objects.KindInfo) error {
	if !info.Namespaced {
		return nil
	}
	m := in.GetObjectMeta()
	ns := s.lookup(namespaceKey(m.Namespace))
	if ns == nil {
		return newNotFound(namespaceInfo(), m.Namespace)
	}
	if namespaceTerminating(ns) {
		return newForbidden(info, m.Name, fmt.Sprintf(
			"unable to create new content in namespace %s because it is being terminated", m.Namespace))
	}
	return nil
}
