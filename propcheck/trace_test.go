package propcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Tests of the trace invariants: each is shown a hand-made list of
// changes that breaks it and one that keeps it.

var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// at is t0 plus s seconds.
func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// emptyStore is a store with nothing in it, for the first View.
type emptyStore struct{}

func (emptyStore) Get(key objects.Key) (objects.Object, error)                 { return nil, storage.ErrNotFound }
func (emptyStore) List(kind, ns string, sel objects.Selector) []objects.Object { return nil }
func (emptyStore) Scan(kind, ns string, visit func(objects.Object) bool)       {}
func (emptyStore) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
}
func (emptyStore) ResourceVersion() int64 { return 0 }

// history builds a run's changes.
type history struct{ changes []sim.Change }

func (h *history) add(s float64, actor string, obj objects.Object) *history {
	h.changes = append(h.changes, sim.Change{At: at(s), Actor: actor, Event: storage.WatchEvent{Type: storage.Added, Object: obj}})
	return h
}

func (h *history) update(s float64, actor string, old, obj objects.Object) *history {
	h.changes = append(h.changes, sim.Change{At: at(s), Actor: actor, Event: storage.WatchEvent{Type: storage.Modified, Object: obj, Old: old}})
	return h
}

// rev sets the last change's revision.
func (h *history) rev(rv int64) *history {
	h.changes[len(h.changes)-1].Event.ResourceVersion = rv
	return h
}

// lagging records that the last change's controller decided while its
// informer held kind only up to revision held.
func (h *history) lagging(kind string, held int64) *history {
	h.changes[len(h.changes)-1].Lagging = map[string]int64{kind: held}
	return h
}

// seen sets the revision the last change's controller decided on.
func (h *history) seen(rv int64) *history {
	h.changes[len(h.changes)-1].Seen = rv
	return h
}

func (h *history) remove(s float64, actor string, obj objects.Object) *history {
	h.changes = append(h.changes, sim.Change{At: at(s), Actor: actor, Event: storage.WatchEvent{Type: storage.Deleted, Object: obj, Old: obj}})
	return h
}

// violations runs the invariant of that name over the changes, in one
// check, and returns what it reports.
func violations(t *testing.T, name string, h *history) []string {
	t.Helper()
	for _, inv := range Builtin() {
		if inv.Name != name {
			continue
		}
		now := t0
		if n := len(h.changes); n > 0 {
			now = h.changes[n-1].At
		}
		var out []string
		for _, err := range inv.New()(View{Store: emptyStore{}, Now: now, Changes: h.changes}) {
			out = append(out, err.Error())
		}
		return out
	}
	t.Fatalf("no invariant %s", name)
	return nil
}

// assertBroken checks that the changes break the invariant with a
// message holding want.
func assertBroken(t *testing.T, name string, h *history, want string) {
	t.Helper()
	got := violations(t, name, h)
	if assert.Len(t, got, 1, "%s should break once", name) {
		assert.Contains(t, got[0], want)
	}
}

func assertKept(t *testing.T, name string, h *history) {
	t.Helper()
	assert.Empty(t, violations(t, name, h))
}

// Object builders.

var yes = true

func meta(name, uid string) objects.ObjectMeta {
	return objects.ObjectMeta{Namespace: "default", Name: name, UID: uid, CreationTimestamp: objects.NewTime(t0)}
}

func ownedBy(m objects.ObjectMeta, kind, name, uid string) objects.ObjectMeta {
	m.OwnerReferences = []objects.OwnerReference{{Kind: kind, Name: name, UID: uid, Controller: &yes}}
	return m
}

func newJob(name string, parallelism int32) *objects.Job {
	j := &objects.Job{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}, ObjectMeta: meta(name, name+"-uid")}
	j.Spec.Parallelism = &parallelism
	return j
}

func newPod(name, uid string) *objects.Pod {
	return &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"}, ObjectMeta: meta(name, uid),
		Status: objects.PodStatus{Phase: objects.PodPending}}
}

func jobPod(name string, j *objects.Job) *objects.Pod {
	p := newPod(name, name+"-uid")
	p.ObjectMeta = ownedBy(p.ObjectMeta, "Job", j.Name, j.UID)
	return p
}

func withPhase(p *objects.Pod, phase string) *objects.Pod {
	q := p.DeepCopy()
	q.Status.Phase = phase
	return q
}

func readyPod(p *objects.Pod) *objects.Pod {
	q := withPhase(p, objects.PodRunning)
	q.Status.Conditions = []objects.PodCondition{{Type: objects.PodReady, Status: objects.ConditionTrue}}
	return q
}

func deleting(o objects.Object, s float64) objects.Object {
	c := o.DeepCopyObject()
	c.GetObjectMeta().DeletionTimestamp = objects.NewTimePtr(at(s))
	return c
}

const (
	jobCtl = "job-controller"
	user   = sim.User
)

