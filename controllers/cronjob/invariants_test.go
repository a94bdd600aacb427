package cronjob_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// objectList serves a fixed list of objects.
type objectList []objects.Object

func (l objectList) Get(key objects.Key) (objects.Object, error) { return nil, storage.ErrNotFound }
func (l objectList) List(kind, ns string, sel objects.Selector) []objects.Object {
	var out []objects.Object
	l.Scan(kind, ns, func(o objects.Object) bool { out = append(out, o); return true })
	return out
}
func (l objectList) Scan(kind, ns string, visit func(objects.Object) bool) {
	for _, o := range l {
		if objects.KeyOf(o).Kind == kind && !visit(o) {
			return
		}
	}
}
func (l objectList) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {
	for _, o := range l {
		if ref := o.GetObjectMeta().ControllerRef(); objects.KeyOf(o).Kind == kind && ref != nil && ref.UID == value && !visit(o) {
			return
		}
	}
}
func (l objectList) ResourceVersion() int64 { return 1 }

var finished = time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)

// historyState is a CronJob whose successful-history limit is 0, keeping
// one Job that completed at finished.
func historyState() (*objects.CronJob, *objects.Job) {
	zero := int32(0)
	cj := &objects.CronJob{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "hello", UID: "cj1"}}
	cj.Spec.SuccessfulJobsHistoryLimit = &zero
	yes := true
	j := &objects.Job{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "hello-1", UID: "j1",
			OwnerReferences: []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: "hello", UID: "cj1", Controller: &yes}}}}
	j.Status.Conditions = []objects.JobCondition{{Type: objects.JobComplete, Status: objects.ConditionTrue, LastTransitionTime: objects.NewTime(finished)}}
	return cj, j
}

func TestCheckSettledHistory(t *testing.T) {
	cj, j := historyState()
	errs := cronjob.CheckSettledHistory(objectList{cj, j}, finished.Add(5*time.Minute))
	if assert.Len(t, errs, 1) {
		assert.Equal(t, "cronjob CronJob/default/hello: 1 succeeded jobs kept, limit 0", errs[0].Error())
	}
	assert.Empty(t, cronjob.CheckSettledHistory(objectList{cj, j}, finished.Add(10*time.Second)), "a Job just finished may wait for the next sync")
}

func TestCheckActiveUnique(t *testing.T) {
	cj, j := historyState()
	ref := objects.ObjectReference{Kind: "Job", Name: j.Name, UID: j.UID}
	cj.Status.Active = []objects.ObjectReference{ref}
	assert.Empty(t, cronjob.CheckActiveUnique(objectList{cj}))
	cj.Status.Active = append(cj.Status.Active, ref)
	errs := cronjob.CheckActiveUnique(objectList{cj})
	if assert.Len(t, errs, 1) {
		assert.Equal(t, "cronjob CronJob/default/hello: job hello-1 is listed active twice", errs[0].Error())
	}
}
