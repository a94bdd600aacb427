package propcheck

import (
	"fmt"

	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/controllers/replicaset"
	"github.com/kubesim/kubesim/controllers/statefulset"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// replicaSetReplicas is the trace invariant replicaset-replicas: the
// ReplicaSet controller never creates a pod for a ReplicaSet whose active
// pods already reach its replicas (none while it is being deleted),
// judged at each creation; the largest replicas since the controller's
// last own write counts (upstream's manageReplicas: diff = len(active
// pods) - replicas, with expectations).
type replicaSetReplicas struct {
	limits map[string]*values
}

func newReplicaSetReplicas() traceCheck { return &replicaSetReplicas{limits: map[string]*values{}} }

func (c *replicaSetReplicas) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.ReplicaSet:
		if ch.Event.Type == storage.Deleted {
			delete(c.limits, o.UID)
			return nil
		}
		vs := c.limits[o.UID]
		if vs == nil {
			vs = &values{}
			c.limits[o.UID] = vs
		}
		limit := int(rsSpecReplicas(o))
		if o.DeletionTimestamp != nil {
			limit = 0
		}
		vs.set(ix.current(), limit)
	case *objects.Pod:
		if ch.Actor != replicaset.Name || created(ch) == nil {
			return nil
		}
		rs, ok := ix.controllerOf(o).(*objects.ReplicaSet)
		if !ok || c.limits[rs.UID] == nil {
			return nil
		}
		active := countActive(ix.podsOf(rs.UID))
		limit := c.limits[rs.UID].maxSeen(ix.seen(ch.Actor, rs.UID, ch.At))
		if active >= limit {
			return []error{fmt.Errorf("replicaset %s: %s created pod %s while %d pods were active, and it wants %d",
				objects.KeyOf(rs), ch.Actor, o.Name, active, limit)}
		}
	}
	return nil
}

func rsSpecReplicas(rs *objects.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}

// deploymentMinAvailable is the trace invariant deployment-min-available:
// when the Deployment controller scales an old ReplicaSet down during a
// RollingUpdate, the old ReplicaSets' replicas and the new one's
// available pods still add up to replicas - maxUnavailable (upstream's
// reconcileOldReplicaSets: maxScaledDown = allPods - minAvailable -
// newRSUnavailable, and scaleDownOldReplicaSetsForRollingUpdate). It is
// judged on the controller's own figures, the ReplicaSets' statuses, so a
// pod killed or a node lost meanwhile does not count against it; it is
// not judged while the user scales the Deployment (a proportional
// scaling event, which moves the desired-replicas annotation), while an
// old ReplicaSet still reports more available pods than it wants (the
// ReplicaSet controller has not caught up), for a Deployment that adopted
// a ReplicaSet it did not make (deployment.AdoptedAny), or against
// figures newer than the controller's view (its own writes bound it from
// below; Change.Seen, the revision its view of Deployments held, from
// above: a delayed informer that lacks a scale the user made judges by
// the replicas it had, as upstream's would).
type deploymentMinAvailable struct {
	available map[string]*values // new ReplicaSets' availableReplicas, by uid
	edited    map[string]int     // the last change of each Deployment's spec
	editedRev map[string]int64   // and its revision
	created   map[string]int     // when each ReplicaSet was created, by uid
}

func newDeploymentMinAvailable() traceCheck {
	return &deploymentMinAvailable{available: map[string]*values{}, edited: map[string]int{},
		editedRev: map[string]int64{}, created: map[string]int{}}
}

func (c *deploymentMinAvailable) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.Deployment:
		if old, ok := ch.Event.Old.(*objects.Deployment); ok && old.Generation != o.Generation {
			c.edited[o.UID] = ix.current()
			c.editedRev[o.UID] = ch.Event.ResourceVersion
		}
	case *objects.ReplicaSet:
		vs := c.available[o.UID]
		if vs == nil {
			vs = &values{}
			c.available[o.UID] = vs
		}
		vs.set(ix.current(), int(o.Status.AvailableReplicas))
		if created(ch) != nil {
			c.created[o.UID] = ix.current()
		}
		if old, ok := ch.Event.Old.(*objects.ReplicaSet); ok && ch.Actor == deployment.Name && rsSpecReplicas(o) < rsSpecReplicas(old) {
			return c.judgeScaleDown(ch, ix, old, o)
		}
	}
	return nil
}

