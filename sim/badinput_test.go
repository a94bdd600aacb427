package sim_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// A manifest with any bad document is rejected whole, with a
// Kubernetes-like message, and leaves the store exactly as it was.
func TestBadManifestsAreRejectedWholeAndChangeNothing(t *testing.T) {
	good := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\n"
	cases := []struct {
		name, manifest, want string
	}{
		{"malformed YAML", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n",
			"error converting YAML to JSON"},
		{"missing image", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n  - name: c\n",
			`Pod "noimage" is invalid: spec.containers[0].image: Required value`},
		{"unknown field", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: c\n    imagee: nginx\n",
			`strict decoding error: unknown field "spec.containers[0].imagee"`},
		{"wrong type", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wrong\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: eighty\n",
			`cannot unmarshal string into Go struct field`},
		{"bad restart policy", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: rp\nspec:\n  restartPolicy: Sometimes\n  containers:\n  - name: c\n    image: nginx\n",
			`spec.restartPolicy: Unsupported value: "Sometimes"`},
		{"missing namespace", good + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lost\n  namespace: nowhere\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
			`namespaces "nowhere" not found`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t)
			c.Advance(0)
			rv := c.Store().ResourceVersion()
			traceLen := len(c.Trace())
			_, err := c.Apply([]byte(tc.manifest))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, rv, c.Store().ResourceVersion(), "no write happened")
			assert.Len(t, c.Trace(), traceLen)
			assert.Empty(t, c.Store().List("Pod", "", nil), "not even the good document was applied")

			_, err = c.Create([]byte(tc.manifest))
			require.Error(t, err)
			assert.Equal(t, rv, c.Store().ResourceVersion())
		})
	}
}

func TestCreateOfExistingObjectFailsAndApplyUpdates(t *testing.T) {
	c := newCluster(t)
	m := []byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n")
	_, err := c.Create(m)
	require.NoError(t, err, "kinds kubesim does not model are stored, not rejected")
	_, err = c.Create(m)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `serviceaccounts "robot" already exists`)

	applied, err := c.Apply([]byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  labels:\n    team: a\n"))
	require.NoError(t, err)
	require.Len(t, applied, 1)
	assert.Equal(t, "configured", string(applied[0].Outcome))
	again, err := c.Apply([]byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  labels:\n    team: a\n"))
	require.NoError(t, err)
	assert.Equal(t, "unchanged", string(again[0].Outcome))
	obj, err := c.Get(objects.Key{Kind: "ServiceAccount", Namespace: "default", Name: "robot"})
	require.NoError(t, err)
	assert.Equal(t, "a", obj.GetObjectMeta().Labels["team"])
}

func TestApplyKeepsWhatTheClusterFilledIn(t *testing.T) {
	c := newCluster(t)
	m := []byte(podManifest("keep", "Never", "sleep 100"))
	_, err := c.Apply(m)
	require.NoError(t, err)
	c.Advance(0)
	node := getPod(t, c, "keep").Spec.NodeName
	require.NotEmpty(t, node)
	applied, err := c.Apply(m)
	require.NoError(t, err, "re-applying a scheduled pod keeps its node")
	assert.Equal(t, "unchanged", string(applied[0].Outcome))
	assert.Equal(t, node, getPod(t, c, "keep").Spec.NodeName)
}

func TestManifestMayCreateTheNamespaceItsObjectsUse(t *testing.T) {
	c := newCluster(t)
	m := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: nfs\n---\n" +
		"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: provisioner\n  namespace: nfs\n"
	applied, err := c.Apply([]byte(m))
	require.NoError(t, err, "the namespace is created first, as kubectl applies documents in order")
	require.Len(t, applied, 2)
	_, err = c.Get(objects.Key{Kind: "ServiceAccount", Namespace: "nfs", Name: "provisioner"})
	require.NoError(t, err)

	_, err = c.Create([]byte(strings.Replace(m, "nfs", "other", -1)))
	require.NoError(t, err, "create -f too")
}
