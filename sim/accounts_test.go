package sim_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

const namedJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: busybox:1.36
        command: ["sh", "-c", "echo hi"]
`

// A namespace created gets its default ServiceAccount and kube-root-ca.crt
// from the controllers, drawing from the system stream: the pod a Job
// creates afterwards has the name it has in a cluster where the two
// controllers were stopped.
func TestNamespaceAccountsLeavePodNamesAlone(t *testing.T) {
	podName := func(withAccounts bool) string {
		c := newCluster(t)
		if !withAccounts {
			require.True(t, c.SetControllerDown("serviceaccount-controller", true))
			require.True(t, c.SetControllerDown("root-ca-certificate-publisher-controller", true))
		}
		_, err := c.Create([]byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n"))
		require.NoError(t, err)
		c.Advance(0)
		if withAccounts {
			_, err = c.Get(objects.Key{Kind: "ServiceAccount", Namespace: "demo", Name: "default"})
			require.NoError(t, err)
			cm, err := c.Get(objects.Key{Kind: "ConfigMap", Namespace: "demo", Name: "kube-root-ca.crt"})
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(cm.(*objects.ConfigMap).Data["ca.crt"], "-----BEGIN CERTIFICATE-----\n"))
			assert.Contains(t, c.TraceText(), "serviceaccount-controller create ServiceAccount/demo/default")
			assert.Contains(t, c.TraceText(), "root-ca-certificate-publisher-controller create ConfigMap/demo/kube-root-ca.crt")
		}
		_, err = c.Create([]byte(namedJob))
		require.NoError(t, err)
		c.Advance(0)
		pods := c.Store().List("Pod", "default", nil)
		require.Len(t, pods, 1)
		return pods[0].GetObjectMeta().Name
	}
	assert.Equal(t, podName(false), podName(true))
}

// The CA bundle is the cluster's: the same in every namespace, the same for
// a seed, another for another seed.
func TestRootCABundleFollowsTheSeed(t *testing.T) {
	bundle := func(seed uint64, ns string) string {
		c, err := sim.New(sim.Config{Seed: seed})
		require.NoError(t, err)
		cm, err := c.Get(objects.Key{Kind: "ConfigMap", Namespace: ns, Name: "kube-root-ca.crt"})
		require.NoError(t, err)
		return cm.(*objects.ConfigMap).Data["ca.crt"]
	}
	a := bundle(1, "default")
	assert.Equal(t, a, bundle(1, "kube-system"))
	assert.Equal(t, a, bundle(1, "default"))
	assert.NotEqual(t, a, bundle(2, "default"))
	assert.Len(t, a, 1107, "the size of kubeadm's CA certificate as PEM")
	assert.True(t, strings.HasSuffix(a, "\n-----END CERTIFICATE-----\n"))
}