// judgeScaleDown checks one scale-down of a ReplicaSet.
func (c *deploymentMinAvailable) judgeScaleDown(ch sim.Change, ix *index, old, rs *objects.ReplicaSet) []error {
	d, ok := ix.controllerOf(rs).(*objects.Deployment)
	if !ok || d.DeletionTimestamp != nil || d.Spec.Strategy.Type == objects.RecreateDeploymentStrategyType ||
		old.Annotations[deployment.DesiredReplicasAnnotation] != rs.Annotations[deployment.DesiredReplicasAnnotation] {
		return nil
	}
	seen := ix.seen(ch.Actor, d.UID, ch.At)
	newest, olds := newestReplicaSet(ix, d, rs)
	if newest != nil && c.created[newest.UID] > seen {
		// The controller made the newest ReplicaSet from the template:
		// its view held the spec as it was then.
		seen = c.created[newest.UID]
	}
	if c.edited[d.UID] > seen || ch.Seen > 0 && c.editedRev[d.UID] > ch.Seen {
		return nil // the user changed the Deployment after the controller's view
	}
	if newest == nil || newest.UID == rs.UID || deployment.AdoptedAny(d, append(olds, newest)) {
		return nil
	}
	oldReplicas := 0
	for _, o := range olds {
		if o.Status.AvailableReplicas > rsSpecReplicas(o) && o.UID != rs.UID {
			return nil
		}
		if o.UID == rs.UID && old.Status.AvailableReplicas > rsSpecReplicas(old) {
			return nil
		}
		oldReplicas += int(rsSpecReplicas(o))
	}
	newAvailable := 0
	if vs := c.available[newest.UID]; vs != nil {
		newAvailable = vs.maxSeen(seen)
	}
	minAvailable := int(derefReplicas(d.Spec.Replicas) - deployment.MaxUnavailable(d))
	if oldReplicas+newAvailable < minAvailable {
		return []error{fmt.Errorf("deployment %s: %s scaled %s down to %d, leaving old replicas %d + new available %d below replicas-maxUnavailable=%d",
			objects.KeyOf(d), ch.Actor, rs.Name, rsSpecReplicas(rs), oldReplicas, newAvailable, minAvailable)}
	}
	return nil
}

func derefReplicas(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// newestReplicaSet returns the Deployment's ReplicaSet of the highest
// revision, and the others, with rs as it is after the change.
func newestReplicaSet(ix *index, d *objects.Deployment, rs *objects.ReplicaSet) (*objects.ReplicaSet, []*objects.ReplicaSet) {
	var all []*objects.ReplicaSet
	for _, o := range ix.ownedBy(d.UID) {
		if r, ok := o.(*objects.ReplicaSet); ok {
			if r.UID == rs.UID {
				r = rs
			}
			all = append(all, r)
		}
	}
	var newest *objects.ReplicaSet
	for _, r := range all {
		if newest == nil || deployment.Revision(r) > deployment.Revision(newest) {
			newest = r
		}
	}
	var olds []*objects.ReplicaSet
	for _, r := range all {
		if r != newest {
			olds = append(olds, r)
		}
	}
	return newest, olds
}

// deploymentRecreate is the trace invariant deployment-recreate: under
// the Recreate strategy the Deployment controller scales the new
// ReplicaSet up only once no pod of an old one runs, terminating ones
// included (upstream's rolloutRecreate and oldPodsRunning). A pod created
// after the controller's last own write for the Deployment may not be in
// its view, and is not held against it; a user's scaling (upstream's
// scale grows the latest ReplicaSet whatever runs) and a Deployment that
// adopted a ReplicaSet it did not make are not judged.
type deploymentRecreate struct {
	created map[string]int // the change that created each pod
}

func newDeploymentRecreate() traceCheck { return &deploymentRecreate{created: map[string]int{}} }

func (c *deploymentRecreate) observe(ch sim.Change, ix *index) []error {
	if p, ok := created(ch).(*objects.Pod); ok {
		c.created[p.UID] = ix.current()
	}
	rs, ok := ch.Event.Object.(*objects.ReplicaSet)
	if !ok || ch.Actor != deployment.Name || ch.Event.Type == storage.Deleted {
		return nil
	}
	before := int32(0)
	if old, ok := ch.Event.Old.(*objects.ReplicaSet); ok {
		before = rsSpecReplicas(old)
	}
	d, ok := ix.controllerOf(rs).(*objects.Deployment)
	if !ok || rsSpecReplicas(rs) <= before || d.Spec.Strategy.Type != objects.RecreateDeploymentStrategyType {
		return nil
	}
	if old, ok := ch.Event.Old.(*objects.ReplicaSet); ok && old.Annotations[deployment.DesiredReplicasAnnotation] != rs.Annotations[deployment.DesiredReplicasAnnotation] {
		return nil // a scaling event: upstream's scale grows the latest ReplicaSet whatever runs
	}
	var own []*objects.ReplicaSet
	for _, o := range ix.ownedBy(d.UID) {
		if r, ok := o.(*objects.ReplicaSet); ok {
			own = append(own, r)
		}
	}
	if deployment.AdoptedAny(d, own) {
		return nil
	}
	seen := ix.seen(ch.Actor, d.UID, ch.At)
	for _, o := range ix.ownedBy(d.UID) {
		other, ok := o.(*objects.ReplicaSet)
		if !ok || other.UID == rs.UID {
			continue
		}
		for _, p := range ix.podsOf(other.UID) {
			if !podTerminal(p) && c.created[p.UID] <= seen {
				return []error{fmt.Errorf("deployment %s: %s scaled %s up to %d while pod %s of the old %s still ran",
					objects.KeyOf(d), ch.Actor, rs.Name, rsSpecReplicas(rs), p.Name, other.Name)}
			}
		}
	}
	return nil
}

// statefulSetOrder is the trace invariant statefulset-order: under
// OrderedReady the StatefulSet controller creates the pod of ordinal n
// only once every lower ordinal's pod is Running and Ready and not being
// deleted, judged from the order of the changes (two ordinals created in
// one sync break it), and on scale-down deletes an out-of-range pod only
// once every pod of a higher ordinal is gone (upstream's monotonic
// processReplica and processCondemned). A pod counts as Ready for a
// creation when it was at some time since the controller's last own write
// for the set.
type statefulSetOrder struct {
	replicas map[string]*values // by set uid
	// readyUntil is the change at which each ordinal's pod (set
	// uid/ordinal) last stopped being Running and Ready; ready holds the
	// ones that are.
	readyUntil map[string]int
	ready      map[string]bool
}

func newStatefulSetOrder() traceCheck {
	return &statefulSetOrder{replicas: map[string]*values{}, readyUntil: map[string]int{}, ready: map[string]bool{}}
}

func (c *statefulSetOrder) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.StatefulSet:
		vs := c.replicas[o.UID]
		if vs == nil {
			vs = &values{}
			c.replicas[o.UID] = vs
		}
		vs.set(ix.current(), int(derefReplicas(o.Spec.Replicas)))
	case *objects.Pod:
		set, ok := ix.controllerOf(o).(*objects.StatefulSet)
		if !ok {
			return nil
		}
		ord := statefulset.OrdinalOf(set, o)
		if ord < 0 {
			return nil
		}
		var errs []error
		if ch.Actor == statefulset.Name && set.Spec.PodManagementPolicy != objects.ParallelPodManagement {
			switch {
			case created(ch) != nil:
				errs = c.judgeCreate(ch, ix, set, ord)
			case deletionStarted(ch) && !podTerminal(o):
				errs = c.judgeDelete(ch, ix, set, o, ord)
			}
		}
		c.noteReadiness(ch, ix, set, o, ord)
		return errs
	}
	return nil
}

