package propcheck

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/storage"
)

// TestControllersKeepTheirInvariants drives random scenarios with every
// operation and fault against the real controllers; a failure prints, and
// writes to testdata/failures/, the shrunk scenario.
func TestControllersKeepTheirInvariants(t *testing.T) {
	report, err := Run(Config{Runs: 60, Seed: 1, OutDir: filepath.Join("testdata", "failures")})
	require.NoError(t, err)
	if f := report.Failure; f != nil {
		t.Fatalf("invariant %s broken: %s\n--- %s ---\n%s", f.Invariant, f.Message, f.File, f.Script)
	}
	assert.Equal(t, 60, report.Runs)
	assert.Positive(t, report.Steps)
}

// An invariant that breaks as soon as a Job exists is found, shrunk to the
// one step that creates a Job, and its file replays the violation.
func TestAFailureIsShrunkAndReplays(t *testing.T) {
	noJobs := StoreInvariant("no-jobs", []string{"Job"}, false, func(r storage.Reader) []error {
		if len(r.List("Job", "", nil)) > 0 {
			return []error{errors.New("a job exists")}
		}
		return nil
	})
	dir := t.TempDir()
	report, err := Run(Config{Runs: 100, Seed: 3, Invariants: []Invariant{noJobs}, OutDir: dir})
	require.NoError(t, err)
	f := report.Failure
	require.NotNil(t, f, "the invariant breaks in the first run that creates a Job")
	assert.Equal(t, "no-jobs", f.Invariant)
	assert.Equal(t, 1, f.Steps, f.Script)
	data, err := os.ReadFile(f.File)
	require.NoError(t, err)
	assert.Equal(t, f.Script, string(data))
	v := Replay(f.Script, Config{}.Cluster, []Invariant{noJobs})
	require.NotNil(t, v, "the written scenario replays the violation")
	assert.Equal(t, "no-jobs", v.Invariant)
}
