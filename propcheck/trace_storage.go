package propcheck

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/controllers/garbagecollector"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// statefulSetClaims is the trace invariant statefulset-claims-retained: a
// StatefulSet's claims outlive what its persistentVolumeClaimRetentionPolicy
// says they outlive. Only the user deletes a claim of a set that retains
// claims both on scale-down and on deletion; a claim of a set that
// deletes them on scale-down goes only once its ordinal was scaled away;
// one of a set that deletes them with the set goes only once the set is
// being deleted (KEP-1847: the controller sets owner references and the
// garbage collector deletes).
type statefulSetClaims struct {
	sets map[string]*setMemory // by namespace/name
}

// setMemory is what a run showed of a StatefulSet: its claim templates,
// retention policy, the fewest replicas it ever had, and whether it is
// being deleted.
type setMemory struct {
	uid                     string
	templates               []string
	whenDeleted, whenScaled string
	start, fewest           int
	deleting                bool
}

func newStatefulSetClaims() traceCheck { return &statefulSetClaims{sets: map[string]*setMemory{}} }

func (c *statefulSetClaims) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.StatefulSet:
		c.remember(ch, o)
	case *objects.PersistentVolumeClaim:
		if !deletionStarted(ch) || ch.Actor == sim.User {
			return nil
		}
		return c.judge(ch, o)
	}
	return nil
}

// remember updates what is known of a set.
func (c *statefulSetClaims) remember(ch sim.Change, set *objects.StatefulSet) {
	key := set.Namespace + "/" + set.Name
	m := c.sets[key]
	if m == nil || m.uid != set.UID {
		m = &setMemory{uid: set.UID, fewest: int(derefReplicas(set.Spec.Replicas)), start: setStart(set)}
		c.sets[key] = m
	}
	m.templates = m.templates[:0]
	for _, t := range set.Spec.VolumeClaimTemplates {
		m.templates = append(m.templates, t.Name)
	}
	m.whenDeleted, m.whenScaled = objects.ReclaimRetain, objects.ReclaimRetain
	if p := set.Spec.PersistentVolumeClaimRetentionPolicy; p != nil {
		m.whenDeleted, m.whenScaled = orRetain(p.WhenDeleted), orRetain(p.WhenScaled)
	}
	m.fewest = min(m.fewest, int(derefReplicas(set.Spec.Replicas)))
	m.deleting = m.deleting || set.DeletionTimestamp != nil || ch.Event.Type == storage.Deleted
}

func orRetain(policy string) string {
	if policy == "" {
		return objects.ReclaimRetain
	}
	return policy
}

// judge checks the deletion of a claim by anyone but the user.
func (c *statefulSetClaims) judge(ch sim.Change, claim *objects.PersistentVolumeClaim) []error {
	for key, m := range c.sets {
		ns, set, _ := strings.Cut(key, "/")
		ord, ok := claimOrdinal(claim.Name, set, m.templates)
		if ns != claim.Namespace || !ok {
			continue
		}
		scaledAway := m.whenScaled == "Delete" && ord >= m.start+m.fewest
		setGone := m.whenDeleted == "Delete" && m.deleting
		if !scaledAway && !setGone {
			return []error{fmt.Errorf("statefulset %s: %s deleted claim %s, which its retention policy (whenDeleted %s, whenScaled %s) keeps",
				key, ch.Actor, claim.Name, m.whenDeleted, m.whenScaled)}
		}
	}
	return nil
}

// claimOrdinal returns the ordinal of a claim named <template>-<set>-<ordinal>.
func claimOrdinal(claim, set string, templates []string) (int, bool) {
	for _, t := range templates {
		prefix := t + "-" + set + "-"
		if rest, ok := strings.CutPrefix(claim, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n, true
			}
		}
	}
	return 0, false
}

// pvClaimRefStable is the trace invariant pv-claimref-stable: once a
// volume is bound to a claim, nobody moves it to another claim while the
// first still exists and is not being deleted (upstream's binder writes
// claimRef with the volume's resourceVersion, so a stale binder gets a
// Conflict rather than taking a volume another claim was given).
type pvClaimRefStable struct{}

func newPVClaimRefStable() traceCheck { return pvClaimRefStable{} }

func (pvClaimRefStable) observe(ch sim.Change, ix *index) []error {
	pv, ok := ch.Event.Object.(*objects.PersistentVolume)
	old, _ := ch.Event.Old.(*objects.PersistentVolume)
	if !ok || old == nil || ch.Event.Type != storage.Modified || old.Spec.ClaimRef == nil || old.Spec.ClaimRef.UID == "" {
		return nil
	}
	was, now := old.Spec.ClaimRef, pv.Spec.ClaimRef
	if now == nil || (now.UID == was.UID && now.Name == was.Name && now.Namespace == was.Namespace) {
		return nil
	}
	claim, ok := ix.get(was.UID).(*objects.PersistentVolumeClaim)
	if !ok || claim.DeletionTimestamp != nil {
		return nil
	}
	return []error{fmt.Errorf("volume %s: %s moved it from claim %s/%s, which still exists, to %s/%s",
		pv.Name, ch.Actor, was.Namespace, was.Name, now.Namespace, now.Name)}
}

