// Package kubesim_test holds the architecture test: the package graph and
// the determinism rules of the simulation core, checked by go test so CI
// needs no extra linter.
package kubesim_test

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

const module = "github.com/kubesim/kubesim/"

// allowedImports maps a package (path relative to the module) to the module
// packages it may import. Sub-packages of controllers share one rule.
var allowedImports = map[string][]string{
	"clock":           {},
	"objects":         {},
	"internal/vfs":    {},
	"internal/mutant": {}, // the mutation tests' switches, which controllers read
	// The workload model, by job: the process model (threads in virtual
	// time, files, output, budgets), bc, the shell on both, the image
	// catalogue with its servers and clients as the shell's programs, and
	// the package that starts a container's process from all of them.
	"internal/workload/proc":   {"internal/vfs"},
	"internal/workload/bc":     {},
	"internal/workload/sh":     {"internal/vfs", "internal/workload/proc", "internal/workload/bc"},
	"internal/workload/images": {"internal/vfs", "internal/workload/sh"},
	"internal/workload/host":   {"internal/vfs", "internal/workload/sh"},
	"internal/workload":        {"internal/vfs", "internal/workload/proc", "internal/workload/sh", "internal/workload/images"},
	"internal/network":         {"objects", "storage", "internal/vfs", "internal/workload/sh", "internal/workload/images"},
	"internal/openapi":         {"objects"}, // the kinds' OpenAPI schemas, which serve publishes and kubectl explain reads
	"storage":                  {"objects", "clock"},
	"controllers":              {"objects", "storage"},
	"controllers/*":            {"controllers", "objects", "storage", "internal/vfs", "internal/workload", "internal/workload/images", "internal/workload/proc", "internal/mutant"},
	// controllertest is the harness controller tests share; only tests import it.
	"controllers/controllertest": {"controllers", "objects", "storage", "clock"},
	"sim":                        {"clock", "objects", "storage", "controllers", "controllers/*", "internal/vfs", "internal/workload", "internal/workload/images", "internal/workload/host", "internal/workload/proc", "internal/workload/sh", "internal/network"},
	"kubectl/printers":           {"objects"},
	"kubectl":                    {"sim", "storage", "objects", "kubectl/printers", "internal/openapi"},
	// scenario's console runs the runner's commands as programs of a
	// machine's shell.
	"scenario":  {"sim", "kubectl", "internal/vfs", "internal/workload/sh"},
	"propcheck": {"sim", "scenario", "storage", "objects", "controllers/*"},
	// record writes down a scenario's run through the runner's hooks and
	// the cluster's Observe; timeline draws a record.
	"record":   {"scenario", "sim", "storage", "objects"},
	"timeline": {"record", "objects", "kubectl/printers"},
	// serve is the core's edge: the Kubernetes API over a cluster, for
	// kubectl and client-go. Its requests take one lock around the
	// single-threaded cluster, and it runs goroutines (a driver that lets
	// virtual time follow a clock, net/http's handlers, watches), so it is
	// an edge package: its imports are checked, the determinism rules are
	// not (see edgePackages).
	"serve": {"sim", "storage", "objects", "kubectl/printers", "internal/openapi"},
	// kubesimtest runs a served cluster inside a test, its clock following
	// a testing/synctest bubble's: goroutines and locks again, an edge
	// package.
	"kubesimtest": {"sim", "serve", "storage", "objects", "controllers", "scenario"},
}

// edgePackages sit outside the single-threaded core, talking to it through
// one lock: they may start goroutines and use channels and locks (and,
// to follow an outside clock, read time.Now), which the core may not.
var edgePackages = map[string]bool{"serve": true, "kubesimtest": true}

// coreBans are calls and constructs the simulation core must not use: the
// wall clock, the global random source, goroutines, channels and locks.
var coreBans = map[string]string{
	"time.Now": "reads the wall clock", "time.Since": "reads the wall clock", "time.Until": "reads the wall clock",
	"time.Sleep": "sleeps on the wall clock", "time.After": "waits on the wall clock", "time.Tick": "waits on the wall clock",
	"time.NewTimer": "waits on the wall clock", "time.NewTicker": "waits on the wall clock", "time.AfterFunc": "waits on the wall clock",
}

// wallClockUsers may read the wall clock (and only that): the property
// checker's search and shrink budgets are wall time by definition, while
// every run it makes stays a deterministic function of its seed.
var wallClockUsers = map[string]bool{"propcheck": true}

var bannedImports = map[string]string{
	"math/rand": "uses the global random source (use the simulation's seeded math/rand/v2 source)",
	"sync":      "locks have no place in the single-threaded core",
	"os/exec":   "the core never runs host processes",
}

func ruleFor(pkg string) ([]string, bool) {
	if r, ok := allowedImports[pkg]; ok {
		return r, true
	}
	if strings.HasPrefix(pkg, "controllers/") {
		return allowedImports["controllers/*"], true
	}
	return nil, false
}

func allowed(rule []string, imp string) bool {
	for _, a := range rule {
		if a == imp || (strings.HasSuffix(a, "/*") && strings.HasPrefix(imp, strings.TrimSuffix(a, "*"))) {
			return true
		}
	}
	return false
}

func TestArchitecture(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		rule, core := ruleFor(pkg)
		if !core {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checkImports(t, path, f, rule, edgePackages[pkg])
		if !edgePackages[pkg] {
			checkDeterminism(t, fset, path, f, wallClockUsers[pkg])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkImports(t *testing.T, path string, f *ast.File, rule []string, edge bool) {
	for _, spec := range f.Imports {
		imp, _ := strconv.Unquote(spec.Path.Value)
		if why, banned := bannedImports[imp]; banned && !(edge && imp == "sync") {
			t.Errorf("%s imports %s: %s", path, imp, why)
		}
		if rel, ok := strings.CutPrefix(imp, module); ok && !allowed(rule, rel) {
			t.Errorf("%s imports %s, outside its package's allowed imports %v", path, rel, rule)
		}
	}
}

func checkDeterminism(t *testing.T, fset *token.FileSet, path string, f *ast.File, wallClockAllowed bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			t.Errorf("%s: starts a goroutine", fset.Position(n.Pos()))
		case *ast.ChanType:
			t.Errorf("%s: uses a channel", fset.Position(n.Pos()))
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if why, banned := coreBans[id.Name+"."+n.Sel.Name]; banned && !(wallClockAllowed && strings.Contains(why, "wall clock")) {
					t.Errorf("%s: %s.%s %s", fset.Position(n.Pos()), id.Name, n.Sel.Name, why)
				}
			}
		}
		return true
	})
}
