package storage_test

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestCreateSetsSystemFields(t *testing.T) {
	f := newFixture(t)
	f.clk.Advance(1500 * time.Millisecond) // creationTimestamp keeps whole seconds
	in := pod("", "web")
	in.UID = "caller-chosen"
	in.Generation = 7
	in.DeletionTimestamp = ptr(objects.NewTime(t0))
	in.DeletionGracePeriodSeconds = ptr(int64(5))
	in.Status.Phase = objects.PodRunning // a user may not set an initial status

	out, err := f.s.Store.Create(in)
	require.NoError(t, err)
	assert.Same(t, in, out, "the store takes the caller's object: no copy is made on a write")
	p := out.(*objects.Pod).DeepCopy()

	assert.Equal(t, "default", p.Namespace, "namespaced kinds default to namespace default")
	assert.Regexp(t, uuidV4, p.UID)
	assert.NotEqual(t, "caller-chosen", p.UID)
	assert.Equal(t, t0.Add(time.Second), p.CreationTimestamp.Time)
	assert.Equal(t, strconv.FormatInt(f.s.ResourceVersion(), 10), p.ResourceVersion)
	assert.Equal(t, int64(1), p.Generation)
	assert.Nil(t, p.DeletionTimestamp)
	assert.Nil(t, p.DeletionGracePeriodSeconds)
	assert.Equal(t, objects.PodPending, p.Status.Phase)
	assert.Equal(t, objects.QOSBestEffort, p.Status.QOSClass)

	got := f.mustGetPod(t, "default", "web")
	assert.Equal(t, p, got)
}

func TestCreateFillsTypeMetaOfTypedObjects(t *testing.T) {
	f := newFixture(t)
	out := f.mustCreate(t, &objects.Pod{
		ObjectMeta: objects.ObjectMeta{Name: "bare"},
		Spec:       objects.PodSpec{Containers: []objects.Container{{Name: "c", Image: "nginx"}}},
	})
	assert.Equal(t, objects.TypeMeta{APIVersion: "v1", Kind: "Pod"}, *out.GetTypeMeta())
}

func TestCreateClusterScopedClearsNamespace(t *testing.T) {
	f := newFixture(t)
	n := node("node-1")
	n.Namespace = "default"
	out := f.mustCreate(t, n)
	assert.Empty(t, out.GetObjectMeta().Namespace)
	got, err := f.s.Get(objects.Key{Kind: "Node", Namespace: "whatever", Name: "node-1"})
	require.NoError(t, err, "the namespace of a cluster-scoped key is ignored")
	assert.Equal(t, "node-1", got.GetObjectMeta().Name)
}

func TestCreateNodeKeepsItsStatus(t *testing.T) {
	f := newFixture(t)
	n := node("node-1")
	n.Status.Conditions = []objects.NodeCondition{{Type: objects.NodeReady, Status: objects.ConditionTrue}}
	out := f.mustCreate(t, n).(*objects.Node)
	require.Len(t, out.Status.Conditions, 1, "a kubelet registers its node with a status")
}

func TestCreateNamespaceLifecycleAdmission(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	_, err := f.s.Create(pod("nowhere", "p"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrNotFound))
	assert.Equal(t, `namespaces "nowhere" not found`, err.Error())
	f.requireUnchanged(t, before)

	f.mustCreate(t, namespace("doomed"))
	_, err = f.s.Delete(objects.Key{Kind: "Namespace", Name: "doomed"}, storage.DeleteOptions{})
	require.NoError(t, err)
	_, err = f.s.Create(pod("doomed", "x"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrForbidden))
	assert.Equal(t, `pods "x" is forbidden: unable to create new content in namespace doomed because it is being terminated`, err.Error())
}

func TestCreateAlreadyExists(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, pod("default", "pi"))
	before := f.snapshotState()
	_, err := f.s.Create(pod("default", "pi"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrAlreadyExists))
	assert.Equal(t, `pods "pi" already exists`, err.Error())
	f.requireUnchanged(t, before)

	held := pod("default", "held")
	held.Finalizers = []string{"example.com/hold"}
	f.mustCreate(t, held)
	_, err = f.s.Delete(podKey("default", "held"), storage.DeleteOptions{})
	require.NoError(t, err)
	_, err = f.s.Create(pod("default", "held"))
	require.Error(t, err)
	assert.Equal(t, `object is being deleted: pods "held" already exists`, err.Error())
}

func TestCreateInvalidLeavesStoreUnchanged(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	bad := pod("default", "pi")
	bad.Spec.Containers[0].Image = ""
	_, err := f.s.Create(bad)
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrInvalid))
	assert.Equal(t, `Pod "pi" is invalid: spec.containers[0].image: Required value`, err.Error())
	var se *storage.StatusError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, storage.ReasonInvalid, se.Reason)
	assert.Equal(t, "Pod", se.Kind)
	assert.Equal(t, "pods", se.Resource)
	assert.Equal(t, "pi", se.Name)
	require.Len(t, se.Causes, 1)
	assert.Equal(t, "spec.containers[0].image", se.Causes[0].Field)
	f.requireUnchanged(t, before)
}

