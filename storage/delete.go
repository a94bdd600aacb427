package storage

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Propagation policies: what deleting an owner does to its dependents.
const (
	DeletePropagationBackground = "Background"
	DeletePropagationForeground = "Foreground"
	DeletePropagationOrphan     = "Orphan"
)

// Finalizers the store itself adds.
const (
	// FinalizerOrphanDependents asks the garbage collector to orphan the
	// object's dependents before the object goes.
	FinalizerOrphanDependents = "orphan"
	// FinalizerDeleteDependents asks the garbage collector to delete the
	// object's blocking dependents before the object goes.
	FinalizerDeleteDependents = "foregroundDeletion"
)

// DeleteOptions are the options of a delete call (upstream's
// metav1.DeleteOptions, the modelled subset).
type DeleteOptions struct {
	// GracePeriodSeconds overrides a pod's terminationGracePeriodSeconds;
	// nil means the pod's own. Negative values count as 1.
	GracePeriodSeconds *int64
	// PropagationPolicy is Background, Foreground or Orphan; "" means the
	// kind's default.
	PropagationPolicy string
	// Preconditions must hold for the delete to proceed; nil means none.
	Preconditions *Preconditions
}

// Preconditions are what the object must still be for a delete to go ahead.
// An empty field is not checked.
type Preconditions struct {
	UID             string
	ResourceVersion string
}

// Delete deletes the object under key and returns it as it is after the
// call: still stored, with a deletionTimestamp, when a grace period or
// finalizers hold it back; otherwise its last state at the deletion's
// resourceVersion. Pods are deleted gracefully as upstream's pod strategy
// does; namespaces go through Terminating first; Foreground and Orphan
// propagation add the garbage collector's finalizers. The object returned
// shares its parts with stored versions, as every object the store hands
// out does: read-only.
func (s *Store) Delete(key objects.Key, opts DeleteOptions) (objects.Object, error) {
	key, info := normalizeKey(key)
	if key.Kind == "Namespace" && immortalNamespaces[key.Name] {
		return nil, newForbidden(info, key.Name, "this namespace may not be deleted")
	}
	old := s.lookup(key)
	if old == nil {
		return nil, newNotFound(info, key.Name)
	}
	if err := validateDeleteOptions(opts); err != nil {
		return nil, err
	}
	var out objects.Object
	if _, ok := old.(*objects.Namespace); ok {
		var err error
		if out, err = s.deleteNamespace(old, info, opts); err != nil {
			return nil, err
		}
	} else {
		if err := checkDeletePreconditions(old, info, opts.Preconditions); err != nil {
			return nil, err
		}
		out = s.deleteObject(old, opts)
	}
	return out, nil
}

// validateDeleteOptions is upstream's ValidateDeleteOptions.
func validateDeleteOptions(opts DeleteOptions) error {
	switch opts.PropagationPolicy {
	case "", DeletePropagationForeground, DeletePropagationBackground, DeletePropagationOrphan:
		return nil
	}
	errs := objects.ErrorList{objects.NotSupportedError(objects.NewFieldPath("propagationPolicy"), opts.PropagationPolicy,
		[]string{DeletePropagationForeground, DeletePropagationBackground, DeletePropagationOrphan, "nil"})}
	return newInvalid(objects.KindInfo{Kind: "DeleteOptions", Group: "meta.k8s.io"}, "", errs)
}

// checkDeletePreconditions checks preconditions with the wording of
// upstream's BeforeDelete, which names the kind where other conflicts name
// the resource.
func checkDeletePreconditions(old objects.Object, info objects.KindInfo, p *Preconditions) error {
	if p == nil {
		return nil
	}
	m := old.GetObjectMeta()
	if p.UID != "" && p.UID != m.UID {
		return newConflict(info, groupKind(info), m.Name, fmt.Sprintf(
			"the UID in the precondition (%s) does not match the UID in record (%s). The object might have been deleted and then recreated",
			p.UID, m.UID))
	}
	if p.ResourceVersion != "" && p.ResourceVersion != m.ResourceVersion {
		return newConflict(info, groupKind(info), m.Name, fmt.Sprintf(
			"the ResourceVersion in the precondition (%s) does not match the ResourceVersion in record (%s). The object might have been modified",
			p.ResourceVersion, m.ResourceVersion))
	}
	return nil
}

