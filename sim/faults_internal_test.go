package sim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// probe is a controller that remembers what its informer told it of the
// test's ConfigMaps (cm-*) and what each of its reconciles read, so a
// test can see a fault from the controller's side.
type probe struct {
	told  []probeEvent
	reads []probeRead
}

type probeEvent struct {
	at     time.Time
	typ    storage.EventType
	name   string
	rv     int64 // the change's revision
	viewRV int64 // the revision of the view KeysFor was given
}

type probeRead struct {
	at     time.Time
	name   string
	viewRV int64
	names  []string // the test's ConfigMaps in the view
}

func (p *probe) Name() string { return "probe" }

func (p *probe) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	if !isTestConfigMap(ev.Object) {
		return nil
	}
	key := objects.KeyOf(ev.Object)
	p.told = append(p.told, probeEvent{typ: ev.Type, name: key.Name, rv: ev.ResourceVersion, viewRV: r.ResourceVersion()})
	return []objects.Key{key}
}

func (p *probe) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	var names []string
	for _, o := range r.List("ConfigMap", "default", nil) {
		if isTestConfigMap(o) {
			names = append(names, o.GetObjectMeta().Name)
		}
	}
	p.reads = append(p.reads, probeRead{at: now, name: key.Name, viewRV: r.ResourceVersion(), names: names})
	return controllers.Result{}
}

func isTestConfigMap(o objects.Object) bool {
	return o.GetTypeMeta().Kind == "ConfigMap" && strings.HasPrefix(o.GetObjectMeta().Name, "cm-")
}

// toldNames lists the names the probe was told of, in order.
func (p *probe) toldNames() []string {
	out := make([]string, len(p.told))
	for i, e := range p.told {
		out[i] = e.name
	}
	return out
}

// addController registers ctrl, built anew by build on a restart, and
// returns its loop.
func addController(c *Cluster, build func() controllers.Controller) *loop {
	l := newLoop(build(), nil)
	l.build = build
	c.loops = append(c.loops, l)
	return l
}

// newProbeCluster returns a cluster with a probe controller; *current is
// the probe in service (a restart replaces it).
func newProbeCluster(t *testing.T) (*Cluster, **probe) {
	t.Helper()
	c, err := New(Config{})
	require.NoError(t, err)
	current := new(*probe)
	addController(c, func() controllers.Controller {
		*current = &probe{}
		return *current
	})
	return c, current
}

func configMap(name string) *objects.ConfigMap {
	return &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name}}
}

// createConfigMaps creates cm-<from>...cm-<from+n-1>, one store change
// each, and returns their revisions.
func createConfigMaps(t *testing.T, c *Cluster, from, n int) []int64 {
	t.Helper()
	revs := make([]int64, n)
	for i := range n {
		obj, err := c.write("tester", controllers.Action{Verb: controllers.Create, Object: configMap(fmt.Sprintf("cm-%d", from+i))})
		require.NoError(t, err)
		revs[i] = c.store.ResourceVersion()
		require.Equal(t, controllers.ParseResourceVersion(obj.GetObjectMeta().ResourceVersion), revs[i], "one change per create")
	}
	return revs
}

func names(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

// A stale fault of depth N: the controller is told of a change, and reads
// the store as it was after it, only once N newer changes have happened or
// the change is D old; it lasts until cleared.
func TestStaleFaultShowsTheStoreNChangesBackAndCatchesUpAfterD(t *testing.T) {
	c, p := newProbeCluster(t)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 3, For: time.Minute}))
	revs := createConfigMaps(t, c, 0, 10)
	c.Advance(0)
	assert.Equal(t, names("cm-", 0, 6), (*p).toldNames(), "the newest 3 changes are held back")
	for i, e := range (*p).told {
		assert.Equal(t, revs[i], e.viewRV, "each change is handed over with the view it leads to")
	}
	require.NotEmpty(t, (*p).reads)
	for _, r := range (*p).reads {
		assert.Equal(t, c.store.ResourceVersion()-3, r.viewRV, "the view is 3 changes old")
		assert.Equal(t, names("cm-", 0, 6), r.names, "and holds what the store held then")
	}

	c.Advance(59 * time.Second)
	assert.Len(t, (*p).told, 7, "still lagging just before the changes are a minute old")
	c.Advance(time.Second)
	assert.Equal(t, names("cm-", 0, 9), (*p).toldNames(), "caught up once they are")
	last := (*p).reads[len((*p).reads)-1]
	assert.Equal(t, c.store.ResourceVersion(), last.viewRV)
	assert.Equal(t, names("cm-", 0, 9), last.names)

	assert.Equal(t, []string{"probe: stale 3 for 1m0s"}, c.InjectedFaults(), "the fault stays")
	createConfigMaps(t, c, 10, 1)
	c.Advance(30 * time.Second)
	assert.Len(t, (*p).told, 10, "a new change is held again")
	c.Advance(30 * time.Second)
	assert.Len(t, (*p).told, 11)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultClear}))
	createConfigMaps(t, c, 11, 1)
	assert.Equal(t, "cm-11", (*p).told[len((*p).told)-1].name, "cleared, the informer is told at once")
}

