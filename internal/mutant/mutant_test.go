//go:build kubesim_mutants

package mutant

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSetActivatesOneMutation(t *testing.T) {
	defer Set("")
	if !Enabled {
		t.Fatal("Enabled is false in a build with the tag")
	}
	if err := Set("job-suspend-ignored"); err != nil {
		t.Fatal(err)
	}
	if !On("job-suspend-ignored") || On("job-extra-pod") || Active() != "job-suspend-ignored" {
		t.Fatalf("after Set(job-suspend-ignored): active %q", Active())
	}
	if err := Set("no-such-mutant"); err == nil || !strings.Contains(err.Error(), "job-extra-pod") {
		t.Fatalf("Set(unknown) = %v, want an error listing the mutants", err)
	}
	if Active() != "job-suspend-ignored" {
		t.Fatalf("a refused Set changed the active mutation to %q", Active())
	}
	if err := Set(""); err != nil || On("job-suspend-ignored") || On("") {
		t.Fatalf(`Set("") = %v, left %q active`, err, Active())
	}
}

// TestHooksMatchTheCatalogue holds the hooks and All in step: every
// mutant.On in controllers/ names a catalogued mutant of its package,
// once, with a comment on its line saying the bug class; every catalogued
// mutant has its hook.
func TestHooksMatchTheCatalogue(t *testing.T) {
	hooks := findHooks(t, filepath.Join("..", "..", "controllers"))
	for _, m := range All() {
		hs := hooks[m.Name]
		if len(hs) != 1 {
			t.Errorf("mutant %s has %d hooks, want 1", m.Name, len(hs))
			continue
		}
		if hs[0].pkg != m.Controller {
			t.Errorf("mutant %s is hooked in %s, catalogued for %s", m.Name, hs[0].pos, m.Controller)
		}
		if strings.TrimSpace(hs[0].comment) == "" {
			t.Errorf("mutant %s's hook at %s has no comment on its line", m.Name, hs[0].pos)
		}
		if m.Class == "" || m.Upstream == "" {
			t.Errorf("mutant %s lacks its bug class or upstream reference", m.Name)
		}
		delete(hooks, m.Name)
	}
	for name, hs := range hooks {
		t.Errorf("hook %s at %s names no catalogued mutant", name, hs[0].pos)
	}
}