func TestJobParallelism(t *testing.T) {
	j := newJob("pi", 1)
	a, b := jobPod("pi-a", j), jobPod("pi-b", j)
	h := (&history{}).add(0, user, j).add(1, jobCtl, a).add(1, jobCtl, b)
	assertBroken(t, "job-parallelism", h, "created pod pi-b while 1 pods were active, and the Job may run 1")

	h = (&history{}).add(0, user, j).add(1, jobCtl, a).update(5, "kubelet/n1", a, withPhase(a, objects.PodSucceeded)).add(5, jobCtl, b)
	assertKept(t, "job-parallelism", h)

	// A suspended Job runs nothing once the controller's view shows it
	// (a reconcile after the one that wrote at 6 sees the suspension)...
	suspended := j.DeepCopy()
	suspended.Spec.Suspend = &yes
	h = (&history{}).add(0, user, j).update(5, user, j, suspended).update(6, jobCtl, suspended, suspended).add(20, jobCtl, a)
	assertBroken(t, "job-parallelism", h, "may run 0")
	// ...but a view older than the suspension may still create, and so
	// may a reconcile whose writes follow each other closely.
	h = (&history{}).add(0, user, j).update(4, jobCtl, j, j).update(5, user, j, suspended).add(5, jobCtl, a)
	assertKept(t, "job-parallelism", h)
	h = (&history{}).add(0, user, j).update(5, user, j, suspended).update(6, jobCtl, suspended, suspended).add(7, jobCtl, a)
	assertKept(t, "job-parallelism", h)
}

func TestJobFinalizerCounted(t *testing.T) {
	j := newJob("pi", 1)
	p := jobPod("pi-a", j)
	p.Finalizers = []string{objects.JobTrackingFinalizer}
	done := withPhase(p, objects.PodSucceeded)
	released := done.DeepCopy()
	released.Finalizers = nil
	h := (&history{}).add(0, user, j).add(1, jobCtl, p).update(5, "kubelet/n1", p, done).update(5, jobCtl, done, released)
	assertBroken(t, "job-finalizer-counted", h, "removed the tracking finalizer of finished pod pi-a")

	recorded := j.DeepCopy()
	recorded.Status.UncountedTerminatedPods = &objects.UncountedTerminatedPods{Succeeded: []string{p.UID}}
	h = (&history{}).add(0, user, j).add(1, jobCtl, p).update(5, "kubelet/n1", p, done).
		update(5, jobCtl, j, recorded).update(5, jobCtl, done, released)
	assertKept(t, "job-finalizer-counted", h)

	// An Indexed Job records a success by its index, and never counts a
	// pod without one.
	indexed := j.DeepCopy()
	indexed.Spec.CompletionMode = ptrTo(objects.IndexedCompletion)
	indexed.Spec.Completions = ptrTo(int32(3))
	recordedIx := indexed.DeepCopy()
	recordedIx.Status.CompletedIndexes = "0-1"
	withIndex := func(p *objects.Pod, ix string) *objects.Pod {
		q := p.DeepCopy()
		if ix != "" {
			q.Annotations = map[string]string{objects.JobCompletionIndexAnnotation: ix}
		}
		return q
	}
	indexedRun := func(ix string, status *objects.Job) *history {
		return (&history{}).add(0, user, indexed).add(1, jobCtl, withIndex(p, ix)).
			update(5, "kubelet/n1", withIndex(p, ix), withIndex(done, ix)).
			update(5, jobCtl, indexed, status).update(5, jobCtl, withIndex(done, ix), withIndex(released, ix))
	}
	assertKept(t, "job-finalizer-counted", indexedRun("1", recordedIx))
	assertBroken(t, "job-finalizer-counted", indexedRun("2", recordedIx), "removed the tracking finalizer of finished pod pi-a")
	assertKept(t, "job-finalizer-counted", indexedRun("", indexed))

	// A failed pod without a valid index is not counted either; one with
	// an index is recorded by its uid first.
	failed, failedReleased := withPhase(p, objects.PodFailed), withPhase(released, objects.PodFailed)
	failedRun := func(ix string) *history {
		return (&history{}).add(0, user, indexed).add(1, jobCtl, withIndex(p, ix)).
			update(5, "kubelet/n1", withIndex(p, ix), withIndex(failed, ix)).
			update(5, jobCtl, withIndex(failed, ix), withIndex(failedReleased, ix))
	}
	assertKept(t, "job-finalizer-counted", failedRun(""))
	assertKept(t, "job-finalizer-counted", failedRun("7"))
	assertBroken(t, "job-finalizer-counted", failedRun("0"), "removed the tracking finalizer of finished pod pi-a")
}

func ptrTo[T any](v T) *T { return &v }

func TestJobCountsBounded(t *testing.T) {
	j := newJob("pi", 2)
	a := jobPod("pi-a", j)
	counted := j.DeepCopy()
	counted.Status.Succeeded = 2
	h := (&history{}).add(0, user, j).add(1, jobCtl, a).update(5, "kubelet/n1", a, withPhase(a, objects.PodSucceeded)).update(5, jobCtl, j, counted)
	assertBroken(t, "job-counts-bounded", h, "2 succeeded, but only 1 of its pods ever succeeded")

	counted.Status.Succeeded = 1
	h = (&history{}).add(0, user, j).add(1, jobCtl, a).update(5, "kubelet/n1", a, withPhase(a, objects.PodSucceeded)).update(5, jobCtl, j, counted)
	assertKept(t, "job-counts-bounded", h)
}