// secret returns a Secret named name in default.
func secret(name string) *objects.Secret {
	return &objects.Secret{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name}}
}

// Each kind's informer lags on its own, as upstream's per-resource
// informers do, and a stale fault naming one kind leaves the others
// current: the controller can see a Secret written after ConfigMaps its
// view does not hold yet.
func TestStaleFaultLagsEachKindOnItsOwn(t *testing.T) {
	c, p := newProbeCluster(t)
	l := c.loopNamed("probe")
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 2, For: time.Hour, ObjectKind: "configmaps"}))
	assert.Equal(t, []string{"probe: stale 2 for 1h0m0s of ConfigMap"}, c.InjectedFaults())
	revs := createConfigMaps(t, c, 0, 5)
	_, err := c.write("tester", controllers.Action{Verb: controllers.Create, Object: secret("s")})
	require.NoError(t, err)
	assert.Equal(t, names("cm-", 0, 2), (*p).toldNames())
	view := c.viewFor(l)
	_, err = view.Get(objects.Key{Kind: "Secret", Namespace: "default", Name: "s"})
	assert.NoError(t, err, "the Secret informer is current")
	_, err = view.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "cm-3"})
	assert.True(t, errors.Is(err, storage.ErrNotFound), "the ConfigMap informer is 2 behind")
	assert.Len(t, view.List("ConfigMap", "default", nil), 3+1, "cm-0..cm-2 and kube-root-ca.crt")
	assert.Equal(t, revs[2], view.ResourceVersion(), "the view is as old as its oldest informer")
	owned := configMap("owned")
	owned.OwnerReferences = []objects.OwnerReference{{APIVersion: "v1", Kind: "Secret", Name: "s", UID: "u-1"}}
	_, err = c.write("tester", controllers.Action{Verb: controllers.Create, Object: owned})
	require.NoError(t, err)
	countOwned := func(r storage.Reader) int {
		n := 0
		r.ScanIndex(storage.IndexOwner, "u-1", "ConfigMap", func(objects.Object) bool { n++; return true })
		return n
	}
	assert.Equal(t, 1, countOwned(c.store))
	assert.Equal(t, 0, countOwned(c.viewFor(l)), "an index scan reads the kind's own view too")

	// Without a kind, every kind lags, each counting its own changes.
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 1, For: time.Hour}))
	assert.Equal(t, names("cm-", 0, 4), (*p).toldNames(), "a shallower fault lets cm-3 and cm-4 through")
	_, err = c.write("tester", controllers.Action{Verb: controllers.Create, Object: secret("t")})
	require.NoError(t, err)
	view = c.viewFor(l)
	_, err = view.Get(objects.Key{Kind: "Secret", Namespace: "default", Name: "t"})
	assert.True(t, errors.Is(err, storage.ErrNotFound), "the Secret informer now holds its newest change")
	_, err = view.Get(objects.Key{Kind: "Secret", Namespace: "default", Name: "s"})
	assert.NoError(t, err)
	_, err = view.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "cm-4"})
	assert.NoError(t, err, "and the ConfigMap informer is one behind")
	_, err = view.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "owned"})
	assert.True(t, errors.Is(err, storage.ErrNotFound))

	assert.EqualError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 1, ObjectKind: "Gadget"}),
		`fault stale: no kind of object "Gadget"`)
	assert.EqualError(t, c.Inject("probe", Fault{Kind: FaultDrop, Count: 1, ObjectKind: "Pod"}),
		"fault drop: only a stale fault names a kind of object")
}

