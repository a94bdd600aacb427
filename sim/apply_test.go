package sim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// clusterState is what an all-or-nothing apply that failed must leave as it
// was.
type clusterState struct {
	rv    int64
	trace int
	cms   int
	svcs  int
}

func stateOf(c *sim.Cluster) clusterState {
	return clusterState{rv: c.Store().ResourceVersion(), trace: len(c.Trace()),
		cms: len(c.Store().List("ConfigMap", "", nil)), svcs: len(c.Store().List("Service", "", nil))}
}

// A manifest whose second object fails only when written (its cluster IP
// is the kubernetes Service's; two objects share a name) is rolled back
// whole: the first object is gone, no resourceVersion or uid was used up,
// and neither the trace nor any controller saw it.
func TestApplyFailingAtWriteIsRolledBack(t *testing.T) {
	first := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\ndata:\n  k: v\n---\n"
	cases := map[string]struct {
		manifest string
		create   bool
		want     string
	}{
		"cluster IP taken": {manifest: first + "apiVersion: v1\nkind: Service\nmetadata:\n  name: clash\nspec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 80\n",
			want: `Service "clash" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated`},
		"node port taken twice": {manifest: first +
			"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n---\n" +
			"apiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n",
			want: "provided port is already allocated"},
		"one name twice on create": {manifest: first + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n", create: true,
			want: `configmaps "first" already exists`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newCluster(t)
			c.Advance(0)
			before := stateOf(c)
			var err error
			if tc.create {
				_, err = c.Create([]byte(tc.manifest))
			} else {
				_, err = c.Apply([]byte(tc.manifest))
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var ae *sim.ApplyError
			require.True(t, errors.As(err, &ae))
			assert.Positive(t, ae.Index, "the failing object is a later one")
			assert.Equal(t, before, stateOf(c), "nothing of the manifest is left, not even in the trace")
			c.Advance(0)
			assert.Equal(t, before, stateOf(c), "no controller reacts to a rolled-back write")

			// The next object gets the uid and resourceVersion it would
			// have got had the failed manifest never been sent.
			fresh := newCluster(t)
			fresh.Advance(0)
			cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n"
			got, err := c.Create([]byte(cm))
			require.NoError(t, err)
			want, err := fresh.Create([]byte(cm))
			require.NoError(t, err)
			assert.Equal(t, want[0].GetObjectMeta().UID, got[0].GetObjectMeta().UID)
			assert.Equal(t, want[0].GetObjectMeta().ResourceVersion, got[0].GetObjectMeta().ResourceVersion)
		})
	}
}

// Kinds the API does not serve are refused as kubectl's REST mapper
// refuses them; kinds of API groups kubesim does not model are stored.
func TestUnknownKindsAreRefused(t *testing.T) {
	c := newCluster(t)
	before := stateOf(c)
	_, err := c.Apply([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n"))
	require.Error(t, err)
	assert.Equal(t, `no matches for kind "Deploymnet" in version "apps/v1"`, err.Error())
	var de *objects.DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, objects.DecodeNoKindMatch, de.Reason)
	assert.Equal(t, "x", de.Name)
	assert.Equal(t, before, stateOf(c))

	for _, m := range []string{
		"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\nspec:\n  minAvailable: 1\n",
		"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n",
		"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n",
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n",
	} {
		_, err := c.Apply([]byte(m))
		assert.NoError(t, err, m)
	}
}

const widgetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
  - {name: v0, served: false, storage: false, schema: {openAPIV3Schema: {type: object}}}
`

// A CustomResourceDefinition makes its kind known once it is stored, in
// the versions it serves; in the manifest that creates it, its kind is not
// known yet, as kubectl's discovery does not know it.
func TestCustomResourceDefinitionMakesItsKindKnown(t *testing.T) {
	c := newCluster(t)
	widget := "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n"
	_, err := c.Apply([]byte(widgetCRD + "---\n" + widget))
	require.Error(t, err)
	assert.Equal(t, `no matches for kind "Widget" in version "example.com/v1"`, err.Error())

	_, err = c.Apply([]byte(widgetCRD))
	require.NoError(t, err)
	applied, err := c.Apply([]byte(widget))
	require.NoError(t, err)
	assert.Equal(t, sim.Created, applied[0].Outcome)
	_, err = c.Apply([]byte(strings.Replace(widget, "example.com/v1", "example.com/v0", 1)))
	require.Error(t, err, "v0 is not served")
}

// The apiserver reads at most 3 MiB of request body: a bigger object is
// refused with its 413 error, and nothing of the manifest is written.
func TestObjectOverTheRequestLimitIsRefused(t *testing.T) {
	c := newCluster(t)
	before := stateOf(c)
	big := &objects.Unstructured{
		TypeMeta:   objects.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: objects.ObjectMeta{Name: "big"},
		Content:    map[string]any{"rules": []any{map[string]any{"verbs": []any{strings.Repeat("x", objects.MaxObjectBytes)}}}},
	}
	small := &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Name: "small", Namespace: "default"}}
	_, err := c.CreateObjects(small, big)
	require.Error(t, err)
	assert.Equal(t, "Request entity too large: limit is 3145728", err.Error())
	var se *storage.StatusError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, storage.Reason("RequestEntityTooLarge"), se.Reason)
	assert.Equal(t, int32(413), se.Code)
	assert.Equal(t, before, stateOf(c))
}