func TestJobFailureJustified(t *testing.T) {
	j := newJob("pi", 1)
	limit := int32(1)
	j.Spec.BackoffLimit = &limit
	failing := func(failed int32) *objects.Job {
		f := j.DeepCopy()
		f.Status.Failed = failed
		f.Status.Conditions = []objects.JobCondition{{Type: objects.JobFailureTarget, Status: objects.ConditionTrue, Reason: objects.JobReasonBackoffLimitExceeded}}
		return f
	}
	assertBroken(t, "job-failure-justified", (&history{}).add(0, user, j).update(5, jobCtl, j, failing(1)),
		"set FailureTarget BackoffLimitExceeded with 1 failed, within its backoffLimit 1")
	assertKept(t, "job-failure-justified", (&history{}).add(0, user, j).update(5, jobCtl, j, failing(2)))

	ads := int64(30)
	j.Spec.ActiveDeadlineSeconds = &ads
	j.Status.StartTime = objects.NewTimePtr(at(0))
	late := j.DeepCopy()
	late.Status.Conditions = []objects.JobCondition{{Type: objects.JobFailureTarget, Status: objects.ConditionTrue, Reason: objects.JobReasonDeadlineExceeded}}
	assertBroken(t, "job-failure-justified", (&history{}).add(0, user, j).update(20, jobCtl, j, late), "before the deadline")
	assertKept(t, "job-failure-justified", (&history{}).add(0, user, j).update(30, jobCtl, j, late))
}

func TestTTLNotEarly(t *testing.T) {
	j := newJob("pi", 1)
	ttl := int32(100)
	j.Spec.TTLSecondsAfterFinished = &ttl
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue, LastTransitionTime: objects.NewTime(at(10))}}
	assertBroken(t, "ttl-not-early", (&history{}).add(0, user, j).remove(50, "ttl-after-finished-controller", j), "before its TTL ends")
	assertKept(t, "ttl-not-early", (&history{}).add(0, user, j).remove(110, "ttl-after-finished-controller", j))
}

func newRS(name string, replicas int32, revision string) *objects.ReplicaSet {
	rs := &objects.ReplicaSet{TypeMeta: objects.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}, ObjectMeta: meta(name, name+"-uid")}
	rs.Spec.Replicas = &replicas
	rs.Annotations = map[string]string{"deployment.kubernetes.io/revision": revision}
	return rs
}

func scaledRS(rs *objects.ReplicaSet, replicas int32) *objects.ReplicaSet {
	c := rs.DeepCopy()
	c.Spec.Replicas = &replicas
	return c
}

func TestReplicaSetReplicas(t *testing.T) {
	rs := newRS("web", 1, "")
	a, b := newPod("web-a", "a"), newPod("web-b", "b")
	a.ObjectMeta = ownedBy(a.ObjectMeta, "ReplicaSet", "web", rs.UID)
	b.ObjectMeta = ownedBy(b.ObjectMeta, "ReplicaSet", "web", rs.UID)
	h := (&history{}).add(0, user, rs).add(1, "replicaset-controller", a).add(1, "replicaset-controller", b)
	assertBroken(t, "replicaset-replicas", h, "created pod web-b while 1 pods were active, and it wants 1")
	h = (&history{}).add(0, user, rs).add(1, "replicaset-controller", a).
		update(2, user, a, deleting(a, 2)).add(2, "replicaset-controller", b)
	assertKept(t, "replicaset-replicas", h)
}

func newDeployment(replicas int32, strategy string) *objects.Deployment {
	d := &objects.Deployment{TypeMeta: objects.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}, ObjectMeta: meta("web", "web-uid")}
	d.Spec.Replicas = &replicas
	d.Spec.Strategy.Type = strategy
	if strategy != objects.RecreateDeploymentStrategyType {
		one := objects.FromInt(1)
		d.Spec.Strategy.RollingUpdate = &objects.RollingUpdateDeployment{MaxSurge: &one, MaxUnavailable: &one}
	}
	return d
}

func deploymentRS(d *objects.Deployment, name string, replicas, available int32, revision string) *objects.ReplicaSet {
	rs := newRS(name, replicas, revision)
	rs.ObjectMeta = ownedBy(rs.ObjectMeta, "Deployment", d.Name, d.UID)
	rs.Annotations = map[string]string{"deployment.kubernetes.io/revision": revision}
	rs.Status.AvailableReplicas = available
	return rs
}

func TestDeploymentMinAvailable(t *testing.T) {
	d := newDeployment(3, objects.RollingUpdateDeploymentStrategyType)
	old, cur := deploymentRS(d, "web-1", 3, 3, "1"), deploymentRS(d, "web-2", 1, 0, "2")
	h := (&history{}).add(0, user, d).add(0, "deployment-controller", old).add(1, "deployment-controller", cur).
		update(2, "deployment-controller", old, scaledRS(old, 1))
	assertBroken(t, "deployment-min-available", h, "leaving old replicas 1 + new available 0 below replicas-maxUnavailable=2")
	h = (&history{}).add(0, user, d).add(0, "deployment-controller", old).add(1, "deployment-controller", cur).
		update(2, "deployment-controller", old, scaledRS(old, 2))
	assertKept(t, "deployment-min-available", h)

	// The user edits the template and, in the same burst, the controller
	// makes the new ReplicaSet and scales the old one to nothing: having
	// made the new ReplicaSet from the edited template, its view held the
	// edit.
	edited := d.DeepCopy()
	edited.Generation++
	h = (&history{}).add(0, user, d).add(0, "deployment-controller", old).update(60, user, d, edited).
		add(60, "deployment-controller", cur).update(60, "deployment-controller", old, scaledRS(old, 0))
	assertBroken(t, "deployment-min-available", h, "leaving old replicas 0 + new available 0 below replicas-maxUnavailable=2")

	// The user scales the Deployment up (revision 4) after the edit; the
	// controller, its Deployment informer delayed, makes the new ReplicaSet
	// from the edited template and scales the old one by the replicas it
	// saw: judged only when its view (Change.Seen) held the scale.
	scaled := edited.DeepCopy()
	scaled.Generation++
	for _, seen := range []int64{3, 4} {
		h = (&history{}).add(0, user, d).add(0, "deployment-controller", old).update(60, user, d, edited).rev(3).
			update(61, user, edited, scaled).rev(4).add(65, "deployment-controller", cur).
			update(65, "deployment-controller", old, scaledRS(old, 0)).seen(seen)
		if seen == 3 {
			assertKept(t, "deployment-min-available", h)
		} else {
			assertBroken(t, "deployment-min-available", h, "below replicas-maxUnavailable=2")
		}
	}
}

