package storage

import (
	"fmt"
	"slices"

	"github.com/kubesim/kubesim/objects"
)

// immortalNamespaces may never be deleted (the NamespaceLifecycle admission
// plugin's list).
var immortalNamespaces = map[string]bool{
	objects.NamespaceDefault: true,
	objects.NamespaceSystem:  true,
	"kube-public":            true,
}

// namespaceKey is the store key of the namespace called name.
func namespaceKey(name string) objects.Key {
	return objects.Key{Kind: "Namespace", Name: name}
}

// namespaceTerminating reports whether ns is being deleted: new content may
// no longer be created in it.
func namespaceTerminating(ns objects.Object) bool {
	if n, ok := ns.(*objects.Namespace); ok && n.Status.Phase == objects.NamespaceTerminating {
		return true
	}
	return ns.GetObjectMeta().DeletionTimestamp != nil
}

// deleteNamespace is upstream's namespace REST Delete: the first delete
// only marks the namespace Terminating (the namespace controller then
// empties it and removes the kubernetes finalizer); once spec.finalizers is
// empty, a delete goes through the generic path.
func (s *Store) deleteNamespace(old objects.Object, info objects.KindInfo, opts DeleteOptions) (objects.Object, error) {
	ns := old.(*objects.Namespace)
	if err := checkNamespacePreconditions(ns, info, opts.Preconditions); err != nil {
		return nil, err
	}
	if ns.DeletionTimestamp == nil {
		cur := ns.DeepCopy()
		cur.DeletionTimestamp = objects.NewTimePtr(s.clk.Now())
		cur.Status.Phase = objects.NamespaceTerminating
		cur.Finalizers = namespaceGCFinalizers(cur.Finalizers, opts.PropagationPolicy)
		return s.write(cur, old), nil
	}
	if len(ns.Spec.Finalizers) != 0 {
		return old, nil // the system is still emptying it
	}
	return s.deleteObject(old, opts), nil
}

// checkNamespacePreconditions checks preconditions with the namespace
// registry's own wording.
func checkNamespacePreconditions(ns *objects.Namespace, info objects.KindInfo, p *Preconditions) error {
	if p == nil {
		return nil
	}
	if p.UID != "" && p.UID != ns.UID {
		return newConflict(info, info.GroupResource(), ns.Name, fmt.Sprintf(
			"Precondition failed: UID in precondition: %s, UID in object meta: %s", p.UID, ns.UID))
	}
	if p.ResourceVersion != "" && p.ResourceVersion != ns.ResourceVersion {
		return newConflict(info, info.GroupResource(), ns.Name, fmt.Sprintf(
			"Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s",
			p.ResourceVersion, ns.ResourceVersion))
	}
	return nil
}

// namespaceGCFinalizers applies an explicit propagation policy to a
// namespace's finalizers on its first delete (no policy keeps them as they
// are), keeping their order so the result is deterministic.
func namespaceGCFinalizers(current []string, policy string) []string {
	if policy == "" {
		return current
	}
	want := map[string]bool{
		FinalizerOrphanDependents: policy == DeletePropagationOrphan,
		FinalizerDeleteDependents: policy == DeletePropagationForeground,
	}
	var out []string
	for _, f := range current {
		if keep, managed := want[f]; !managed || keep {
			out = append(out, f)
		}
	}
	for _, f := range []string{FinalizerOrphanDependents, FinalizerDeleteDependents} {
		if want[f] && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
