package propcheck

import (
	"time"

	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/controllers/endpoints"
	"github.com/kubesim/kubesim/controllers/garbagecollector"
	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/controllers/statefulset"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/storage"
)

// Builtin returns kubesim's invariants of the controllers it models, each
// under its own name: the every-step ones of the store (the controllers'
// invariants.go), the trace ones judged from the store's changes (trace*.go
// here), and the settled ones checked once a run's cluster is quiet.
func Builtin() []Invariant {
	var out []Invariant
	for _, group := range [][]Invariant{jobInvariants(), cronJobInvariants(), workloadInvariants(), storageInvariants(), nodeInvariants()} {
		out = append(out, group...)
	}
	return out
}

// settledInvariant makes a settled invariant of a function of the store
// and the time.
func settledInvariant(name string, kinds []string, check func(storage.Reader, time.Time) []error) Invariant {
	return Invariant{Name: name, Kinds: kinds, Settled: true, New: func() Check {
		return func(v View) []error { return check(v.Store, v.Now) }
	}}
}

// Which kinds each trace invariant needs indexed (nil: all).
var (
	jobKinds      = []string{"Job", "Pod"}
	workloadKinds = []string{"Deployment", "ReplicaSet", "StatefulSet", "Pod"}
)

func jobInvariants() []Invariant {
	jobs := []string{kindJob}
	return []Invariant{
		StoreInvariant("job-status-counters", jobs, false, job.CheckStatusCounters),
		StoreInvariant("job-conditions", jobs, false, job.CheckConditions),
		StoreInvariant("job-finished-pods", jobs, false, job.CheckFinishedPods),
		traceInvariant("job-complete-succeeded", jobs, jobKinds, newJobCompleteSucceeded),
		StoreInvariant("job-backoff-limit", jobs, false, job.CheckBackoffLimit),
		traceInvariant("job-parallelism", jobs, jobKinds, newJobParallelism),
		traceInvariant("job-finalizer-counted", jobs, jobKinds, newJobFinalizerCounted),
		traceInvariant("job-counts-bounded", jobs, jobKinds, newJobCountsBounded),
		traceInvariant("job-failure-justified", jobs, jobKinds, newJobFailureJustified),
		traceInvariant("ttl-not-early", jobs, jobKinds, newTTLNotEarly),
		settledInvariant("job-settled-active", jobs, job.CheckSettledActive),
		settledInvariant("job-settled-terminal", jobs, job.CheckSettledTerminal),
		settledInvariant("job-settled-deadline", jobs, job.CheckSettledDeadline),
	}
}

func cronJobInvariants() []Invariant {
	cronJobs := []string{kindCronJob}
	return []Invariant{
		StoreInvariant("cronjob-active-unique", cronJobs, false, cronjob.CheckActiveUnique),
		{Name: "cronjob-last-schedule", Kinds: cronJobs, New: func() Check {
			c := cronjob.NewChecker(nil)
			return func(v View) []error { return c.Check(v.Store) }
		}},
		traceInvariant("cronjob-concurrency", cronJobs, []string{"CronJob", "Job"}, newCronJobConcurrency),
		traceInvariant("cronjob-one-job-per-slot", cronJobs, []string{"CronJob", "Job"}, newCronJobOneJobPerSlot),
		settledInvariant("cronjob-settled-history", cronJobs, cronjob.CheckSettledHistory),
	}
}

func workloadInvariants() []Invariant {
	return []Invariant{
		StoreInvariant("deployment-max-surge", []string{kindDeployment}, false, deployment.CheckMaxSurge),
		traceInvariant("deployment-min-available", []string{kindDeployment}, workloadKinds, newDeploymentMinAvailable),
		traceInvariant("deployment-recreate", []string{kindDeployment}, workloadKinds, newDeploymentRecreate),
		traceInvariant("replicaset-replicas", []string{kindReplicaSet, kindDeployment}, workloadKinds, newReplicaSetReplicas),
		StoreInvariant("statefulset-identity", []string{kindStatefulSet}, false, statefulset.CheckIdentity),
		traceInvariant("statefulset-order", []string{kindStatefulSet}, workloadKinds, newStatefulSetOrder),
		traceInvariant("statefulset-claims-retained", []string{kindStatefulSet, kindPVC}, []string{}, newStatefulSetClaims),
		traceInvariant("endpoints-ready-only", []string{kindService}, []string{"Service", "Pod"}, newEndpointsNeverReady),
		StoreInvariant("endpoints-settled-ready", []string{kindService}, true, endpoints.CheckSettledReady),
	}
}

func storageInvariants() []Invariant {
	volumes := []string{kindPV, kindPVC}
	return []Invariant{
		StoreInvariant("pv-binding-consistent", volumes, false, volume.CheckBindingConsistent),
		StoreInvariant("pv-binding-matches", volumes, false, volume.CheckBindingMatches),
		traceInvariant("pv-claimref-stable", volumes, []string{"PersistentVolumeClaim"}, newPVClaimRefStable),
		traceInvariant("gc-orphans-survive", []string{kindJob, kindDeployment, kindReplicaSet, kindStatefulSet, kindCronJob, kindPod}, nil, newGCOrphans),
		StoreInvariant("gc-settled-collected", []string{kindJob, kindDeployment, kindStatefulSet, kindCronJob, kindPod}, true,
			func(r storage.Reader) []error {
				return garbagecollector.CheckSettled(r, "Pod", "ReplicaSet", "Job", "EndpointSlice", "PersistentVolumeClaim")
			}),
	}
}

func nodeInvariants() []Invariant {
	return []Invariant{
		traceInvariant("scheduler-fits", []string{kindPod, kindNode}, []string{"Node", "Pod"}, newSchedulerFits),
		StoreInvariant("kubelet-never-restarted", []string{kindPod}, false, kubelet.CheckNeverRestarted),
		traceInvariant("kubelet-backoff", []string{kindPod}, []string{"Pod"}, newKubeletBackoff),
	}
}
