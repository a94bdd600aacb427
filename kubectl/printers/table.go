package printers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Options say how PrintTable prints a `kubectl get` table.
type Options struct {
	// Now is the virtual time ages are measured to.
	Now time.Time
	// Wide adds the columns -o wide adds.
	Wide bool
	// ShowLabels adds the LABELS column of --show-labels, last.
	ShowLabels bool
	// ShowNamespace adds the NAMESPACE column of -A (--all-namespaces)
	// first. Cluster-scoped kinds never get it, as in kubectl.
	ShowNamespace bool
	// NoHeaders drops the header line (--no-headers).
	NoHeaders bool
	// WithKind prefixes names with their kind ("pod/pi-x", "job.batch/pi"),
	// as kubectl does when one get lists several kinds. PrintTable turns it
	// on by itself when objs hold more than one kind.
	WithKind bool
}

// column is one column of a kind's table, as upstream's
// metav1.TableColumnDefinition describes it.
type column struct {
	name string // as upstream names it; the header is its upper case
	wide bool   // priority 1: printed only with -o wide
	// isName marks the column upstream formats as "name", the one WithKind prefixes.
	isName bool
}

// kindPrinter is what this package knows about printing one kind. Either
// function may be nil: the generic one is used instead.
type kindPrinter struct {
	columns []column
	// row returns every cell of the object's row, wide ones included, in
	// column order: the apiserver always generates wide rows and kubectl
	// drops the wide columns it does not show.
	row func(obj objects.Object, now time.Time) ([]string, error)
	// listRow, when set, replaces row for a printed list: it sees the whole
	// list first, for columns that depend on the other objects (only the
	// effective default StorageClass is marked "(default)").
	listRow func(list []objects.Object) func(obj objects.Object, now time.Time) ([]string, error)
	// describe writes the object's `kubectl describe` report.
	describe func(w *prefixWriter, obj objects.Object, opts DescribeOptions) error
}

// kindPrinters holds the printers registered by the kind files, by kind.
var kindPrinters = map[string]kindPrinter{}

// register records the printer of kind. It is called from the init
// functions of the kind files; registering a kind twice is a programming
// error caught at start-up.
func register(kind string, p kindPrinter) {
	if _, dup := kindPrinters[kind]; dup {
		panic("printers: kind " + kind + " registered twice")
	}
	kindPrinters[kind] = p
}

// printerFor returns the table columns and row function for kind, falling
// back to the generic NAME AGE table.
func printerFor(kind string) kindPrinter {
	if p, ok := kindPrinters[kind]; ok && p.row != nil {
		return p
	}
	return genericTable
}

// typedRow adapts a row function on a concrete type to the registry's
// signature, refusing objects of another type.
func typedRow[T objects.Object](f func(T, time.Time) []string) func(objects.Object, time.Time) ([]string, error) {
	return func(obj objects.Object, now time.Time) ([]string, error) {
		o, ok := obj.(T)
		if !ok {
			var want T
			return nil, fmt.Errorf("printers: cannot print a %T in a table of %T", obj, want)
		}
		return f(o, now), nil
	}
}

// genericTable is the table kubectl prints for a kind without its own
// columns, such as a custom resource without printer columns: NAME AGE.
var genericTable = kindPrinter{
	columns: []column{{name: "Name", isName: true}, {name: "Age"}},
	row: func(obj objects.Object, now time.Time) ([]string, error) {
		m := obj.GetObjectMeta()
		return []string{m.Name, since(m.CreationTimestamp, now)}, nil
	},
}

