//go:build kubesim_mutants

package mutant

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
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

// hook is one mutant.On call in the controllers.
type hook struct {
	pos     string
	pkg     string
	comment string
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

// findHooks parses the non-test Go files under dir and returns the
// mutant.On calls by the name they ask for.
func findHooks(t *testing.T, dir string) map[string][]hook {
	t.Helper()
	out := map[string][]hook{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		lineComments := map[int]string{}
		for _, cg := range f.Comments {
			lineComments[fset.Position(cg.Pos()).Line] += cg.Text()
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "On" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "mutant" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: mutant.On with a name that is not a literal", fset.Position(call.Pos()))
				return true
			}
			name, _ := strconv.Unquote(lit.Value)
			pos := fset.Position(call.Pos())
			rel, _ := filepath.Rel(dir, filepath.Dir(path))
			out[name] = append(out[name], hook{pos: pos.String(), pkg: filepath.ToSlash(rel), comment: lineComments[pos.Line]})
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
