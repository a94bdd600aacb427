package printers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/kubesim/kubesim/objects"
)

// PrintJSONPath prints objs through a jsonpath template, as `kubectl get -o
// jsonpath=TEMPLATE` does: '{.items[*].metadata.name}',
// '{range .items[*]}{.metadata.name}{"\n"}{end}',
// '{.status.conditions[?(@.type=="Ready")].status}'. asList runs the
// template once on a List holding objs (so paths start with .items);
// otherwise it runs once per object. Missing fields print nothing, as with
// kubectl's default --allow-missing-template-keys. Errors read as kubectl's
// do, without the "error: " prefix kubectl adds when printing them.
func PrintJSONPath(w io.Writer, objs []objects.Object, template string, asList bool) error {
	if template == "" {
		return errors.New("template format specified but no template given")
	}
	root, err := parseJSONPath(template)
	if err != nil {
		return fmt.Errorf("error parsing jsonpath %s, %v", template, err)
	}
	trees, err := printTrees(objs, asList)
	if err != nil {
		return err
	}
	for _, tree := range trees {
		out, err := executeJSONPath(root, tree)
		if err != nil {
			return jsonPathExecError(template, tree, err)
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	return nil
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

// executeJSONPath runs a parsed template on a JSON tree and returns what
// it prints.
func executeJSONPath(root *jpList, data any) ([]byte, error) {
	e := &jpExec{}
	groups, err := e.findResults(data, root.nodes)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, g := range groups {
		for i, v := range g {
			text, err := resultText(v)
			if err != nil {
				return nil, err
			}
			b.WriteString(text)
			if i != len(g)-1 {
				b.WriteByte(' ')
			}
		}
	}
	return b.Bytes(), nil
}

// resultText prints one result: objects and arrays as compact JSON, null as
// "<nil>", anything else as fmt prints it (client-go PrintResults).
func resultText(v any) (string, error) {
	switch x := v.(type) {
	case map[string]any, []any:
		b, err := json.Marshal(x)
		return string(b), err
	case nil:
		return "<nil>", nil
	case string:
		return x, nil
	}
	return fmt.Sprint(v), nil
}

// jpExec is the state of one run of a template. Values are JSON tree
// values (map[string]any, []any, string, int64, float64, bool, nil) and
// the literals of the template (string, int, float64, bool). The range
// bookkeeping mirrors client-go's JSONPath, quirks included: a range over
// nothing skips the rest of the template, and what follows {end} runs once,
// after the last iteration.
type jpExec struct {
	stack                         [][]any
	cur                           []any
	beginRange, inRange, endRange int
}

// findResults runs nodes on data and returns one result group per step.
func (e *jpExec) findResults(data any, nodes []jpNode) ([][]any, error) {
	e.cur = []any{data}
	full := [][]any{}
	for i, node := range nodes {
		results, err := e.walk(e.cur, node)
		if err != nil {
			return nil, err
		}
		if e.endRange > 0 && e.endRange <= e.inRange {
			e.endRange--
			break
		}
		if e.beginRange > 0 {
			e.beginRange--
			e.inRange++
			for k, v := range results {
				if k == len(results)-1 {
					e.inRange--
				}
				next, err := e.findResults(v, nodes[i+1:])
				if err != nil {
					return nil, err
				}
				full = append(full, next...)
			}
			break
		}
		full = append(full, results)
	}
	return full, nil
}

// walk applies one step to the current values.
func (e *jpExec) walk(input []any, node jpNode) ([]any, error) {
	switch n := node.(type) {
	case *jpList:
		return e.evalList(input, n)
	case *jpText:
		return []any{n.text}, nil
	case *jpField:
		return evalField(input, n.name), nil
	case *jpArray:
		return evalArray(input, n)
	case *jpFilter:
		return e.evalFilter(input, n)
	case *jpInt:
		return repeat(input, n.value), nil
	case *jpFloat:
		return repeat(input, n.value), nil
	case *jpBool:
		return repeat(input, n.value), nil
	case *jpWildcard:
		return evalWildcard(input), nil
	case *jpRecursive:
		return evalRecursive(input), nil
	case *jpUnion:
		return e.evalUnion(input, n)
	case *jpIdent:
		return e.evalIdentifier(input, n)
	}
	return input, fmt.Errorf("unexpected Node %v", node)
}

// evalList applies steps in turn; on error it returns what the failing
// step returned.
func (e *jpExec) evalList(input []any, list *jpList) ([]any, error) {
	cur := input
	for _, n := range list.nodes {
		var err error
		if cur, err = e.walk(cur, n); err != nil {
			return cur, err
		}
	}
	return cur, nil
}

// repeat returns one copy of v per input value.
func repeat(input []any, v any) []any {
	out := make([]any, len(input))
	for i := range out {
		out[i] = v
	}
	return out
}

// evalIdentifier runs range and end.
func (e *jpExec) evalIdentifier(input []any, n *jpIdent) ([]any, error) {
	switch n.name {
	case "range":
		e.stack = append(e.stack, e.cur)
		e.beginRange++
		return input, nil
	case "end":
		if e.endRange < e.inRange { // inside a loop: end this iteration
			e.endRange++
			return []any{}, nil
		}
		if len(e.stack) == 0 {
			return []any{}, errors.New("not in range, nothing to end")
		}
		e.cur, e.stack = e.stack[len(e.stack)-1], e.stack[:len(e.stack)-1]
		return []any{}, nil
	}
	return input, fmt.Errorf("unrecognized identifier %v", n.name)
}

// evalField looks name up in every object among input.
func evalField(input []any, name string) []any {
	results := []any{}
	for _, v := range input {
		if m, ok := v.(map[string]any); ok {
			if x, present := m[name]; present {
				results = append(results, x)
			}
		}
	}
	return results
}

// evalArray indexes or slices every array among input.
func evalArray(input []any, n *jpArray) ([]any, error) {
	result := []any{}
	for _, v := range input {
		if v == nil {
			continue
		}
		arr, ok := v.([]any)
		if !ok {
			return input, fmt.Errorf("%v is not array or slice", reflect.TypeOf(v))
		}
		start, end, step, err := sliceBounds(n.params, len(arr))
		if err != nil {
			return input, err
		}
		if start == end {
			return result, nil // as upstream: an empty slice ends the whole step
		}
		for i := start; i < end; i += step {
			result = append(result, arr[i])
		}
	}
	return result, nil
}

// sliceBounds resolves [start:end:step] against an array of length n.
func sliceBounds(params [3]jpSliceParam, n int) (start, end, step int, err error) {
	start, end, step = params[0].value, params[1].value, 1
	if !params[0].known {
		start = 0
	}
	if start < 0 {
		start += n
	}
	if !params[1].known {
		end = n
	}
	if end < 0 || (end == 0 && params[1].derived) {
		end += n
	}
	if start == end {
		return start, end, step, nil
	}
	switch {
	case start >= n || start < 0:
		return 0, 0, 0, fmt.Errorf("array index out of bounds: index %d, length %d", start, n)
	case end > n || end < 0:
		return 0, 0, 0, fmt.Errorf("array index out of bounds: index %d, length %d", end-1, n)
	case start > end:
		return 0, 0, 0, fmt.Errorf("starting index %d is greater than ending index %d", start, end)
	}
	if params[2].known {
		if params[2].value <= 0 {
			return 0, 0, 0, errors.New("step must be > 0")
		}
		step = params[2].value
	}
	return start, end, step, nil
}

// children returns the elements of an array or the values of an object in
// key order, and whether v is one of those.
func children(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case map[string]any:
		out := make([]any, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, x[k])
		}
		return out, true
	}
	return nil, false
}

// evalWildcard returns every element of every array and object among input.
func evalWildcard(input []any) []any {
	results := []any{}
	for _, v := range input {
		c, _ := children(v)
		results = append(results, c...)
	}
	return results
}

// evalRecursive returns every non-empty array and object among input and,
// depth first, every one nested in them.
func evalRecursive(input []any) []any {
	result := []any{}
	for _, v := range input {
		c, ok := children(v)
		if !ok || len(c) == 0 {
			continue
		}
		result = append(result, v)
		result = append(result, evalRecursive(c)...)
	}
	return result
}

// evalUnion concatenates the results of each alternative.
func (e *jpExec) evalUnion(input []any, n *jpUnion) ([]any, error) {
	result := []any{}
	for _, list := range n.lists {
		r, err := e.evalList(input, list)
		if err != nil {
			return input, err
		}
		result = append(result, r...)
	}
	return result, nil
}

// evalFilter keeps the elements of every array (or object, or single
// value) among input that pass the filter.
func (e *jpExec) evalFilter(input []any, n *jpFilter) ([]any, error) {
	results := []any{}
	for _, v := range input {
		elems, ok := children(v)
		if !ok {
			elems = []any{v}
		}
		for _, elem := range elems {
			temp := []any{elem}
			lefts, _ := e.evalList(temp, n.left) // missing keys are allowed
			rights, err := e.evalList(temp, n.right)
			if err != nil {
				return input, err
			}
			switch {
			case len(lefts) == 0:
				continue
			case len(lefts) > 1:
				return input, errors.New("can only compare one element at a time")
			case n.op == "exists":
				results = append(results, elem)
				continue
			case len(rights) == 0:
				continue
			case len(rights) > 1:
				return input, errors.New("can only compare one element at a time")
			}
			pass, err := compareJP(n.op, lefts[0], rights[0])
			if err != nil {
				return results, err
			}
			if pass {
				results = append(results, elem)
			}
		}
	}
	return results, nil
}