// deleteObject is upstream's generic registry Delete after the checks: it
// returns the object's state after the call (stored, or last before removal).
func (s *Store) deleteObject(old objects.Object, opts DeleteOptions) objects.Object {
	if removesAtOnce(old, opts) {
		return s.remove(old) // most deletes: no copy of what is about to go
	}
	cur := shallowCopy(old)
	graceful, pending := s.beforeDelete(cur, opts.GracePeriodSeconds)
	if pending {
		return old // a graceful deletion with a shorter or equal grace is under way
	}
	m := cur.GetObjectMeta()
	updateFinalizers, finalizers := gcFinalizers(cur, opts.PropagationPolicy)
	if updateFinalizers {
		m.Finalizers = finalizers
	}
	pendingFinalizers := len(m.Finalizers) != 0
	if !graceful {
		if !pendingFinalizers {
			return s.remove(old) // upstream's errDeleteNow: nothing is written first
		}
		s.markAsDeleting(m)
		return s.write(cur, old)
	}
	stored := s.write(cur, old)
	if pendingFinalizers || *m.DeletionGracePeriodSeconds > 0 {
		return stored
	}
	return s.remove(stored)
}

// removesAtOnce reports, without copying obj, that deleting it writes
// nothing first: it is no pod (only pods delete gracefully), holds no
// finalizer and gets none from the propagation policy. deleteObject's
// general path reaches the same removal for such an object.
func removesAtOnce(obj objects.Object, opts DeleteOptions) bool {
	if _, isPod := obj.(*objects.Pod); isPod || len(obj.GetObjectMeta().Finalizers) > 0 {
		return false
	}
	update, _ := gcFinalizers(obj, opts.PropagationPolicy)
	return !update
}

// shallowCopy returns a new object whose fields are obj's: the delete path
// only ever assigns metadata fields of its copy (deletion timestamp and
// grace, finalizers, generation, resourceVersion), never writes into what
// they point to, so the rest may be shared with the stored object, which
// nobody changes. A deep copy cost more than the rest of an Event's
// expiry, and the version written shares what did not change.
func shallowCopy(obj objects.Object) objects.Object {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return obj.DeepCopyObject()
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	return c.Interface().(objects.Object)
}

// beforeDelete is upstream's rest.BeforeDelete without the precondition
// checks, applied to cur (a private copy). graceful means cur now carries a
// (new or shortened) graceful deletion to write; pending means a graceful
// deletion at least as short is already under way and nothing changes.
func (s *Store) beforeDelete(cur objects.Object, requested *int64) (graceful, pending bool) {
	var grace *int64
	if requested != nil {
		g := *requested
		if g < 0 {
			g = 1 // negative grace periods count as 1s on the delete path
		}
		grace = &g
	}
	m := cur.GetObjectMeta()
	if g := m.DeletionGracePeriodSeconds; g != nil && *g < 0 {
		m.DeletionGracePeriodSeconds = int64Ptr(1)
	}
	pod, ok := cur.(*objects.Pod)
	if !ok {
		return false, false
	}
	if m.DeletionTimestamp != nil {
		return shortenGracePeriod(m, grace)
	}
	period := podGracePeriod(pod, grace)
	m.DeletionTimestamp = objects.NewTimePtr(s.clk.Now().Add(time.Duration(period) * time.Second))
	m.DeletionGracePeriodSeconds = int64Ptr(period)
	if m.Generation > 0 {
		m.Generation++ // controllers must notice the deletion
	}
	return true, false
}

// shortenGracePeriod handles a delete of a pod already being deleted: only
// a shorter grace period changes anything, moving the deadline earlier.
func shortenGracePeriod(m *objects.ObjectMeta, grace *int64) (graceful, pending bool) {
	current := m.DeletionGracePeriodSeconds
	if current == nil || *current == 0 {
		return false, false // no grace left: delete now
	}
	if grace == nil || *grace >= *current {
		return false, true
	}
	start := m.DeletionTimestamp.Add(-time.Duration(*current) * time.Second)
	m.DeletionTimestamp = objects.NewTimePtr(start.Add(time.Duration(*grace) * time.Second))
	m.DeletionGracePeriodSeconds = int64Ptr(*grace)
	return true, false
}

