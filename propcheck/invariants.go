package propcheck

import (
	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/controllers/endpoints"
	"github.com/kubesim/kubesim/controllers/garbagecollector"
	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/controllers/statefulset"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/storage"
)

// Builtin returns kubesim's invariants of the controllers it models.
func Builtin() []Invariant {
	return []Invariant{
		StoreInvariant("job", []string{"Job"}, false, job.CheckInvariants),
		StoreInvariant("cronjob", []string{"CronJob"}, false, cronjob.CheckInvariants),
		{Name: "cronjob-last-schedule-monotone", Kinds: []string{"CronJob"}, New: func() Check {
			c := cronjob.NewChecker(nil)
			return func(v View) []error { return c.Check(v.Store) }
		}},
		StoreInvariant("deployment", []string{"Deployment"}, false, deployment.CheckInvariants),
		StoreInvariant("statefulset", []string{"StatefulSet"}, false, statefulset.CheckInvariants),
		StoreInvariant("volume-binding", []string{"PersistentVolume", "PersistentVolumeClaim"}, false, volume.CheckInvariants),
		StoreInvariant("job-settled", []string{"Job"}, true, job.CheckSettled),
		StoreInvariant("cronjob-history", []string{"CronJob"}, true, cronjob.CheckSettled),
		StoreInvariant("endpoints", []string{"Service"}, true, endpoints.CheckInvariants),
		StoreInvariant("garbage-collection", []string{"Job", "Deployment", "StatefulSet", "Pod"}, true,
			func(r storage.Reader) []error {
				return garbagecollector.CheckSettled(r, "Pod", "ReplicaSet", "Job", "EndpointSlice")
			}),
	}
}
