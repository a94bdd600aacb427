package serviceaccount_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/serviceaccount"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

var (
	defaultNS = objects.Key{Kind: "Namespace", Name: "default"}
	defaultSA = objects.Key{Kind: "ServiceAccount", Namespace: "default", Name: "default"}
)

// A new namespace gets its default ServiceAccount; once it exists nothing
// more is done; deleted, it comes back.
func TestDefaultServiceAccountIsCreatedAndRecreated(t *testing.T) {
	st := controllertest.NewStore(t, t0)
	c := serviceaccount.New()
	assert.Equal(t, []objects.Key{defaultNS}, controllertest.Feed(st, c), "a namespace created is looked at")

	res := c.Reconcile(t0, st, defaultNS)
	require.Len(t, res.Actions, 1)
	applied := controllertest.Apply(st, c, res)
	require.NoError(t, applied.Err)
	sa, err := st.Get(defaultSA)
	require.NoError(t, err)
	assert.Equal(t, "v1", sa.GetTypeMeta().APIVersion)
	assert.Empty(t, sa.(*objects.Unstructured).Content, "nothing but the name: no token secret since 1.24")

	assert.Empty(t, c.Reconcile(t0, st, defaultNS).Actions, "it exists")

	_, err = st.Delete(defaultSA, storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, []objects.Key{defaultNS}, controllertest.Feed(st, c), "a ServiceAccount deleted is looked at")
	assert.Len(t, c.Reconcile(t0, st, defaultNS).Actions, 1)
}

// A namespace being deleted gets nothing, and a missing one neither.
func TestTerminatingNamespaceGetsNoServiceAccount(t *testing.T) {
	st := controllertest.NewStore(t, t0)
	demo := objects.Key{Kind: "Namespace", Name: "demo"}
	_, err := st.Create(&objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "demo"}})
	require.NoError(t, err)
	st.DrainEvents()
	_, err = st.Delete(demo, storage.DeleteOptions{})
	require.NoError(t, err)
	c := serviceaccount.New()
	assert.Empty(t, c.Reconcile(t0, st, demo).Actions)
	assert.Empty(t, c.Reconcile(t0, st, objects.Key{Kind: "Namespace", Name: "gone"}).Actions)
}
