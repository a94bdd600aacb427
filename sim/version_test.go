package sim

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/workload/host"
	"github.com/kubesim/kubesim/objects"
)

// TestParseKubernetesVersion: a bare minor gets its line's last patch
// release (1.21 -> 1.21.14, as kubeadm's stable-1.21 resolves); a "v" is
// allowed; releases outside 1.19-1.37, other majors, and patches past a
// line's last are refused.
func TestParseKubernetesVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.21": "1.21.14", "v1.21.14": "1.21.14", "1.21.0": "1.21.0", "1.19": "1.19.16",
		"1.24": "1.24.17", "1.37": "1.37.0", "1.37.2": "1.37.2", "1.30": "1.30.0",
	} {
		got, _, err := ParseKubernetesVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "1", "2.21", "1.18", "1.38", "1.x", "1.21.15", "1.21.-1", "1.21.1.1", "latest"} {
		_, _, err := ParseKubernetesVersion(bad)
		assert.Error(t, err, bad)
	}
	_, err := New(Config{KubernetesVersion: "1.9"})
	assert.ErrorContains(t, err, `kubernetes version "1.9"`)
}

// TestReleaseDifferences: batch/v1beta1 CronJob is served up to 1.24 and
// warned about from 1.21 (k8s.io/api's prerelease lifecycle: introduced
// 1.8, deprecated 1.21, removed 1.25), batch/v1 from 1.21 (its GA); kubectl runs exec without "--" up
// to 1.30; nodes report the release.
func TestReleaseDifferences(t *testing.T) {
	cases := []struct {
		version      string
		served, warn bool
		v1           bool
		oldExec      bool
	}{
		{"1.19", true, false, false, true},
		{"1.20", true, false, false, true},
		{"1.21", true, true, true, true},
		{"1.24", true, true, true, true},
		{"1.25", false, false, true, true},
		{"1.30", false, false, true, true},
		{"1.31", false, false, true, false},
		{"1.37", false, false, true, false},
	}
	for _, tc := range cases {
		c, err := New(Config{KubernetesVersion: tc.version})
		require.NoError(t, err)
		assert.Equal(t, tc.served, c.ServesVersion("CronJob", "batch/v1beta1"), tc.version)
		assert.Equal(t, tc.v1, c.ServesVersion("CronJob", "batch/v1"), tc.version)
		assert.Equal(t, tc.warn, len(c.VersionWarnings("CronJob", "batch/v1beta1")) == 1, tc.version)
		assert.Empty(t, c.VersionWarnings("CronJob", "batch/v1"), tc.version)
		assert.Equal(t, tc.oldExec, c.OldExecForm(), tc.version)
		obj, err := c.Get(objects.Key{Kind: "Node", Name: "k8s-node1"})
		require.NoError(t, err)
		assert.Equal(t, "v"+c.KubernetesVersion(), obj.(*objects.Node).Status.NodeInfo.KubeletVersion)
	}
	// kubeadm's control plane marks: the master label and taint up to
	// 1.19, control-plane beside them from 1.20 (the taint from 1.24),
	// master gone from the labels in 1.24 and from the taints in 1.25.
	for version, want := range map[string][2]string{
		"1.19": {"node-role.kubernetes.io/master", "node-role.kubernetes.io/master"},
		"1.21": {"node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master", "node-role.kubernetes.io/master"},
		"1.24": {"node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master,node-role.kubernetes.io/control-plane"},
		"1.37": {"node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/control-plane"},
	} {
		c, err := New(Config{KubernetesVersion: version})
		require.NoError(t, err)
		obj, err := c.Get(objects.Key{Kind: "Node", Name: "k8s-master"})
		require.NoError(t, err)
		node := obj.(*objects.Node)
		var roles, taints []string
		for k := range node.Labels {
			if strings.HasPrefix(k, "node-role.kubernetes.io/") {
				roles = append(roles, k)
			}
		}
		sort.Strings(roles)
		for _, tn := range node.Spec.Taints {
			taints = append(taints, tn.Key)
		}
		assert.Equal(t, want, [2]string{strings.Join(roles, ","), strings.Join(taints, ",")}, version)
	}
	c, err := New(Config{KubernetesVersion: "1.21"})
	require.NoError(t, err)
	assert.Equal(t, []string{"batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob"},
		c.VersionWarnings("CronJob", "batch/v1beta1"))
}

// editManifest changes the apiserver's manifest on the master as a shell
// would and lets the kubelet look.
func editManifest(t *testing.T, c *Cluster, edit func(string) string) {
	t.Helper()
	h := c.apiserverHost()
	require.NotNil(t, h)
	data, err := h.Disk.ReadFile(host.APIServerManifest)
	require.NoError(t, err)
	require.NoError(t, h.Disk.WriteFile(host.APIServerManifest, []byte(edit(string(data))), 0o600, c.Now()))
	c.SyncStaticPods()
}

// addGate is the tutorial's fix: the gate as the apiserver's first flag.
func addGate(m string) string {
	return strings.Replace(m, "    - kube-apiserver\n", "    - kube-apiserver\n    - --feature-gates=RemoveSelfLink=false\n", 1)
}

// removeGate takes the fix out again.
func removeGate(m string) string {
	return strings.Replace(m, "    - --feature-gates=RemoveSelfLink=false\n", "", 1)
}

