package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// smallNodeCluster has one worker whose /29 holds five pod addresses.
func smallNodeCluster(t *testing.T) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Nodes: []sim.NodeConfig{
		{Name: "master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "worker", PodCIDR: "10.0.0.0/29", InternalIP: "192.168.122.25"},
	}})
	require.NoError(t, err)
	return c
}

func succeeded(name string) func(storage.Reader) bool {
	return func(r storage.Reader) bool {
		obj, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
		return err == nil && obj.(*objects.Pod).Status.Phase == objects.PodSucceeded
	}
}

// A terminated pod's address returns to the pool when its sandbox goes (so
// more pods than addresses can run one after another), its status keeps
// the address, and deleting the pod later must not free the address again:
// by then a running pod may hold it.
func TestFinishedPodsFreeTheirAddressOnce(t *testing.T) {
	c := smallNodeCluster(t)
	for i := range 12 {
		name := fmt.Sprintf("short-%d", i)
		_, err := c.Apply([]byte(podManifest(name, "Never", "true")))
		require.NoError(t, err)
		require.True(t, c.RunUntil(succeeded(name), time.Minute), "pod %s never succeeded: the /29 ran out of addresses", name)
		assert.NotEmpty(t, getPod(t, c, name).Status.PodIP, "a finished pod keeps status.podIP")
	}
	// Five long pods take every address; then the finished pods go.
	for i := range 5 {
		_, err := c.Apply([]byte(podManifest(fmt.Sprintf("long-%d", i), "Never", "sleep 3600")))
		require.NoError(t, err)
	}
	c.Advance(30 * time.Second)
	for i := range 12 {
		_, err := c.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: fmt.Sprintf("short-%d", i)}, storage.DeleteOptions{})
		require.NoError(t, err)
	}
	c.Advance(30 * time.Second)
	// A sixth long pod must find no address: none was freed twice.
	_, err := c.Apply([]byte(podManifest("long-5", "Never", "sleep 3600")))
	require.NoError(t, err)
	c.Advance(30 * time.Second)
	ips := map[string]string{}
	for i := range 5 {
		pod := getPod(t, c, fmt.Sprintf("long-%d", i))
		require.Equal(t, objects.PodRunning, pod.Status.Phase, pod.Name)
		if other, dup := ips[pod.Status.PodIP]; dup {
			t.Errorf("%s and %s share %s", other, pod.Name, pod.Status.PodIP)
		}
		ips[pod.Status.PodIP] = pod.Name
	}
	assert.Empty(t, getPod(t, c, "long-5").Status.PodIP, "the sixth pod must wait for an address")
}
