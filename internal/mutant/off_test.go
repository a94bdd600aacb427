//go:build !kubesim_mutants

package mutant

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Without the tag no mutation can be switched on.
func TestOffBuildHasNoMutations(t *testing.T) {
	if Enabled {
		t.Fatal("Enabled in a build without the kubesim_mutants tag")
	}
	if err := Set(""); err != nil {
		t.Fatalf(`Set("") = %v, want nil`, err)
	}
	if err := Set("job-suspend-ignored"); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Set(a mutant) = %v, want ErrNotBuilt", err)
	}
	if On("job-suspend-ignored") {
		t.Fatal("On reports a mutation active")
	}
}

// TestProductionBinaryCarriesNoMutations builds kubesim without the tag and
// looks for every hook's name in the binary: the compiler inlined the
// constant-false On and dropped the hooks, names and all.
func TestProductionBinaryCarriesNoMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/kubesim")
	}
	hooks := findHooks(t, filepath.Join("..", "..", "controllers"))
	if len(hooks) < 20 {
		t.Fatalf("found %d hooks in controllers/, want the catalogue's", len(hooks))
	}
	bin := filepath.Join(t.TempDir(), "kubesim")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/kubesim").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for name, hs := range hooks {
		if bytes.Contains(data, []byte(name)) {
			t.Errorf("the production binary holds %q (hooked at %s)", name, hs[0].pos)
		}
	}
}
