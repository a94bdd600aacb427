// Package deployment models kube-controller-manager's Deployment
// controller (pkg/controller/deployment, as of Kubernetes 1.37): it rolls
// a Deployment's pod template out through ReplicaSets.
//
// # What it decides
//
// Each sync of a Deployment follows upstream's syncDeployment:
//
//   - it claims the namespace's ReplicaSets (adopting matching orphans,
//     releasing owned ones that no longer match);
//   - the new ReplicaSet is the oldest one whose template equals the
//     Deployment's, the pod-template-hash label aside; a missing one is
//     created as "<deployment>-<hash>" with the hash in its labels,
//     selector and template, and revision max(old)+1
//     (deployment.kubernetes.io/revision, also written on the Deployment,
//     with desired-replicas and max-replicas on the ReplicaSet);
//   - a change of spec.replicas alone (a ReplicaSet's desired-replicas
//     annotation disagrees) scales, proportionally across ReplicaSets
//     during a rolling update; so does a paused Deployment;
//   - RollingUpdate scales the new ReplicaSet up within replicas+maxSurge
//     (maxSurge rounds up, maxUnavailable down, both zero means one
//     unavailable), else old ones down, unhealthy replicas first, keeping
//     replicas-maxUnavailable available;
//   - Recreate scales old ReplicaSets to zero, waits until none of their
//     pods runs, then creates the new one at full size;
//   - once complete, old ReplicaSets beyond revisionHistoryLimit with no
//     replicas are deleted;
//   - status sums the ReplicaSets' counts; the Available condition says
//     whether replicas-maxUnavailable are available, Progressing follows
//     the rollout (NewReplicaSetCreated, FoundNewReplicaSet,
//     ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded)
//     and a rollout without progress is looked at again at its deadline.
//
// Events are upstream's ScalingReplicaSet: "Scaled up replica set
// nginx-deployment-66b6c48dd5 from 0 to 3".
//
// # Differences from upstream
//
// The pod-template hash is FNV-32a over the template's JSON encoding
// rather than over spew's dump of k8s.io/api's Go struct, so names look
// like upstream's but differ from the ones a real cluster would give
// (see ComputeHash). A sync that both records a revision and updates
// status writes the Deployment's status once, not twice. Expectations of
// the ReplicaSet writes are replaced by a check that the view holds the
// controller's last write. Hash collisions are detected against the view
// before creating. Rollback (extensions/v1beta1 rollbackTo) and
// ReplicaFailure conditions are not modelled.
//
// # Imports and determinism
//
// deployment imports controllers, storage and objects. Its only state is
// the revision of its last write per Deployment, read by key; ReplicaSets
// are handled in the store's name order and every sort is stable.
package deployment
