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

// TestRunTraceReplayDiffTimeline: run --trace and --timeline write the
// record and the pictures beside the usual transcript; replay finds the
// record byte-identical; a record with one field changed replays to a
// difference naming it, and diff names the same; timeline draws a record.
func TestRunTraceReplayDiffTimeline(t *testing.T) {
	dir := t.TempDir()
	trace, page, picture := filepath.Join(dir, "run.trace"), filepath.Join(dir, "run.html"), filepath.Join(dir, "run.svg")
	var plain, out, errOut bytes.Buffer
	file := "../../examples/job-backoff/job-backoff.txt"
	require.Equal(t, 0, run([]string{"run", file}, &plain, &errOut), errOut.String())
	require.Equal(t, 0, run([]string{"run", "--trace", trace, "--timeline", page, file}, &out, &errOut), errOut.String())
	assert.Equal(t, plain.String(), out.String(), "recording changes nothing the run prints")
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.Contains(t, string(html), `<script type="application/json" id="timeline-data">`)

	out.Reset()
	assert.Equal(t, 0, run([]string{"replay", trace}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "byte-identical")

	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	tampered := filepath.Join(dir, "tampered.trace")
	require.NoError(t, os.WriteFile(tampered, []byte(strings.Replace(string(data), `"Error"`, `"OOMKilled"`, 1)), 0o644))
	out.Reset()
	assert.Equal(t, 1, run([]string{"replay", tampered}, &out, &errOut))
	assert.Contains(t, out.String(), "the runs part during command 4 (../../examples/job-backoff/job-backoff.txt:14: sleep 10s), at 00:00:07.143")
	assert.Contains(t, out.String(), `first differing field: status.containerStatuses[0].state.terminated.reason: A "OOMKilled", B "Error"`)

	out.Reset()
	assert.Equal(t, 1, run([]string{"diff", trace, tampered}, &out, &errOut))
	assert.Contains(t, out.String(), "A: kubelet/k8s-node1 updates Pod default/fail-fxk26")
	out.Reset()
	assert.Equal(t, 0, run([]string{"diff", trace, trace}, &out, &errOut))
	assert.Equal(t, "the runs are the same\n", out.String())

	require.Equal(t, 0, run([]string{"timeline", trace, picture}, &out, &errOut), errOut.String())
	svg, err := os.ReadFile(picture)
	require.NoError(t, err)
	assert.Equal(t, 5, strings.Count(string(svg), `class="bar pod"`), "five failed pods")
}

// TestTraceCommandsRefuseBadInput: a picture name without a known
// extension, a file that is not a trace, and missing arguments are exit 2
// with a reason.
func TestTraceCommandsRefuseBadInput(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	file := write(t, "s.txt", "kubectl get ns default\n")
	assert.Equal(t, 2, run([]string{"run", "--timeline", filepath.Join(dir, "x.png"), file}, &out, &errOut))
	assert.Contains(t, errOut.String(), "the file must end in .html (a page) or .svg (a picture)")
	assert.Empty(t, out.String(), "refused before the run")

	errOut.Reset()
	assert.Equal(t, 2, run([]string{"replay", file}, &out, &errOut))
	assert.Contains(t, errOut.String(), "trace line 1: not a kubesim trace")
	assert.Equal(t, 2, run([]string{"diff", file}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"timeline", file}, &out, &errOut))
}
