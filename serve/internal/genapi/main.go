// Command genapi reads upstream's API definitions (k8s.io/api and
// k8s.io/apimachinery, as the Go module cache holds them) and writes two
// tables, one for package serve and one for package internal/openapi:
//
//   - zz_generated_proto.go (serve): every message of the generated.proto files of
//     the group versions kubesim serves, field number by field number, so
//     the server can read the protobuf bodies client-go's typed clients
//     (and kubectl create) send;
//   - zz_generated_upstream_docs.go (internal/openapi): upstream's field descriptions
//     (types_swagger_doc_generated.go) for the types kubesim models, which
//     the OpenAPI documents carry so kubectl explain reads as upstream's,
//     and the values of the fields whose types are enums (enums.go).
//
// Usage (see serve/protobuf.go's go:generate line):
//
//	go run ./internal/genapi API_DIR APIMACHINERY_DIR OUT_DIR DOCS_DIR
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: genapi API_DIR APIMACHINERY_DIR OUT_DIR DOCS_DIR")
		os.Exit(2)
	}
	apiDir, machineryDir, out, docsDir := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	dirs := servedDirs(apiDir)
	machinery := []string{"pkg/apis/meta/v1", "pkg/api/resource", "pkg/util/intstr", "pkg/runtime"}
	for _, d := range machinery {
		dirs = append(dirs, filepath.Join(machineryDir, d))
	}
	messages := map[string]map[int]field{}
	for _, d := range dirs {
		if err := parseProto(filepath.Join(d, "generated.proto"), messages); err != nil {
			fail(err)
		}
	}
	if err := write(filepath.Join(out, "zz_generated_proto.go"), renderProto(messages)); err != nil {
		fail(err)
	}
	docs, err := swaggerDocs(dirs)
	if err != nil {
		fail(err)
	}
	enums, err := enumFields(dirs, map[string]string{apiDir: "k8s.io/api", machineryDir: "k8s.io/apimachinery"})
	if err != nil {
		fail(err)
	}
	for key, vals := range enums {
		if docs[key] == "" {
			docs[key] = enumParagraph(vals)
		} else {
			docs[key] += "\n\n" + enumParagraph(vals)
		}
	}
	if err := write(filepath.Join(docsDir, "zz_generated_upstream_docs.go"), renderDocs(docs, enums)); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genapi:", err)
	os.Exit(1)
}

// packageDir is the k8s.io/api directory of an API group: core for the
// core group, else the group's first DNS label.
func packageDir(group string) string {
	if group == "" {
		return "core"
	}
	first, _, _ := strings.Cut(group, ".")
	return first
}

// servedDirs lists the k8s.io/api group version directories of the kinds
// kubesim serves (and of autoscaling/v1 Scale and policy/v1 Eviction,
// which subresources take).
func servedDirs(apiDir string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(group, version string) {
		d := filepath.Join(apiDir, packageDir(group), version)
		if _, err := os.Stat(filepath.Join(d, "generated.proto")); err != nil || seen[d] {
			return
		}
		seen[d] = true
		out = append(out, d)
	}
	for _, k := range objects.Kinds() {
		for _, v := range append([]string{k.Version}, k.OtherVersions...) {
			add(k.Group, v)
		}
	}
	add("autoscaling", "v1")
	add("policy", "v1")
	add("events", "v1") // events.k8s.io/v1, the core Events under new names (eventsv1.go)
	sort.Strings(out)
	return out
}

// field is one field of a protobuf message.
type field struct {
	name     string
	typ      string // a scalar type, or a message's full name
	repeated bool
	mapValue string // for map<string, V> fields, V (typ is "map")
}

var (
	packageRe = regexp.MustCompile(`^package ([\w.]+);`)
	messageRe = regexp.MustCompile(`^\s*message (\w+) \{`)
	fieldRe   = regexp.MustCompile(`^\s*(optional|repeated|required)?\s*([\w.]+) (\w+) = (\d+);`)
	mapRe     = regexp.MustCompile(`^\s*map<string, ([\w.]+)> (\w+) = (\d+);`)
)

// scalars are the protobuf scalar types upstream's messages use.
var scalars = map[string]bool{"string": true, "bytes": true, "bool": true, "int32": true, "int64": true,
	"uint32": true, "uint64": true, "double": true, "float": true, "fixed64": true, "sfixed64": true}

// parseProto reads the messages of one generated.proto (upstream's files
// are regular: one field a line, nested messages only for map entries
// written as map<...>).
func parseProto(path string, messages map[string]map[int]field) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	pkg := ""
	var stack []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "//") || trimmed == "" {
			continue
		}
		if m := packageRe.FindStringSubmatch(trimmed); m != nil {
			pkg = m[1]
			continue
		}
		if m := messageRe.FindStringSubmatch(line); m != nil {
			stack = append(stack, m[1])
			messages[pkg+"."+strings.Join(stack, ".")] = map[int]field{}
			continue
		}
		if trimmed == "}" && len(stack) > 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) == 0 {
			continue
		}
		msg := messages[pkg+"."+strings.Join(stack, ".")]
		if m := mapRe.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[3])
			msg[n] = field{name: m[2], typ: "map", mapValue: qualify(m[1], pkg)}
			continue
		}
		if m := fieldRe.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[4])
			msg[n] = field{name: m[3], typ: qualify(m[2], pkg), repeated: m[1] == "repeated"}
		}
	}
	return sc.Err()
}

