package record

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

// Replay runs t's scenario again, from the source and files t holds, on a
// cluster configured as t's was, and returns the new record. setup, when
// set, extends the runner first (kubesim adds the property checker's
// `check`); a planted mutant is the caller's to plant. A command the
// runner could not carry out is part of the record, not an error.
func Replay(t *Trace, setup func(*scenario.Runner)) (*Trace, error) {
	dir, err := os.MkdirTemp("", "kubesim-replay-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for _, f := range t.Files {
		if err := writeFile(dir, f); err != nil {
			return nil, err
		}
	}
	script, err := scenario.Parse(t.Scenario, t.Source)
	if err != nil {
		return nil, err
	}
	runner, err := scenario.NewRunner(sim.Config{Seed: t.Seed, Start: t.Start}, dir)
	if err != nil {
		return nil, err
	}
	defer runner.Close()
	if setup != nil {
		setup(runner)
	}
	got, err := Run(runner, script, dir, Config{Seed: t.Seed, Start: t.Start, Mutant: t.Mutant}, nil)
	if got == nil {
		return nil, err
	}
	got.Files = t.Files // what the original read, whatever the replay's directory holds
	return got, nil
}

// writeFile puts a recorded file under dir, refusing names that would
// leave it.
func writeFile(dir string, f File) error {
	name := filepath.FromSlash(f.Name)
	if filepath.IsAbs(name) || !filepath.IsLocal(name) {
		return fmt.Errorf("trace file %q: not a path inside the scenario's directory", f.Name)
	}
	full := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, []byte(f.Data), 0o644)
}

// Verify replays the trace in data and checks that the replay's record is
// byte for byte the same. It returns nil when it is, and otherwise where
// the two runs part.
func Verify(data []byte, setup func(*scenario.Runner)) (*Divergence, error) {
	t, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	got, err := Replay(t, setup)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(got.Bytes(), data) {
		return nil, nil
	}
	if d := Diff(t, got); d != nil {
		return d, nil
	}
	// The same entries written differently: a file not written by Format.
	return &Divergence{Note: "the replay's record holds the same run but is not byte-identical to the file " +
		"(was it written by kubesim?): " + firstLineDiff(data, got.Bytes())}, nil
}

// firstLineDiff names the first line two texts differ in.
func firstLineDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: %q vs %q", i+1, x, y)
		}
	}
	return "no line differs"
}