// TestAPIServerManifestRestarts: kubeadm's kubelet restarts kube-apiserver
// when its static pod manifest changes; it is away meanwhile (the
// controllers stand still) and, from 1.20 to 1.23, comes back with
// selfLink set when the gate was added. An unchanged manifest restarts
// nothing.
func TestAPIServerManifestRestarts(t *testing.T) {
	c, err := New(Config{KubernetesVersion: "1.21"})
	require.NoError(t, err)
	c.SyncStaticPods()
	assert.True(t, c.APIServerUp())
	assert.False(t, c.selfLinkSet(), "1.21 removed selfLink by default")

	editManifest(t, c, addGate)
	assert.False(t, c.APIServerUp())
	assert.Equal(t, "192.168.122.24:6443", c.APIServerAddress())
	for _, l := range c.loops {
		if l.ctrl.Name() == "job-controller" {
			assert.True(t, l.down, "the controllers reach the cluster through the apiserver")
		}
	}
	c.Advance(apiserverRestart - time.Second)
	assert.False(t, c.APIServerUp())
	c.Advance(time.Second)
	assert.True(t, c.APIServerUp())
	assert.True(t, c.selfLinkSet())
	for _, l := range c.loops {
		assert.False(t, l.down, l.ctrl.Name())
	}
	c.SyncStaticPods()
	assert.True(t, c.APIServerUp(), "an unchanged manifest restarts nothing")

	editManifest(t, c, removeGate)
	c.Advance(apiserverRestart)
	assert.True(t, c.APIServerUp())
	assert.False(t, c.selfLinkSet())
}

// TestAPIServerRefusesTheGate: from 1.24 the RemoveSelfLink gate is locked
// to true (1.30 dropped it: "unrecognized feature gate"), so an apiserver
// started with it exits and stays down until the line is removed; a
// manifest that is gone keeps it down too. Up to 1.19 selfLink is set
// without the gate.
func TestAPIServerRefusesTheGate(t *testing.T) {
	for version, msg := range map[string]string{
		"1.24": "cannot set feature gate RemoveSelfLink to false, feature is locked to true",
		"1.37": "unrecognized feature gate: RemoveSelfLink",
	} {
		c, err := New(Config{KubernetesVersion: version})
		require.NoError(t, err)
		editManifest(t, c, addGate)
		c.Advance(10 * time.Minute)
		assert.False(t, c.APIServerUp(), version)
		assert.Contains(t, c.TraceText(), msg, version)
		editManifest(t, c, removeGate)
		c.Advance(apiserverRestart)
		assert.True(t, c.APIServerUp(), version)
		assert.False(t, c.selfLinkSet(), version)

		require.NoError(t, c.apiserverHost().Disk.Remove(host.APIServerManifest))
		c.SyncStaticPods()
		c.Advance(10 * time.Minute)
		assert.False(t, c.APIServerUp(), version)
	}
	c, err := New(Config{KubernetesVersion: "1.19"})
	require.NoError(t, err)
	assert.True(t, c.selfLinkSet())
}

// The apiserver's warning about the Recycle reclaim policy came with 1.30
// (kubernetes#122339): older releases send none; other warnings pass.
func TestSendsWarning(t *testing.T) {
	recycle := "spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning."
	for version, want := range map[string]bool{"1.21": false, "1.29": false, "1.30": true, "1.37": true} {
		c, err := New(Config{KubernetesVersion: version})
		require.NoError(t, err)
		assert.Equal(t, want, c.SendsWarning(recycle), version)
		assert.True(t, c.SendsWarning(cronJobV1beta1Warning), version)
	}
}

// The manifest is read as the kubelet and the apiserver read it: a gate in
// a comment is no gate, a gate list is split at commas, a file that is not
// YAML or names no kube-apiserver container runs no apiserver.
func TestReadManifest(t *testing.T) {
	c, err := New(Config{KubernetesVersion: "1.21"})
	require.NoError(t, err)
	data, err := c.apiserverHost().Disk.ReadFile(host.APIServerManifest)
	require.NoError(t, err)
	m := string(data)
	with := func(line string) string {
		return strings.Replace(m, "    - kube-apiserver\n", "    - kube-apiserver\n"+line+"\n", 1)
	}
	for name, tc := range map[string]struct {
		manifest string
		minor    int
		want     selfLinkGateSetting
		err      string
	}{
		"as kubeadm wrote it": {m, 21, gateUnset, ""},
		"the tutorial's line": {with("    - --feature-gates=RemoveSelfLink=false   # 增加这行"), 21, gateOff, ""},
		"in a comment":        {with("    # - --feature-gates=RemoveSelfLink=false"), 21, gateUnset, ""},
		"among other gates":   {with("    - --feature-gates=Foo=true,RemoveSelfLink=false"), 23, gateOff, ""},
		"set to true":         {with("    - --feature-gates=RemoveSelfLink=true"), 24, gateOn, ""},
		"locked":              {with("    - --feature-gates=RemoveSelfLink=false"), 24, gateUnset, "feature is locked to true"},
		"gone":                {with("    - --feature-gates=RemoveSelfLink=true"), 30, gateUnset, "unrecognized feature gate: RemoveSelfLink"},
		"not YAML":            {m + "\n  - : [\n", 21, gateUnset, "could not decode"},
		"no apiserver in it":  {strings.Replace(m, "    name: kube-apiserver\n", "    name: other\n", 1), 21, gateUnset, "no kube-apiserver container"},
		"empty":               {"", 21, gateUnset, "no manifest"},
	} {
		got, err := readManifest(tc.manifest, tc.minor)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, got, name)
	}
}
