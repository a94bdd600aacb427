package kubelet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// pullRig runs one kubelet against a store, reconciling a pod whenever the
// kubelet asks to be woken, and keeps the events it records.
type pullRig struct {
	t      *testing.T
	k      *Kubelet
	s      *storage.Store
	key    objects.Key
	now    time.Time
	wake   time.Time
	events []string // "<seconds since t0> <reason>: <message>"
}

func newPullRig(t *testing.T, catalog *images.Catalog, images ...string) *pullRig {
	t.Helper()
	k, err := New(Config{NodeName: "node", PodCIDR: "10.244.1.0/24", InternalIP: "192.168.0.2", Catalog: catalog})
	require.NoError(t, err)
	pod := &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default", UID: "uid-1"},
		Spec:       objects.PodSpec{NodeName: "node", RestartPolicy: objects.RestartPolicyAlways}}
	for i, img := range images {
		pod.Spec.Containers = append(pod.Spec.Containers, objects.Container{Name: fmt.Sprintf("c%d", i), Image: img,
			ImagePullPolicy: objects.PullIfNotPresent, Command: []string{"sleep", "3600"}})
	}
	s := storeWith(t, pod)
	return &pullRig{t: t, k: k, s: s, key: objects.KeyOf(pod), now: t0, wake: t0}
}

// runUntil reconciles at every wake-up the kubelet asks for, up to end.
func (r *pullRig) runUntil(end time.Time) {
	for !r.wake.IsZero() && !r.wake.After(end) {
		r.now = r.wake
		r.reconcile()
	}
	r.now = end
}

// reconcile runs one Reconcile at r.now and applies its status update.
func (r *pullRig) reconcile() {
	res := r.k.Reconcile(r.now, r.s, r.key)
	for _, e := range res.Events {
		r.events = append(r.events, fmt.Sprintf("%v %s: %s", r.now.Sub(t0), e.Reason, e.Message))
	}
	for _, a := range res.Actions {
		if a.Verb == controllers.UpdateStatus {
			_, err := r.s.UpdateStatus(a.Object)
			require.NoError(r.t, err)
		}
	}
	r.wake = time.Time{}
	if res.RequeueAfter > 0 {
		r.wake = r.now.Add(res.RequeueAfter)
	}
}

// waiting is the first container's waiting reason in the stored status.
func (r *pullRig) waiting() (string, string) {
	obj, err := r.s.Get(r.key)
	require.NoError(r.t, err)
	pod := obj.(*objects.Pod).DeepCopy()
	if len(pod.Status.ContainerStatuses) == 0 || pod.Status.ContainerStatuses[0].State.Waiting == nil {
		return "", ""
	}
	w := pod.Status.ContainerStatuses[0].State.Waiting
	return w.Reason, w.Message
}

func (r *pullRig) phase() string {
	obj, err := r.s.Get(r.key)
	require.NoError(r.t, err)
	return obj.(*objects.Pod).Status.Phase
}

// eventTimes lists the times of the events with reason and message.
func (r *pullRig) eventTimes(reason, message string) []string {
	var out []string
	for _, e := range r.events {
		at, rest, _ := strings.Cut(e, " ")
		if rest == reason+": "+message {
			out = append(out, at)
		}
	}
	return out
}

// The image back-off: pulls 10s, 20s, 40s... apart, capped at 5 minutes,
// each failure followed by the two Failed events; a sync in between finds
// the image backing off. Syncs come every 10s (the pod worker's back-off),
// and right after the first failure (the PLEG saw the new sandbox).
func TestImagePullBackoffSequence(t *testing.T) {
	r := newPullRig(t, nil, "nginxx:latestt")
	r.runUntil(t0.Add(16 * time.Minute))

	pulling := r.eventTimes(ReasonPulling, `Pulling image "nginxx:latestt"`)
	assert.Equal(t, []string{"1s", "12s", "33s", "1m14s", "2m35s", "5m16s", "10m17s", "15m18s"}, pulling)
	failed := r.eventTimes(ReasonFailed, "Error: ErrImagePull")
	assert.Equal(t, []string{"2s", "13s", "34s", "1m15s", "2m36s", "5m17s", "10m18s", "15m19s"}, failed)
	backoffs := r.eventTimes(ReasonBackOff, `Back-off pulling image "nginxx:latestt"`)
	assert.Equal(t, []string{"2s", "23s", "44s", "54s", "1m4s"}, backoffs[:5])
	assert.Equal(t, len(backoffs), len(r.eventTimes(ReasonFailed, "Error: "+WaitingImagePullBackOff)))
	assert.Equal(t, objects.PodPending, r.phase())

	// Each failure also names the runtime's error.
	msg := `Failed to pull image "nginxx:latestt": failed to pull and unpack image "docker.io/library/nginxx:latestt": ` +
		`failed to resolve reference "docker.io/library/nginxx:latestt": pull access denied, repository does not exist ` +
		`or may require authorization: server message: insufficient_scope: authorization failed`
	assert.Len(t, r.eventTimes(ReasonFailed, msg), 8)
}

