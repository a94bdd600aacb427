package storage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

func secret(name string) *objects.Secret {
	return &objects.Secret{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"}}
}

// Convert_v1_Secret_To_core_Secret runs on every write: stringData lands in
// data (winning over it) and is never stored; the type defaults to Opaque.
func TestSecretStringDataMergedOnCreateAndUpdate(t *testing.T) {
	f := newFixture(t)
	in := secret("db")
	in.Data = map[string][]byte{"user": []byte("root"), "password": []byte("old")}
	in.StringData = map[string]string{"password": "QianFeng@123!"}
	out := f.mustCreate(t, in).(*objects.Secret)
	assert.Nil(t, out.StringData)
	assert.Equal(t, objects.SecretTypeOpaque, out.Type)
	assert.Equal(t, map[string][]byte{"user": []byte("root"), "password": []byte("QianFeng@123!")}, out.Data)

	upd := out.DeepCopy()
	upd.StringData = map[string]string{"host": "mysql"}
	got, err := f.s.Update(upd)
	require.NoError(t, err)
	s := got.(*objects.Secret)
	assert.Nil(t, s.StringData)
	assert.Equal(t, "mysql", string(s.Data["host"]))
	assert.Len(t, s.Data, 3)
}

// Validation sees the merged data: a bad stringData key is reported under data.
func TestSecretStringDataValidatedAsData(t *testing.T) {
	f := newFixture(t)
	in := secret("bad")
	in.StringData = map[string]string{"bad key": "x"}
	_, err := f.s.Create(in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `data[bad key]: Invalid value: "bad key"`)
}