func TestCreateRequiresAName(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	_, err := f.s.Create(pod("default", ""))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrInvalid))
	assert.Contains(t, err.Error(), "metadata.name: Required value: name or generateName is required")
	assert.True(t, strings.HasPrefix(err.Error(), `Pod "" is invalid: `), err.Error())
	f.requireUnchanged(t, before)
}

func TestCreateRejectsResourceVersion(t *testing.T) {
	f := newFixture(t)
	p := pod("default", "p")
	p.ResourceVersion = "42"
	before := f.snapshotState()
	_, err := f.s.Create(p)
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrResourceVersionSetOnCreate))
	assert.Equal(t, "resourceVersion should not be set on objects to be created", err.Error())
	f.requireUnchanged(t, before)
}

func TestCreateRejectsNilAndKindless(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	for name, obj := range map[string]objects.Object{
		"nil":              nil,
		"typed nil":        (*objects.Pod)(nil),
		"kindless unknown": &objects.Unstructured{ObjectMeta: objects.ObjectMeta{Name: "x"}},
		"mislabelled":      &objects.Pod{TypeMeta: objects.TypeMeta{Kind: "Node"}, ObjectMeta: objects.ObjectMeta{Name: "x"}},
	} {
		_, err := f.s.Create(obj)
		assert.True(t, errors.Is(err, storage.ErrBadRequest), "%s: %v", name, err)
	}
	f.requireUnchanged(t, before)
}