// The status shows a sync's outcome from the next sync on: ErrImagePull
// after a failed pull, ImagePullBackOff (with the last error) after a sync
// that found the image backing off.
func TestImagePullWaitingReasons(t *testing.T) {
	r := newPullRig(t, nil, "nginx:99.99")
	at := func(d time.Duration) (string, string) {
		r.runUntil(t0.Add(d))
		return r.waiting()
	}
	reason, _ := at(1500 * time.Millisecond)
	assert.Equal(t, WaitingContainerCreating, reason, "pulling")

	pullErr := `rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:99.99": ` +
		`failed to resolve reference "docker.io/library/nginx:99.99": docker.io/library/nginx:99.99: not found`
	reason, message := at(5 * time.Second)
	assert.Equal(t, WaitingErrImagePull, reason)
	assert.Equal(t, pullErr, message)

	reason, message = at(12500 * time.Millisecond)
	assert.Equal(t, WaitingImagePullBackOff, reason, "shown while the second pull runs")
	assert.Equal(t, `Back-off pulling image "nginx:99.99": ErrImagePull: `+pullErr, message)

	reason, _ = at(25 * time.Second)
	assert.Equal(t, WaitingErrImagePull, reason)
	reason, _ = at(40 * time.Second)
	assert.Equal(t, WaitingImagePullBackOff, reason)
}

// flowcontrol.Backoff, per pod and image: doubling to the cap, and
// starting over once an entry has not moved for twice the cap.
func TestImageBackoffEntries(t *testing.T) {
	k := &Kubelet{}
	key := "uid-1_nginxx"
	var delays []time.Duration
	now := t0
	for i := 0; i < 7; i++ {
		first := k.backoffNext(key, now, "ErrImagePull: x")
		assert.Equal(t, i == 0, first)
		delays = append(delays, k.pullBackoff[key].delay)
		assert.True(t, k.inBackoff(key, now.Add(delays[i]-time.Millisecond)))
		assert.False(t, k.inBackoff(key, now.Add(delays[i])))
		now = now.Add(delays[i])
	}
	s := time.Second
	assert.Equal(t, []time.Duration{10 * s, 20 * s, 40 * s, 80 * s, 160 * s, 300 * s, 300 * s}, delays)
	assert.False(t, k.inBackoff("uid-2_nginxx", now), "another pod has its own entry")

	// Ten minutes without an update: the next failure starts at 10s again.
	now = now.Add(10*time.Minute + time.Second)
	assert.True(t, k.backoffNext(key, now, ""))
	assert.Equal(t, imageBackoffBase, k.pullBackoff[key].delay)
	k.backoffGC(now.Add(11 * time.Minute))
	assert.Empty(t, k.pullBackoff)
}

// A container that cannot get its image does not hold back the next one:
// the kubelet goes on to start the others.
func TestLaterContainersStartPastAFailedPull(t *testing.T) {
	r := newPullRig(t, nil, "nginxx:latestt", "busybox:1.36")
	r.runUntil(t0.Add(30 * time.Second))
	obj, err := r.s.Get(r.key)
	require.NoError(t, err)
	st := obj.(*objects.Pod).Status
	require.Len(t, st.ContainerStatuses, 2)
	assert.NotNil(t, st.ContainerStatuses[1].State.Running)
	assert.NotNil(t, st.ContainerStatuses[0].State.Waiting)
	assert.Equal(t, objects.PodPending, st.Phase)
}

// An image added to the catalogue pulls in a time set by its size and
// runs like the image it resembles.
func TestAddedImagePullsAndRunsLikeItsModel(t *testing.T) {
	cat := images.NewCatalog()
	require.NoError(t, cat.Add("myrepo/web:1.0", 60_000_000, "nginx:1.25"))
	r := newPullRig(t, cat, "myrepo/web:1.0")
	r.runUntil(t0.Add(10 * time.Second))
	assert.Equal(t, []string{"4s"}, r.eventTimes(ReasonPulled,
		`Successfully pulled image "myrepo/web:1.0" in 3s (3s including waiting). Image size: 60000000 bytes.`))
	c := r.k.pods[r.key].containers[0]
	assert.Equal(t, images.Nginx, c.image.Server)
	assert.Equal(t, objects.PodRunning, r.phase())
}

// A reference that does not parse never reaches the registry: an
// InspectFailed event and InvalidImageName, tried again at every sync.
func TestInvalidImageName(t *testing.T) {
	r := newPullRig(t, nil, "Nginx:1.25")
	r.runUntil(t0.Add(25 * time.Second))
	msg := `Failed to apply default image tag "Nginx:1.25": couldn't parse image name "Nginx:1.25": ` +
		`invalid reference format: repository name (library/Nginx) must be lowercase`
	assert.Equal(t, []string{"1s", "11s", "21s"}, r.eventTimes(ReasonInspectFailed, msg))
	reason, message := r.waiting()
	assert.Equal(t, WaitingInvalidImageName, reason)
	assert.Equal(t, msg, message)
	assert.Empty(t, r.eventTimes(ReasonPulling, `Pulling image "Nginx:1.25"`))
}

// kubectl logs of a container that never started says why, in the
// kubelet's words.
func TestLogsOfContainerThatCannotPull(t *testing.T) {
	r := newPullRig(t, nil, "nginxx:latestt")
	r.runUntil(t0.Add(5 * time.Second))
	_, err := r.k.Logs(r.key, "c0", false, r.now)
	assert.EqualError(t, err, `container "c0" in pod "web" is waiting to start: image can't be pulled`)
	r.runUntil(t0.Add(15 * time.Second))
	_, err = r.k.Logs(r.key, "c0", false, r.now)
	assert.EqualError(t, err, `container "c0" in pod "web" is waiting to start: trying and failing to pull image`)
}
