package record_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/record"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// recordFile records a scenario file's run, as `kubesim run --trace` does.
func recordFile(t *testing.T, file string, seed uint64) *record.Trace {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	return recordSource(t, file, string(src), seed)
}

func recordSource(t *testing.T, file, src string, seed uint64) *record.Trace {
	t.Helper()
	script, err := scenario.Parse(file, src)
	require.NoError(t, err)
	cfg := sim.Config{Seed: seed, Start: sim.DefaultStart}
	runner, err := scenario.NewRunner(cfg, filepath.Dir(file))
	require.NoError(t, err)
	defer runner.Close()
	tr, err := record.Run(runner, script, filepath.Dir(file), record.Config{Seed: seed, Start: cfg.Start}, nil)
	require.NoError(t, err)
	return tr
}

// examples lists every scenario the tutorial ships.
func examples(t *testing.T) []string {
	files, err := filepath.Glob("../examples/*/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestReplayEveryExample records each example, writes the record, and
// replays it from the file alone (a fresh directory holding only what the
// record kept): the replay's record is byte-identical.
func TestReplayEveryExample(t *testing.T) {
	for _, file := range examples(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data := recordFile(t, file, 1).Bytes()
			d, err := record.Verify(data, nil)
			require.NoError(t, err)
			require.Nil(t, d, "replay of %s parts: %v", file, d)
		})
	}
}

// TestFormatRoundTrip: a parsed record prints back byte for byte, and holds
// what the run did.
func TestFormatRoundTrip(t *testing.T) {
	tr := recordFile(t, "../examples/job-pi/job-pi.txt", 1)
	data := tr.Bytes()
	back, err := record.Parse(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, string(data), string(back.Bytes()))
	assert.Equal(t, uint64(1), back.Seed)
	require.Len(t, back.Files, 1)
	assert.Equal(t, "job.yaml", back.Files[0].Name)
	text := string(data)
	assert.Contains(t, text, "cmd 1 00:00:00.000 line=4 \"kubectl create -f job.yaml\"\n")
	assert.Contains(t, text, "change 00:00:00.000 kubectl create Job default/pi rv=")
	assert.Contains(t, text, "\tstatus.phase: \"Succeeded\"\n")
	assert.Contains(t, text, "\treason: \"SuccessfulCreate\"\n")
	assert.True(t, strings.HasSuffix(text, "end 00:04:10.000\n"), "the run ends after its sleeps: %q", text[len(text)-40:])
}

// TestObjectsRebuilt: every object a record holds rebuilds, from its
// fields, into the object the store held (its encoding is the same).
func TestObjectsRebuilt(t *testing.T) {
	tr := recordFile(t, "../examples/statefulset-nfs/statefulset-nfs.txt", 1)
	n := 0
	err := tr.Walk(func(c record.Step) error {
		if c.Object == nil {
			return nil
		}
		n++
		assert.Equal(t, c.Entry.Key.Name, c.Object.GetObjectMeta().Name)
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, n, 100)
}

// TestParseErrors: a file that is not a trace is refused with its line.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hello\n", "trace line 1: not a kubesim trace"},
		{"kubesim-trace 1\nconfig seed=x\n", "trace line 2: config: bad seed"},
		{"kubesim-trace 1\nbogus 1\n", "trace line 2: unknown entry \"bogus\""},
		{"kubesim-trace 1\nchange 00:00:00.000 a create Pod default/x rv=1\n\tnocolon\n", "cannot read field"},
		{"kubesim-trace 1\nend 1h\n", "bad time"},
	} {
		_, err := record.Parse(strings.NewReader(tc.in))
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}
}
