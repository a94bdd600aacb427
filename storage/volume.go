package storage

import "github.com/kubesim/kubesim/objects"

// The create- and update-time needs of the storage kinds:
//
//   - the PersistentVolume strategy (pkg/registry/core/persistentvolume
//     strategy.go): a new volume starts Pending with its
//     lastPhaseTransitionTime now, and every phase change through the status
//     endpoint stamps that time again;
//   - the DefaultStorageClass admission plugin
//     (plugin/pkg/admission/storage/storageclass/setdefault): a claim created
//     without any class gets the default StorageClass's name;
//   - the StorageObjectInUseProtection admission plugin
//     (plugin/pkg/admission/storage/storageobjectinuseprotection): new
//     volumes and claims get their protection finalizers.

// prepareVolumeForCreate applies the storage kinds' create-time admission
// and strategy to in, after the generic status reset.
func (s *Store) prepareVolumeForCreate(in objects.Object) {
	switch o := in.(type) {
	case *objects.PersistentVolume:
		o.Status = objects.PersistentVolumeStatus{Phase: objects.VolumePending,
			LastPhaseTransitionTime: objects.NewTimePtr(s.clk.Now())}
		addFinalizer(&o.ObjectMeta, objects.FinalizerPVProtection)
	case *objects.PersistentVolumeClaim:
		o.Status = objects.PersistentVolumeClaimStatus{Phase: objects.ClaimPending}
		s.admitDefaultStorageClass(o)
		addFinalizer(&o.ObjectMeta, objects.FinalizerPVCProtection)
	}
}

// admitDefaultStorageClass gives a claim that names no class the default
// class, if there is one; an explicit "" is left alone.
func (s *Store) admitDefaultStorageClass(c *objects.PersistentVolumeClaim) {
	if !objects.ClaimHasNoClass(c) {
		return
	}
	if def := DefaultStorageClass(s); def != nil {
		name := def.Name
		c.Spec.StorageClassName = &name
	}
}

// DefaultStorageClass returns the cluster's default StorageClass as
// upstream's GetDefaultClass picks it: among the classes marked default, the
// newest, ties going to the smallest name; nil when none is marked.
func DefaultStorageClass(r Reader) *objects.StorageClass {
	var classes []*objects.StorageClass
	for _, o := range r.List("StorageClass", "", nil) {
		if sc, ok := o.(*objects.StorageClass); ok {
			classes = append(classes, sc)
		}
	}
	return objects.EffectiveDefaultStorageClass(classes)
}

// stampVolumePhaseTransition records when a volume's phase changed, as the
// PersistentVolume status strategy does.
func (s *Store) stampVolumePhaseTransition(in, old objects.Object) {
	pv, ok := in.(*objects.PersistentVolume)
	if !ok {
		return
	}
	if pv.Status.Phase != old.(*objects.PersistentVolume).Status.Phase {
		pv.Status.LastPhaseTransitionTime = objects.NewTimePtr(s.clk.Now())
	}
}

// addFinalizer adds f to m's finalizers unless it is there already.
func addFinalizer(m *objects.ObjectMeta, f string) {
	if !m.HasFinalizer(f) {
		m.Finalizers = append(m.Finalizers, f)
	}
}