// Depths up to MaxStaleDepth work, and deeper ones are refused.
func TestStaleFaultReachesAThousandChanges(t *testing.T) {
	c, p := newProbeCluster(t)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: MaxStaleDepth, For: time.Hour}))
	revs := createConfigMaps(t, c, 0, MaxStaleDepth+5)
	c.Advance(0)
	assert.Equal(t, names("cm-", 0, 4), (*p).toldNames())
	last := (*p).reads[len((*p).reads)-1]
	assert.Equal(t, revs[4], last.viewRV)
	assert.Equal(t, c.store.ResourceVersion()-MaxStaleDepth, last.viewRV)

	err := c.Inject("probe", Fault{Kind: FaultStale, Count: MaxStaleDepth + 1})
	assert.EqualError(t, err, "fault stale: depth 1001 is more than 1000 changes")
}

// A view never goes back in time: a deeper stale fault injected while the
// informer lags freezes its view rather than rewinding it, and a fault
// injected into a caught-up informer starts from the store as it is.
func TestStaleViewNeverGoesBack(t *testing.T) {
	c, p := newProbeCluster(t)
	createConfigMaps(t, c, 0, 5)
	c.Advance(0)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 2, For: time.Hour}))
	createConfigMaps(t, c, 5, 5) // told up to cm-7
	c.Advance(0)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 6, For: time.Hour}))
	createConfigMaps(t, c, 10, 5) // 7 held: cm-8..cm-14 would be 7 > 6, so cm-8 arrives
	c.Advance(0)
	assert.Equal(t, names("cm-", 0, 8), (*p).toldNames())
	var prev int64
	for _, r := range (*p).reads {
		assert.GreaterOrEqual(t, r.viewRV, prev, "views never go back")
		prev = r.viewRV
	}
	for _, e := range (*p).told {
		assert.GreaterOrEqual(t, e.viewRV, e.rv, "a change is never handed over with a view older than itself")
	}
}

// Delayed watch events reach the controller D later, in order; the events
// after the delayed ones queue behind them, as on one watch stream.
func TestDelayedEventsArriveLateInOrder(t *testing.T) {
	c, p := newProbeCluster(t)
	t0 := c.Now()
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultDelay, For: 5 * time.Second, Count: 2}))
	createConfigMaps(t, c, 0, 1)
	c.Advance(time.Second)
	createConfigMaps(t, c, 1, 1)
	c.Advance(time.Second)
	createConfigMaps(t, c, 2, 1) // not delayed, but behind cm-1
	c.Advance(2500 * time.Millisecond)
	assert.Empty(t, (*p).told)
	c.Advance(time.Second)
	assert.Equal(t, []string{"cm-0"}, (*p).toldNames())
	c.Advance(time.Minute)
	require.Equal(t, names("cm-", 0, 2), (*p).toldNames())
	at := func(i int) time.Duration { return (*p).reads[i].at.Sub(t0) }
	require.Len(t, (*p).reads, 3)
	assert.Equal(t, 5*time.Second, at(0))
	assert.Equal(t, 6*time.Second, at(1))
	assert.Equal(t, 6*time.Second, at(2), "the undelayed event waited for the one before it")
	assert.Equal(t, []string{"cm-0"}, (*p).reads[0].names, "a delayed event's view is the store as of that event")

	createConfigMaps(t, c, 3, 1)
	assert.Equal(t, "cm-3", (*p).told[len((*p).told)-1].name, "after N events the delay is over")
}

// A delay with no count lasts until cleared; clearing lets every held
// event arrive at once, in order.
func TestDelayUntilClearedAndClearReleases(t *testing.T) {
	c, p := newProbeCluster(t)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultDelay, For: time.Hour}))
	createConfigMaps(t, c, 0, 3)
	c.Advance(time.Minute)
	assert.Empty(t, (*p).told)
	assert.Equal(t, []string{"probe: delay 1h0m0s all"}, c.InjectedFaults())
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultClear}))
	assert.Equal(t, names("cm-", 0, 2), (*p).toldNames())
	createConfigMaps(t, c, 3, 1)
	assert.Len(t, (*p).told, 4, "cleared: told at once")
}

