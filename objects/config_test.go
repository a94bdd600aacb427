package objects

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tutorial's Secret: `echo -n 'QianFeng@123!' | base64` gives the data.
const tutorialSecret = `apiVersion: v1
data:
  password: UWlhbkZlbmdAMTIzIQ==
kind: Secret
metadata:
  name: my-pass
type: Opaque
`

func TestDecodeSecretBase64(t *testing.T) {
	obj, err := DecodeOne([]byte(tutorialSecret))
	require.NoError(t, err)
	s, ok := obj.(*Secret)
	require.True(t, ok, "a Secret decodes to the typed kind")
	assert.Equal(t, "QianFeng@123!", string(s.Data["password"]))

	out, err := Encode(s)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"password":"UWlhbkZlbmdAMTIzIQ=="`, "data is written back as base64")
}

// SetDefaults_Secret: an untyped Secret is Opaque.
func TestDefaultSecretType(t *testing.T) {
	s := &Secret{ObjectMeta: ObjectMeta{Name: "s", Namespace: "default"}}
	Default(s)
	assert.Equal(t, SecretTypeOpaque, s.Type)
	tls := &Secret{ObjectMeta: ObjectMeta{Name: "t", Namespace: "default"}, Type: SecretTypeTLS}
	Default(tls)
	assert.Equal(t, SecretTypeTLS, tls.Type)
}

// Convert_v1_Secret_To_core_Secret: stringData wins over data and is dropped.
func TestMergeStringData(t *testing.T) {
	s := &Secret{
		Data:       map[string][]byte{"user": []byte("admin"), "password": []byte("old")},
		StringData: map[string]string{"password": "new"},
	}
	MergeStringData(s)
	assert.Nil(t, s.StringData)
	assert.Equal(t, map[string][]byte{"user": []byte("admin"), "password": []byte("new")}, s.Data)

	only := &Secret{StringData: map[string]string{"k": "v"}}
	MergeStringData(only)
	assert.Equal(t, map[string][]byte{"k": []byte("v")}, only.Data)
}

func TestValidateSecretKeys(t *testing.T) {
	s := &Secret{ObjectMeta: ObjectMeta{Name: "s", Namespace: "default"}, Type: SecretTypeOpaque,
		Data: map[string][]byte{"bad key": nil, "..x": nil, "good.key_1-2": nil}}
	errs := ValidateCreate(s)
	require.Len(t, errs, 2)
	assert.Equal(t, `data[..x]: Invalid value: "..x": must not start with '..'`, errs[0].Error())
	assert.Equal(t, `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
		errs[1].Error())
}

func TestValidateSecretSize(t *testing.T) {
	s := &Secret{ObjectMeta: ObjectMeta{Name: "s", Namespace: "default"}, Type: SecretTypeOpaque,
		Data: map[string][]byte{"a": make([]byte, MaxSecretSize), "b": []byte("x")}}
	errs := ValidateCreate(s)
	require.Len(t, errs, 1)
	assert.Equal(t, "data: Too long: may not be more than 1048576 bytes", errs[0].Error())
}

func TestValidateSecretUpdateImmutable(t *testing.T) {
	yes := true
	old := &Secret{ObjectMeta: ObjectMeta{Name: "s", Namespace: "default", ResourceVersion: "1"},
		Type: SecretTypeOpaque, Immutable: &yes, Data: map[string][]byte{"k": []byte("v")}}
	changed := old.DeepCopy()
	changed.Data["k"] = []byte("w")
	changed.Immutable = nil
	changed.Type = SecretTypeTLS
	var msgs []string
	for _, e := range ValidateUpdate(changed, old) {
		msgs = append(msgs, e.Error())
	}
	assert.Equal(t, []string{
		`type: Invalid value: "kubernetes.io/tls": field is immutable`,
		"immutable: Forbidden: field is immutable when `immutable` is set",
		"data: Forbidden: field is immutable when `immutable` is set",
	}, msgs)
}

func TestValidateConfigMap(t *testing.T) {
	cm := &ConfigMap{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default"},
		Data:       map[string]string{"game.properties": "x", "dup": "y"},
		BinaryData: map[string][]byte{"dup": nil, "bad/key": nil}}
	var msgs []string
	for _, e := range ValidateCreate(cm) {
		msgs = append(msgs, e.Error())
	}
	require.Len(t, msgs, 2)
	assert.Equal(t, `data[dup]: Invalid value: "dup": duplicate of key present in binaryData`, msgs[0])
	assert.True(t, strings.HasPrefix(msgs[1], `binaryData[bad/key]: Invalid value: "bad/key": a valid config key`), msgs[1])

	big := &ConfigMap{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default"},
		Data: map[string]string{"a": strings.Repeat("x", MaxSecretSize)}, BinaryData: map[string][]byte{"b": []byte("y")}}
	errs := ValidateCreate(big)
	require.Len(t, errs, 1)
	// Upstream names the whole object with field.NewPath(""), which prints "[]".
	assert.Equal(t, "[]: Too long: may not be more than 1048576 bytes", errs[0].Error())
}

func TestValidateConfigMapUpdateImmutable(t *testing.T) {
	yes := true
	old := &ConfigMap{ObjectMeta: ObjectMeta{Name: "c", Namespace: "default", ResourceVersion: "1"},
		Immutable: &yes, Data: map[string]string{"k": "v"}}
	same := old.DeepCopy()
	assert.Empty(t, ValidateUpdate(same, old))
	changed := old.DeepCopy()
	changed.BinaryData = map[string][]byte{"b": nil}
	errs := ValidateUpdate(changed, old)
	require.Len(t, errs, 1)
	assert.Equal(t, "binaryData: Forbidden: field is immutable when `immutable` is set", errs[0].Error())
}

func TestConfigKindsRegistered(t *testing.T) {
	k, ok := LookupResource("cm")
	require.True(t, ok)
	assert.Equal(t, "ConfigMap", k.Kind)
	assert.True(t, k.Modelled())
	k, ok = LookupResource("secrets")
	require.True(t, ok)
	assert.Equal(t, "Secret", k.Kind)
	assert.True(t, k.Modelled())
}
