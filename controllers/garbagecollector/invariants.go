package garbagecollector

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckSettled reports every object that outlives its owners: an object
// not being deleted whose ownerReferences all point at objects that are
// gone (or were replaced by a namesake with another uid). It holds once
// the collector has caught up — when the simulation is quiet — and is an
// invariant for the property checker. kinds lists the kinds to check, as
// the store can only be listed kind by kind.
func CheckSettled(r storage.Reader, kinds ...string) []error {
	var errs []error
	for _, kind := range kinds {
		r.Scan(kind, "", func(obj objects.Object) bool {
			m := obj.GetObjectMeta()
			if len(m.OwnerReferences) > 0 && m.DeletionTimestamp == nil && !anyOwnerAlive(r, m.Namespace, m.OwnerReferences) {
				errs = append(errs, fmt.Errorf("%s outlives its owners %s", objects.KeyOf(obj), ownerNames(m.OwnerReferences)))
			}
			return true
		})
	}
	return errs
}

func ownerNames(refs []objects.OwnerReference) string {
	s := ""
	for i, ref := range refs {
		if i > 0 {
			s += ", "
		}
		s += ref.Kind + "/" + ref.Name
	}
	return s
}
