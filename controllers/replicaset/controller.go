package replicaset

import (
	"errors"
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name, the source of its events.
const Name = "replicaset-controller"

// Event reasons, as upstream's controller_utils.go records them.
const (
	ReasonSuccessfulCreate = "SuccessfulCreate"
	ReasonFailedCreate     = "FailedCreate"
	ReasonSuccessfulDelete = "SuccessfulDelete"
	ReasonFailedDelete     = "FailedDelete"
)

// Event message formats (RealPodControl).
const (
	msgCreatedPod    = "Created pod: %s"
	msgDeletedPod    = "Deleted pod: %s"
	msgErrorCreating = "Error creating: %v"
	msgErrorDeleting = "Error deleting: %v"
)

// Limits and delays of replica_set.go.
const (
	// BurstReplicas caps the pods one sync creates or deletes.
	BurstReplicas = 500
	// staleRetry is how soon a sync that found its own writes missing from
	// its view looks again.
	staleRetry = time.Second
	// availabilityEpsilon puts the requeue for a pod turning available
	// just past the boundary IsPodAvailable excludes.
	availabilityEpsilon = time.Nanosecond
)

// Controller is kube-controller-manager's ReplicaSet controller. Its only
// state is the resourceVersion of the last write it made for each
// ReplicaSet. Not safe for concurrent use.
type Controller struct {
	written controllers.OwnWrites
}

var _ controllers.Controller = (*Controller)(nil)

// New returns a ReplicaSet controller with no memory of any ReplicaSet.
func New() *Controller { return &Controller{written: controllers.OwnWrites{}} }

// Name returns "replicaset-controller".
func (c *Controller) Name() string { return Name }

// Reconcile syncs the ReplicaSet at key: it adopts and releases pods,
// creates or deletes pods to match spec.replicas and writes status.
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		c.written.Forget(key)
		return controllers.Result{}
	}
	if c.written.Stale(r, key) && !mutant.On("replicaset-stale-view") { // #7561: a stale view makes its creates again
		return controllers.Requeue(staleRetry)
	}
	rs := obj.(*objects.ReplicaSet).DeepCopy() // the store's objects are shared and read-only: work on a copy
	sel, err := objects.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		return controllers.Result{}
	}
	s := &syncer{c: c, key: key, rs: rs, now: now}
	s.pods = s.claimPods(r, sel)
	if rs.DeletionTimestamp == nil {
		s.manageReplicas(r)
	}
	s.updateStatus()
	return controllers.Result{Actions: s.actions, Events: s.events, RequeueAfter: s.requeue}
}

// syncer holds one sync's inputs and decisions.
type syncer struct {
	c       *Controller
	key     objects.Key
	rs      *objects.ReplicaSet
	now     time.Time
	pods    []*objects.Pod // the active pods the ReplicaSet controls
	actions []controllers.Action
	events  []controllers.Event
	requeue time.Duration
}

// record returns a Then callback that remembers a successful write as
// the ReplicaSet's own, with the events ok or fail return.
func (s *syncer) record(ok func(objects.Object) []controllers.Event, fail func(error) []controllers.Event) func(objects.Object, error) []controllers.Event {
	return s.c.written.Record(s.key, ok, fail)
}

// manageReplicas is upstream's manageReplicas: create or delete pods so
// that the active pods number spec.replicas. Only a scale-down reads the
// related pods, as upstream's does.
func (s *syncer) manageReplicas(r storage.Reader) {
	diff := len(s.pods) - int(replicasOf(s.rs))
	start := len(s.actions)
	switch {
	case diff < 0:
		for range min(-diff, BurstReplicas) {
			s.actions = append(s.actions, s.createAction(PodFromTemplate(s.rs)))
		}
		// Creates go out in slow-start batches: one failure (a full quota)
		// stops the rest after its batch.
		controllers.SlowStart(s.actions[start:])
	case diff > 0:
		for _, p := range PodsToDelete(s.pods, relatedPods(r, s.rs), min(diff, BurstReplicas), s.now) {
			s.actions = append(s.actions, s.deleteAction(p))
		}
		// Upstream deletes every chosen pod from a goroutine of its own.
		controllers.Concurrently(s.actions[start:], 1)
	}
}

// createAction creates pod, recording SuccessfulCreate with its generated
// name, or FailedCreate.
func (s *syncer) createAction(pod *objects.Pod) controllers.Action {
	rs := s.rs
	return controllers.Action{Verb: controllers.Create, Object: pod, Then: s.record(
		func(written objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(rs, ReasonSuccessfulCreate, fmt.Sprintf(msgCreatedPod, written.GetObjectMeta().Name))}
		},
		func(err error) []controllers.Event {
			return []controllers.Event{controllers.Warning(rs, ReasonFailedCreate, fmt.Sprintf(msgErrorCreating, err))}
		})}
}

// deleteAction deletes pod with its default grace period, recording
// SuccessfulDelete, or FailedDelete unless it is already gone.
func (s *syncer) deleteAction(pod *objects.Pod) controllers.Action {
	rs, name := s.rs, pod.Name
	return controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(pod), Then: s.record(
		func(objects.Object) []controllers.Event {
			return []controllers.Event{controllers.Normal(rs, ReasonSuccessfulDelete, fmt.Sprintf(msgDeletedPod, name))}
		},
		func(err error) []controllers.Event {
			if errors.Is(err, storage.ErrNotFound) {
				return nil
			}
			return []controllers.Event{controllers.Warning(rs, ReasonFailedDelete, fmt.Sprintf(msgErrorDeleting, err))}
		})}
}

// PodFromTemplate is GetPodFromTemplate for a ReplicaSet: the template's
// labels, annotations, finalizers and spec, named "<rs>-" plus five
// random characters, controlled by the ReplicaSet.
func PodFromTemplate(rs *objects.ReplicaSet) *objects.Pod {
	t := rs.Spec.Template.DeepCopy()
	prefix := rs.Name + "-"
	// NameIsDNSSubdomain(prefix, true) masks the trailing dash.
	if len(objects.IsDNS1123Subdomain(rs.Name+"-a")) != 0 {
		prefix = rs.Name
	}
	return &objects.Pod{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: rs.Namespace, GenerateName: prefix, Labels: t.Labels,
			Annotations: t.Annotations, Finalizers: t.Finalizers,
			OwnerReferences: []objects.OwnerReference{controllerRefTo(rs)}},
		Spec: t.Spec,
	}
}

// controllerRefTo returns the owner reference of the ReplicaSet's pods.
func controllerRefTo(rs *objects.ReplicaSet) objects.OwnerReference {
	yes := true
	return objects.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
}

// replicasOf is spec.replicas, 1 when unset.
func replicasOf(rs *objects.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}
