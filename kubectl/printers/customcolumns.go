package printers

import (
	"fmt"
	"io"
	"strings"

	"k8s.io/client-go/util/jsonpath"

	"github.com/kubesim/kubesim/objects"
)

// CustomColumns is a parsed -o custom-columns=SPEC: a header and a
// jsonpath per column, as kubectl's CustomColumnsPrinter holds them.
type CustomColumns struct {
	headers []string
	paths   []string
}

// ParseCustomColumns reads "NAME:.metadata.name,STATUS:.status.phase" as
// kubectl's NewCustomColumnsPrinterFromSpec does: columns split at commas,
// each at its first colon, each path relaxed ("metadata.name" is
// "{.metadata.name}") and parsed by client-go's jsonpath when printing.
// Errors carry kubectl's words.
func ParseCustomColumns(spec string) (*CustomColumns, error) {
	if spec == "" {
		return nil, fmt.Errorf("custom-columns format specified but no custom columns given")
	}
	cc := &CustomColumns{}
	for _, part := range strings.Split(spec, ",") {
		header, expr, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", part)
		}
		path, err := relaxedJSONPath(expr)
		if err != nil {
			return nil, err
		}
		cc.headers = append(cc.headers, header)
		cc.paths = append(cc.paths, path)
	}
	return cc, nil
}

// Print prints objs as kubectl's CustomColumnsPrinter does: the headers
// (unless noHeaders), then a row per object, each cell the values its
// path finds joined by commas ("<none>" when it finds nothing), aligned by
// kubectl's tab writer. kubectl prints the header once per run of objects
// of one Go type; every object kubesim prints is held as the same
// unstructured type, so the header comes once.
func (cc *CustomColumns) Print(w io.Writer, objs []objects.Object, noHeaders bool) error {
	parsers := make([]*jsonpath.JSONPath, len(cc.paths))
	for i, p := range cc.paths {
		parsers[i] = jsonpath.New(fmt.Sprintf("column%d", i)).AllowMissingKeys(true)
		if err := guard(func() error { return parsers[i].Parse(p) }); err != nil {
			return err
		}
	}
	tw := newTableWriter(w)
	if !noHeaders {
		tw.line(strings.Join(cc.headers, "\t"))
	}
	for _, obj := range objs {
		tree, err := objectTree(obj)
		if err != nil {
			return err
		}
		cells, err := columnCells(parsers, tree)
		if err != nil {
			tw.flush()
			return err
		}
		tw.line(strings.Join(cells, "\t"))
	}
	return tw.flush()
}

// columnCells is printOneObject's loop: each parser's results, escaped
// for the terminal and joined by commas.
func columnCells(parsers []*jsonpath.JSONPath, tree map[string]any) ([]string, error) {
	cells := make([]string, len(parsers))
	for i, p := range parsers {
		var values []string
		err := guard(func() error {
			results, err := findResults(p, tree)
			if err != nil {
				return err
			}
			if len(results) == 0 || len(results[0]) == 0 {
				values = append(values, "<none>")
			}
			for _, group := range results {
				for _, v := range group {
					values = append(values, terminalEscaper.Replace(fmt.Sprint(v.Interface())))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		cells[i] = strings.Join(values, ",")
	}
	return cells, nil
}
