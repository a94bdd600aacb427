package record

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// TestFieldsRebuildObjects: every object every example's run writes comes
// back from its leaves with the same encoding, and from the deltas the
// trace keeps too.
func TestFieldsRebuildObjects(t *testing.T) {
	files, err := filepath.Glob("../examples/*/*.txt")
	require.NoError(t, err)
	checked := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		script, err := scenario.Parse(file, string(src))
		require.NoError(t, err)
		runner, err := scenario.NewRunner(sim.Config{}, filepath.Dir(file))
		require.NoError(t, err)
		prev := map[objects.Key][]Field{}
		// OnCluster, not Cluster: a scenario's cluster line builds a new one.
		runner.OnCluster(func(c *sim.Cluster) {
			c.Observe(func(ch sim.Change) {
				obj := ch.Event.Object
				want, err := objects.Encode(obj)
				require.NoError(t, err)
				fields, err := flatten(obj)
				require.NoError(t, err)
				key := objects.KeyOf(obj)
				rebuilt := applyDelta(prev[key], delta(prev[key], fields))
				prev[key] = fields
				back, ok, err := decodeObject(key.Kind, rebuilt)
				require.NoError(t, err)
				if !ok {
					return // a kind kept unstructured (ServiceAccount, RBAC's)
				}
				back.GetObjectMeta().ResourceVersion = obj.GetObjectMeta().ResourceVersion
				got, err := objects.Encode(back)
				require.NoError(t, err)
				require.JSONEq(t, string(want), string(got), "%s", key)
				checked++
			})
		})
		for _, cmd := range script.Commands {
			_, err := runner.Exec(file, cmd)
			require.NoError(t, err)
		}
		runner.Close()
	}
	assert.Greater(t, checked, 800)
}

// TestPaths: keys that are not plain words are quoted, and paths split
// back into their steps.
func TestPaths(t *testing.T) {
	assert.Equal(t, "metadata.labels.app", joinKey("metadata.labels", "app"))
	assert.Equal(t, `metadata.labels["batch.kubernetes.io/job-name"]`, joinKey("metadata.labels", "batch.kubernetes.io/job-name"))
	assert.Equal(t, `data["a: b"]`, joinKey("data", "a: b"))
	steps, err := parsePath(`spec.containers[2].env["x.y"].value`)
	require.NoError(t, err)
	assert.Equal(t, []pathStep{{key: "spec"}, {key: "containers"}, {index: 2, list: true}, {key: "env"}, {key: "x.y"}, {key: "value"}}, steps)
	path, value, ok := cutField(`data["a: b"]: "c: d"`)
	assert.True(t, ok)
	assert.Equal(t, `data["a: b"]`, path)
	assert.Equal(t, `"c: d"`, value)
	_, err = parsePath(`a[x]`)
	assert.Error(t, err)
}
