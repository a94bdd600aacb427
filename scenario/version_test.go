package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// The cluster line sets the release; a later machine line keeps it; a
// release kubesim does not replay stops the run naming the line.
func TestClusterLineKubernetesVersion(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	for _, line := range []string{"cluster --kubernetes-version 1.21", "machine k8s-master --ip 172.16.229.143"} {
		_, err := r.Exec("f.txt", Command{Line: 1, Text: line})
		require.NoError(t, err, line)
	}
	assert.Equal(t, "1.21.14", r.Cluster().KubernetesVersion())

	bad, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer bad.Close()
	_, err = bad.Exec("f.txt", Command{Line: 4, Text: "cluster --kubernetes-version 1.50"})
	assert.EqualError(t, err, `f.txt:4: cluster: --kubernetes-version: kubernetes version "1.50": want 1.MINOR or 1.MINOR.PATCH, MINOR from 19 to 37`)
}
