package serviceaccount_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/serviceaccount"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The token controller of 1.23 and before: a ServiceAccount gets a token
// Secret (name <sa>-token-xxxxx, ca.crt, namespace, token, the account's
// name and uid in annotations) referenced from its secrets; then nothing
// more; the Secret deleted, a new one.
func TestTokenSecretIsMadeAndRemade(t *testing.T) {
	st := controllertest.NewStore(t, t0)
	sa := serviceaccount.DefaultServiceAccount("default")
	_, err := st.Create(sa)
	require.NoError(t, err)
	c := serviceaccount.NewTokens("CA")
	assert.Equal(t, []objects.Key{defaultSA}, controllertest.Feed(st, c), "an account created is looked at")

	res := c.Reconcile(t0, st, defaultSA)
	require.Len(t, res.Actions, 2)
	require.NoError(t, controllertest.Apply(st, c, res).Err)
	got, err := st.Get(defaultSA)
	require.NoError(t, err)
	refs := got.(*objects.Unstructured).Content["secrets"].([]any)
	require.Len(t, refs, 1)
	name := refs[0].(map[string]any)["name"].(string)
	assert.Regexp(t, `^default-token-[bcdfghjklmnpqrstvwxz2456789]{5}$`, name)
	obj, err := st.Get(objects.Key{Kind: "Secret", Namespace: "default", Name: name})
	require.NoError(t, err)
	secret := obj.(*objects.Secret)
	assert.Equal(t, objects.SecretTypeServiceAccountToken, secret.Type)
	assert.Equal(t, "default", secret.Annotations[serviceaccount.AnnServiceAccountName])
	assert.Equal(t, string(got.GetObjectMeta().UID), secret.Annotations[serviceaccount.AnnServiceAccountUID])
	assert.Equal(t, "CA", string(secret.Data["ca.crt"]))
	assert.Equal(t, "default", string(secret.Data["namespace"]))
	assert.Len(t, strings.Split(string(secret.Data["token"]), "."), 3, "a JWT's three parts")

	controllertest.Feed(st, c)
	assert.Empty(t, c.Reconcile(t0, st, defaultSA).Actions, "it has its token")

	_, err = st.Delete(objects.KeyOf(secret), storage.DeleteOptions{})
	require.NoError(t, err)
	assert.Equal(t, []objects.Key{defaultSA}, controllertest.Feed(st, c), "its token deleted, the account is looked at")
	res = c.Reconcile(t0, st, defaultSA)
	require.Len(t, res.Actions, 2)
	assert.Equal(t, name, res.Actions[0].Object.GetObjectMeta().Name, "the name comes from the account's uid")
	require.NoError(t, controllertest.Apply(st, c, res).Err)
	got, err = st.Get(defaultSA)
	require.NoError(t, err)
	assert.Len(t, got.(*objects.Unstructured).Content["secrets"], 1, "the deleted token's reference is replaced, not doubled")
}
