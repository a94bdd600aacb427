package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Upstream's OpenAPI marks the string types tagged +enum (RestartPolicy,
// PullPolicy...): a field of such a type gets the schema's "enum" (the
// constants' values) and, after its description, a paragraph listing them
// with the constants' comments. kubectl explain prints both (an ENUM:
// section and "Possible enum values:"). This follows kube-openapi's
// generator (pkg/generators/enum.go: parseEnums, DescriptionLines,
// Description; openapi.go: generateDescription).

// enumHeader starts the paragraph of an enum field's description.
const enumHeader = "Possible enum values:"

// enumValue is one constant of an enum type.
type enumValue struct {
	name, value, comment string
}

// whitespace collapses a comment's runs of white space, as kube-openapi does.
var whitespace = regexp.MustCompile(`\s+`)

// description is the value's line in the paragraph: " - `"Always"` means...".
func (v enumValue) description() string {
	comment := strings.TrimSpace(v.comment)
	comment = strings.TrimSpace(strings.TrimPrefix(comment, v.name))
	comment = whitespace.ReplaceAllString(comment, " ")
	return strings.TrimRight(fmt.Sprintf(" - `%q` %s", v.value, comment), " ")
}

// enumPackage is what one Go package of k8s.io/api or apimachinery says
// about enums: its enum types' values, and its struct fields of enum
// types.
type enumPackage struct {
	path   string                 // import path
	values map[string][]enumValue // by enum type name
	fields []enumField
}

// enumField is a struct field whose type is an enum type, maybe another
// package's.
type enumField struct {
	key      string // "PodSpec.restartPolicy"
	pkg, typ string // the enum type: its package's import path and name
}

// enumFields returns, for every field of a modelled type whose type is an
// enum, its values sorted as upstream lists them, by "Type.jsonName".
func enumFields(dirs []string, roots map[string]string) (map[string][]enumValue, error) {
	modelled := modelledTypes()
	pkgs := map[string]*enumPackage{}
	// Core first, as for the descriptions: a type name found in several
	// groups takes core's.
	ordered := append([]string(nil), dirs...)
	sort.SliceStable(ordered, func(i, j int) bool {
		return strings.Contains(ordered[i], "/core/") && !strings.Contains(ordered[j], "/core/")
	})
	var order []*enumPackage
	for _, d := range ordered {
		p, err := parseEnumPackage(d, importPath(d, roots))
		if err != nil {
			return nil, err
		}
		pkgs[p.path] = p
		order = append(order, p)
	}
	out := map[string][]enumValue{}
	for _, p := range order {
		for _, f := range p.fields {
			typeName, _, _ := strings.Cut(f.key, ".")
			if !modelled[typeName] {
				continue
			}
			if _, done := out[f.key]; done {
				continue // a type of the same name in another group: the first (core) wins, as for docs
			}
			ep := pkgs[f.pkg]
			if ep == nil || len(ep.values[f.typ]) == 0 {
				continue
			}
			vals := append([]enumValue(nil), ep.values[f.typ]...)
			sort.Slice(vals, func(i, j int) bool { return vals[i].description() < vals[j].description() })
			out[f.key] = vals
		}
	}
	return out, nil
}

// importPath is a package directory's import path, given the module
// roots (directory to module path).
func importPath(dir string, roots map[string]string) string {
	for root, module := range roots {
		if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
			return module + "/" + filepath.ToSlash(rel)
		}
	}
	return dir
}

// parseEnumPackage reads a package's Go files (not tests) for enum types,
// their constants and the fields that use them.
func parseEnumPackage(dir, path string) (*enumPackage, error) {
	p := &enumPackage{path: path, values: map[string][]enumValue{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	enums := map[string]bool{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if id, ok := ts.Type.(*ast.Ident); ok && id.Name == "string" && hasEnumTag(specDoc(ts.Doc, gd)) {
					enums[ts.Name.Name] = true
				}
			}
		}
	}
	for _, f := range files {
		imports := fileImports(f)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			switch gd.Tok {
			case token.CONST:
				p.readConstants(gd, enums)
			case token.TYPE:
				for _, spec := range gd.Specs {
					p.readFields(spec.(*ast.TypeSpec), imports)
				}
			}
		}
	}
	return p, nil
}