// A delay is refused without a duration.
func TestFaultValidation(t *testing.T) {
	c, _ := newProbeCluster(t)
	for _, tc := range []struct {
		f    Fault
		want string
	}{
		{Fault{Kind: FaultDelay}, "fault delay: the delay must be longer than 0s"},
		{Fault{Kind: FaultError, Count: 1, Code: 404}, "fault error: code 404 is not one of 409, 500, 429, 503"},
		{Fault{Kind: FaultDrop, Count: -1}, "fault drop: count -1 is negative"},
		{Fault{Kind: "slow"}, "unknown fault \"slow\" (want one of stale, drop, delay, crash, error, clear)"},
	} {
		assert.EqualError(t, c.Inject("probe", tc.f), tc.want)
	}
	assert.ErrorContains(t, c.Inject("no-such", Fault{Kind: FaultClear}), `no controller named "no-such"`)
}

// countConfigMaps counts the test's ConfigMaps in the store.
func countConfigMaps(c *Cluster) int {
	n := 0
	for _, o := range c.store.List("ConfigMap", "default", nil) {
		if strings.HasPrefix(o.GetObjectMeta().Name, "cm-") {
			n++
		}
	}
	return n
}

// filler is a level-triggered controller: a reconcile creates whichever
// of cm-0...cm-<n-1> its view lacks, one write each.
type filler struct{ n int }

func (f *filler) Name() string                                             { return "filler" }
func (f *filler) KeysFor(storage.WatchEvent, storage.Reader) []objects.Key { return nil }
func (f *filler) Reconcile(_ time.Time, r storage.Reader, _ objects.Key) controllers.Result {
	var res controllers.Result
	for i := range f.n {
		name := fmt.Sprintf("cm-%d", i)
		if _, err := r.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: name}); err != nil {
			res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Create, Object: configMap(name)})
		}
	}
	return res
}

// `crash --after N` performs exactly N writes of the first reconcile with
// more than N, and the rest are lost until the restarted controller
// resyncs; a reconcile with N or fewer writes leaves the fault armed.
func TestCrashAfterNWritesPerformsExactlyN(t *testing.T) {
	for _, after := range []int{0, 2, 4} {
		t.Run(fmt.Sprint(after), func(t *testing.T) {
			c, err := New(Config{})
			require.NoError(t, err)
			f := &filler{n: after}
			l := addController(c, func() controllers.Controller { return f })
			require.NoError(t, c.Inject("filler", Fault{Kind: FaultCrash, Count: after}))
			key := objects.Key{Kind: "Job", Namespace: "default", Name: "x"}
			if after > 0 {
				c.enqueue(l, key, c.Now())
				c.Advance(0)
				require.Equal(t, after, countConfigMaps(c), "a reconcile of only N writes does not crash")
				require.NotContains(t, c.TraceText(), "crashed")
			}
			f.n = after + 6
			c.enqueue(l, key, c.Now())
			c.Advance(0)
			assert.Equal(t, 2*after, countConfigMaps(c), "N more writes, then the crash")
			assert.Contains(t, c.TraceText(), fmt.Sprintf("filler crashed after %d of 6 writes reconciling Job/default/x", after))
			c.Advance(crashRestartDelay - time.Millisecond)
			assert.Equal(t, 2*after, countConfigMaps(c))
			c.Advance(time.Millisecond)
			assert.Equal(t, after+6, countConfigMaps(c), "restarted, it resyncs the key and writes the rest")
		})
	}
}

// `crash --times K` strikes K reconciles in a row, the restarted
// controller's among them, and then no more.
func TestCrashTimesStrikesKReconciles(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	f := &filler{n: 3}
	l := addController(c, func() controllers.Controller { return f })
	require.NoError(t, c.Inject("filler", Fault{Kind: FaultCrash, Count: 1, Times: 2}))
	c.enqueue(l, objects.Key{Kind: "Job", Namespace: "default", Name: "x"}, c.Now())
	c.Advance(0)
	assert.Equal(t, 1, countConfigMaps(c), "one write, then the first crash")
	c.Advance(crashRestartDelay)
	assert.Equal(t, 2, countConfigMaps(c), "restarted, one more write, then the second crash")
	c.Advance(crashRestartDelay)
	assert.Equal(t, 3, countConfigMaps(c), "restarted again, it finishes")
	assert.Equal(t, 2, strings.Count(c.TraceText(), "filler crashed after 1 of"), c.TraceText())
	assert.Error(t, c.Inject("filler", Fault{Kind: FaultError, Count: 1, Times: 2}), "only a crash repeats")
}

// writer is a controller that makes one write and remembers its outcome.
type writer struct {
	action  controllers.Action
	results []error
}