func TestDeploymentRecreate(t *testing.T) {
	d := newDeployment(2, objects.RecreateDeploymentStrategyType)
	old, cur := deploymentRS(d, "web-1", 0, 0, "1"), deploymentRS(d, "web-2", 0, 0, "2")
	p := newPod("web-1-a", "a")
	p.ObjectMeta = ownedBy(p.ObjectMeta, "ReplicaSet", old.Name, old.UID)
	h := (&history{}).add(0, user, d).add(0, "deployment-controller", old).add(0, "replicaset-controller", p).
		add(5, "deployment-controller", cur).update(10, "deployment-controller", cur, scaledRS(cur, 2))
	assertBroken(t, "deployment-recreate", h, "scaled web-2 up to 2 while pod web-1-a of the old web-1 still ran")
	h = (&history{}).add(0, user, d).add(0, "deployment-controller", old).add(0, "replicaset-controller", p).
		update(4, "kubelet/n1", p, withPhase(p, objects.PodSucceeded)).
		add(5, "deployment-controller", cur).update(10, "deployment-controller", cur, scaledRS(cur, 2))
	assertKept(t, "deployment-recreate", h)
}

func newSet(replicas int32) *objects.StatefulSet {
	s := &objects.StatefulSet{TypeMeta: objects.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}, ObjectMeta: meta("db", "db-uid")}
	s.Spec.Replicas = &replicas
	s.Spec.VolumeClaimTemplates = []objects.PersistentVolumeClaim{{ObjectMeta: objects.ObjectMeta{Name: "data"}}}
	return s
}

func setPod(set *objects.StatefulSet, ord string) *objects.Pod {
	p := newPod(set.Name+"-"+ord, set.Name+"-"+ord+"-uid")
	p.ObjectMeta = ownedBy(p.ObjectMeta, "StatefulSet", set.Name, set.UID)
	return p
}

const setCtl = "statefulset-controller"

func TestStatefulSetOrderCreation(t *testing.T) {
	set := newSet(2)
	p0, p1 := setPod(set, "0"), setPod(set, "1")
	h := (&history{}).add(0, user, set).add(1, setCtl, p0).add(1, setCtl, p1)
	assertBroken(t, "statefulset-order", h, "created db-1 before db-0 was Running and Ready")
	h = (&history{}).add(0, user, set).add(1, setCtl, p0).update(5, "kubelet/n1", p0, readyPod(p0)).add(5, setCtl, p1)
	assertKept(t, "statefulset-order", h)
	// Parallel creates at once.
	par := set.DeepCopy()
	par.Spec.PodManagementPolicy = objects.ParallelPodManagement
	assertKept(t, "statefulset-order", (&history{}).add(0, user, par).add(1, setCtl, p0).add(1, setCtl, p1))
}

func TestStatefulSetOrderScaleDown(t *testing.T) {
	set := newSet(3)
	pods := []*objects.Pod{setPod(set, "0"), setPod(set, "1"), setPod(set, "2")}
	start := func() *history {
		h := (&history{}).add(0, user, set)
		for _, p := range pods {
			h.add(0, setCtl, readyPod(p))
		}
		return h.update(10, user, set, newSet(1)).update(10, setCtl, newSet(1), newSet(1))
	}
	h := start().update(20, setCtl, readyPod(pods[1]), deleting(readyPod(pods[1]), 20))
	assertBroken(t, "statefulset-order", h, "deleted db-1 while db-2 of a higher ordinal still existed")
	h = start().update(20, setCtl, readyPod(pods[2]), deleting(readyPod(pods[2]), 20)).remove(21, "kubelet/n1", pods[2]).
		update(30, setCtl, readyPod(pods[1]), deleting(readyPod(pods[1]), 30))
	assertKept(t, "statefulset-order", h)
}