// PrintTable prints objs as `kubectl get` prints them: a header line and
// one aligned row per object. Objects of one kind share a table; when objs
// hold several kinds, each run of one kind gets its own table, separated by
// an empty line, with names prefixed by their kind. With no objects it
// prints nothing: kubectl then prints NoResourcesMessage to stderr.
func PrintTable(w io.Writer, objs []objects.Object, opts Options) error {
	groups, err := groupByKind(objs)
	if err != nil {
		return err
	}
	opts.WithKind = opts.WithKind || distinctKinds(groups) > 1
	out := &countingWriter{w: w}
	for i, g := range groups {
		if i > 0 && !opts.NoHeaders && out.n > 0 {
			out.separate = true
		}
		if err := printGroup(out, g, opts); err != nil {
			return err
		}
	}
	return nil
}

// kindGroup is a run of consecutive objects of one kind.
type kindGroup struct {
	group, kind string
	objs        []objects.Object
}

// groupByKind cuts objs into runs of one kind, refusing nil objects.
func groupByKind(objs []objects.Object) ([]kindGroup, error) {
	var groups []kindGroup
	for _, obj := range objs {
		group, kind, err := groupKindOf(obj)
		if err != nil {
			return nil, err
		}
		if n := len(groups); n > 0 && groups[n-1].kind == kind && groups[n-1].group == group {
			groups[n-1].objs = append(groups[n-1].objs, obj)
			continue
		}
		groups = append(groups, kindGroup{group: group, kind: kind, objs: []objects.Object{obj}})
	}
	return groups, nil
}

// distinctKinds counts the different kinds among groups.
func distinctKinds(groups []kindGroup) int {
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.group+"/"+g.kind] = true
	}
	return len(seen)
}

// printGroup prints one table: the objects of one kind.
func printGroup(w io.Writer, g kindGroup, opts Options) error {
	return printRows(newTableWriter(w), g, opts, !opts.NoHeaders)
}

// printRows writes one kind's rows into tw, after the header when header
// is set, and flushes.
func printRows(tw *tableWriter, g kindGroup, opts Options, header bool) error {
	p := printerFor(g.kind)
	showNS := opts.ShowNamespace && namespaced(g.kind)
	if header {
		tw.line(strings.Join(headers(p.columns, showNS, opts), "\t"))
	}
	prefix := kindPrefix(g.group, g.kind)
	row := p.row
	if p.listRow != nil {
		row = p.listRow(g.objs)
	}
	for i, obj := range g.objs {
		cells, err := row(obj, opts.Now)
		if err != nil {
			return err
		}
		tw.line(strings.Join(rowCells(p.columns, cells, obj, showNS, prefix, opts), "\t"))
		if (i+1)%tableFlushRows == 0 {
			if err := tw.flush(); err != nil {
				return err
			}
		}
	}
	return tw.flush()
}

// kindPrefix is how kubectl prefixes a name with its kind: the lower-cased
// kind, qualified by its API group ("pod", "job.batch").
func kindPrefix(group, kind string) string {
	if group == "" {
		return strings.ToLower(kind)
	}
	return strings.ToLower(kind) + "." + group
}

// headers returns the header cells: NAMESPACE, the shown columns, LABELS.
func headers(cols []column, showNS bool, opts Options) []string {
	var out []string
	if showNS {
		out = append(out, "NAMESPACE")
	}
	for _, c := range cols {
		if !c.wide || opts.Wide {
			out = append(out, strings.ToUpper(c.name))
		}
	}
	if opts.ShowLabels {
		out = append(out, "LABELS")
	}
	return out
}

// rowCells returns the printed cells of one row, escaped as kubectl
// escapes them, decorated with the namespace, kind and labels.
func rowCells(cols []column, cells []string, obj objects.Object, showNS bool, kindPrefix string, opts Options) []string {
	meta := obj.GetObjectMeta()
	var out []string
	if showNS {
		out = append(out, escapeCell(meta.Namespace))
	}
	for i, c := range cells {
		if i >= len(cols) {
			break // more cells than columns: upstream drops the extra ones
		}
		if cols[i].wide && !opts.Wide {
			continue
		}
		if cols[i].isName && opts.WithKind {
			c = kindPrefix + "/" + c
		}
		out = append(out, escapeCell(c))
	}
	if opts.ShowLabels {
		out = append(out, escapeCell(formatLabels(meta.Labels)))
	}
	return out
}

