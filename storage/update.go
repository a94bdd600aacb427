package storage

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// Update replaces an object's spec and metadata, as a PUT to the object's
// main endpoint does. A set resourceVersion must match the stored one
// (Conflict otherwise); an empty one updates unconditionally. uid,
// creationTimestamp, deletionTimestamp and generation stay as stored;
// generation grows when the spec changes. For kinds with a status
// subresource the status stays as stored. An update that changes nothing
// is not written: no new resourceVersion, no event. An update that leaves
// no finalizer on an object being deleted with no grace left deletes it.
func (s *Store) Update(obj objects.Object) (objects.Object, error) {
	return s.update(obj, mainEndpoint)
}

// UpdateTrusted is Update for an object its caller built well-formed by
// construction (see CreateTrusted): everything Update does but the
// kind's validation.
func (s *Store) UpdateTrusted(obj objects.Object) (objects.Object, error) {
	s.trusted = true
	defer func() { s.trusted = false }()
	return s.update(obj, mainEndpoint)
}

// UpdateStatus replaces an object's status, as a PUT to its status
// subresource does: the spec stays as stored, and so do the deletion
// timestamp and, for pods, the owner references; other metadata changes
// (labels, annotations, finalizers) apply, as upstream allows. Kinds without
// a status subresource answer NotFound, as the apiserver's missing
// endpoint does.
func (s *Store) UpdateStatus(obj objects.Object) (objects.Object, error) {
	return s.update(obj, statusEndpoint)
}

// FinalizeNamespace replaces a namespace's spec.finalizers, as a PUT to the
// namespace's finalize subresource does: the status stays as stored. The
// namespace controller calls it to remove the "kubernetes" finalizer once
// the namespace is empty; a terminating namespace left with no finalizers
// at all is then deleted.
func (s *Store) FinalizeNamespace(ns *objects.Namespace) (*objects.Namespace, error) {
	out, err := s.update(ns, finalizeEndpoint)
	if err != nil {
		return nil, err
	}
	return out.(*objects.Namespace), nil
}

// endpoint names the REST endpoint an update goes to; each has its own
// update strategy.
type endpoint int

const (
	mainEndpoint     endpoint = iota // PUT /<resource>/<name>
	statusEndpoint                   // PUT /<resource>/<name>/status
	finalizeEndpoint                 // PUT /namespaces/<name>/finalize
)

// prepare applies the endpoint's PrepareForUpdate to obj given the stored old.
func (ep endpoint) prepare(obj, old objects.Object) {
	switch ep {
	case statusEndpoint:
		prepareForStatusUpdate(obj, old)
	case finalizeEndpoint:
		// upstream's namespace finalizeStrategy: everything but the status
		copyPart(obj, old, partStatus)
	default:
		prepareForUpdate(obj, old)
	}
}

// update is the shared PUT path.
func (s *Store) update(obj objects.Object, ep endpoint) (objects.Object, error) {
	in, info, err := s.prepareInput(obj)
	if err != nil {
		return nil, err
	}
	key := objects.KeyOf(in)
	old := s.lookup(key)
	if old == nil {
		return nil, newNotFound(info, key.Name)
	}
	if err := checkEndpoint(in, old, info, ep); err != nil {
		return nil, err
	}
	if err := checkUpdatePreconditions(in, old, info); err != nil {
		return nil, err
	}
	objects.SchemeDefault(in) // create-only defaults (Default) must not come back
	ep.prepare(in, old)
	s.stampVolumePhaseTransition(in, old)
	keepSystemFields(in, old, ep)
	validate := objects.ValidateUpdate
	if ep == statusEndpoint {
		validate = objects.ValidateStatusUpdate
	}
	if s.trusted {
		validate = func(_, _ objects.Object) objects.ErrorList { return nil }
	}
	if errs := validate(in, old); len(errs) > 0 {
		return nil, newInvalid(info, key.Name, errs)
	}
	if shouldDeleteDuringUpdate(in, old) {
		return s.deleteDuringUpdate(in, old), nil
	}
	return s.writeWithinQuota(in, old, info)
}

// checkEndpoint rejects updates the endpoint cannot take: a status update
// of a kind without a status subresource, a finalize of anything but a
// typed namespace, and an object whose Go type differs from the stored
// one's (the strategies dispatch on it).
func checkEndpoint(in, old objects.Object, info objects.KindInfo, ep endpoint) error {
	name := in.GetObjectMeta().Name
	switch ep {
	case statusEndpoint:
		if !HasStatusSubresource(old) {
			return newNoSubresource(info, name)
		}
	case finalizeEndpoint:
		if _, ok := old.(*objects.Namespace); !ok {
			return newNoSubresource(info, name)
		}
	}
	if reflect.TypeOf(in) != reflect.TypeOf(old) {
		return newBadRequest(fmt.Sprintf("%s %q is stored as %T and cannot be updated with a %T",
			info.GroupResource(), name, old, in))
	}
	return nil
}

