package printers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"

	"k8s.io/client-go/util/jsonpath"

	"github.com/kubesim/kubesim/objects"
)

// JSONPathOptions say how PrintJSONPath runs a template.
type JSONPathOptions struct {
	// AsList runs the template once on a List holding the objects (so
	// paths start with .items); otherwise it runs once per object.
	AsList bool
	// AsJSON prints each result as indented JSON (-o jsonpath-as-json).
	AsJSON bool
}

// PrintJSONPath prints objs through a jsonpath template, as `kubectl get -o
// jsonpath=TEMPLATE` does: '{.items[*].metadata.name}',
// '{range .items[*]}{.metadata.name}{"\n"}{end}',
// '{.status.conditions[?(@.type=="Ready")].status}'. The template is parsed
// and run by client-go's util/jsonpath, the package kubectl runs it with
// (cli-runtime's JSONPathPrinter); missing fields print nothing, as with
// kubectl's default --allow-missing-template-keys. Errors read as kubectl's
// do, without the "error: " prefix kubectl adds when printing them.
func PrintJSONPath(w io.Writer, objs []objects.Object, template string, opts JSONPathOptions) error {
	j, err := parseTemplate(template)
	if err != nil {
		return err
	}
	j.EnableJSONOutput(opts.AsJSON)
	trees, err := printTrees(objs, opts.AsList)
	if err != nil {
		return err
	}
	for _, tree := range trees {
		var out bytes.Buffer
		if err := executeTemplate(j, &out, tree); err != nil {
			return jsonPathExecError(template, tree, err)
		}
		if _, err := w.Write(out.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// parseTemplate parses a -o jsonpath template as cli-runtime's
// JSONPathPrintFlags.ToPrinter does, with its error words.
func parseTemplate(template string) (*jsonpath.JSONPath, error) {
	if template == "" {
		return nil, errors.New("template format specified but no template given")
	}
	j := jsonpath.New("out").AllowMissingKeys(true)
	if err := guard(func() error { return j.Parse(template) }); err != nil {
		return nil, fmt.Errorf("error parsing jsonpath %s, %v", template, err)
	}
	return j, nil
}

// executeTemplate runs j on tree into w, as JSONPath.Execute does but
// walking objects in key order (jsonpath_order.go).
func executeTemplate(j *jsonpath.JSONPath, w io.Writer, tree map[string]any) error {
	return guard(func() error {
		results, err := findResults(j, tree)
		if err != nil {
			return err
		}
		for _, r := range results {
			if err := j.PrintResults(w, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// guard turns a panic of client-go's jsonpath into an error: a template is
// user input, and kubesim never crashes on user input (the fuzz target
// FuzzJSONPath searches for such templates; none is known).
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return f()
}

// jsonPathExecError words an execution error as cli-runtime's
// JSONPathPrinter.PrintObj does, object dump included.
func jsonPathExecError(template string, tree map[string]any, err error) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Error executing template: %v. Printing more information for debugging the template:\n", err)
	fmt.Fprintf(&buf, "\ttemplate was:\n\t\t%v\n", template)
	fmt.Fprintf(&buf, "\tobject given to jsonpath engine was:\n\t\t%#v\n\n", tree)
	return fmt.Errorf("error executing jsonpath %q: %v", template, buf.String())
}

// relaxedPathRE is kubectl's jsonRegexp (get/customcolumn.go).
var relaxedPathRE = regexp.MustCompile(`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`)

// relaxedJSONPath is kubectl's RelaxedJSONPathExpression:
// "metadata.name", "{metadata.name}", ".metadata.name" and
// "{.metadata.name}" all become "{.metadata.name}".
func relaxedJSONPath(expr string) (string, error) {
	if expr == "" {
		return "", nil
	}
	m := relaxedPathRE.FindStringSubmatch(expr)
	if m == nil {
		return "", errors.New("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
	}
	if m[1] != "" {
		return "{." + m[1] + "}", nil
	}
	return "{." + m[2] + "}", nil
}
