package storage

import (
	"maps"

	"github.com/kubesim/kubesim/objects"
)

// The apps/v1 Deployment strategy's update-time rule
// (pkg/registry/apps/deployment/strategy.go PrepareForUpdate): a change of
// the annotations bumps a Deployment's generation as a spec change does,
// because the controller copies a Deployment's annotations to its
// ReplicaSets. Status updates (the controller writes the revision
// annotation through the status endpoint) never bump it.

// annotationsBumpGeneration reports whether in, a main-endpoint update of
// old, changes the annotations of a kind whose generation follows them.
func annotationsBumpGeneration(in, old objects.Object) bool {
	if _, ok := in.(*objects.Deployment); !ok {
		return false
	}
	// maps.Equal holds a nil and an empty map equal.
	return !maps.Equal(in.GetObjectMeta().Annotations, old.GetObjectMeta().Annotations)
}