func (w *writer) Name() string                                             { return "writer" }
func (w *writer) KeysFor(storage.WatchEvent, storage.Reader) []objects.Key { return nil }
func (w *writer) Reconcile(time.Time, storage.Reader, objects.Key) controllers.Result {
	a := w.action
	a.Then = func(_ objects.Object, err error) []controllers.Event {
		w.results = append(w.results, err)
		return nil
	}
	return controllers.Result{Actions: []controllers.Action{a}}
}

// An error fault fails the controller's next writes with the apiserver's
// typed errors; the write never reaches the store, the controller sees a
// failed action, and the loop retries the key with back-off.
func TestErrorFaultFailsWritesWithTypedErrors(t *testing.T) {
	for _, tc := range []struct {
		code     int
		sentinel error
		reason   storage.Reason
		create   string // message for a create
		update   string // message for an update of cm-x
	}{
		{409, storage.ErrConflict, storage.ReasonConflict,
			`Operation cannot be fulfilled on configmaps "cm-x": the object has been modified; please apply your changes to the latest version and try again`,
			`Operation cannot be fulfilled on configmaps "cm-x": the object has been modified; please apply your changes to the latest version and try again`},
		{500, storage.ErrInternalError, storage.ReasonInternalError,
			"Internal error occurred: resource quota evaluation timed out",
			"Internal error occurred: resource quota evaluation timed out"},
		{429, storage.ErrTooManyRequests, storage.ReasonTooManyRequests,
			"the server has received too many requests and has asked us to try again later (post configmaps)",
			"the server has received too many requests and has asked us to try again later (put configmaps cm-x)"},
		{503, storage.ErrServiceUnavailable, storage.ReasonServiceUnavailable,
			"the server is currently unable to handle the request (post configmaps)",
			"the server is currently unable to handle the request (put configmaps cm-x)"},
	} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			c, err := New(Config{})
			require.NoError(t, err)
			w := &writer{action: controllers.Action{Verb: controllers.Create, Object: configMap("cm-x")}}
			l := addController(c, func() controllers.Controller { return w })
			require.NoError(t, c.Inject("writer", Fault{Kind: FaultError, Count: 2, Code: tc.code}))
			key := objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "cm-x"}
			c.enqueue(l, key, c.Now())
			c.Advance(0)
			require.Len(t, w.results, 1)
			assertStatusError(t, w.results[0], tc.sentinel, tc.reason, tc.code, tc.create)
			_, err = c.store.Get(key)
			assert.True(t, errors.Is(err, storage.ErrNotFound), "the failed create did not reach the store")
			assert.Equal(t, 1, l.failures[key], "a failed action is a failed reconcile")

			// The retry comes after the loop's back-off (5ms), and fails
			// too: the fault had two writes to fail. An update now.
			_, err = c.store.Create(configMap("cm-x"))
			require.NoError(t, err)
			c.store.DrainEvents()
			cur, _ := c.store.Get(key)
			w.action = controllers.Action{Verb: controllers.Update, Object: cur.DeepCopyObject()}
			c.Advance(4 * time.Millisecond)
			require.Len(t, w.results, 1, "not before the back-off")
			c.Advance(time.Millisecond)
			require.Len(t, w.results, 2)
			assertStatusError(t, w.results[1], tc.sentinel, tc.reason, tc.code, tc.update)
			c.Advance(10 * time.Millisecond)
			require.Len(t, w.results, 3, "retried again after 10ms")
			assert.NoError(t, w.results[2], "the burst is over")
			assert.Contains(t, c.TraceText(), "writer update ConfigMap/default/cm-x failed: "+tc.update)
		})
	}
}

func assertStatusError(t *testing.T, err error, sentinel error, reason storage.Reason, code int, msg string) {
	t.Helper()
	var se *storage.StatusError
	require.True(t, errors.As(err, &se), "a *storage.StatusError: %v", err)
	assert.True(t, errors.Is(err, sentinel))
	assert.Equal(t, reason, se.Reason)
	assert.EqualValues(t, code, se.Code)
	assert.Equal(t, msg, se.Error())
	for _, other := range []error{storage.ErrConflict, storage.ErrInternalError, storage.ErrTooManyRequests,
		storage.ErrServiceUnavailable, storage.ErrNotFound, storage.ErrAlreadyExists} {
		if other != sentinel {
			assert.False(t, errors.Is(err, other))
		}
	}
}

