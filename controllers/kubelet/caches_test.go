package kubelet

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
)

// What the kubelet remembers about an image reference is what it would
// work out each time, for good and bad references alike, also past the
// cache's bound.
func TestRefFactsAreWhatEachLookupSays(t *testing.T) {
	k, err := New(Config{NodeName: "node", PodCIDR: "10.244.1.0/24"})
	require.NoError(t, err)
	refs := []string{"busybox", "busybox:1.36", "nginx:1.25", "mysql:8.0", "registry.example/tool@sha256:abc",
		"Busybox", "bad ref", `quote"d`, "ünïcode:1"}
	for i := range maxCachedImages {
		refs = append(refs, fmt.Sprintf("img%d:v%d", i, i))
	}
	for range 2 {
		for _, ref := range refs {
			f := k.refFacts(ref)
			assert.Equal(t, images.Lookup(ref), f.builtin, ref)
			_, perr := images.ParseReference(ref)
			assert.Equal(t, perr, f.parseErr, ref)
			assert.Equal(t, fmt.Sprintf("Container image %q already present on machine", ref), f.presentMsg, ref)
		}
	}
	assert.Len(t, k.refCache, maxCachedImages)
}

// envList keeps a name at its first position and its last value, whether
// it scans or indexes (past envScanLimit names): checked against a naive
// list.
func TestEnvListMatchesNaiveList(t *testing.T) {
	for _, n := range []int{0, 1, 5, envScanLimit, envScanLimit + 1, 3 * envScanLimit} {
		var l envList
		var naive []workload.EnvVar
		for i := range 4 * n {
			name, value := fmt.Sprintf("V%d", (i*7)%(n+1)), fmt.Sprint(i)
			l.set(name, value)
			found := false
			for j := range naive {
				if naive[j].Name == name {
					naive[j].Value, found = value, true
				}
			}
			if !found {
				naive = append(naive, workload.EnvVar{Name: name, Value: value})
			}
		}
		assert.Equal(t, naive, l.vars, "n=%d", n)
	}
}

// A container without env or envFrom gets the kubernetes Service
// variables alone, as one with them builds them.
func TestEnvWithoutVariablesIsTheServiceEnv(t *testing.T) {
	pr := &podRun{pod: &objects.Pod{ObjectMeta: objects.ObjectMeta{Namespace: "default"}}}
	plain, err := pr.env(objects.Container{})
	require.NoError(t, err)
	assert.Equal(t, serviceEnv(), plain)
	one, err := pr.env(objects.Container{Env: []objects.EnvVar{{Name: "KUBERNETES_SERVICE_PORT", Value: "443"}}})
	require.NoError(t, err)
	assert.Equal(t, one, plain)
}

// The search path remembered per namespace is each pod's own; pods
// without the cluster's DNS get none.
func TestPodSearchIsDNSSearch(t *testing.T) {
	k, err := New(Config{NodeName: "node", PodCIDR: "10.244.1.0/24"})
	require.NoError(t, err)
	for range 2 {
		for _, ns := range []string{"default", "kube-system", "team-a"} {
			for _, policy := range []string{"", objects.DNSClusterFirst, objects.DNSDefault, objects.DNSNone} {
				pod := &objects.Pod{ObjectMeta: objects.ObjectMeta{Namespace: ns}, Spec: objects.PodSpec{DNSPolicy: policy}}
				assert.Equal(t, dnsSearch(pod), k.podSearch(pod), "%s %q", ns, policy)
			}
		}
	}
}
