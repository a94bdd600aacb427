package volume_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const (
	rwo = objects.ReadWriteOnce
	rox = objects.ReadOnlyMany
	rwx = objects.ReadWriteMany
)

func ptr[T any](v T) *T { return &v }

// recorded is an event some controller recorded, with its source.
type recorded struct {
	source string
	controllers.Event
}

func (r recorded) String() string {
	return fmt.Sprintf("%s %s %s %s/%s: %s", r.source, r.Type, r.Reason, r.Regarding.Kind, r.Regarding.Name, r.Message)
}

// env is a store with namespace default and the volume controllers, driven
// as the simulation's loop drives them: every watch event is offered to
// every controller, and the keys each asks for are reconciled and their
// results applied, until nothing changes.
type env struct {
	t      *testing.T
	store  *storage.Store
	clk    *clock.Fake
	ctrls  []controllers.Controller
	events []recorded
	// storeEvents also writes each recorded event to the store as an Event
	// object, a repeat bumping the count, as package sim's recorder does;
	// the recycler reads them back.
	storeEvents bool
}

// newEnv returns an env running ctrls, in that order within a round.
func newEnv(t *testing.T, ctrls ...controllers.Controller) *env {
	s, clk := controllertest.NewStoreWithClock(t, t0)
	s.DrainEvents()
	return &env{t: t, store: s, clk: clk, ctrls: ctrls}
}

// settle runs the controllers until no watch event is left.
func (e *env) settle() {
	e.t.Helper()
	for round := 0; ; round++ {
		require.Less(e.t, round, 100, "controllers never settle")
		evs := e.store.DrainEvents()
		if len(evs) == 0 {
			return
		}
		for _, c := range e.ctrls {
			var keys []objects.Key
			seen := map[objects.Key]bool{}
			for _, ev := range evs {
				for _, k := range c.KeysFor(ev, e.store) {
					if !seen[k] {
						seen[k] = true
						keys = append(keys, k)
					}
				}
			}
			for _, k := range keys {
				e.apply(c, c.Reconcile(e.clk.Now(), e.store, k))
			}
		}
	}
}

// apply performs a controller's result and records its events. Failed
// writes are tolerated, as the loop tolerates them (the key is retried).
func (e *env) apply(c controllers.Controller, res controllers.Result) controllertest.Applied {
	applied := controllertest.Apply(e.store, nil, res)
	src := c.Name()
	if es, ok := c.(controllers.EventSourcer); ok {
		src = es.EventSource().Component
	}
	for _, ev := range applied.Events {
		e.events = append(e.events, recorded{source: src, Event: ev})
		if e.storeEvents {
			e.storeEvent(src, ev)
		}
	}
	return applied
}

// storeEvent writes ev as an Event object in namespace default (where
// events about cluster-scoped objects live), or bumps the count of an
// equal one.
func (e *env) storeEvent(src string, ev controllers.Event) {
	e.t.Helper()
	now := objects.NewTime(e.clk.Now())
	for _, o := range e.store.List("Event", "default", nil) {
		x := o.(*objects.Event).DeepCopy()
		if x.Source.Component == src && x.InvolvedObject.UID == ev.Regarding.UID && x.InvolvedObject.Name == ev.Regarding.Name &&
			x.Type == ev.Type && x.Reason == ev.Reason && x.Message == ev.Message {
			x.Count++
			x.LastTimestamp = now
			_, err := e.store.Update(x)
			require.NoError(e.t, err)
			return
		}
	}
	ref := ev.Regarding
	ref.ResourceVersion = ""
	seq := len(e.store.List("Event", "default", nil))
	_, err := e.store.Create(&objects.Event{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta:     objects.ObjectMeta{Name: fmt.Sprintf("%s.%d", ref.Name, seq), Namespace: "default"},
		InvolvedObject: ref, Reason: ev.Reason, Message: ev.Message, Type: ev.Type, Count: 1,
		Source: objects.EventSource{Component: src}, FirstTimestamp: now, LastTimestamp: now})
	require.NoError(e.t, err)
}

