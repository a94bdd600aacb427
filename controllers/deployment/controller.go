package deployment

import (
	"maps"
	"reflect"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name, the source of its events.
const Name = "deployment-controller"

// Event reasons (deployment_controller.go, sync.go).
const (
	ReasonScalingReplicaSet = "ScalingReplicaSet"
	ReasonSelectingAll      = "SelectingAll"
	msgSelectingAll         = "This deployment is selecting all pods. A non-empty selector is required."
	// msgScaled is "Scaled up replica set web-66b6c48dd5 from 1 to 3".
	msgScaled = "Scaled %s replica set %s from %d to %d"
)

// staleRetry is how soon a sync that found its own writes missing from
// its view looks again.
const staleRetry = time.Second

// Controller is kube-controller-manager's Deployment controller. Its only
// state is the resourceVersion of the last write it made for each
// Deployment. Not safe for concurrent use.
type Controller struct {
	written controllers.OwnWrites
}

var _ controllers.Controller = (*Controller)(nil)

// New returns a Deployment controller with no memory of any Deployment.
func New() *Controller { return &Controller{written: controllers.OwnWrites{}} }

// Name returns "deployment-controller".
func (c *Controller) Name() string { return Name }

// Reconcile syncs the Deployment at key, as upstream's syncDeployment does.
func (c *Controller) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		c.written.Forget(key)
		return controllers.Result{}
	}
	if c.written.Stale(r, key) {
		return controllers.Requeue(staleRetry)
	}
	d := obj.(*objects.Deployment)
	s := &syncer{c: c, now: now, key: key, d: workingDeployment(d), orig: d}
	if sel := d.Spec.Selector; sel != nil && len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		s.events = append(s.events, controllers.Warning(d, ReasonSelectingAll, msgSelectingAll))
		s.d.Status.ObservedGeneration = d.Generation
		s.flushDeployment()
		return s.result()
	}
	s.rsList = s.claimReplicaSets(r)
	s.pods = podsByOwner(r, d, s.rsList)
	s.syncDeployment()
	return s.result()
}

// syncDeployment dispatches as syncDeployment does: status only for a
// Deployment being deleted, scaling for a paused one or a scaling event,
// otherwise a rollout by strategy.
func (s *syncer) syncDeployment() {
	d := s.d
	switch {
	case d.DeletionTimestamp != nil:
		s.syncStatusOnly()
	case d.Spec.Paused:
		s.sync()
	default:
		newRS, oldRSs := s.newAndOld(false)
		if s.isScalingEvent(newRS, oldRSs) {
			s.sync()
			return
		}
		if d.Spec.Strategy.Type == objects.RecreateDeploymentStrategyType {
			s.rolloutRecreate()
		} else {
			s.rolloutRolling()
		}
	}
	s.flushDeployment()
}

// syncer holds one sync's working copies and decisions. d is the
// Deployment as this sync changes it; rsList its ReplicaSets as this sync
// changes them (a created one has no uid yet).
type syncer struct {
	c      *Controller
	now    time.Time
	key    objects.Key
	d      *objects.Deployment
	orig   *objects.Deployment
	rsList []*objects.ReplicaSet
	pods   map[string][]*objects.Pod
	// taken holds the names of the namespace's ReplicaSets.
	taken   map[string]bool
	actions []controllers.Action
	events  []controllers.Event
	requeue time.Duration
	// stop is set once a write decided that the sync goes no further.
	stop bool
}

// result returns what the sync decided.
func (s *syncer) result() controllers.Result {
	return controllers.Result{Actions: s.actions, Events: s.events, RequeueAfter: s.requeue}
}

// requeueAfter asks for another sync after d, keeping the earliest request.
func (s *syncer) requeueAfter(d time.Duration) {
	if d > 0 && (s.requeue == 0 || d < s.requeue) {
		s.requeue = d
	}
}

// record returns a Then callback that remembers a successful write as
// the Deployment's own and returns the events ok gives for it.
func (s *syncer) record(ok func(objects.Object) []controllers.Event) func(objects.Object, error) []controllers.Event {
	return s.c.written.Record(s.key, ok, nil)
}

// flushDeployment writes the Deployment's annotations and status through
// the status endpoint when the sync changed them. Upstream writes twice
// when a sync both records a revision and updates status; one write
// carries both here.
func (s *syncer) flushDeployment() {
	if reflect.DeepEqual(s.d.Annotations, s.orig.Annotations) && reflect.DeepEqual(s.d.Status, s.orig.Status) {
		return
	}
	s.actions = append(s.actions, controllers.Action{Verb: controllers.UpdateStatus, Object: workingDeployment(s.d), Then: s.record(nil)})
}

