//go:build kubesim_mutants

package mutant

// Mutant is one planted bug.
type Mutant struct {
	// Name is what its hook asks On for: "job-suspend-ignored".
	Name string
	// Controller is the package under controllers/ that holds its hook.
	Controller string
	// Class is the bug class it re-creates, in a line.
	Class string
	// Upstream cites the upstream issues (kubernetes/kubernetes unless
	// said otherwise) or the documented guarantee it breaks.
	Upstream string
}

// catalogue is every mutation; each hook's comment says the same.
var catalogue = []Mutant{
	{"job-stale-view", "job", "acts on a view lacking its own in-flight pod creates, and creates the pods again",
		"#27997 (a Job made 84k pods), #130683; upstream's expectations and StaleControllerConsistencyJob"},
	{"job-double-count", "job", "counts a finished pod still listed in uncountedTerminatedPods, which is counted again when its finalizer goes",
		"#105200 (tracking with finalizers might count a Pod more than once)"},
	{"job-backoff-off-by-one", "job", "fails the Job one failure early (failed >= backoffLimit)",
		"#92245, #95433 (retries one short of backoffLimit)"},
	{"job-deadline-ignored", "job", "never enforces activeDeadlineSeconds",
		"#110239 (activeDeadlineSeconds not enforced), #62134"},
	{"job-extra-pod", "job", "creates one pod more than parallelism (or the completions left) allows",
		"#130683 (two pods for parallelism 1); the wantActive bound"},
	{"job-complete-early", "job", "marks the Job Complete one success short of its completions",
		"an off-by-one in the completions count; batch/v1 Job completions contract"},
	{"job-suspend-ignored", "job", "keeps running the pods of a suspended Job",
		"KEP-2232 (suspended Jobs delete their active pods)"},
	{"cronjob-forbid-concurrent", "cronjob", "starts a Job while one is active under concurrencyPolicy Forbid",
		"#107827 (Forbid not honoured), #63371, #58748"},
	{"cronjob-replace-keeps-old", "cronjob", "starts the new Job without deleting the active one under Replace",
		"#115335 (Replace does not work), #30442"},
	{"cronjob-history-untrimmed", "cronjob", "never deletes finished Jobs beyond the history limits",
		"#64056, #60403 (history limits not working)"},
	{"cronjob-two-jobs-one-slot", "cronjob", "names a slot's Job by generateName, so a lost status write starts a second Job for the slot",
		"why upstream names a slot's Job <cronjob>-<minutes> (a create repeated after a lost status update)"},
	{"statefulset-ordered-ready-broken", "statefulset", "under OrderedReady creates ordinal n+1 before n is Running and Ready",
		"#38418, #82529 (OrderedReady not honoured)"},
	{"statefulset-scale-down-lowest-first", "statefulset", "scales down from the lowest condemned ordinal instead of the highest",
		"the StatefulSet guarantee: pods are terminated in reverse order {N-1..0}"},
	{"statefulset-deletes-retained-claims", "statefulset", "hands scaled-down pods their claims under whenScaled Retain, so the collector deletes them",
		"KEP-1847 (PVC retention policy): Retain keeps the claims"},
	{"pv-bind-unconditional", "volume", "writes a volume's claimRef unconditionally, so a stale binder binds it to a second claim",
		"#16432 (race: two PVCs bound to one PV), openshift/origin#4829"},
	{"pv-binder-ignores-capacity", "volume", "binds a claim to a volume smaller than its request",
		"pvhelpers.FindMatchingVolume's capacity check; #23615"},
	{"gc-orphan-deletes-dependents", "garbagecollector", "deletes the dependents of an owner deleted with propagationPolicy Orphan",
		"#42501 (GC should orphan the RS of a deployment deleted with orphanDependents)"},
	{"gc-background-leaves-dependents", "garbagecollector", "never deletes the dependents of an owner that is gone",
		"#44046 (deleting a deployment doesn't delete the pods), #92894"},
	{"deployment-surge-counts-ready", "deployment", "bounds the surge by the ready pods instead of every ReplicaSet's replicas",
		"#22719, #21810 (e2e: maxSurge violated)"},
	{"deployment-ignores-max-unavailable", "deployment", "scales old ReplicaSets down without keeping replicas-maxUnavailable available",
		"#22719, #21810 (e2e: minUnavailable violated)"},
	{"replicaset-stale-view", "replicaset", "acts on a view lacking its own in-flight pod creates, and creates the pods again",
		"#7561 (3052 replicas out of 3000), #6866 (expectations)"},
	{"kubelet-restarts-never", "kubelet", "restarts the containers of a restartPolicy Never pod",
		"#83705, #51142, #21478 (containers restarted despite restartPolicy Never)"},
	{"kubelet-no-crashloop-backoff", "kubelet", "restarts a crashing container a second after every exit (its next relist), never backing off",
		"#2529 (crashlooping containers hammer the cluster); the kubelet's 10s-to-5m back-off"},
	{"scheduler-ignores-taints", "scheduler", "binds pods to nodes whose NoSchedule taints they do not tolerate",
		"#63197, #62100 (taints and tolerations not respected)"},
	{"scheduler-ignores-resources", "scheduler", "binds pods to nodes without room for their requests or beyond maxPods",
		"NodeResourcesFit ('Insufficient cpu', 'Too many pods')"},
	{"endpoints-include-unready", "endpoints", "lists not-ready pods among a Service's ready addresses",
		"#8674, #75889 (unready pods in service endpoints)"},
	{"ttl-deletes-early", "ttlafterfinished", "deletes a finished Job as soon as it finishes, ignoring ttlSecondsAfterFinished",
		"KEP-592 (TTL after finished): a Job lives ttlSecondsAfterFinished after it finishes"},
}
