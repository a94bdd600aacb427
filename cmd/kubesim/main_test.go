package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestRunPrintsATranscript(t *testing.T) {
	file := write(t, "s.txt", "kubectl get ns default\nsleep 1m\nkubectl get ns default\n")
	var out, errOut bytes.Buffer
	code := run([]string{"run", file}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Equal(t, "$ kubectl get ns default\nNAME      STATUS   AGE\ndefault   Active   0s\n"+
		"$ sleep 1m\n$ kubectl get ns default\nNAME      STATUS   AGE\ndefault   Active   60s\n", out.String())
}

// A line is typed into the console's shell: an unknown command is bash's
// "command not found", and the run goes on; a scenario command the runner
// cannot carry out stops it with status 2.
func TestRunStopsAtABadCommandWithStatus2(t *testing.T) {
	file := write(t, "s.txt", "kubectl get ns default\nfrobnicate now\nsleep forever\nkubectl get pods\n")
	var out, errOut bytes.Buffer
	code := run([]string{"run", file}, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, out.String(), "$ frobnicate now\nbash: frobnicate: command not found\n")
	assert.Contains(t, errOut.String(), `s.txt:3: sleep: invalid time interval "forever"`)
	assert.NotContains(t, out.String(), "kubectl get pods", "nothing after the bad line runs")
}

func TestKubectlErrorsAreOutputNotFailures(t *testing.T) {
	file := write(t, "s.txt", "kubectl get pods nope\nkubectl get ns default -o name\n")
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"run", file}, &out, &errOut))
	assert.Contains(t, out.String(), `Error from server (NotFound): pods "nope" not found`)
	assert.Contains(t, out.String(), "namespace/default")
}

func TestTestReportsDifferencesAndRewriteFixesThem(t *testing.T) {
	file := write(t, "s.txt", "kubectl get ns default -o name\n----\nnamespace/wrong\n\nsleep 1s\n")
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run([]string{"test", file}, &out, &errOut))
	assert.Contains(t, out.String(), "s.txt:1: kubectl get ns default -o name: output differs")
	assert.Contains(t, out.String(), "namespace/default")

	out.Reset()
	assert.Equal(t, 0, run([]string{"test", "--rewrite", file}, &out, &errOut))
	fixed, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "kubectl get ns default -o name\n----\nnamespace/default\n\nsleep 1s\n", string(fixed))

	out.Reset()
	assert.Equal(t, 0, run([]string{"test", file}, &out, &errOut))
	assert.True(t, strings.HasPrefix(out.String(), "ok "))
}

func TestUsageErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(nil, &out, &errOut))
	assert.Equal(t, 2, run([]string{"launch"}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"run"}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"run", "--start", "yesterday", "x.txt"}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"run", filepath.Join(t.TempDir(), "missing.txt")}, &out, &errOut))
}

func TestSeedChangesNamesOnly(t *testing.T) {
	file := write(t, "s.txt", "kubectl create -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  generateName: p-\nspec:\n  containers:\n  - name: c\n    image: nginx\nEOF\nkubectl get pods -o name\n")
	var a, b, c, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"run", "--seed", "1", file}, &a, &errOut))
	require.Equal(t, 0, run([]string{"run", "--seed", "1", file}, &b, &errOut))
	require.Equal(t, 0, run([]string{"run", "--seed", "2", file}, &c, &errOut))
	assert.Equal(t, a.String(), b.String())
	assert.NotEqual(t, a.String(), c.String())
}

func TestStartSetsTheVirtualClock(t *testing.T) {
	file := write(t, "s.txt", "kubectl get ns default -o jsonpath='{.metadata.creationTimestamp}'\n")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"run", "--start", "2024-02-29T12:00:00Z", file}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "2024-02-29T12:00:00Z")
}

// --machine shapes the cluster as a scenario's machine lines do.
func TestMachineFlag(t *testing.T) {
	file := write(t, "s.txt", "kubectl get endpoints kubernetes\n")
	var out, errOut bytes.Buffer
	code := run([]string{"run", "--machine", "k8s-master,ip=172.16.229.143", file}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "kubernetes   172.16.229.143:6443")
	out.Reset()
	errOut.Reset()
	code = run([]string{"run", "--machine", "k8s-master,ip=nope", file}, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), `ip "nope" is not an IPv4 address`)
}

// TestKubernetesVersionFlag: --kubernetes-version sets the release the
// cluster runs (what its nodes report), and a scenario's cluster line
// overrides it; a release kubesim does not replay is refused.
func TestKubernetesVersionFlag(t *testing.T) {
	file := write(t, "s.txt", "kubectl get nodes k8s-node1\n")
	var out, errOut bytes.Buffer
	code := run([]string{"run", "--kubernetes-version", "1.21", file}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "v1.21.14")
	out.Reset()
	own := write(t, "own.txt", "cluster --kubernetes-version 1.24.3\nkubectl get nodes k8s-node1\n")
	code = run([]string{"run", "--kubernetes-version", "1.21", own}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "v1.24.3")
	out.Reset()
	code = run([]string{"run", "--kubernetes-version", "1.2", file}, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), `--kubernetes-version: kubernetes version "1.2"`)
}