// gcOrphans is the trace invariant gc-orphans-survive: the garbage
// collector deletes an object only when every owner it names is gone or
// being deleted with its dependents: never one without owners, one whose
// owner is alive, or one whose owner was deleted with propagationPolicy
// Orphan (whose dependents lose the reference and stay). A reference
// given after the owner's orphaning began (a stale controller creating a
// ReplicaSet for a Deployment being deleted, or adopting a pod) names an
// owner that is, or soon is, gone: upstream's collector deletes such a
// dependent, so it is not held against it. Nor is a dependent the
// collector's graph could not hold when it ended the orphaning: one whose
// reference is newer than what its informer held of the dependent's kind
// (a stale fault). The collector orphans the dependents its graph holds,
// and deletes a dependent it learns of later, its owner gone: upstream's
// known race (kubernetes#26120, "the GC observes the orphan request
// before observing the creation of the dependents").
type gcOrphans struct {
	orphaning map[string]bool // uids of owners deleted with Orphan
	late      map[string]bool // dependent uid + "/" + owner uid, referenced after the orphaning began
	// since is the revision at which a dependent (uid + "/" + owner uid)
	// gained the reference, and blind what the collector's informer held
	// of each kind it lagged on when it ended an owner's orphaning (by
	// owner uid; Change.Lagging).
	since map[string]int64
	blind map[string]map[string]int64
}

func newGCOrphans() traceCheck {
	return &gcOrphans{orphaning: map[string]bool{}, late: map[string]bool{},
		since: map[string]int64{}, blind: map[string]map[string]int64{}}
}

func (c *gcOrphans) observe(ch sim.Change, ix *index) []error {
	m := ch.Event.Object.GetObjectMeta()
	if m.DeletionTimestamp != nil && m.HasFinalizer(garbagecollector.FinalizerOrphan) {
		c.orphaning[m.UID] = true
	}
	c.noteLateReferences(m, ix, ch.Event.ResourceVersion)
	if ch.Actor == garbagecollector.Name && c.orphaning[m.UID] {
		// The collector ends the orphaning (the finalizer off, the owner
		// gone), knowing only what its informer held (nil: everything).
		c.blind[m.UID] = ch.Lagging
	}
	if ch.Actor != garbagecollector.Name || !deletionStarted(ch) {
		return nil
	}
	kind := ch.Event.Object.GetTypeMeta().Kind
	key := objects.KeyOf(ch.Event.Object)
	if len(m.OwnerReferences) == 0 {
		return []error{fmt.Errorf("%s: %s deleted it, but it has no owner", key, ch.Actor)}
	}
	for _, ref := range m.OwnerReferences {
		if c.orphaning[ref.UID] && !c.late[m.UID+"/"+ref.UID] && !c.unseen(m.UID, kind, ref.UID) {
			return []error{fmt.Errorf("%s: %s deleted it, but its owner %s/%s was deleted orphaning its dependents", key, ch.Actor, ref.Kind, ref.Name)}
		}
		if owner := ix.get(ref.UID); owner != nil && owner.GetObjectMeta().DeletionTimestamp == nil {
			return []error{fmt.Errorf("%s: %s deleted it, but its owner %s/%s is alive", key, ch.Actor, ref.Kind, ref.Name)}
		}
	}
	return nil
}

// unseen reports whether the collector's graph could not hold the
// dependent uid (of kind) as owner's when it ended owner's orphaning: its
// informer lagged on the kind, behind the revision the reference came at.
func (c *gcOrphans) unseen(uid, kind, owner string) bool {
	held, lagged := c.blind[owner][kind]
	return lagged && c.since[uid+"/"+owner] > held
}

// noteLateReferences remembers the owner references m gains (at revision
// rev), and those it gains while their owner is being orphaned or is gone.
func (c *gcOrphans) noteLateReferences(m *objects.ObjectMeta, ix *index, rev int64) {
	var before []objects.OwnerReference
	if old := ix.get(m.UID); old != nil {
		before = old.GetObjectMeta().OwnerReferences
	}
	for _, ref := range m.OwnerReferences {
		if hasOwnerRef(before, ref.UID) {
			continue
		}
		c.since[m.UID+"/"+ref.UID] = rev
		if c.orphaning[ref.UID] || ix.get(ref.UID) == nil {
			c.late[m.UID+"/"+ref.UID] = true
		}
	}
}

// hasOwnerRef reports whether refs name the owner uid.
func hasOwnerRef(refs []objects.OwnerReference, uid string) bool {
	for _, r := range refs {
		if r.UID == uid {
			return true
		}
	}
	return false
}