// podGracePeriod is upstream's pod CheckGracefulDelete: the requested grace,
// else the pod's own; zero for a pod never scheduled or already finished.
func podGracePeriod(pod *objects.Pod, requested *int64) int64 {
	period := int64(objects.DefaultTerminationGracePeriodSeconds)
	switch {
	case requested != nil:
		period = *requested
	case pod.Spec.TerminationGracePeriodSeconds != nil:
		period = *pod.Spec.TerminationGracePeriodSeconds
	}
	if pod.Spec.NodeName == "" {
		period = 0
	}
	if pod.Status.Phase == objects.PodFailed || pod.Status.Phase == objects.PodSucceeded {
		period = 0
	}
	return max(period, 0)
}

// markAsDeleting is upstream's markAsDeleting: an object held by finalizers
// gets a deletionTimestamp of now (or keeps an earlier one) and no grace.
func (s *Store) markAsDeleting(m *objects.ObjectMeta) {
	now := objects.NewTime(s.clk.Now())
	if m.DeletionTimestamp == nil && m.Generation > 0 {
		m.Generation++
	}
	if m.DeletionTimestamp == nil || m.DeletionTimestamp.After(now.Time) {
		m.DeletionTimestamp = &now
	}
	m.DeletionGracePeriodSeconds = int64Ptr(0)
}

// gcFinalizers is upstream's deletionFinalizersForGarbageCollection: the
// orphan and foregroundDeletion finalizers the propagation policy (or the
// kind's default, or the finalizers already there) calls for. It reports
// whether the set changes and the new list.
func gcFinalizers(obj objects.Object, policy string) (bool, []string) {
	gc := defaultGCPolicy(obj.GetTypeMeta().Kind)
	if gc == gcUnsupported {
		return false, nil
	}
	current := obj.GetObjectMeta().Finalizers
	orphan := shouldOrphan(gc, current, policy)
	foreground := shouldDeleteInForeground(current, policy)
	if !orphan && !foreground && !slices.Contains(current, FinalizerOrphanDependents) &&
		!slices.Contains(current, FinalizerDeleteDependents) {
		return false, current // nothing to add or take away
	}
	next := make([]string, 0, len(current)+1)
	for _, f := range current {
		if f != FinalizerOrphanDependents && f != FinalizerDeleteDependents {
			next = append(next, f)
		}
	}
	if orphan {
		next = append(next, FinalizerOrphanDependents)
	}
	if foreground {
		next = append(next, FinalizerDeleteDependents)
	}
	if sameStringSet(current, next) {
		return false, current
	}
	return true, next
}

// shouldOrphan is upstream's shouldOrphanDependents: an explicit policy
// wins, then a GC finalizer already present, then the kind's default.
func shouldOrphan(gc gcPolicy, finalizers []string, policy string) bool {
	switch policy {
	case DeletePropagationOrphan:
		return true
	case DeletePropagationBackground, DeletePropagationForeground:
		return false
	}
	for _, f := range finalizers {
		switch f {
		case FinalizerOrphanDependents:
			return true
		case FinalizerDeleteDependents:
			return false
		}
	}
	return gc == gcOrphanDependents
}

// shouldDeleteInForeground is upstream's shouldDeleteDependents.
func shouldDeleteInForeground(finalizers []string, policy string) bool {
	switch policy {
	case DeletePropagationForeground:
		return true
	case DeletePropagationBackground, DeletePropagationOrphan:
		return false
	}
	for _, f := range finalizers {
		switch f {
		case FinalizerDeleteDependents:
			return true
		case FinalizerOrphanDependents:
			return false
		}
	}
	return false
}

// sameStringSet reports whether a and b hold the same strings, ignoring
// order and repetition.
func sameStringSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// int64Ptr returns a pointer to a copy of v.
func int64Ptr(v int64) *int64 { return &v }
