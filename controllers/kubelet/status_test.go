package kubelet

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// runtimeContainerID spells out what hexID computes with fmt: checked
// against it, for short and long names and for several restart counts.
func TestRuntimeContainerIDMatchesHexID(t *testing.T) {
	long := strings.Repeat("x", 200) // past runtimeContainerID's stack buffer
	for _, uid := range []string{"", "uid-1", "0b7e4c1a-5f0e-4d8e-9a43-3f1d6c2b9e10", long} {
		for _, name := range []string{"", "c", "worker", long} {
			for _, restarts := range []int32{0, 1, 9, 10, 12345, -1} {
				want := "containerd://" + hexID(uid, name, restarts)
				assert.Equal(t, want, runtimeContainerID(uid, name, restarts), "%q %q %d", uid, name, restarts)
			}
		}
	}
}

// A status built against the reported one shares the parts that did not
// change, and equals the status built with nothing to share: the sharing
// changes what is allocated, never what is reported.
func TestStatusSharesUnchangedPartsWithoutChangingThem(t *testing.T) {
	r := newPullRig(t, nil, "busybox:1.36", "busybox:1.36")
	for _, at := range []time.Duration{0, 500 * time.Millisecond, 2 * time.Second, 30 * time.Second} {
		r.runUntil(t0.Add(at))
		obj, err := r.s.Get(r.key)
		require.NoError(t, err)
		stored := obj.(*objects.Pod)
		pr := r.k.pods[r.key]
		require.NotNil(t, pr)

		pr.pod = stored
		var shared statusPod
		pr.status(r.now, &shared)
		pr.pod = stored.DeepCopy()
		var fresh statusPod
		pr.status(r.now, &fresh)
		pr.pod = stored

		assert.Equal(t, fresh.pod.Status, shared.pod.Status, "at %v", at)
		assert.Equal(t, stored.Status, shared.pod.Status, "at %v: the rig applied every update", at)
		if len(stored.Status.ContainerStatuses) > 0 {
			assert.Same(t, &stored.Status.ContainerStatuses[0], &shared.pod.Status.ContainerStatuses[0], "at %v", at)
		}
		assert.Same(t, &stored.Status.Conditions[0], &shared.pod.Status.Conditions[0], "at %v", at)
		assert.Empty(t, r.k.Reconcile(r.now, r.s, r.key).Actions, "at %v: nothing to write", at)
	}
}

// Each status the kubelet writes keeps its lists in its own statusPod,
// never in the one of the version before (which would keep every earlier
// version alive), even when a list did not change.
func TestWrittenStatusesShareNoListWithTheirPredecessor(t *testing.T) {
	r := newPullRig(t, nil, "busybox:1.36", "busybox:1.36")
	var versions []*objects.Pod
	for _, at := range []time.Duration{0, 500 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second, 30 * time.Second} {
		r.runUntil(t0.Add(at))
		obj, err := r.s.Get(r.key)
		require.NoError(t, err)
		if p := obj.(*objects.Pod); len(versions) == 0 || versions[len(versions)-1] != p {
			versions = append(versions, p)
		}
	}
	require.Greater(t, len(versions), 2, "the kubelet wrote several statuses")
	for i := 1; i < len(versions); i++ {
		was, now := versions[i-1].Status, versions[i].Status
		if len(was.Conditions) > 0 && len(now.Conditions) > 0 {
			assert.NotSame(t, &was.Conditions[0], &now.Conditions[0], "version %d", i)
		}
		if len(was.ContainerStatuses) > 0 && len(now.ContainerStatuses) > 0 {
			assert.NotSame(t, &was.ContainerStatuses[0], &now.ContainerStatuses[0], "version %d", i)
		}
	}
}

// own moves lists into the statusPod's room, where they fit.
func TestStatusPodOwnsItsLists(t *testing.T) {
	elsewhere := objects.PodStatus{
		ContainerStatuses: []objects.ContainerStatus{{Name: "a"}, {Name: "b"}},
		Conditions:        []objects.PodCondition{{Type: objects.PodReady}, {Type: objects.PodScheduled}},
	}
	var b statusPod
	b.pod.Status = elsewhere
	b.own()
	assert.Equal(t, elsewhere, b.pod.Status)
	assert.Same(t, &b.containers[0], &b.pod.Status.ContainerStatuses[0])
	assert.Same(t, &b.conditions[0], &b.pod.Status.Conditions[0])

	big := objects.PodStatus{ContainerStatuses: make([]objects.ContainerStatus, 3)}
	b = statusPod{}
	b.pod.Status = big
	b.own()
	assert.Same(t, &big.ContainerStatuses[0], &b.pod.Status.ContainerStatuses[0], "too many to fit: left where they are")
}

// The Ready condition names every container that is not ready, in order.
func TestUnreadyMessage(t *testing.T) {
	statuses := []objects.ContainerStatus{{Name: "a"}, {Name: "b", Ready: true}, {Name: "c"}}
	want := "containers with unready status: [a c]"
	assert.Equal(t, want, unreadyMessage(statuses, ""))
	was := fmt.Sprint("containers with unready status: [a c]") // a string of its own
	assert.Equal(t, unsafe.StringData(was), unsafe.StringData(unreadyMessage(statuses, was)), "the reported text is kept")
	assert.Equal(t, unsafe.StringData(was), unsafe.StringData(unreadyMessage(statuses, "other", was)), "a known text is kept")
	assert.Equal(t, "containers with unready status: []", unreadyMessage(nil, want))
}
