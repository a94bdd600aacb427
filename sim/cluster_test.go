package sim_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

func newCluster(t *testing.T) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{})
	require.NoError(t, err)
	return c
}

func podManifest(name, restartPolicy, script string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: %s
spec:
  restartPolicy: %s
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", %q]
`, name, restartPolicy, script)
}

func getPod(t *testing.T, c *sim.Cluster, name string) *objects.Pod {
	t.Helper()
	obj, err := c.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
	require.NoError(t, err)
	return obj.(*objects.Pod)
}

func phaseIs(name, phase string) func(storage.Reader) bool {
	return func(r storage.Reader) bool {
		obj, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
		return err == nil && obj.(*objects.Pod).Status.Phase == phase
	}
}

func TestPodGoesFromPendingThroughRunningToSucceeded(t *testing.T) {
	c := newCluster(t)
	start := c.Now()
	_, err := c.Apply([]byte(podManifest("hello", "Never", "echo hello; sleep 30; echo bye")))
	require.NoError(t, err)

	pod := getPod(t, c, "hello")
	assert.Equal(t, objects.PodPending, pod.Status.Phase)
	assert.Empty(t, pod.Spec.NodeName, "nothing has run yet")

	c.Advance(0) // the scheduler and kubelet act at once
	pod = getPod(t, c, "hello")
	assert.Equal(t, "k8s-node1", pod.Spec.NodeName, "fewest pods, then first name; never the tainted master")
	assert.Equal(t, objects.PodPending, pod.Status.Phase)
	require.Len(t, pod.Status.ContainerStatuses, 1)
	assert.Equal(t, "ContainerCreating", pod.Status.ContainerStatuses[0].State.Waiting.Reason)
	assert.Equal(t, start, pod.Status.StartTime.Time)
	assert.Equal(t, "192.168.122.25", pod.Status.HostIP)
	assert.Empty(t, pod.Status.PodIP, "the sandbox takes a second")

	require.True(t, c.RunUntil(phaseIs("hello", objects.PodRunning), time.Minute))
	pod = getPod(t, c, "hello")
	runningAt := c.Now()
	assert.Equal(t, "10.244.1.2", pod.Status.PodIP, "first address after the gateway")
	assert.True(t, runningAt.Sub(start) > time.Second && runningAt.Sub(start) < 10*time.Second,
		"sandbox, then a first pull of a small image: %v", runningAt.Sub(start))
	assert.Equal(t, objects.NewTime(runningAt), pod.Status.ContainerStatuses[0].State.Running.StartedAt)
	assert.True(t, pod.Status.ContainerStatuses[0].Ready)

	require.True(t, c.RunUntil(phaseIs("hello", objects.PodSucceeded), time.Minute))
	assert.Equal(t, runningAt.Add(30*time.Second), c.Now(), "the script sleeps 30s of virtual time")
	pod = getPod(t, c, "hello")
	term := pod.Status.ContainerStatuses[0].State.Terminated
	require.NotNil(t, term)
	assert.Equal(t, int32(0), term.ExitCode)
	assert.Equal(t, "Completed", term.Reason)

	logs, err := c.Logs("default", "hello", "", false)
	require.NoError(t, err)
	assert.Equal(t, []string{"hello", "bye"}, logs)
}

func TestFailingPodWithRestartPolicyNeverEndsFailed(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("fail", "Never", "echo hello; exit 3")))
	require.NoError(t, err)
	require.True(t, c.RunUntil(phaseIs("fail", objects.PodFailed), time.Minute))
	pod := getPod(t, c, "fail")
	term := pod.Status.ContainerStatuses[0].State.Terminated
	require.NotNil(t, term)
	assert.Equal(t, int32(3), term.ExitCode)
	assert.Equal(t, "Error", term.Reason)
	assert.Equal(t, int32(0), pod.Status.ContainerStatuses[0].RestartCount)
	logs, err := c.Logs("default", "fail", "main", false)
	require.NoError(t, err)
	assert.Equal(t, []string{"hello"}, logs)
}

func TestCrashingPodRestartsWithKubeletBackoff(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("crash", "Always", "echo hello; exit 3")))
	require.NoError(t, err)

	restartCount := func(r storage.Reader) int32 {
		obj, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "crash"})
		if err != nil || len(obj.(*objects.Pod).Status.ContainerStatuses) == 0 {
			return -1
		}
		return obj.(*objects.Pod).Status.ContainerStatuses[0].RestartCount
	}
	require.True(t, c.RunUntil(func(r storage.Reader) bool { return restartCount(r) >= 1 }, time.Minute))
	first := c.Now()
	pod := getPod(t, c, "crash")
	assert.Equal(t, objects.PodRunning, pod.Status.Phase, "a container that will restart keeps the pod Running")
	cs := pod.Status.ContainerStatuses[0]
	require.NotNil(t, cs.State.Waiting, "restarted at once, died again, now backing off")
	assert.Equal(t, "CrashLoopBackOff", cs.State.Waiting.Reason)
	assert.Contains(t, cs.State.Waiting.Message, "back-off 10s restarting failed container=main pod=crash_default(")
	require.NotNil(t, cs.LastState.Terminated)
	assert.Equal(t, int32(3), cs.LastState.Terminated.ExitCode)

	// Each later restart waits twice as long, capped at five minutes.
	var gaps []time.Duration
	prev := first
	for n := int32(2); n <= 8; n++ {
		require.True(t, c.RunUntil(func(r storage.Reader) bool { return restartCount(r) >= n }, time.Hour), "restart %d", n)
		gaps = append(gaps, c.Now().Sub(prev))
		prev = c.Now()
	}
	assert.Equal(t, []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 300 * time.Second, 300 * time.Second}, gaps)

	logs, err := c.Logs("default", "crash", "", true)
	require.NoError(t, err)
	assert.Equal(t, []string{"hello"}, logs, "--previous shows the run before")
}

func TestDeletedPodStopsWithGracePeriodAndFreesItsName(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("sleeper", "Always", "sleep 3600")))
	require.NoError(t, err)
	require.True(t, c.RunUntil(phaseIs("sleeper", objects.PodRunning), time.Minute))

	deletedAt := c.Now()
	_, err = c.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: "sleeper"}, storage.DeleteOptions{})
	require.NoError(t, err)
	pod := getPod(t, c, "sleeper")
	require.NotNil(t, pod.DeletionTimestamp, "graceful: still there, marked")

	gone := func(r storage.Reader) bool {
		_, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "sleeper"})
		return err != nil
	}
	require.True(t, c.RunUntil(gone, 5*time.Minute))
	assert.Equal(t, deletedAt.Add(30*time.Second), c.Now(),
		"sleep as PID 1 ignores SIGTERM and is killed when the 30s grace period ends")

	_, err = c.Apply([]byte(podManifest("sleeper", "Always", "sleep 3600")))
	require.NoError(t, err, "a deleted pod's name can be reused")
	require.True(t, c.RunUntil(phaseIs("sleeper", objects.PodRunning), time.Minute))
}

func TestPodThatFitsNowhereStaysPendingWithFailedScheduling(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(`apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: main
    image: nginx
    resources:
      requests:
        cpu: "8"
`))
	require.NoError(t, err)
	c.Advance(time.Minute)
	pod := getPod(t, c, "huge")
	assert.Equal(t, objects.PodPending, pod.Status.Phase)
	assert.Empty(t, pod.Spec.NodeName)
	want := "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, " +
		"2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, " +
		"2 No preemption victims found for incoming pod."
	var cond *objects.PodCondition
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == objects.PodScheduled {
			cond = &pod.Status.Conditions[i]
		}
	}
	require.NotNil(t, cond)
	assert.Equal(t, "False", cond.Status)
	assert.Equal(t, "Unschedulable", cond.Reason)
	assert.Equal(t, want, cond.Message)

	var found bool
	for _, obj := range c.Store().List("Event", "default", nil) {
		e := obj.(*objects.Event)
		if e.Reason == "FailedScheduling" && e.InvolvedObject.Name == "huge" {
			found = true
			assert.Equal(t, want, e.Message)
			assert.Equal(t, "Warning", e.Type)
			// Written through events.k8s.io/v1: no source, a reporting
			// controller and instance, an action and an eventTime.
			assert.Equal(t, objects.EventSource{}, e.Source)
			assert.Equal(t, "default-scheduler", e.ReportingController)
			assert.Equal(t, "default-scheduler-"+c.ConsoleHost(), e.ReportingInstance)
			assert.Equal(t, "Scheduling", e.Action)
			assert.False(t, e.EventTime.IsZero())
		}
	}
	assert.True(t, found, "a FailedScheduling event")
}

// busyScenario exercises scheduling, pulls, exits, restarts and deletion.
func busyScenario(t *testing.T, seed uint64) string {
	c, err := sim.New(sim.Config{Seed: seed})
	require.NoError(t, err)
	for i := range 6 {
		m := fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  generateName: busy-
spec:
  restartPolicy: %s
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "echo start %d; sleep %d; exit %d"]
`, []string{"Never", "OnFailure", "Always"}[i%3], i, 5*(i+1), i%2)
		_, err := c.Create([]byte(m))
		require.NoError(t, err)
		c.Advance(3 * time.Second)
	}
	c.Advance(2 * time.Minute)
	for _, obj := range c.Store().List("Pod", "default", nil) {
		_, err := c.Delete(objects.KeyOf(obj), storage.DeleteOptions{})
		require.NoError(t, err)
	}
	c.Advance(2 * time.Minute)
	return c.TraceText()
}

func TestSameSeedGivesByteIdenticalTrace(t *testing.T) {
	a, b := busyScenario(t, 7), busyScenario(t, 7)
	require.NotEmpty(t, a)
	assert.Equal(t, a, b)
}

func TestAnotherSeedChangesGeneratedNamesOnly(t *testing.T) {
	a, b := busyScenario(t, 7), busyScenario(t, 8)
	assert.NotEqual(t, a, b, "generated names differ")
	generated := regexp.MustCompile(`rv=[0-9]+|busy-[bcdfghjklmnpqrstvwxz2456789]{5}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	mask := func(s string) string { return generated.ReplaceAllString(s, "<generated>") }
	// Pods are listed (and so deleted) in name order, which depends on the
	// names; compare the traces as multisets of masked lines per time.
	assert.ElementsMatch(t, regexp.MustCompile("\n").Split(mask(a), -1), regexp.MustCompile("\n").Split(mask(b), -1))
}
