package kubelet

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// storeWith returns a store holding the default namespace and objs.
func storeWith(t *testing.T, objs ...objects.Object) *storage.Store {
	t.Helper()
	s := storage.New(clock.NewFake(t0), rand.New(rand.NewPCG(1, 2)))
	ns := &objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: objects.ObjectMeta{Name: "default"}}
	for _, o := range append([]objects.Object{ns}, objs...) {
		_, err := s.Create(o)
		require.NoError(t, err)
	}
	return s
}

func testSecret(data map[string]string) *objects.Secret {
	s := &objects.Secret{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: objects.ObjectMeta{Name: "my-pass", Namespace: "default"}, StringData: data}
	return s
}

func testConfigMap(data map[string]string) *objects.ConfigMap {
	return &objects.ConfigMap{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: objects.ObjectMeta{Name: "cfg", Namespace: "default"}, Data: data}
}

// envOf resolves c's environment for a pod in namespace default, without
// the service variables.
func envOf(t *testing.T, r storage.Reader, c objects.Container) ([]workload.EnvVar, error) {
	t.Helper()
	pr := &podRun{pod: &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: "p", Namespace: "default"}}, r: r}
	vars, err := pr.env(c)
	if err != nil {
		return nil, err
	}
	return vars[len(serviceEnv()):], nil
}

func keyRef(name, key string, optional bool) *objects.KeySelector {
	return &objects.KeySelector{Name: name, Key: key, Optional: &optional}
}

// makeEnvironmentVariables: envFrom first (prefixed), then env, a later
// definition replacing an earlier one; optional misses are skipped.
func TestEnvFromSecretsAndConfigMaps(t *testing.T) {
	r := storeWith(t, testSecret(map[string]string{"password": "QianFeng@123!", "user": "root"}),
		testConfigMap(map[string]string{"lives": "3"}))
	c := objects.Container{
		EnvFrom: []objects.EnvFromSource{{Prefix: "DB_", SecretRef: &objects.SecretEnvSource{
			LocalObjectReference: objects.LocalObjectReference{Name: "my-pass"}}}},
		Env: []objects.EnvVar{
			{Name: "LIVES", ValueFrom: &objects.EnvVarSource{ConfigMapKeyRef: keyRef("cfg", "lives", false)}},
			{Name: "DB_user", Value: "admin"},
			{Name: "GONE", ValueFrom: &objects.EnvVarSource{SecretKeyRef: keyRef("nope", "k", true)}},
			{Name: "NOKEY", ValueFrom: &objects.EnvVarSource{ConfigMapKeyRef: keyRef("cfg", "k", true)}},
		},
	}
	vars, err := envOf(t, r, c)
	require.NoError(t, err)
	assert.Equal(t, []workload.EnvVar{{Name: "DB_password", Value: "QianFeng@123!"}, {Name: "DB_user", Value: "admin"},
		{Name: "LIVES", Value: "3"}}, vars)
}

// The kubelet's messages for a missing object or key.
func TestEnvMissingSources(t *testing.T) {
	r := storeWith(t, testSecret(map[string]string{"user": "root"}))
	ref := func(src *objects.EnvVarSource) objects.Container {
		return objects.Container{Env: []objects.EnvVar{{Name: "X", ValueFrom: src}}}
	}
	_, err := envOf(t, r, ref(&objects.EnvVarSource{SecretKeyRef: keyRef("mysql-secret", "password", false)}))
	assert.EqualError(t, err, `secret "mysql-secret" not found`)
	_, err = envOf(t, r, ref(&objects.EnvVarSource{SecretKeyRef: keyRef("my-pass", "password", false)}))
	assert.EqualError(t, err, "couldn't find key password in Secret default/my-pass")
	_, err = envOf(t, r, ref(&objects.EnvVarSource{ConfigMapKeyRef: keyRef("cfg", "k", false)}))
	assert.EqualError(t, err, `configmap "cfg" not found`)
	_, err = envOf(t, r, objects.Container{EnvFrom: []objects.EnvFromSource{{ConfigMapRef: &objects.ConfigMapEnvSource{
		LocalObjectReference: objects.LocalObjectReference{Name: "cfg"}}}}})
	assert.EqualError(t, err, `configmap "cfg" not found`)
}

// Volume payloads: every key with mode 0644, or the listed items at their
// paths and modes; a missing item key is the plugin's error.
func TestProjectedPayload(t *testing.T) {
	data := map[string]string{"b": "2", "a": "1"}
	files, err := payload(data, nil, nil, false, "references non-existent secret key: %s")
	require.NoError(t, err)
	assert.Equal(t, []volumeFile{{"a", []byte("1"), 0o644}, {"b", []byte("2"), 0o644}}, files)

	mode, def := int32(0o400), int32(0o440)
	files, err = payload(data, []objects.KeyToPath{{Key: "b", Path: "dir/b.txt", Mode: &mode}, {Key: "a", Path: "a"}}, &def, false, "x %s")
	require.NoError(t, err)
	assert.Equal(t, []volumeFile{{"dir/b.txt", []byte("2"), 0o400}, {"a", []byte("1"), 0o440}}, files)

	_, err = payload(data, []objects.KeyToPath{{Key: "c", Path: "c"}}, nil, false, "references non-existent secret key: %s")
	assert.EqualError(t, err, "references non-existent secret key: c")
}

// fieldpath.FormatMap: sorted key="value" lines, quoted as Go quotes.
func TestFormatMap(t *testing.T) {
	assert.Equal(t, "app=\"demo\"\nnote=\"say \\\"hi\\\"\"", formatMap(map[string]string{"note": `say "hi"`, "app": "demo"}))
	assert.Equal(t, "", formatMap(nil))
}

func TestMountBackoff(t *testing.T) {
	var d time.Duration
	var got []time.Duration
	for range 10 {
		d = nextMountBackoff(d)
		got = append(got, d)
	}
	assert.Equal(t, mountRetryFirst, got[0])
	assert.Equal(t, time.Second, got[1])
	assert.Equal(t, mountRetryMax, got[9])
}