func TestGenerateNameIsDeterministicPerSeed(t *testing.T) {
	names := func(seed uint64) []string {
		f := newSeededFixture(t, seed, 2)
		var out []string
		for range 5 {
			p := pod("default", "")
			p.GenerateName = "job-"
			out = append(out, f.mustCreate(t, p).GetObjectMeta().Name)
		}
		return out
	}
	first, again, other := names(1), names(1), names(7)
	assert.Equal(t, first, again, "same seed, same names")
	assert.NotEqual(t, first, other, "another seed, other names")
	suffix := regexp.MustCompile(`^job-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	for _, n := range first {
		assert.Regexp(t, suffix, n)
	}
}

func TestGenerateNameTruncatesLongPrefixes(t *testing.T) {
	f := newFixture(t)
	p := pod("default", "")
	p.GenerateName = strings.Repeat("a", 70)
	name := f.mustCreate(t, p).GetObjectMeta().Name
	assert.Len(t, name, 63)
	assert.True(t, strings.HasPrefix(name, strings.Repeat("a", 58)))
}

// scriptedRand returns the values of its script in turn, then zeros.
type scriptedRand struct {
	script []int
	next   int
}

func (r *scriptedRand) IntN(n int) int {
	if r.next >= len(r.script) {
		return 0
	}
	v := r.script[r.next] % n
	r.next++
	return v
}

func TestGenerateNameRetriesOnCollision(t *testing.T) {
	// Index 0 of the alphabet is 'b', index 1 is 'c'.
	rnd := &scriptedRand{}
	s := storage.New(clock.NewFake(t0), rnd)
	_, err := s.Create(namespace("default"))
	require.NoError(t, err)
	taken := pod("default", "p-bbbbb")
	_, err = s.Create(taken)
	require.NoError(t, err)

	rnd.script, rnd.next = []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, 0
	p := pod("default", "")
	p.GenerateName = "p-"
	out, err := s.Create(p)
	require.NoError(t, err)
	assert.Equal(t, "p-ccccc", out.GetObjectMeta().Name, "the second attempt draws a fresh name")
}

func TestGenerateNameGivesUpAfterEightAttempts(t *testing.T) {
	rnd := &scriptedRand{} // always draws "bbbbb"
	s := storage.New(clock.NewFake(t0), rnd)
	_, err := s.Create(namespace("default"))
	require.NoError(t, err)
	_, err = s.Create(pod("default", "p-bbbbb"))
	require.NoError(t, err)
	p := pod("default", "")
	p.GenerateName = "p-"
	_, err = s.Create(p)
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrAlreadyExists))
	assert.Equal(t, `pods "p-bbbbb" already exists, the server was not able to generate a unique name for the object`, err.Error())
}

func TestUIDsAreDistinctAndSeeded(t *testing.T) {
	a, b := newSeededFixture(t, 3, 4), newSeededFixture(t, 3, 4)
	seen := map[string]bool{}
	for i := range 50 {
		name := "p" + strconv.Itoa(i)
		ua := a.mustCreate(t, pod("default", name)).GetObjectMeta().UID
		ub := b.mustCreate(t, pod("default", name)).GetObjectMeta().UID
		assert.Equal(t, ua, ub)
		assert.False(t, seen[ua], "uid %s repeated", ua)
		seen[ua] = true
	}
}

func TestResourceVersionStrictlyIncreases(t *testing.T) {
	f := newFixture(t)
	last := f.s.ResourceVersion()
	check := func(obj objects.Object) {
		t.Helper()
		rv, err := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
		require.NoError(t, err)
		assert.Greater(t, rv, last)
		assert.Equal(t, rv, f.s.ResourceVersion())
		last = rv
	}
	rnd := rand.New(rand.NewPCG(9, 9))
	for i := range 30 {
		name := "p" + strconv.Itoa(rnd.IntN(5))
		if _, err := f.s.Get(podKey("default", name)); err != nil {
			check(f.mustCreate(t, pod("default", name)))
			continue
		}
		switch i % 2 {
		case 0:
			p := f.mustGetPod(t, "default", name)
			p.Labels = map[string]string{"i": strconv.Itoa(i)}
			out, err := f.s.Update(p)
			require.NoError(t, err)
			check(out)
		default:
			out, err := f.s.Delete(podKey("default", name), storage.DeleteOptions{})
			require.NoError(t, err)
			check(out)
		}
	}
	for _, e := range f.s.DrainEvents() {
		assert.LessOrEqual(t, e.ResourceVersion, last)
	}
}

func TestUnknownKindsAreStoredAndListed(t *testing.T) {
	f := newFixture(t)
	w := unstructured("example.com/v1", "Widget", "", "w1")
	out := f.mustCreate(t, w)
	assert.Equal(t, "default", out.GetObjectMeta().Namespace)
	assert.Equal(t, int64(1), out.GetObjectMeta().Generation)
	f.mustCreate(t, unstructured("example.com/v1", "Widget", "kube-system", "w0"))

	list := f.s.List("Widget", "", nil)
	require.Len(t, list, 2)
	assert.Equal(t, "w1", list[0].GetObjectMeta().Name, "default sorts before kube-system")
	got := list[0].(*objects.Unstructured)
	assert.Equal(t, map[string]any{"spec": map[string]any{"size": int64(3)}}, got.Content)

	got.Content["spec"] = map[string]any{"size": int64(4)}
	updated, err := f.s.Update(got)
	require.NoError(t, err)
	assert.Equal(t, int64(2), updated.GetObjectMeta().Generation, "content outside metadata is the spec")

	_, err = f.s.Delete(objects.Key{Kind: "Widget", Namespace: "default", Name: "w1"}, storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Len(t, f.s.List("Widget", "", nil), 1)
}

func TestModelledKindsMustBeTyped(t *testing.T) {
	f := newFixture(t)
	before := f.snapshotState()
	_, err := f.s.Create(unstructured("v1", "Pod", "default", "p"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, storage.ErrBadRequest))
	assert.Equal(t, `kind "Pod" is modelled and must be stored as its typed object, not *objects.Unstructured`, err.Error())
	f.requireUnchanged(t, before)
}

// Only the kinds whose upstream strategy sets a generation have one: a
// Namespace, a ConfigMap, a Service or a built-in kind kubesim keeps
// unmodelled (a ServiceAccount) has none on create, after a change or on a
// graceful delete, as rest.BeforeCreate sets none and rest.BeforeDelete
// bumps only one above 0; a pod, a PodDisruptionBudget (unmodelled) and a
// custom resource start at 1.
func TestOnlyKindsWithAGenerationHaveOne(t *testing.T) {
	f := newFixture(t)
	ns := f.mustCreate(t, namespace("gen"))
	assert.Zero(t, ns.GetObjectMeta().Generation, "Namespace")
	cm := &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Namespace: "gen", Name: "c"}, Data: map[string]string{"a": "1"}}
	got := f.mustCreate(t, cm).(*objects.ConfigMap)
	assert.Zero(t, got.Generation, "ConfigMap")
	got.Data = map[string]string{"a": "2"}
	upd, err := f.s.Update(got)
	require.NoError(t, err)
	assert.Zero(t, upd.GetObjectMeta().Generation, "a ConfigMap's change bumps nothing")
	sa := f.mustCreate(t, unstructured("v1", "ServiceAccount", "gen", "sa"))
	assert.Zero(t, sa.GetObjectMeta().Generation, "ServiceAccount, kept unmodelled")
	pdb := f.mustCreate(t, unstructured("policy/v1", "PodDisruptionBudget", "gen", "pdb"))
	assert.Equal(t, int64(1), pdb.GetObjectMeta().Generation, "PodDisruptionBudget, kept unmodelled")
	p := f.mustCreate(t, pod("gen", "p"))
	assert.Equal(t, int64(1), p.GetObjectMeta().Generation, "Pod")
	w := f.mustCreate(t, unstructured("example.com/v1", "Widget", "gen", "w"))
	assert.Equal(t, int64(1), w.GetObjectMeta().Generation, "a custom resource")

	f.mustCreate(t, &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Namespace: "gen", Name: "held", Finalizers: []string{"example.com/hold"}}})
	_, err = f.s.Delete(objects.Key{Kind: "ConfigMap", Namespace: "gen", Name: "held"}, storage.DeleteOptions{})
	require.NoError(t, err)
	gone, err := f.s.Get(objects.Key{Kind: "ConfigMap", Namespace: "gen", Name: "held"})
	require.NoError(t, err)
	require.NotNil(t, gone.GetObjectMeta().DeletionTimestamp)
	assert.Zero(t, gone.GetObjectMeta().Generation, "a deletion bumps only a generation there is")
}
