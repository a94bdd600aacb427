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

// Safety runs every invariant that must hold after every step of a
// simulation. history remembers what earlier steps saw (CronJobs'
// lastScheduleTime); create it once per run with NewHistory.
func Safety(r storage.Reader, history *History) []error {
	var errs []error
	errs = append(errs, job.CheckInvariants(r)...)
	errs = append(errs, cronjob.CheckInvariants(r)...)
	errs = append(errs, history.cron.Check(r)...)
	errs = append(errs, deployment.CheckInvariants(r)...)
	errs = append(errs, statefulset.CheckInvariants(r)...)
	errs = append(errs, volume.CheckInvariants(r)...)
	return errs
}

// Settled runs the invariants that hold once the cluster is quiet: every
// node up, every controller running, and enough time passed for them to act.
func Settled(r storage.Reader) []error {
	var errs []error
	errs = append(errs, job.CheckSettled(r)...)
	errs = append(errs, cronjob.CheckSettled(r)...)
	errs = append(errs, endpoints.CheckInvariants(r)...)
	errs = append(errs, garbagecollector.CheckSettled(r, "Pod", "ReplicaSet", "Job", "EndpointSlice")...)
	return errs
}

// History is what invariants spanning several steps remember.
type History struct {
	cron *cronjob.Checker
}

// NewHistory returns an empty history for a cluster in UTC.
func NewHistory() *History { return &History{cron: cronjob.NewChecker(nil)} }