// updateReplicaSet writes rs (a working copy) and returns it; later
// writes of the same ReplicaSet in this sync are unconditional.
func (s *syncer) updateReplicaSet(rs *objects.ReplicaSet, events func(objects.Object) []controllers.Event) {
	s.actions = append(s.actions, controllers.Action{Verb: controllers.Update, Object: workingReplicaSet(rs), Then: s.record(events)})
	rs.ResourceVersion = ""
}

// workingDeployment and workingReplicaSet return the copy of an object a
// sync changes, or a write of one carries: a struct and an annotations map
// of its own, the rest shared with the original, read-only. A sync
// changes only these fields of its working copies: annotations, a
// Deployment's status (assigned whole, its conditions built anew) and a
// ReplicaSet's replica count (a new pointer), minReadySeconds and
// resourceVersion; the store changes none of what it shares (it takes an
// update's status from the stored version). Deep copies of every owned
// ReplicaSet on every sync were a twelfth of what the property checker
// allocated.
func workingDeployment(d *objects.Deployment) *objects.Deployment {
	c := *d
	c.Annotations = maps.Clone(d.Annotations)
	return &c
}

func workingReplicaSet(rs *objects.ReplicaSet) *objects.ReplicaSet {
	c := *rs
	c.Annotations = maps.Clone(rs.Annotations)
	return &c
}

// claimReplicaSets is getReplicaSetsForDeployment: the namespace's
// ReplicaSets the Deployment controls and its selector matches, adopting
// matching orphans and releasing owned ones that no longer match. It scans
// the stored ReplicaSets and copies only those it keeps or writes, which
// the sync changes as working copies.
func (s *syncer) claimReplicaSets(r storage.Reader) []*objects.ReplicaSet {
	d := s.d
	sel, err := objects.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil
	}
	var out []*objects.ReplicaSet
	s.taken = map[string]bool{}
	r.Scan("ReplicaSet", d.Namespace, func(o objects.Object) bool {
		rs := o.(*objects.ReplicaSet)
		s.taken[rs.Name] = true
		matches := sel.Matches(rs.Labels)
		ref := rs.ControllerRef()
		switch {
		case ref != nil && ref.UID == d.UID && matches:
			out = append(out, workingReplicaSet(rs))
		case ref != nil && ref.UID == d.UID && d.DeletionTimestamp == nil:
			// Adoption and release are the sync's first write of the
			// ReplicaSet: conditional on the version read, so that a sync
			// working from a stale view gets a Conflict (and retries with a
			// fresher one) rather than overwrite an owner reference, labels
			// or a template written meanwhile. Upstream patches with a uid
			// precondition; an update here rewrites the whole object.
			rel := rs.DeepCopy()
			rel.OwnerReferences = withoutOwner(rel.OwnerReferences, d.UID)
			s.actions = append(s.actions, controllers.Action{Verb: controllers.Update, Object: rel, Then: s.record(nil)})
		case ref == nil && matches && d.DeletionTimestamp == nil && rs.DeletionTimestamp == nil:
			adopted := rs.DeepCopy()
			adopted.OwnerReferences = append(adopted.OwnerReferences, controllerRefTo(d))
			s.actions = append(s.actions, controllers.Action{Verb: controllers.Update, Object: adopted.DeepCopy(), Then: s.record(nil)})
			// Later writes of it in this sync follow the adoption.
			adopted.ResourceVersion = ""
			out = append(out, adopted)
		}
		return true
	})
	return out
}

// withoutOwner drops the references to uid.
func withoutOwner(refs []objects.OwnerReference, uid string) []objects.OwnerReference {
	var out []objects.OwnerReference
	for _, r := range refs {
		if r.UID != uid {
			out = append(out, r)
		}
	}
	return out
}

// podsByOwner is getPodMapForDeployment: the pods the Deployment's
// selector matches, by the uid of the claimed ReplicaSet controlling them.
// They are the stored pods, not copies: the sync only reads them.
func podsByOwner(r storage.Reader, d *objects.Deployment, rsList []*objects.ReplicaSet) map[string][]*objects.Pod {
	out := map[string][]*objects.Pod{}
	sel, err := objects.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return out
	}
	for _, rs := range rsList {
		controllers.ScanControlled(r, "Pod", d.Namespace, rs.UID, func(o objects.Object) bool {
			if p := o.(*objects.Pod); sel.Matches(p.Labels) {
				out[rs.UID] = append(out[rs.UID], p)
			}
			return true
		})
	}
	return out
}
