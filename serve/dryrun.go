package serve

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// A write with dryRun=All goes through the apiserver's whole request
// path, defaulting and validation included, and stops short of storage:
// `kubectl apply --dry-run=server` reports an invalid manifest as a real
// write would. These check a write as the store would, and write nothing.

// dryRunCreate defaults and validates a new object, refusing a name that
// is taken, and returns it as it would be stored. The caller holds the
// lock.
func (s *Server) dryRunCreate(req *apiRequest, obj objects.Object) (objects.Object, error) {
	probe, ok := obj.DeepCopyObject().(objects.Object)
	if !ok {
		return obj, nil
	}
	objects.Default(probe)
	name := probe.GetObjectMeta().Name
	if name != "" {
		if _, err := s.c.Store().Get(objects.KeyOf(probe)); err == nil {
			return nil, storage.NewAlreadyExists(req.res.info, name)
		}
	}
	if errs := objects.ValidateCreate(probe); len(errs) > 0 {
		return nil, storage.NewInvalid(req.res.info, name, errs)
	}
	return probe, nil
}

// dryRunUpdate validates a replacement of current (or of its status), as
// the store's update would. The caller holds the lock.
func dryRunUpdate(req *apiRequest, obj, current objects.Object) (objects.Object, error) {
	probe, ok := obj.DeepCopyObject().(objects.Object)
	if !ok {
		return obj, nil
	}
	objects.SchemeDefault(probe)
	var errs objects.ErrorList
	if req.sub == "status" {
		errs = objects.ValidateStatusUpdate(probe, current)
	} else {
		errs = objects.ValidateUpdate(probe, current)
	}
	if len(errs) > 0 {
		return nil, storage.NewInvalid(req.res.info, probe.GetObjectMeta().Name, errs)
	}
	return probe, nil
}
