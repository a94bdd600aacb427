package objects

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kubectl converts YAML to JSON with sigs.k8s.io/yaml, which keeps the last
// of two equal keys, and sends the JSON: the apiserver never sees the
// duplicate, so nothing reports it. The tutorial's nfs-client-provisioner
// Deployment gives `selector:` twice.
func TestDuplicateKeysKeepTheLastValue(t *testing.T) {
	objs, err := Decode([]byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: nfs-client-provisioner
spec:
  replicas: 1
  selector:
    matchLabels:
      app: first
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: nfs-client-provisioner
  template:
    metadata:
      labels:
        app: nfs-client-provisioner
    spec:
      containers:
      - name: c
        image: busybox
`))
	require.NoError(t, err)
	d := objs[0].(*Deployment)
	assert.Equal(t, map[string]string{"app": "nfs-client-provisioner"}, d.Spec.Selector.MatchLabels)

	objs, err = Decode([]byte(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","name":"b"}}`))
	require.NoError(t, err, "a JSON manifest too: kubectl decodes it to a map before sending it")
	assert.Equal(t, "b", objs[0].GetObjectMeta().Name)
}

func TestDecodeEachGoesOnAfterABadDocument(t *testing.T) {
	decoded, err := DecodeEach([]byte(`apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: apps/v1
kind: Pod
metadata: {name: p}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, bogus: 1}
---
apiVersion: v1
kind: Namespace
metadata: {name: c}
`))
	require.NoError(t, err)
	require.Len(t, decoded, 4)
	assert.Equal(t, "a", decoded[0].Object.GetObjectMeta().Name)
	assert.Equal(t, DecodeNoKindMatch, decoded[1].Err.Reason)
	assert.Equal(t, DecodeStrict, decoded[2].Err.Reason)
	assert.Equal(t, "c", decoded[3].Object.GetObjectMeta().Name)
	assert.Nil(t, decoded[3].Err)
}

func TestDecodeEachStopsAtASyntaxError(t *testing.T) {
	decoded, err := DecodeEach([]byte(`apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Namespace
metadata:
  name: b
   bad: indent
---
apiVersion: v1
kind: Namespace
metadata: {name: c}
`))
	require.Error(t, err)
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeSyntax, de.Reason)
	assert.Equal(t, "error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context", de.Message,
		"the line counts from the document's start, as kubectl's message does")
	assert.Equal(t, 9, de.Line)
	require.Len(t, decoded, 1, "the document before the error is decoded, the ones after are not read")
	assert.Equal(t, "a", decoded[0].Object.GetObjectMeta().Name)
}

func TestDecodeEachReportsKubectlsValidationProblems(t *testing.T) {
	decoded, err := DecodeEach([]byte("metadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n---\napiVersion: a/b/c\nkind: 5\n---\n[1]\n"))
	require.NoError(t, err)
	require.Len(t, decoded, 4)
	assert.Equal(t, []string{"apiVersion not set", "kind not set"}, decoded[0].Err.KindProblems)
	assert.Equal(t, []string{"kind not set"}, decoded[1].Err.KindProblems)
	assert.Equal(t, []string{"unexpected GroupVersion string: a/b/c", "kind isn't string type"}, decoded[2].Err.KindProblems)
	assert.Equal(t, []string{"invalid object to validate"}, decoded[3].Err.KindProblems)
}

func TestDecodeEachListItemsFailOneByOne(t *testing.T) {
	decoded, err := DecodeEach([]byte(`apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
- {apiVersion: v9, kind: Namespace, metadata: {name: b}}
- {apiVersion: v1, kind: Namespace, metadata: {name: c}}
`))
	require.NoError(t, err)
	require.Len(t, decoded, 3)
	assert.NotNil(t, decoded[0].Object)
	assert.Equal(t, 1, decoded[1].Err.ListIndex)
	assert.NotNil(t, decoded[2].Object)
}

