package printers

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// The tutorial's `kubectl get secret`: NAME TYPE DATA AGE.
func TestGetSecrets(t *testing.T) {
	token := &objects.Secret{ObjectMeta: meta("default", "default-token-24c52", 0),
		Type: objects.SecretTypeServiceAccountToken, Data: map[string][]byte{"ca.crt": nil, "namespace": nil, "token": nil}}
	pass := &objects.Secret{ObjectMeta: meta("default", "my-pass", 3*time.Minute), Type: objects.SecretTypeOpaque,
		Data: map[string][]byte{"password": []byte("QianFeng@123!")}}
	assert.Equal(t, ""+
		"NAME                  TYPE                                  DATA   AGE\n"+
		"default-token-24c52   kubernetes.io/service-account-token   3      4m\n"+
		"my-pass               Opaque                                1      60s\n",
		table(t, Options{Now: now}, token, pass))
}

// printConfigMap: DATA counts data and binaryData.
func TestGetConfigMaps(t *testing.T) {
	cm := &objects.ConfigMap{ObjectMeta: meta("default", "game-config", 0),
		Data: map[string]string{"a": "1", "b": "2"}, BinaryData: map[string][]byte{"c": {1}}}
	assert.Equal(t, "NAME          DATA   AGE\ngame-config   3      4m\n", table(t, Options{Now: now}, cm))
}

func TestDescribeSecret(t *testing.T) {
	s := &objects.Secret{ObjectMeta: meta("default", "db-user-pass", 0), Type: objects.SecretTypeOpaque,
		Data: map[string][]byte{"username": []byte("admin"), "password": []byte("QianFeng@123!")}}
	var buf bytes.Buffer
	require.NoError(t, Describe(&buf, s, DescribeOptions{Now: now}))
	assert.Equal(t, ""+
		"Name:         db-user-pass\n"+
		"Namespace:    default\n"+
		"Labels:       <none>\n"+
		"Annotations:  <none>\n"+
		"\n"+
		"Type:  Opaque\n"+
		"\n"+
		"Data\n"+
		"====\n"+
		"password:  13 bytes\n"+
		"username:  5 bytes\n", buf.String())
}

func TestDescribeConfigMap(t *testing.T) {
	cm := &objects.ConfigMap{ObjectMeta: meta("default", "game-config", 0),
		Data:       map[string]string{"lives": "3", "game.properties": "enemies=aliens\nlives=3"},
		BinaryData: map[string][]byte{"logo.png": {1, 2, 3}}}
	var buf bytes.Buffer
	require.NoError(t, Describe(&buf, cm, DescribeOptions{Now: now}))
	assert.Equal(t, ""+
		"Name:         game-config\n"+
		"Namespace:    default\n"+
		"Labels:       <none>\n"+
		"Annotations:  <none>\n"+
		"\n"+
		"Data\n"+
		"====\n"+
		"game.properties:\n"+
		"----\n"+
		"enemies=aliens\n"+
		"lives=3\n"+
		"lives:\n"+
		"----\n"+
		"3\n"+
		"\n"+
		"BinaryData\n"+
		"====\n"+
		"logo.png: 3 bytes\n"+
		"\n"+
		"Events:  <none>\n", buf.String())
}