// noteReadiness follows whether an ordinal's pod is Running and Ready.
func (c *statefulSetOrder) noteReadiness(ch sim.Change, ix *index, set *objects.StatefulSet, p *objects.Pod, ord int) {
	key := fmt.Sprintf("%s/%d", set.UID, ord)
	now := ch.Event.Type != storage.Deleted && podReady(p) && p.DeletionTimestamp == nil
	if c.ready[key] && !now {
		c.readyUntil[key] = ix.current()
	}
	c.ready[key] = now
}

// judgeCreate checks the creation of ordinal ord's pod.
func (c *statefulSetOrder) judgeCreate(ch sim.Change, ix *index, set *objects.StatefulSet, ord int) []error {
	seen := ix.seen(ch.Actor, set.UID, ch.At)
	for lower := setStart(set); lower < ord; lower++ {
		key := fmt.Sprintf("%s/%d", set.UID, lower)
		if c.ready[key] {
			continue
		}
		if until, ok := c.readyUntil[key]; ok && until > seen {
			continue // Ready in a view that stops before it ended
		}
		return []error{fmt.Errorf("statefulset %s: %s created %s-%d before %s-%d was Running and Ready",
			objects.KeyOf(set), ch.Actor, set.Name, ord, set.Name, lower)}
	}
	return nil
}

// judgeDelete checks the deletion of a condemned pod.
func (c *statefulSetOrder) judgeDelete(ch sim.Change, ix *index, set *objects.StatefulSet, p *objects.Pod, ord int) []error {
	vs := c.replicas[set.UID]
	if vs == nil || ord < setStart(set)+vs.maxSeen(ix.seen(ch.Actor, set.UID, ch.At)) {
		return nil // in range in some view: a rolling update or a replacement
	}
	for _, q := range ix.podsOf(set.UID) {
		if higher := statefulset.OrdinalOf(set, q); higher > ord && q.UID != p.UID {
			return []error{fmt.Errorf("statefulset %s: %s deleted %s while %s of a higher ordinal still existed",
				objects.KeyOf(set), ch.Actor, p.Name, q.Name)}
		}
	}
	return nil
}

// setStart is the set's first ordinal.
func setStart(set *objects.StatefulSet) int {
	if set.Spec.Ordinals != nil {
		return int(set.Spec.Ordinals.Start)
	}
	return 0
}