// A restart builds the controller anew (what it kept is gone), drops its
// work queue, and relists: it is told of every object as added.
func TestRestartLosesStateAndRelists(t *testing.T) {
	c, p := newProbeCluster(t)
	createConfigMaps(t, c, 0, 3)
	c.Advance(0)
	old := *p
	require.Len(t, old.reads, 3)
	require.NoError(t, c.RestartController("probe"))
	require.NotSame(t, old, *p, "a new controller")
	assert.Empty(t, (*p).reads, "with no memory of the old one's work")
	assert.Equal(t, names("cm-", 0, 2), (*p).toldNames())
	for _, e := range (*p).told {
		assert.Equal(t, storage.Added, e.typ, "a fresh informer's list adds every object")
	}
	c.Advance(0)
	assert.Len(t, (*p).reads, 3, "and it resyncs everything")
	assert.Len(t, old.reads, 3, "the old one is gone")
	assert.Contains(t, c.TraceText(), "probe restarted (in-memory state lost, 0 writes unsent); relisting")
}

// A restart loses the writes a blocked worker had not sent yet: the old
// process never sends them.
func TestRestartDropsUnsentWrites(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	cr := &creator{n: 40}
	l := addController(c, func() controllers.Controller { return cr })
	l.limit = ClientLimit{QPS: 20, Burst: 30}
	l.bucket = newTokenBucket(l.limit, c.Now())
	c.enqueue(l, objects.Key{Kind: "Job", Namespace: "default", Name: "x"}, c.Now())
	c.Advance(0)
	require.Equal(t, 30, countConfigMaps(c), "a burst of 30, then the worker waits for tokens")
	require.NoError(t, c.RestartController("creator"))
	c.Advance(time.Minute)
	assert.Equal(t, 30, countConfigMaps(c), "the blocked writes died with the process")
	assert.Contains(t, c.TraceText(), "creator restarted (in-memory state lost, 10 writes unsent)")
}

// A relist tells the controller of deletions it missed, as a reflector's
// Replace does.
func TestRelistReportsMissedDeletions(t *testing.T) {
	c, p := newProbeCluster(t)
	createConfigMaps(t, c, 0, 2)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultDrop, Count: 1}))
	_, err := c.write("tester", controllers.Action{Verb: controllers.Delete, Key: objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "cm-0"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"cm-0", "cm-1"}, (*p).toldNames(), "the deletion was lost")
	c.Advance(relistDelay)
	var deleted []string
	for _, e := range (*p).told[2:] {
		if e.typ == storage.Deleted {
			deleted = append(deleted, e.name)
		}
	}
	assert.Equal(t, []string{"cm-0"}, deleted, "the relist reports it")
}

// An informer too far behind has its watch closed by the apiserver and
// relists: the backlog, and the memory it holds, stay bounded.
func TestWatchTooFarBehindIsClosedAndRelisted(t *testing.T) {
	c, p := newProbeCluster(t)
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultDelay, For: time.Hour}))
	createConfigMaps(t, c, 0, maxBacklog+1)
	assert.Contains(t, c.TraceText(), fmt.Sprintf("probe watch closed %d changes behind; relisting", maxBacklog+1))
	assert.Empty(t, (*p).told)
	l := c.loopNamed("probe")
	assert.False(t, l.inf.pending())
	createConfigMaps(t, c, maxBacklog+1, 1) // lost: the watch is closed
	c.Advance(relistDelay)
	assert.Len(t, (*p).told, maxBacklog+2, "the relist tells it of every object")
	last := (*p).reads[len((*p).reads)-1]
	assert.Equal(t, c.store.ResourceVersion(), last.viewRV, "from the live store")
}

// apiProbe is a probe that reads the apiserver when it reconciles
// (controllers.APIReader), as the garbage collector does.
type apiProbe struct{ probe }

func (p *apiProbe) ReadsAPI() bool { return true }

// A controller that reads the apiserver reconciles against the live store
// while its informer lags: only what it hears of is late.
func TestAPIReaderReconcilesAgainstTheLiveStore(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	p := &apiProbe{}
	addController(c, func() controllers.Controller { return p })
	require.NoError(t, c.Inject("probe", Fault{Kind: FaultStale, Count: 2, For: time.Hour}))
	createConfigMaps(t, c, 0, 5)
	c.Advance(0)
	assert.Equal(t, names("cm-", 0, 2), p.toldNames(), "it hears of changes late")
	require.NotEmpty(t, p.reads)
	for _, r := range p.reads {
		assert.Equal(t, names("cm-", 0, 4), r.names, "but reads what the store holds now")
	}
}