// specDoc is a spec's doc comment, or its declaration's when it declares
// that spec alone.
func specDoc(doc *ast.CommentGroup, gd *ast.GenDecl) *ast.CommentGroup {
	if doc == nil && len(gd.Specs) == 1 {
		return gd.Doc
	}
	return doc
}

// hasEnumTag reports whether a doc comment has a +enum line.
func hasEnumTag(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		if strings.TrimSpace(strings.TrimPrefix(c.Text, "//")) == "+enum" {
			return true
		}
	}
	return false
}

// commentLines is a doc comment's text, its lines joined by spaces (as
// kube-openapi joins a constant's comment lines).
func commentLines(doc *ast.CommentGroup) string {
	if doc == nil {
		return ""
	}
	var lines []string
	for _, c := range doc.List {
		text := strings.TrimPrefix(c.Text, "//")
		lines = append(lines, strings.TrimPrefix(text, " "))
	}
	return strings.Join(lines, " ")
}

// readConstants records the typed string constants of enum types.
func (p *enumPackage) readConstants(gd *ast.GenDecl, enums map[string]bool) {
	for _, spec := range gd.Specs {
		vs := spec.(*ast.ValueSpec)
		id, ok := vs.Type.(*ast.Ident)
		if !ok || !enums[id.Name] || len(vs.Names) != len(vs.Values) {
			continue
		}
		for i, name := range vs.Names {
			lit, ok := vs.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			value, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			p.addValue(id.Name, enumValue{name: name.Name, value: value, comment: commentLines(specDoc(vs.Doc, gd))})
		}
	}
}

// addValue keeps one constant a value, the one with the longer comment
// (kube-openapi's addIfNotPresent).
func (p *enumPackage) addValue(typ string, v enumValue) {
	for i, existing := range p.values[typ] {
		if existing.value == v.value {
			if len(existing.comment) < len(v.comment) || len(existing.comment) == len(v.comment) && existing.comment > v.comment {
				p.values[typ][i] = v
			}
			return
		}
	}
	p.values[typ] = append(p.values[typ], v)
}

// fileImports maps a file's import names to paths.
func fileImports(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		name := filepath.Base(path)
		if im.Name != nil {
			name = im.Name.Name
		}
		out[name] = path
	}
	return out
}

// readFields records a struct's fields whose type is a named type (or a
// pointer to one), which may be an enum.
func (p *enumPackage) readFields(ts *ast.TypeSpec, imports map[string]string) {
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return
	}
	for _, fl := range st.Fields.List {
		if len(fl.Names) != 1 || fl.Tag == nil {
			continue
		}
		tag, err := strconv.Unquote(fl.Tag.Value)
		if err != nil {
			continue
		}
		jsonName, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
		if jsonName == "" || jsonName == "-" {
			continue
		}
		t := fl.Type
		if star, ok := t.(*ast.StarExpr); ok {
			t = star.X
		}
		key := ts.Name.Name + "." + jsonName
		switch t := t.(type) {
		case *ast.Ident:
			p.fields = append(p.fields, enumField{key: key, pkg: p.path, typ: t.Name})
		case *ast.SelectorExpr:
			if x, ok := t.X.(*ast.Ident); ok && imports[x.Name] != "" {
				p.fields = append(p.fields, enumField{key: key, pkg: imports[x.Name], typ: t.Sel.Name})
			}
		}
	}
}

// enumParagraph is what an enum field's description ends with.
func enumParagraph(vals []enumValue) string {
	lines := []string{enumHeader}
	for _, v := range vals {
		lines = append(lines, v.description())
	}
	return strings.Join(lines, "\n")
}
