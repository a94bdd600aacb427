// Package job models kube-controller-manager's Job controller
// (pkg/controller/job, as of Kubernetes 1.37): it runs a Job's pods until
// enough of them succeed, or the Job fails.
//
// # What it decides
//
// Each sync of a Job follows upstream's syncJob:
//
//   - it claims the pods of the Job's namespace: those it controls and
//     that match its selector, adopting matching orphans and releasing
//     pods whose labels no longer match;
//   - it counts active, ready and terminating pods and the finished pods
//     not yet counted (those still carrying the
//     batch.kubernetes.io/job-tracking finalizer);
//   - it decides whether the Job fails (a FailJob pod-failure-policy rule,
//     the backoff limit, the active deadline, failed indexes) or succeeds
//     (completions reached, a success policy met);
//   - a failing or succeeding Job deletes its active pods; otherwise it
//     deletes pods beyond what it wants or creates the missing ones, the
//     latter no sooner than the pod-failure back-off allows (10s doubling
//     to 10 minutes after consecutive failures);
//   - it writes status in upstream's order: the finished pods' UIDs in
//     uncountedTerminatedPods, then the finalizer removals, then the
//     counters and, once no pod is uncounted or terminating, the terminal
//     condition (FailureTarget then Failed, SuccessCriteriaMet then
//     Complete).
//
// Indexed Jobs, suspension, podReplacementPolicy, podFailurePolicy,
// backoffLimitPerIndex and successPolicy follow upstream as well. Events
// carry upstream's reasons and messages ("Created pod: pi-rq5rl",
// "Job completed"...).
//
// A Pod key asks the controller to remove the tracking finalizer of a pod
// that no live Job accounts for (upstream's orphan-pod queue).
//
// # Differences from upstream
//
// Pods are created in upstream's slow-start batches (1, 2, 4... at most
// 500 a sync): the simulation attempts every create of a batch and skips
// the batches after a failure, one write at a time and in order where
// upstream runs a batch's creates at once. A sync whose writes fail part way writes
// no status; upstream still writes what it counted. Expectations are
// replaced by the StaleControllerConsistencyJob check (beta in 1.36): a
// sync whose view lacks the controller's own last write for the Job waits
// a second.
//
// # Imports and determinism
//
// job imports controllers, storage and objects. Its state (back-off
// records and last-write revisions per Job) is only read by key; pods are
// handled in the store's name order, and every sort is stable.
package job
