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

// hook is one mutant.On call in the controllers.
type hook struct {
	pos     string
	pkg     string
	comment string
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
