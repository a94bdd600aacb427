package rootcacert_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/rootcacert"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const bundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

var (
	defaultNS = objects.Key{Kind: "Namespace", Name: "default"}
	rootCM    = objects.Key{Kind: "ConfigMap", Namespace: "default", Name: "kube-root-ca.crt"}
)

func getCM(t *testing.T, st *storage.Store) *objects.ConfigMap {
	t.Helper()
	obj, err := st.Get(rootCM)
	require.NoError(t, err)
	return obj.(*objects.ConfigMap).DeepCopy()
}

// A new namespace gets kube-root-ca.crt with the bundle and upstream's
// description; edited or deleted, it is put back.
func TestRootCAConfigMapIsPublishedAndRepaired(t *testing.T) {
	st := controllertest.NewStore(t, t0)
	c := rootcacert.New(bundle)
	assert.Equal(t, []objects.Key{defaultNS}, controllertest.Feed(st, c))
	require.NoError(t, controllertest.Apply(st, c, c.Reconcile(t0, st, defaultNS)).Err)
	cm := getCM(t, st)
	assert.Equal(t, map[string]string{"ca.crt": bundle}, cm.Data)
	assert.Equal(t, rootcacert.Description, cm.Annotations["kubernetes.io/description"])
	assert.Empty(t, c.Reconcile(t0, st, defaultNS).Actions, "up to date")

	cm.Data["extra"] = "x"
	cm.Annotations["team"] = "a"
	_, err := st.Update(cm)
	require.NoError(t, err)
	assert.Equal(t, []objects.Key{defaultNS}, controllertest.Feed(st, c), "an update of the ConfigMap is looked at")
	res := c.Reconcile(t0, st, defaultNS)
	require.Len(t, res.Actions, 1)
	assert.Equal(t, controllers.Update, res.Actions[0].Verb)
	require.NoError(t, controllertest.Apply(st, c, res).Err)
	cm = getCM(t, st)
	assert.Equal(t, map[string]string{"ca.crt": bundle}, cm.Data, "the data is put back")
	assert.Equal(t, "a", cm.Annotations["team"], "other annotations stay")

	_, err = st.Delete(rootCM, storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, []objects.Key{defaultNS}, controllertest.Feed(st, c))
	res = c.Reconcile(t0, st, defaultNS)
	require.Len(t, res.Actions, 1)
	assert.Equal(t, controllers.Create, res.Actions[0].Verb)
}

// Nothing is created in a namespace being deleted, or one that is gone.
func TestNoRootCAConfigMapInATerminatingNamespace(t *testing.T) {
	st := controllertest.NewStore(t, t0)
	demo := objects.Key{Kind: "Namespace", Name: "demo"}
	_, err := st.Create(&objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "demo"}})
	require.NoError(t, err)
	st.DrainEvents()
	_, err = st.Delete(demo, storage.DeleteOptions{})
	require.NoError(t, err)
	c := rootcacert.New(bundle)
	assert.Empty(t, controllertest.Feed(st, c), "a namespace turning Terminating is not looked at")
	assert.Empty(t, c.Reconcile(t0, st, demo).Actions)
	assert.Empty(t, c.Reconcile(t0, st, objects.Key{Kind: "Namespace", Name: "gone"}).Actions)
}
