package record_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/record"
)

// TestVerifyFindsPlantedDivergence plants a divergence in a recorded run
// (the Job's BackoffLimitExceeded event recorded as DeadlineExceeded) and
// replays it: the replay parts from the file there, and says so in the
// scenario's words: the command, the event and the field.
func TestVerifyFindsPlantedDivergence(t *testing.T) {
	data := string(recordFile(t, "../examples/job-backoff/job-backoff.txt", 1).Bytes())
	planted := strings.Replace(data, "\treason: \"BackoffLimitExceeded\"\n", "\treason: \"DeadlineExceeded\"\n", 1)
	require.NotEqual(t, data, planted, "the record holds the event")

	d, err := record.Verify([]byte(planted), nil)
	require.NoError(t, err)
	require.NotNil(t, d)
	require.NotNil(t, d.Command)
	assert.Equal(t, "sleep 3m", d.Command.Text)
	assert.Equal(t, "Event", d.A.Key.Kind)
	assert.Equal(t, "reason", d.Field)
	assert.Equal(t, `"DeadlineExceeded"`, d.AValue)
	assert.Equal(t, `"BackoffLimitExceeded"`, d.BValue)
	assert.Contains(t, d.BText, `job-controller records event Warning BackoffLimitExceeded about Job default/fail: "Job has reached the specified backoff limit"`)
	text := d.String()
	assert.Contains(t, text, "the runs part during command 6 (../examples/job-backoff/job-backoff.txt:21: sleep 3m), at 00:03:02.000")
	assert.Contains(t, text, `first differing field: reason: A "DeadlineExceeded", B "BackoffLimitExceeded"`)
}

// TestDiffNamesObjectAndField: two runs of one scenario whose inline
// manifests differ in one field part at the write that carries it.
func TestDiffNamesObjectAndField(t *testing.T) {
	const scene = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata: {name: fail}
spec:
  backoffLimit: LIMIT
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: fail, image: busybox:1.36, command: ["sh", "-c", "sleep 5; exit 1"]}
EOF
sleep 2m
kubectl get pods
`
	a := recordSource(t, "scene.txt", strings.Replace(scene, "LIMIT", "1", 1), 1)
	b := recordSource(t, "scene.txt", strings.Replace(scene, "LIMIT", "3", 1), 1)
	d := record.Diff(a, b)
	require.NotNil(t, d)
	assert.Contains(t, d.Note, `the scenarios differ first at line 6: "  backoffLimit: 1" and "  backoffLimit: 3"`)
	require.NotNil(t, d.Command)
	assert.Equal(t, 1, d.Command.Index)
	assert.Equal(t, "kubectl creates Job default/fail", d.AText)
	assert.Equal(t, "spec.backoffLimit", d.Field)
	assert.Equal(t, "1", d.AValue)
	assert.Equal(t, "3", d.BValue)

	assert.Nil(t, record.Diff(a, a), "a run does not differ from itself")
	same, err := record.Parse(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	assert.Nil(t, record.Diff(a, same))
}

// TestDiffSeeds: runs with different seeds part at the first generated
// name, and the note says the seeds differ.
func TestDiffSeeds(t *testing.T) {
	a := recordFile(t, "../examples/job-pi/job-pi.txt", 1)
	b := recordFile(t, "../examples/job-pi/job-pi.txt", 2)
	d := record.Diff(a, b)
	require.NotNil(t, d)
	assert.Contains(t, d.Note, "seeds differ: 1 and 2")
	assert.Nil(t, d.Command, "the bootstrap objects' uids come from the seed")
	assert.Contains(t, d.String(), "the runs part before the first command (while the cluster is built), at 00:00:00.000")
	assert.Equal(t, `data["ca.crt"]`, d.Field, "the cluster's CA certificate is made from the seed")
	assert.Contains(t, d.String(), `first differing field: data["ca.crt"]: A "-----BEGIN CERTIFICATE-----\nMIIDBTfsZ0i0dRMvBzJMFd0FtLfbJKrxOvMIM268ctdl9Ug1OPkWUTkjqeQRN9LY\nFxjWKl19MVvnXBeZN+KSzWMv…, B "-----BEGIN`)
}

// TestDiffNamesMissingListElement: a condition only one run has is named
// whole, by its type, status and reason, not by its first leaf.
func TestDiffNamesMissingListElement(t *testing.T) {
	a := &record.Trace{Entries: []record.Entry{{Kind: record.KindChange, Verb: "update", Actor: "job-controller",
		Key: objects.Key{Kind: "Job", Namespace: "default", Name: "fail"}, RV: 5,
		Fields: []record.Field{{Path: "status.failed", Value: "4"}}}}}
	b := &record.Trace{Entries: []record.Entry{{Kind: record.KindChange, Verb: "update", Actor: "job-controller",
		Key: objects.Key{Kind: "Job", Namespace: "default", Name: "fail"}, RV: 5,
		Fields: []record.Field{
			{Path: "status.conditions[0].lastProbeTime", Value: `"2023-12-22T00:01:35Z"`},
			{Path: "status.conditions[0].reason", Value: `"BackoffLimitExceeded"`},
			{Path: "status.conditions[0].status", Value: `"True"`},
			{Path: "status.conditions[0].type", Value: `"Failed"`},
			{Path: "status.failed", Value: "4"},
		}}}}
	d := record.Diff(a, b)
	require.NotNil(t, d)
	assert.Equal(t, "status.conditions[0]", d.Field)
	assert.Equal(t, "(none)", d.AValue)
	assert.Equal(t, `{type: "Failed", status: "True", reason: "BackoffLimitExceeded"}`, d.BValue)
}
