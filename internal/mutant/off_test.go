//go:build !kubesim_mutants

package mutant

import (
	"errors"
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