// namespaced reports whether kind lives in a namespace; kinds nobody
// registered are namespaced, as objects.KindInfoFor assumes.
func namespaced(kind string) bool {
	if info, ok := objects.LookupKind(kind); ok {
		return info.Namespaced
	}
	return true
}

// NoResourcesMessage is what kubectl get and describe print to stderr when
// nothing matched: "No resources found in default namespace." or, with
// --all-namespaces, "No resources found". Like kubectl, it names the
// namespace even for cluster-scoped kinds ("kubectl get nodes" on an empty
// cluster says "No resources found in default namespace.", kubernetes/kubectl#757),
// because with nothing listed kubectl cannot tell the kind's scope.
func NoResourcesMessage(namespace string, allNamespaces bool) string {
	if allNamespaces {
		return "No resources found"
	}
	return "No resources found in " + namespace + " namespace."
}

// cellBreakChars end a cell: kubectl prints what precedes the first one and
// "..." (cli-runtime tableprinter.go appendCellValue).
const cellBreakChars = "\f\n\r"

// terminalEscaper neutralises terminal escape sequences as cli-runtime's
// printers.WriteEscaped does (kubernetes/kubernetes#101695).
var terminalEscaper = strings.NewReplacer("\x1b", "^[", "\r", "\\r")

// escapeCell returns a cell as kubectl prints it.
func escapeCell(s string) string {
	if i := strings.IndexAny(s, cellBreakChars); i >= 0 {
		return terminalEscaper.Replace(s[:i]) + "..."
	}
	return terminalEscaper.Replace(s)
}

// formatLabels prints labels as apimachinery's labels.FormatLabels does:
// "app=nginx,tier=web", keys sorted, or "<none>".
func formatLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return "<none>"
	}
	parts := make([]string, 0, len(labels))
	for _, k := range sortedKeys(labels) {
		parts = append(parts, k+"="+labels[k])
	}
	return strings.Join(parts, ",")
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// errNilObject reports a nil object among the objects to print.
var errNilObject = errors.New("printers: cannot print a nil object")

// isNil reports whether obj is nil or a typed nil pointer.
func isNil(obj objects.Object) bool {
	if obj == nil {
		return true
	}
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// groupKindOf returns the API group and kind of obj. A typed object whose
// TypeMeta is empty gets them from the scheme, as objects.Encode does.
func groupKindOf(obj objects.Object) (group, kind string, err error) {
	if isNil(obj) {
		return "", "", errNilObject
	}
	apiVersion, kind := obj.GetTypeMeta().APIVersion, obj.GetTypeMeta().Kind
	if kind == "" {
		b, err := objects.Encode(obj)
		if err != nil {
			return "", "", err
		}
		var tm objects.TypeMeta
		if err := json.Unmarshal(b, &tm); err != nil {
			return "", "", err
		}
		apiVersion, kind = tm.APIVersion, tm.Kind
	}
	if kind == "" {
		return "", "", fmt.Errorf("missing kind for resource with name %v", obj.GetObjectMeta().Name)
	}
	if apiVersion == "" {
		if info, ok := objects.LookupKind(kind); ok {
			return info.Group, kind, nil
		}
	}
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[:i], kind, nil
	}
	return "", kind, nil
}

// countingWriter counts what it writes and, when asked to separate, puts an
// empty line before the next non-empty write, as kubectl get's
// separatorWriterWrapper does between tables.
type countingWriter struct {
	w        io.Writer
	n        int
	separate bool
}

// Write writes p, preceded by the pending separator line.
func (c *countingWriter) Write(p []byte) (int, error) {
	if len(p) > 0 && c.separate {
		c.separate = false
		if _, err := io.WriteString(c.w, "\n"); err != nil {
			return 0, err
		}
	}
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