// eventsAbout returns the recorded events about the object named name, as strings.
func (e *env) eventsAbout(name string) []string {
	var out []string
	for _, ev := range e.events {
		if ev.Regarding.Name == name {
			out = append(out, ev.String())
		}
	}
	return out
}

// create stores obj and returns a copy of what was stored, for the test to change.
func (e *env) create(obj objects.Object) objects.Object {
	e.t.Helper()
	out, err := e.store.Create(obj)
	require.NoError(e.t, err)
	return out.DeepCopyObject()
}

func (e *env) delete(kind, namespace, name string) {
	e.t.Helper()
	_, err := e.store.Delete(objects.Key{Kind: kind, Namespace: namespace, Name: name},
		storage.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	require.NoError(e.t, err)
}

func (e *env) pv(name string) *objects.PersistentVolume {
	e.t.Helper()
	o, err := e.store.Get(objects.Key{Kind: "PersistentVolume", Name: name})
	require.NoError(e.t, err)
	return o.(*objects.PersistentVolume).DeepCopy()
}

func (e *env) pvc(name string) *objects.PersistentVolumeClaim {
	e.t.Helper()
	o, err := e.store.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: "default", Name: name})
	require.NoError(e.t, err)
	return o.(*objects.PersistentVolumeClaim).DeepCopy()
}

func (e *env) exists(kind, namespace, name string) bool {
	_, err := e.store.Get(objects.Key{Kind: kind, Namespace: namespace, Name: name})
	return err == nil
}

// newPV returns an NFS volume of the given size and modes, reclaim policy
// left to defaulting (Retain), class "".
func newPV(name, size string, modes ...string) *objects.PersistentVolume {
	return &objects.PersistentVolume{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: objects.ObjectMeta{Name: name},
		Spec: objects.PersistentVolumeSpec{
			Capacity:               objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity(size)},
			PersistentVolumeSource: objects.PersistentVolumeSource{NFS: &objects.NFSVolumeSource{Server: "192.168.122.24", Path: "/mnt/" + name}},
			AccessModes:            modes,
		},
	}
}

// newPVC returns a claim in default asking for size with modes and the
// explicit class "" (no default class, static volumes of class "" only).
func newPVC(name, size string, modes ...string) *objects.PersistentVolumeClaim {
	return &objects.PersistentVolumeClaim{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec: objects.PersistentVolumeClaimSpec{
			AccessModes:      modes,
			Resources:        objects.VolumeResourceRequirements{Requests: objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity(size)}},
			StorageClassName: ptr(""),
		},
	}
}

// newClass returns a StorageClass with the given provisioner and reclaim policy.
func newClass(name, provisioner, reclaim string, params map[string]string) *objects.StorageClass {
	return &objects.StorageClass{
		TypeMeta:    objects.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta:  objects.ObjectMeta{Name: name},
		Provisioner: provisioner, ReclaimPolicy: ptr(reclaim), Parameters: params,
	}
}

// podUsing returns a pod on node (unscheduled when "") mounting claim.
func podUsing(name, node, claim string) *objects.Pod {
	return &objects.Pod{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec: objects.PodSpec{NodeName: node,
			Containers: []objects.Container{{Name: "c", Image: "busybox"}},
			Volumes: []objects.Volume{{Name: "data",
				PersistentVolumeClaim: &objects.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}},
	}
}

// fakeExports serves NFS from in-memory filesystems keyed by server
// address; a directory is exported when it exists, as in package sim.
type fakeExports map[string]*vfs.FS

func (f fakeExports) Export(server, dir string) (*vfs.FS, error) {
	fsys := f[server]
	if fsys == nil {
		return nil, fmt.Errorf("mount.nfs: Connection timed out")
	}
	if info, err := fsys.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("mount.nfs: access denied by server while mounting %s:%s", server, dir)
	}
	return fsys, nil
}

var _ volume.Exports = fakeExports(nil)
