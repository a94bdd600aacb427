package kubesim_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/propcheck"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

var rewrite = flag.Bool("rewrite", false, "write actual scenario outputs back into testdata and examples files")

// TestScenarios checks every scenario file of testdata/ and examples/:
// each command's output must equal the expected output in the file.
// Regenerate with: go test -run TestScenarios -rewrite (and review the diff).
func TestScenarios(t *testing.T) {
	files := scenarioFiles(t)
	if len(files) == 0 {
		t.Fatal("no scenario files found")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(file, ".txt"), func(t *testing.T) {
			// Every scenario runs with the check that no code changes the
			// store's shared objects, after every command, and knows the
			// property checker's `check` lines.
			diffs, rewritten, err := scenario.CheckFileWith(file, sim.Config{CheckMutations: true}, func(r *scenario.Runner) {
				propcheck.Install(r, nil)
				r.After(func() string {
					if err := r.Cluster().VerifyUnchanged(); err != nil {
						t.Fatal(err)
					}
					return ""
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if *rewrite {
				if err := os.WriteFile(file, []byte(rewritten), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, d := range diffs {
				t.Error(d.String())
			}
		})
	}
}

// TestScenariosWithoutChecks replays every scenario as users run them,
// without the mutation checks TestScenarios turns on: the simulation takes
// its fast paths then (a change reaches only the controllers that watch
// its kind, none asked to confirm it means nothing to the others), and
// the output must be the same.
func TestScenariosWithoutChecks(t *testing.T) {
	if *rewrite {
		t.Skip("TestScenarios rewrites")
	}
	for _, file := range scenarioFiles(t) {
		t.Run(strings.TrimSuffix(file, ".txt"), func(t *testing.T) {
			diffs, _, err := scenario.CheckFileWith(file, sim.Config{}, func(r *scenario.Runner) {
				propcheck.Install(r, nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				t.Error(d.String())
			}
		})
	}
}

// scenarioFiles lists testdata/*.txt and examples/**/*.txt.
func scenarioFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir("examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
			files = append(files, path)
		}
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}
