package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// hugeReplicaSet is a bare ReplicaSet asking for a billion pods.
const hugeReplicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: huge
spec:
  replicas: 1000000000
  selector:
    matchLabels: {app: huge}
  template:
    metadata:
      labels: {app: huge}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`

// podCount counts the pods in the default namespace.
func podCount(c *sim.Cluster) int {
	return len(c.Store().List("Pod", "default", nil))
}

// The ReplicaSet controller's writes go through its client's token bucket:
// a burst of 30, then 20 a second, in virtual time, however many pods the
// ReplicaSet asks for.
func TestAPILimitsBoundReplicaSetCreates(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(hugeReplicaSet))
	require.NoError(t, err)
	c.Advance(0)
	assert.Equal(t, 30, podCount(c), "the burst goes out at once")
	c.Advance(10 * time.Second)
	assert.Equal(t, 230, podCount(c), "30 + 20/s for 10s")
	// The first sync's 500 creates (burstReplicas) end at 23.5s and its
	// status write takes the next token; the next sync creates from 23.6s.
	c.Advance(13*time.Second + 550*time.Millisecond)
	assert.Equal(t, 500, podCount(c))
	c.Advance(50 * time.Millisecond)
	assert.Equal(t, 501, podCount(c))
}

// The limits are configurable. With a burst of 600 the first sync makes
// its 500 creates (burstReplicas) and its status write at once, and the
// next sync the 99 creates the bucket still holds.
func TestAPILimitsConfigurable(t *testing.T) {
	for _, tc := range []struct {
		limit   sim.ClientLimit
		advance time.Duration
		want    int
	}{
		{sim.ClientLimit{QPS: 10, Burst: 5}, 10 * time.Second, 5 + 10*10},
		{sim.ClientLimit{QPS: 1, Burst: 600}, 0, 599},
	} {
		t.Run(fmt.Sprint(tc.limit), func(t *testing.T) {
			c, err := sim.New(sim.Config{APILimits: sim.APILimits{ControllerManager: tc.limit}})
			require.NoError(t, err)
			_, err = c.Apply([]byte(hugeReplicaSet))
			require.NoError(t, err)
			c.Advance(tc.advance)
			assert.Equal(t, tc.want, podCount(c))
		})
	}
}

// A limit that cannot make a bucket is refused with a specific error: with
// no limit at all, a ReplicaSet of a billion would create pods without end
// in zero virtual time.
func TestAPILimitsValidated(t *testing.T) {
	for limits, want := range map[sim.APILimits]string{
		{Scheduler: sim.ClientLimit{QPS: 5, Burst: -1}}: "sim: apiLimits: kube-scheduler: burst -1 must be at least 1",
		{Kubelet: sim.ClientLimit{QPS: -1}}:             "sim: apiLimits: kubelet: qps -1 must be positive",
	} {
		_, err := sim.New(sim.Config{APILimits: limits})
		assert.EqualError(t, err, want)
	}
}

// A Job with parallelism of a billion is bounded the same way, and memory
// follows the pods that exist: two minutes of virtual time hold about
// 30 + 20 x 120 pods, whatever parallelism says.
func TestAPILimitsBoundJobCreates(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(`apiVersion: batch/v1
kind: Job
metadata:
  name: wide
spec:
  parallelism: 1000000000
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: ["sleep", "3600"]
`))
	require.NoError(t, err)
	c.Advance(10 * time.Second)
	assert.Equal(t, 230, podCount(c))
	c.Advance(110 * time.Second)
	n := podCount(c)
	assert.LessOrEqual(t, n, 30+20*120, "never more than the client allows")
	assert.Greater(t, n, 30+20*120-10, "status writes take a few tokens from pod creates")
}

// A controller stopped while its writes wait for tokens loses them, as a
// killed kube-controller-manager loses its blocked workers; started again,
// it resyncs and its bucket, refilled while it was down, lets a burst out.
func TestAPILimitsControllerDownWhileWriting(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(hugeReplicaSet))
	require.NoError(t, err)
	c.Advance(5 * time.Second)
	require.Equal(t, 130, podCount(c))
	require.True(t, c.SetControllerDown("replicaset-controller", true))
	c.Advance(5 * time.Second)
	assert.Equal(t, 130, podCount(c), "no write after the stop")
	assert.Equal(t, []string{"stopped", "stopped with 371 of 501 writes unsent reconciling ReplicaSet/default/huge"},
		notesOf(c, "replicaset-controller", "stopped"))
	require.True(t, c.SetControllerDown("replicaset-controller", false))
	c.Advance(0)
	assert.Equal(t, 160, podCount(c), "a full bucket's burst")
}

// notesOf returns the texts of actor's trace entries that start with prefix.
func notesOf(c *sim.Cluster, actor, prefix string) []string {
	var out []string
	for _, e := range c.Trace() {
		if e.Actor == actor && strings.HasPrefix(e.Text, prefix) {
			out = append(out, e.Text)
		}
	}
	return out
}