// A document over the apiserver's 3 MiB request limit gets the apiserver's
// error (limitedReadBody: "Request entity too large: limit is 3145728"),
// and the documents around it decode.
func TestDocumentOverTheRequestLimitIsTooLarge(t *testing.T) {
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: " + strings.Repeat("x", MaxObjectBytes) + "\n"
	decoded, err := DecodeEach([]byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n" + big +
		"---\napiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n"))
	require.NoError(t, err)
	require.Len(t, decoded, 3)
	assert.Equal(t, DecodeTooLarge, decoded[1].Err.Reason)
	assert.Equal(t, "Request entity too large: limit is 3145728", decoded[1].Err.Error())
	assert.Equal(t, "c", decoded[2].Object.GetObjectMeta().Name)

	decoded, err = DecodeEach([]byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"k":"` + strings.Repeat("x", MaxObjectBytes) + `"}}`))
	require.NoError(t, err)
	assert.Equal(t, DecodeTooLarge, decoded[0].Err.Reason, "in a JSON stream too")
}

func TestManifestOfTooManyDocumentsIsRefusedWhole(t *testing.T) {
	var b strings.Builder
	for i := range MaxManifestObjects + 1 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n%d}\n", i)
	}
	decoded, err := DecodeEach([]byte(b.String()))
	require.Error(t, err)
	assert.Nil(t, decoded, "nothing is decoded")
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeTooMany, de.Reason)

	json := strings.Repeat(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}`, MaxManifestObjects+1)
	_, err = DecodeEach([]byte(json))
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeTooMany, de.Reason, "a JSON stream too")

	items := "apiVersion: v1\nkind: List\nitems:\n" + strings.Repeat("- {apiVersion: v1, kind: Namespace, metadata: {name: n}}\n", MaxManifestObjects+1)
	_, err = DecodeEach([]byte(items))
	require.True(t, errors.As(err, &de))
	assert.Equal(t, DecodeTooMany, de.Reason, "List items count too")

	empty := strings.Repeat("---\n", 4*MaxManifestObjects)
	decoded, err = DecodeEach([]byte(empty + "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"))
	require.NoError(t, err, "empty documents do not count")
	assert.Len(t, decoded, 1)
}

// YAML bombs are refused with go-yaml's message before they expand: the
// classic exponential one (go-yaml's own guard) and one anchor aliased many
// times (kubesim's size estimate), each at the size of a small file.
func TestYAMLBombsAreRefused(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = n
	}
	wide := "kind: ConfigMap\napiVersion: v1\nmetadata: {name: w}\nx: &x [" + strings.Repeat("aaaaaaaaaa,", 10000) + "a]\n" +
		"y: [" + strings.Repeat("*x,", 20000) + "*x]\n"
	for name, bomb := range map[string]string{"exponential": laughs, "wide": wide} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeEach([]byte(bomb))
			var de *DecodeError
			require.True(t, errors.As(err, &de), "got %v", err)
			assert.Equal(t, DecodeSyntax, de.Reason)
			assert.Equal(t, "error converting YAML to JSON: yaml: document contains excessive aliasing", de.Message)
		})
	}
	small := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: &d {k: v}\nbinaryData: {}\nimmutable: false\n"
	decoded, err := DecodeEach([]byte(small + "x: *d\n"))
	require.NoError(t, err)
	assert.Equal(t, `unknown field "x"`, strings.Join(decoded[0].Err.StrictErrors, ""),
		"a small alias expands and decodes (here into an unknown field)")
}

func TestServedKindsList(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range servedKinds {
		assert.False(t, seen[k.Kind], "%s listed twice", k.Kind)
		seen[k.Kind] = true
		assert.NotEmpty(t, k.Resource, k.Kind)
		assert.NotEmpty(t, k.Version, k.Kind)
	}
	assert.True(t, ServesVersion("Deployment", "apps/v1"))
	assert.False(t, ServesVersion("Deploymnet", "apps/v1"))
	assert.False(t, ServesVersion("Deployment", "extensions/v1beta1"), "removed in 1.16")
	assert.True(t, ServesVersion("HorizontalPodAutoscaler", "autoscaling/v1"))
	assert.True(t, ServesVersion("HorizontalPodAutoscaler", "autoscaling/v2"))
	assert.False(t, ServesVersion("PodDisruptionBudget", "policy/v1beta1"), "removed in 1.25")
	assert.True(t, ServesVersion("CronJob", "batch/v1beta1"), "kept for the tutorial")
	info, ok := LookupKind("Ingress")
	require.True(t, ok)
	assert.Equal(t, "networking.k8s.io", info.Group)
	assert.True(t, info.Namespaced)
	info, _ = LookupKind("PriorityClass")
	assert.False(t, info.Namespaced)
}
