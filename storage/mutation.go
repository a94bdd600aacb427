package storage

import (
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/objects"
)

// Objects the store hands out are shared (see Reader). CheckMutations turns
// on a test mode that keeps a private copy of every stored object and
// compares the two at VerifyUnchanged, so that a caller who changes a
// shared object fails loudly, naming it, instead of corrupting every other
// reader's view. It costs a deep copy per write and a comparison of every
// object per verification: tests only.

// CheckMutations turns the check on or off. Turning it on copies what is
// stored now.
func (s *Store) CheckMutations(on bool) {
	s.shadows = nil
	s.tables.setPacking(!on) // shadows are kept by identity: the objects themselves
	if !on {
		return
	}
	s.shadows = map[objects.Object]objects.Object{}
	s.tables.ascend(func(e entry) bool {
		s.shadows[e.obj] = e.obj.DeepCopyObject()
		return true
	})
}

// shadow keeps a private copy of an object being stored, in check mode.
func (s *Store) shadow(obj objects.Object) {
	if s.shadows != nil {
		s.shadows[obj] = obj.DeepCopyObject()
	}
}

// unshadow forgets a copy once its object is no longer stored.
func (s *Store) unshadow(obj objects.Object) {
	if s.shadows != nil {
		delete(s.shadows, obj)
	}
}

// VerifyUnchanged returns an error naming the first stored object (in key
// order) that differs from the copy taken when it was stored: someone
// changed a shared object. It returns nil when the check is off.
func (s *Store) VerifyUnchanged() error {
	if s.shadows == nil {
		return nil
	}
	var err error
	s.tables.ascend(func(e entry) bool {
		if want, ok := s.shadows[e.obj]; ok && !reflect.DeepEqual(e.obj, want) {
			err = fmt.Errorf("storage: the stored %s (resourceVersion %s) was changed after it was stored; "+
				"objects the store hands out are shared and read-only: DeepCopyObject before changing one",
				e.key, e.obj.GetObjectMeta().ResourceVersion)
			return false
		}
		return true
	})
	return err
}