// qualify returns a type's full name: scalars as they are, ".a.b.C" without
// its dot, "C" in the file's package.
func qualify(typ, pkg string) string {
	switch {
	case scalars[typ]:
		return typ
	case strings.HasPrefix(typ, "."):
		return typ[1:]
	}
	return pkg + "." + typ
}

// renderProto prints the message table.
func renderProto(messages map[string]map[int]field) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by serve/internal/genapi from k8s.io/api and k8s.io/apimachinery; DO NOT EDIT.\n\n")
	b.WriteString("package serve\n\n")
	b.WriteString("// protoMessages describes upstream's protobuf messages by full name: each\n")
	b.WriteString("// field's number, JSON name, type, and whether it repeats.\n")
	b.WriteString("var protoMessages = map[string]map[int]protoField{\n")
	for _, name := range sortedKeys(messages) {
		fmt.Fprintf(&b, "\t%q: {", name)
		fields := messages[name]
		nums := make([]int, 0, len(fields))
		for n := range fields {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		for i, n := range nums {
			if i > 0 {
				b.WriteString(", ")
			}
			f := fields[n]
			fmt.Fprintf(&b, "%d: {%q, %q, %v, %q}", n, f.name, f.typ, f.repeated, f.mapValue)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// swaggerDocs reads upstream's descriptions for the types kubesim models:
// docs["PodSpec"] and docs["PodSpec.volumes"]. A type name found in
// several groups keeps the first directory's (core before the others).
func swaggerDocs(dirs []string) (map[string]string, error) {
	modelled := modelledTypes()
	docs := map[string]string{}
	ordered := append([]string(nil), dirs...)
	sort.SliceStable(ordered, func(i, j int) bool {
		return strings.Contains(ordered[i], "/core/") && !strings.Contains(ordered[j], "/core/")
	})
	fset := token.NewFileSet()
	for _, d := range ordered {
		path := filepath.Join(d, "types_swagger_doc_generated.go")
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				readDocMap(spec.(*ast.ValueSpec), modelled, docs)
			}
		}
	}
	return docs, nil
}

// readDocMap reads one `var map_X = map[string]string{...}`.
func readDocMap(vs *ast.ValueSpec, modelled map[string]bool, docs map[string]string) {
	if len(vs.Names) != 1 || len(vs.Values) != 1 {
		return
	}
	typeName, ok := strings.CutPrefix(vs.Names[0].Name, "map_")
	if !ok || !modelled[typeName] {
		return
	}
	if _, done := docs[typeName]; done {
		return
	}
	lit, ok := vs.Values[0].(*ast.CompositeLit)
	if !ok {
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		k, err1 := strconv.Unquote(kv.Key.(*ast.BasicLit).Value)
		v, err2 := strconv.Unquote(kv.Value.(*ast.BasicLit).Value)
		if err1 != nil || err2 != nil {
			continue
		}
		if k == "" {
			docs[typeName] = v
		} else {
			docs[typeName+"."+k] = v
		}
	}
}

// modelledTypes lists the names of the struct types reachable from
// kubesim's modelled kinds.
func modelledTypes() map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t.Name()] {
			return
		}
		out[t.Name()] = true
		for i := 0; i < t.NumField(); i++ {
			walk(t.Field(i).Type)
		}
	}
	for _, k := range objects.Kinds() {
		if obj, ok := objects.NewObject(k.Kind); ok {
			walk(reflect.TypeOf(obj))
		}
	}
	return out
}

// renderDocs prints the description table and the enum fields' values.
func renderDocs(docs map[string]string, enums map[string][]enumValue) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by serve/internal/genapi from k8s.io/api's types_swagger_doc_generated.go; DO NOT EDIT.\n\n")
	b.WriteString("package openapi\n\n")
	b.WriteString("// upstreamDocs holds upstream's descriptions of the types kubesim models\n")
	b.WriteString("// (by type name) and of their fields (by Type.jsonName).\n")
	b.WriteString("var upstreamDocs = map[string]string{\n")
	for _, k := range sortedKeys(docs) {
		fmt.Fprintf(&b, "\t%q: %q,\n", k, docs[k])
	}
	b.WriteString("}\n\n")
	b.WriteString("// upstreamEnums holds the values of the fields whose upstream type is an\n")
	b.WriteString("// enum (by Type.jsonName), in upstream's order, for the schemas' enum.\n")
	b.WriteString("var upstreamEnums = map[string][]string{\n")
	for _, k := range sortedKeys(enums) {
		var values []string
		for _, v := range enums[k] {
			values = append(values, strconv.Quote(v.value))
		}
		sort.Strings(values) // kube-openapi's ValueStrings: sorted as Go literals
		fmt.Fprintf(&b, "\t%q: {%s},\n", k, strings.Join(values, ", "))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// write formats and writes a Go file.
func write(path string, src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