// checkUpdatePreconditions applies the update's implicit preconditions: the
// uid, when given, must be the stored object's (a recreated object is a
// different object), and the resourceVersion, when given, the stored one.
func checkUpdatePreconditions(in, old objects.Object, info objects.KindInfo) error {
	m, om := in.GetObjectMeta(), old.GetObjectMeta()
	if m.UID != "" && m.UID != om.UID {
		return newConflict(info, info.GroupResource(), m.Name, fmt.Sprintf(
			"StorageError: invalid object, Code: 4, Key: %s, ResourceVersion: 0, AdditionalErrorMsg: "+
				"Precondition failed: UID in precondition: %s, UID in object meta: %s",
			storageKey(info, objects.KeyOf(in)), m.UID, om.UID))
	}
	if m.ResourceVersion == "" || m.ResourceVersion == "0" {
		return nil // unconditional update
	}
	if _, err := strconv.ParseUint(m.ResourceVersion, 10, 64); err != nil {
		return newInvalid(info, m.Name, objects.ErrorList{objects.InvalidError(
			objects.NewFieldPath("metadata").Child("resourceVersion"), m.ResourceVersion, err.Error())})
	}
	if m.ResourceVersion != om.ResourceVersion {
		return newConflict(info, info.GroupResource(), m.Name, optimisticLockMsg)
	}
	return nil
}

// storageKey is the etcd key upstream names in storage errors.
func storageKey(info objects.KindInfo, key objects.Key) string {
	prefix := "/registry/"
	if _, registered := objects.LookupKind(key.Kind); !registered && info.Group != "" {
		prefix += info.Group + "/" // custom resources live under their group
	}
	if key.Namespace == "" {
		return prefix + info.Resource + "/" + key.Name
	}
	return prefix + info.Resource + "/" + key.Namespace + "/" + key.Name
}

// keepSystemFields restores the metadata an update cannot change, as
// upstream's BeforeUpdate does, and bumps generation on a spec change (and,
// through the main endpoint, on a Deployment's annotation change). A
// status update's spec is the stored one (prepareForStatusUpdate), so it
// is not compared.
func keepSystemFields(in, old objects.Object, ep endpoint) {
	m, om := in.GetObjectMeta(), old.GetObjectMeta()
	m.UID = om.UID
	m.CreationTimestamp = om.CreationTimestamp
	m.DeletionTimestamp = om.DeletionTimestamp
	m.DeletionGracePeriodSeconds = om.DeletionGracePeriodSeconds
	m.ResourceVersion = om.ResourceVersion
	m.Generation = om.Generation
	if ep == statusEndpoint || !hasGeneration(in.GetTypeMeta().Kind) {
		return
	}
	if !partsEqual(in, old, partSpec) || (ep == mainEndpoint && annotationsBumpGeneration(in, old)) {
		m.Generation++
	}
}

// shouldDeleteDuringUpdate is upstream's ShouldDeleteDuringUpdate: the
// update removed the last finalizer of an object whose deletion was
// requested with no grace period left. Namespaces also need their
// spec.finalizers empty.
func shouldDeleteDuringUpdate(in, old objects.Object) bool {
	m, om := in.GetObjectMeta(), old.GetObjectMeta()
	if len(m.Finalizers) > 0 || om.DeletionTimestamp == nil {
		return false
	}
	if g := om.DeletionGracePeriodSeconds; g != nil && *g != 0 {
		return false
	}
	if ns, ok := in.(*objects.Namespace); ok && len(ns.Spec.Finalizers) > 0 {
		return false
	}
	return true
}

// write stores in as the new state of old, unless nothing changed (as etcd3's
// GuaranteedUpdate skips writing identical bytes), and returns what is now
// stored, which callers hand out as it is (read-only, see Reader).
//
// It is the write of the delete paths (a deletion timestamp, finalizers),
// which the quota lets through; updates go through writeWithinQuota.
func (s *Store) write(in, old objects.Object) objects.Object {
	in.GetObjectMeta().ResourceVersion = old.GetObjectMeta().ResourceVersion
	if objectsEqual(in, old) {
		return old
	}
	return s.store(in, old, s.sizeOfWrite(in, old))
}

// writeWithinQuota is write for creates' and updates' kin: a change that
// would take the store past its quota fails with ErrNoSpace. An update
// that changes nothing writes nothing, and so never fails for space.
func (s *Store) writeWithinQuota(in, old objects.Object, info objects.KindInfo) (objects.Object, error) {
	in.GetObjectMeta().ResourceVersion = old.GetObjectMeta().ResourceVersion
	if objectsEqual(in, old) {
		return old, nil
	}
	sz, err := s.admitWrite(in, old, info, in.GetObjectMeta().Name)
	if err != nil {
		return nil, err
	}
	return s.store(in, old, sz), nil
}

// store writes in, of sz's size, as the new state of old at a new revision.
func (s *Store) store(in, old objects.Object, sz sized) objects.Object {
	rev := s.nextRevision()
	in.GetObjectMeta().ResourceVersion = strconv.FormatInt(rev, 10)
	s.put(in, old, sz)
	s.emit(Modified, in, old, rev)
	return in
}

// deleteDuringUpdate removes old because the update in emptied its
// finalizers. As upstream, the watch sees the last stored state and the
// caller gets its own update back, both at the deletion's revision.
func (s *Store) deleteDuringUpdate(in, old objects.Object) objects.Object {
	last := s.remove(old)
	in.GetObjectMeta().ResourceVersion = last.GetObjectMeta().ResourceVersion
	return in
}

// remove deletes old from the tree, records the Deleted event and returns
// the last state stamped with the deletion's resourceVersion.
func (s *Store) remove(old objects.Object) objects.Object {
	rev := s.nextRevision()
	if gone, ok := s.tables.remove(objects.KeyOf(old)); ok {
		s.forgetSize(gone.size)
		s.unshadow(old)
		reindex(s.idx, old, nil)
	}
	last := shallowCopy(old) // only its resourceVersion changes
	last.GetObjectMeta().ResourceVersion = strconv.FormatInt(rev, 10)
	s.emit(Deleted, last, old, rev)
	return last
}