func newClaim(name string) *objects.PersistentVolumeClaim {
	return &objects.PersistentVolumeClaim{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"}, ObjectMeta: meta(name, name+"-uid")}
}

func TestStatefulSetClaimsRetained(t *testing.T) {
	set := newSet(2)
	gc := "garbage-collector-controller"
	assertBroken(t, "statefulset-claims-retained", (&history{}).add(0, user, set).remove(5, gc, newClaim("data-db-1")),
		"deleted claim data-db-1, which its retention policy (whenDeleted Retain, whenScaled Retain) keeps")
	assertKept(t, "statefulset-claims-retained", (&history{}).add(0, user, set).remove(5, user, newClaim("data-db-1")))

	deletes := set.DeepCopy()
	deletes.Spec.PersistentVolumeClaimRetentionPolicy = &objects.StatefulSetPersistentVolumeClaimRetentionPolicy{WhenScaled: "Delete"}
	one := deletes.DeepCopy()
	one.Spec.Replicas = new(int32)
	*one.Spec.Replicas = 1
	h := (&history{}).add(0, user, deletes).update(3, user, deletes, one).remove(5, gc, newClaim("data-db-1"))
	assertKept(t, "statefulset-claims-retained", h)
	h = (&history{}).add(0, user, deletes).update(3, user, deletes, one).remove(5, gc, newClaim("data-db-0"))
	assertBroken(t, "statefulset-claims-retained", h, "deleted claim data-db-0")
}

func TestPVClaimRefStable(t *testing.T) {
	a, b := newClaim("a"), newClaim("b")
	pv := &objects.PersistentVolume{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"}, ObjectMeta: objects.ObjectMeta{Name: "pv", UID: "pv-uid"}}
	boundTo := func(c *objects.PersistentVolumeClaim) *objects.PersistentVolume {
		p := pv.DeepCopy()
		p.Spec.ClaimRef = &objects.ObjectReference{Namespace: c.Namespace, Name: c.Name, UID: c.UID}
		return p
	}
	binder := "persistentvolume-binder-controller"
	h := (&history{}).add(0, user, a).add(0, user, b).add(0, user, pv).update(1, binder, pv, boundTo(a)).update(2, binder, boundTo(a), boundTo(b))
	assertBroken(t, "pv-claimref-stable", h, "moved it from claim default/a, which still exists, to default/b")
	h = (&history{}).add(0, user, a).add(0, user, b).add(0, user, pv).update(1, binder, pv, boundTo(a)).
		remove(2, user, a).update(3, binder, boundTo(a), boundTo(b))
	assertKept(t, "pv-claimref-stable", h)
}

func TestGCOrphansSurvive(t *testing.T) {
	gc := "garbage-collector-controller"
	owner := newRS("web", 1, "")
	dep := newPod("web-a", "a")
	dep.ObjectMeta = ownedBy(dep.ObjectMeta, "ReplicaSet", "web", owner.UID)
	orphaning := deleting(owner, 5).(*objects.ReplicaSet)
	orphaning.Finalizers = []string{"orphan"}
	h := (&history{}).add(0, user, owner).add(0, user, dep).update(5, user, owner, orphaning).remove(6, gc, dep)
	assertBroken(t, "gc-orphans-survive", h, "deleted it, but its owner ReplicaSet/web was deleted orphaning its dependents")

	h = (&history{}).add(0, user, owner).add(0, user, dep).remove(6, gc, dep)
	assertBroken(t, "gc-orphans-survive", h, "its owner ReplicaSet/web is alive")

	h = (&history{}).add(0, user, owner).add(0, user, dep).remove(5, user, owner).remove(6, gc, dep)
	assertKept(t, "gc-orphans-survive", h)

	// A dependent a stale controller creates for the owner after its
	// orphaning began names an owner about to be gone: collected.
	h = (&history{}).add(0, user, owner).update(5, user, owner, orphaning).add(5, "replicaset-controller", dep).remove(6, gc, dep)
	assertKept(t, "gc-orphans-survive", h)

	// The collector ends the orphaning while its informer holds pods only
	// up to revision 1: the dependent, created at revision 2, is not in its
	// graph, keeps its reference and is collected once the owner is gone
	// (upstream's race, kubernetes#26120). Had its informer held revision
	// 2, the dependent would have been orphaned: a violation.
	for _, held := range []int64{1, 2} {
		h = (&history{}).add(0, user, owner).rev(1).add(0, user, dep).rev(2).update(5, user, owner, orphaning).rev(3).
			remove(5, gc, orphaning).rev(4).lagging("Pod", held).remove(6, gc, dep).rev(5)
		if held == 1 {
			assertKept(t, "gc-orphans-survive", h)
		} else {
			assertBroken(t, "gc-orphans-survive", h, "was deleted orphaning its dependents")
		}
	}
	// Lagging on another kind leaves the pods' graph complete.
	h = (&history{}).add(0, user, owner).rev(1).add(0, user, dep).rev(2).update(5, user, owner, orphaning).rev(3).
		remove(5, gc, orphaning).rev(4).lagging("ReplicaSet", 1).remove(6, gc, dep).rev(5)
	assertBroken(t, "gc-orphans-survive", h, "was deleted orphaning its dependents")
}

func newNode(cpu string) *objects.Node {
	n := &objects.Node{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: objects.ObjectMeta{Name: "n1", UID: "n1-uid"}}
	n.Status.Allocatable = objects.ResourceList{objects.ResourceCPU: objects.MustParseQuantity(cpu), objects.ResourcePods: objects.MustParseQuantity("110")}
	return n
}

func bound(p *objects.Pod) *objects.Pod {
	q := p.DeepCopy()
	q.Spec.NodeName = "n1"
	return q
}

func withCPU(p *objects.Pod, cpu string) *objects.Pod {
	q := p.DeepCopy()
	q.Spec.Containers = []objects.Container{{Name: "main", Resources: objects.ResourceRequirements{
		Requests: objects.ResourceList{objects.ResourceCPU: objects.MustParseQuantity(cpu)}}}}
	return q
}

func TestSchedulerFits(t *testing.T) {
	sched := "default-scheduler"
	node := newNode("2")
	tainted := node.DeepCopy()
	tainted.Spec.Taints = []objects.Taint{{Key: "dedicated", Value: "batch", Effect: objects.TaintNoSchedule}}
	p := newPod("a", "a")
	h := (&history{}).add(0, "cluster-bootstrap", node).update(1, user, node, tainted).add(400, user, p).update(400, sched, p, bound(p))
	assertBroken(t, "scheduler-fits", h, "whose taint dedicated=batch:NoSchedule it does not tolerate")

	tolerant := p.DeepCopy()
	tolerant.Spec.Tolerations = []objects.Toleration{{Key: "dedicated", Operator: "Exists"}}
	h = (&history{}).add(0, "cluster-bootstrap", node).update(1, user, node, tainted).add(400, user, tolerant).update(400, sched, tolerant, bound(tolerant))
	assertKept(t, "scheduler-fits", h)

	// A taint set less than maxInformerLag ago may not be in the scheduler's view.
	h = (&history{}).add(0, "cluster-bootstrap", node).update(100, user, node, tainted).add(110, user, p).update(110, sched, p, bound(p))
	assertKept(t, "scheduler-fits", h)

	cordoned := node.DeepCopy()
	cordoned.Spec.Unschedulable = true
	h = (&history{}).add(0, "cluster-bootstrap", node).update(1, user, node, cordoned).add(400, user, p).update(400, sched, p, bound(p))
	assertBroken(t, "scheduler-fits", h, "which is unschedulable")

	big, other := withCPU(p, "1500m"), withCPU(newPod("b", "b"), "1")
	h = (&history{}).add(0, "cluster-bootstrap", node).add(10, user, big).update(10, sched, big, bound(big)).
		add(10, user, other).update(10, sched, other, bound(other))
	assertBroken(t, "scheduler-fits", h, "whose pods then ask for 2500m cpu of 2000m")
	h = (&history{}).add(0, "cluster-bootstrap", node).add(10, user, big).update(10, sched, big, bound(big)).
		update(11, "kubelet/n1", bound(big), withPhase(bound(big), objects.PodSucceeded)).
		add(12, user, other).update(12, sched, other, bound(other))
	assertKept(t, "scheduler-fits", h)
}

// running returns p with its container running since start, after
// restarts restarts, the last of which ended at lastEnd.
func running(p *objects.Pod, start, lastEnd float64, restarts int32) *objects.Pod {
	q := p.DeepCopy()
	cs := objects.ContainerStatus{Name: "main", RestartCount: restarts,
		State: objects.ContainerState{Running: &objects.ContainerStateRunning{StartedAt: objects.NewTime(at(start))}}}
	if restarts > 0 {
		cs.LastState.Terminated = &objects.ContainerStateTerminated{ExitCode: 1, FinishedAt: objects.NewTime(at(lastEnd))}
	}
	q.Status.ContainerStatuses = []objects.ContainerStatus{cs}
	return q
}

func TestKubeletBackoff(t *testing.T) {
	k := "kubelet/n1"
	p := newPod("a", "a")
	// Runs from 0 to 10, restarted at once, to 20, then 5s later: the
	// second restart owes 10s.
	h := (&history{}).add(0, user, p).update(0, k, p, running(p, 0, 0, 0)).
		update(10, k, p, running(p, 10, 10, 1)).update(25, k, p, running(p, 25, 20, 2))
	assertBroken(t, "kubelet-backoff", h, "restarted 5s after it exited, before its back-off of 10s ended (restart 2)")
	h = (&history{}).add(0, user, p).update(0, k, p, running(p, 0, 0, 0)).
		update(10, k, p, running(p, 10, 10, 1)).update(30, k, p, running(p, 30, 20, 2)).update(70, k, p, running(p, 70, 50, 3))
	assertKept(t, "kubelet-backoff", h)
	// A run of ten minutes starts the back-off over.
	h = (&history{}).add(0, user, p).update(0, k, p, running(p, 0, 0, 0)).
		update(10, k, p, running(p, 10, 10, 1)).update(700, k, p, running(p, 700, 700, 2))
	assertKept(t, "kubelet-backoff", h)
}

func newCronJob(policy string) *objects.CronJob {
	cj := &objects.CronJob{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"}, ObjectMeta: meta("hello", "hello-uid")}
	cj.Spec.ConcurrencyPolicy = policy
	return cj
}

func cronJobJob(cj *objects.CronJob, name, slot string) *objects.Job {
	j := newJob(name, 1)
	j.ObjectMeta = ownedBy(j.ObjectMeta, "CronJob", cj.Name, cj.UID)
	j.Annotations = map[string]string{objects.CronJobScheduledTimestampAnnotation: slot}
	return j
}

func listing(cj *objects.CronJob, jobs ...*objects.Job) *objects.CronJob {
	c := cj.DeepCopy()
	for _, j := range jobs {
		c.Status.Active = append(c.Status.Active, objects.ObjectReference{Kind: "Job", Name: j.Name, UID: j.UID})
	}
	return c
}

func TestCronJobConcurrency(t *testing.T) {
	ctl := "cronjob-controller"
	for _, policy := range []string{objects.ForbidConcurrent, objects.ReplaceConcurrent} {
		cj := newCronJob(policy)
		j1, j2 := cronJobJob(cj, "hello-1", "t1"), cronJobJob(cj, "hello-2", "t2")
		h := (&history{}).add(0, user, cj).add(60, ctl, j1).update(60, ctl, cj, listing(cj, j1)).add(120, ctl, j2)
		assertBroken(t, "cronjob-concurrency", h, "started hello-2 while hello-1 was still active, under concurrencyPolicy "+policy)
		done := j1.DeepCopy()
		done.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue}}
		h = (&history{}).add(0, user, cj).add(60, ctl, j1).update(60, ctl, cj, listing(cj, j1)).update(90, jobCtl, j1, done).add(120, ctl, j2)
		assertKept(t, "cronjob-concurrency", h)
		// Decided on a view of the CronJob from before the listing (a
		// lagging informer): upstream starts it too. From a view that
		// held the listing: broken.
		listed := listing(cj, j1)
		listed.ResourceVersion = "5"
		h = (&history{}).add(0, user, cj).add(60, ctl, j1).update(60, ctl, cj, listed).add(120, ctl, j2).seen(4)
		assertKept(t, "cronjob-concurrency", h)
		h = (&history{}).add(0, user, cj).add(60, ctl, j1).update(60, ctl, cj, listed).add(120, ctl, j2).seen(5)
		assertBroken(t, "cronjob-concurrency", h, "started hello-2 while hello-1 was still active")
	}
	cj := newCronJob(objects.ReplaceConcurrent)
	j1, j2 := cronJobJob(cj, "hello-1", "t1"), cronJobJob(cj, "hello-2", "t2")
	h := (&history{}).add(0, user, cj).add(60, ctl, j1).update(60, ctl, cj, listing(cj, j1)).update(120, ctl, j1, deleting(j1, 120)).add(120, ctl, j2)
	assertKept(t, "cronjob-concurrency", h)

	// The policy is the one in the controller's view: a change from Allow
	// to Replace at revision 6 that its view (5) lacks starts the Job as
	// Allow does; a view holding the change (6) must have replaced.
	allow := newCronJob(objects.AllowConcurrent)
	allow.ResourceVersion = "1"
	listed := listing(allow, j1)
	listed.ResourceVersion = "3"
	replace := listed.DeepCopy()
	replace.Spec.ConcurrencyPolicy = objects.ReplaceConcurrent
	replace.ResourceVersion = "6"
	for _, seen := range []int64{5, 6} {
		h = (&history{}).add(0, user, allow).add(60, ctl, j1).update(60, ctl, allow, listed).
			update(119, user, listed, replace).add(120, ctl, j2).seen(seen)
		if seen == 5 {
			assertKept(t, "cronjob-concurrency", h)
		} else {
			assertBroken(t, "cronjob-concurrency", h, "under concurrencyPolicy Replace")
		}
	}
}

func TestCronJobOneJobPerSlot(t *testing.T) {
	ctl := "cronjob-controller"
	cj := newCronJob(objects.AllowConcurrent)
	h := (&history{}).add(0, user, cj).add(60, ctl, cronJobJob(cj, "hello-1", "t1")).add(61, ctl, cronJobJob(cj, "hello-x", "t1"))
	assertBroken(t, "cronjob-one-job-per-slot", h, "started hello-x for the slot t1, which hello-1 had already run")
	h = (&history{}).add(0, user, cj).add(60, ctl, cronJobJob(cj, "hello-1", "t1")).add(120, ctl, cronJobJob(cj, "hello-2", "t2"))
	assertKept(t, "cronjob-one-job-per-slot", h)
	// Once the first Job is gone, a view lagging behind the controller's
	// own status write starts the slot again, as upstream's does; but not
	// from a view older than informers lag.
	first := cronJobJob(cj, "hello-1", "t1")
	h = (&history{}).add(0, user, cj).add(60, ctl, first).remove(67, ctl, first).add(72, ctl, cronJobJob(cj, "hello-1", "t1"))
	assertKept(t, "cronjob-one-job-per-slot", h)
	h = (&history{}).add(0, user, cj).add(60, ctl, first).remove(67, ctl, first).add(60+6*60, ctl, cronJobJob(cj, "hello-1", "t1"))
	assertBroken(t, "cronjob-one-job-per-slot", h, "started hello-1 for the slot t1, which hello-1 had already run")
}

func TestEndpointsReadyOnly(t *testing.T) {
	svc := &objects.Service{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: meta("web", "svc-uid")}
	p := withPhase(newPod("web-a", "a"), objects.PodRunning)
	ep := &objects.Endpoints{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Endpoints"}, ObjectMeta: meta("web", "ep-uid"),
		Subsets: []objects.EndpointSubset{{Addresses: []objects.EndpointAddress{{IP: "10.0.0.1",
			TargetRef: &objects.ObjectReference{Kind: "Pod", Name: "web-a", UID: "a"}}}}}}
	h := (&history{}).add(0, user, svc).add(0, user, p).add(1, "endpoint-controller", ep)
	assertBroken(t, "endpoints-ready-only", h, "lists pods never Ready as ready addresses: [web-a]")
	h = (&history{}).add(0, user, svc).add(0, user, p).update(1, "kubelet/n1", p, readyPod(p)).add(1, "endpoint-controller", ep)
	assertKept(t, "endpoints-ready-only", h)
	publishing := svc.DeepCopy()
	publishing.Spec.PublishNotReadyAddresses = true
	assertKept(t, "endpoints-ready-only", (&history{}).add(0, user, publishing).add(0, user, p).add(1, "endpoint-controller", ep))
}

// Every built-in invariant has a unique name, and every trace invariant
// is covered by a test above.
func TestBuiltinNames(t *testing.T) {
	seen := map[string]bool{}
	for _, inv := range Builtin() {
		assert.False(t, seen[inv.Name], "duplicate %s", inv.Name)
		seen[inv.Name] = true
		assert.False(t, strings.ContainsAny(inv.Name, " /"), inv.Name)
	}
}

// A checker runs the trace invariants that index the same kinds over one
// shared index (traceGroup); each must report what it reports over an
// index of its own. The history breaks invariants of the same group (two
// Job ones, two CronJob ones) and others, in one run.
func TestSharedIndexesReportAsOwnIndexes(t *testing.T) {
	j := newJob("pi", 1)
	a, b := jobPod("pi-a", j), jobPod("pi-b", j)
	counted := j.DeepCopy()
	counted.Status.Succeeded = 2
	ctl := "cronjob-controller"
	cj := newCronJob(objects.ForbidConcurrent)
	j1, j2 := cronJobJob(cj, "hello-1", "t1"), cronJobJob(cj, "hello-2", "t2")
	h := (&history{}).add(0, user, j).add(1, jobCtl, a).add(1, jobCtl, b).
		update(5, "kubelet/n1", a, withPhase(a, objects.PodSucceeded)).update(5, jobCtl, j, counted).
		add(6, user, cj).add(60, ctl, j1).update(60, ctl, cj, listing(cj, j1)).add(120, ctl, j2).
		add(121, ctl, cronJobJob(cj, "hello-x", "t1"))
	v := View{Store: emptyStore{}, Now: h.changes[len(h.changes)-1].At, Changes: h.changes}

	invariants := Builtin()
	checks, groups := newChecks(invariants)
	shared := runChecks(invariants, checks, groups, v, false)
	broken := 0
	for i, inv := range invariants {
		if inv.Settled {
			continue
		}
		own := inv.New()(v)
		assert.Equal(t, own, shared[i], inv.Name)
		broken += min(len(own), 1)
	}
	assert.GreaterOrEqual(t, broken, 4, "the history breaks invariants that share an index")
	assert.Less(t, len(groups), len(invariants), "invariants share indexes")
}

// A copy of a trace invariant whose New the caller replaced runs that New,
// not the shared index.
func TestReplacedNewIsRun(t *testing.T) {
	var inv Invariant
	for _, b := range Builtin() {
		if b.Name == "job-parallelism" {
			inv = b
		}
	}
	called := false
	inner := inv.New
	inv.New = func() Check {
		called = true
		return inner()
	}
	checks, groups := newChecks([]Invariant{inv})
	assert.NotNil(t, checks[0])
	assert.Empty(t, groups)
	assert.True(t, called)
}

func TestJobCompleteSucceeded(t *testing.T) {
	j := newJob("pi", 1)
	one := int32(1)
	j.Spec.Completions = &one
	p := jobPod("pi-a", j)
	complete := func(base *objects.Job, succeeded, failed int32) *objects.Job {
		c := base.DeepCopy()
		c.Status.Succeeded, c.Status.Failed = succeeded, failed
		c.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue}}
		return c
	}
	countedFailed := j.DeepCopy()
	countedFailed.Status.UncountedTerminatedPods = &objects.UncountedTerminatedPods{Failed: []string{p.UID}}

	h := (&history{}).add(0, user, j).add(1, jobCtl, p).update(5, jobCtl, j, complete(j, 0, 0))
	assertBroken(t, "job-complete-succeeded", h, "Complete with 0 succeeded, short of 1")
	h = (&history{}).add(0, user, j).add(1, jobCtl, p).update(5, jobCtl, j, complete(j, 1, 0))
	assertKept(t, "job-complete-succeeded", h)

	// Counted failed while deleted, then Succeeded (its node back), in
	// either order: upstream completes the Job short of it.
	h = (&history{}).add(0, user, j).add(1, jobCtl, p).update(4, jobCtl, j, countedFailed).
		update(5, "kubelet/n1", p, withPhase(p, objects.PodSucceeded)).update(6, jobCtl, countedFailed, complete(countedFailed, 0, 1))
	assertKept(t, "job-complete-succeeded", h)
	h = (&history{}).add(0, user, j).add(1, jobCtl, p).update(3, "kubelet/n1", p, withPhase(p, objects.PodSucceeded)).
		update(4, jobCtl, j, countedFailed).update(6, jobCtl, countedFailed, complete(countedFailed, 0, 1))
	assertKept(t, "job-complete-succeeded", h)
	// Counted failed, and failed: no excuse.
	h = (&history{}).add(0, user, j).add(1, jobCtl, p).update(4, jobCtl, j, countedFailed).
		update(5, "kubelet/n1", p, withPhase(p, objects.PodFailed)).update(6, jobCtl, countedFailed, complete(countedFailed, 0, 1))
	assertBroken(t, "job-complete-succeeded", h, "Complete with 0 succeeded, short of 1")
}
