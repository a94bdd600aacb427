package storage

import "github.com/kubesim/kubesim/objects"

// The batch/v1 Job strategy's create-time needs (pkg/registry/batch/job/strategy.go).
//
// Upstream's BeforeCreate fills in the uid before the strategy's
// PrepareForCreate, whose generateSelector puts the uid in the Job's selector
// and template labels; validation then checks them. The store otherwise
// draws a uid only once an object is sure to be stored, so that a rejected
// create leaves the random stream where it was; a Job draws its uid before
// PrepareForCreate instead, as upstream does, so a rejected Job create
// consumes one uid.

// needsUIDToPrepare reports whether obj's PrepareForCreate needs its uid.
func needsUIDToPrepare(obj objects.Object) bool {
	_, ok := obj.(*objects.Job)
	return ok
}

// prepareJobForCreate is the Job strategy's PrepareForCreate beyond the
// status reset every status kind gets: the generated selector and labels.
func prepareJobForCreate(j *objects.Job) {
	objects.GenerateJobSelector(j)
}
