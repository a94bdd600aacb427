//go:build kubesim_mutants

package record_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/record"
)

// TestDiffFindsPlantedBug: the backoff scene run plain and with the Job
// controller's backoff off by one part where the Job gives up a failure
// early, and the diff says so in the scenario's words.
func TestDiffFindsPlantedBug(t *testing.T) {
	plain := recordFile(t, "../examples/job-backoff/job-backoff.txt", 1)
	require.NoError(t, mutant.Set("job-backoff-off-by-one"))
	defer mutant.Set("")
	planted := recordFile(t, "../examples/job-backoff/job-backoff.txt", 1)
	d := record.Diff(plain, planted)
	require.NotNil(t, d)
	assert.Equal(t, "sleep 3m", d.Command.Text)
	assert.Equal(t, "job-controller updates Job default/fail", d.BText)
	assert.Equal(t, "status.conditions[0]", d.Field)
	assert.Contains(t, d.BValue, `reason: "BackoffLimitExceeded"`)
}
