package kubelet

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// podList serves a fixed list of pods.
type podList []*objects.Pod

func (l podList) Get(key objects.Key) (objects.Object, error) { return nil, storage.ErrNotFound }
func (l podList) List(kind, ns string, sel objects.Selector) []objects.Object {
	var out []objects.Object
	l.Scan(kind, ns, func(o objects.Object) bool { out = append(out, o); return true })
	return out
}
func (l podList) Scan(kind, ns string, visit func(objects.Object) bool) {
	for _, p := range l {
		if kind == "Pod" && !visit(p) {
			return
		}
	}
}
func (l podList) ScanIndex(index, value, kind string, visit func(objects.Object) bool) {}
func (l podList) ResourceVersion() int64                                               { return 1 }

func TestCheckNeverRestarted(t *testing.T) {
	pod := func(policy string, restarts int32) *objects.Pod {
		return &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "p-" + policy},
			Spec:       objects.PodSpec{RestartPolicy: policy},
			Status:     objects.PodStatus{ContainerStatuses: []objects.ContainerStatus{{Name: "main", RestartCount: restarts}}}}
	}
	assert.Empty(t, CheckNeverRestarted(podList{pod(objects.RestartPolicyNever, 0), pod(objects.RestartPolicyOnFailure, 3)}))
	errs := CheckNeverRestarted(podList{pod(objects.RestartPolicyNever, 1)})
	if assert.Len(t, errs, 1) {
		assert.Equal(t, "pod default/p-Never: restartPolicy Never, but container main restarted 1 times", errs[0].Error())
	}
}
