//go:build kubesim_mutants

package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/internal/mutant"
)

// suspendScenario suspends a running Job and checks the settled
// invariants: a suspended Job runs no pod.
const suspendScenario = `check --each-step
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "sleep 600"]
EOF
sleep 20s
kubectl patch job pi -p '{"spec":{"suspend":true}}'
sleep 1m
check --settled
`

// kubesim run --mutant plants the bug for the replay: the same file passes
// without it and reports the violation with it; the mutation is off again
// afterwards.
func TestRunWithAMutant(t *testing.T) {
	file := write(t, "suspend.txt", suspendScenario)
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"run", file}, &out, &errOut), errOut.String())
	assert.NotContains(t, out.String(), "violation")

	out.Reset()
	errOut.Reset()
	assert.Equal(t, 1, run([]string{"run", "--mutant", "job-suspend-ignored", file}, &out, &errOut))
	assert.Contains(t, out.String(), "violation: job-settled: job Job/default/pi: suspended but 2 pods are active")
	assert.Contains(t, errOut.String(), "invariant violations (the first: job-settled)")
	assert.Equal(t, "", mutant.Active(), "the mutation is off once the command returns")
}

func TestMutantFlagRefusesUnknownNames(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run([]string{"check", "--mutant", "no-such-bug"}, &out, &errOut))
	assert.Contains(t, errOut.String(), `kubesim: --mutant: unknown mutant "no-such-bug" (have: job-stale-view, `)
}

// kubesim check --mutant finds a planted bug and tells how to replay it.
func TestCheckWithAMutant(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"check", "--mutant", "job-suspend-ignored", "--kinds", "Job", "--runs", "300", "--seed", "1",
		"--time", "1m", "--out", t.TempDir()}, &out, &errOut)
	assert.Equal(t, 1, code, out.String()+errOut.String())
	assert.Contains(t, out.String(), "invariant job-settled broken")
	assert.Contains(t, out.String(), "replay it: kubesim run --mutant job-suspend-ignored ")
}
