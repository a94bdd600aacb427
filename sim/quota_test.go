package sim_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/kubectl"
	"github.com/kubesim/kubesim/sim"
)

// bootstrapSize is the store's size right after New: the bootstrap's
// objects, which any quota must leave room for.
func bootstrapSize(t *testing.T) int64 {
	t.Helper()
	c, err := sim.New(sim.Config{StoreQuotaBytes: -1})
	require.NoError(t, err)
	return c.StoreSize()
}

func configMap(name string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  blob: " +
		strings.Repeat("x", 1000) + "\n"
}

// A store past its quota refuses writes with etcd's error, which kubectl
// prints without a reason, as it prints a 500 Status without one; deletes
// still work and make room again.
func TestStoreQuotaKubectl(t *testing.T) {
	c, err := sim.New(sim.Config{StoreQuotaBytes: bootstrapSize(t) + 2500})
	require.NoError(t, err)
	k := kubectl.New(c, t.TempDir())
	run := func(stdin string, args ...string) string { return k.Run(args, stdin).Output }
	assert.Equal(t, "configmap/a created\n", run(configMap("a"), "create", "-f", "-"))
	assert.Equal(t, "configmap/b created\n", run(configMap("b"), "create", "-f", "-"))
	// Upstream prints "Error from server: error when creating ...": a 500
	// without a reason; how kubectl renders a reason-less Status is the
	// kubectl layer's (see kubectl/errors.go).
	out := run(configMap("c"), "create", "-f", "-")
	assert.True(t, strings.HasPrefix(out, "Error from server"), out)
	assert.True(t, strings.HasSuffix(out, "error when creating \"STDIN\": etcdserver: mvcc: database space exceeded\n"), out)
	assert.Equal(t, "configmap \"a\" deleted from default namespace\n", run("", "delete", "configmap", "a"))
	assert.Equal(t, "configmap/c created\n", run(configMap("c"), "create", "-f", "-"))
}

// The default quota is etcd's: 2 GiB.
func TestStoreQuotaDefault(t *testing.T) {
	c, err := sim.New(sim.Config{})
	require.NoError(t, err)
	k := kubectl.New(c, t.TempDir())
	for _, name := range []string{"a", "b", "c"} {
		assert.Equal(t, "configmap/"+name+" created\n", k.Run([]string{"create", "-f", "-"}, configMap(name)).Output)
	}
}

// A ReplicaSet whose creates start failing for space stops after the
// slow-start batch of the first failure: every create of that batch is
// attempted (upstream sends them at once), none after it.
func TestStoreQuotaStopsSlowStart(t *testing.T) {
	c, err := sim.New(sim.Config{StoreQuotaBytes: bootstrapSize(t) + 12000})
	require.NoError(t, err)
	_, err = c.Apply([]byte(strings.Replace(hugeReplicaSet, "1000000000", "20", 1)))
	require.NoError(t, err)
	c.Advance(0)
	var made, failed int
	for _, e := range c.Trace() {
		switch {
		case e.Actor != "replicaset-controller" || !strings.HasPrefix(e.Text, "create Pod/"):
		case strings.HasSuffix(e.Text, "failed: etcdserver: mvcc: database space exceeded"):
			failed++
		default:
			require.Zero(t, failed, "a create after a failed batch: %s", e.Text)
			made++
		}
	}
	// Batches of 1, 2, 4, 8, 5 end after the 1st, 3rd, 7th, 15th and 20th create.
	end := 0
	for _, e := range []int{1, 3, 7, 15, 20} {
		if e > made {
			end = e
			break
		}
	}
	require.Positive(t, end, "some create must fail: %d made", made)
	// The first sync tries the rest of its failing batch; syncs the pods'
	// watch events ask for run next, at the same instant, and each stops at
	// its first batch of one (the loop's batch test counts them exactly).
	assert.GreaterOrEqual(t, failed, end-made, "%d made", made)
}
