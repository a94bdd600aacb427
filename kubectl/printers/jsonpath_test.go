package printers

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// runJSONPath runs a template through PrintJSONPath.
func runJSONPath(t *testing.T, template string, asList bool, objs ...objects.Object) (string, error) {
	t.Helper()
	var b bytes.Buffer
	err := PrintJSONPath(&b, objs, template, JSONPathOptions{AsList: asList})
	return b.String(), err
}

// widget is a small custom resource with a float and a null.
func widget() *objects.Unstructured {
	return &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "example.com/v1", Kind: "Widget"},
		ObjectMeta: meta("default", "w1", 3*time.Minute),
		Content:    map[string]any{"spec": map[string]any{"size": int64(3), "ratio": 0.5, "none": nil}}}
}

// `kubectl get pods -o jsonpath=...`: the template runs on the List.
func TestJSONPathOnList(t *testing.T) {
	for _, tt := range []struct{ template, want string }{
		{`{.items[*].metadata.name}`, "nginx pi-rq5rl crash"},
		{`{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}`, "nginx\tRunning\npi-rq5rl\tSucceeded\ncrash\tRunning\n"},
		{`{.items[0].metadata.name}`, "nginx"},
		{`{.items[-1].metadata.name}`, "crash"},
		{`{.items[0:2].metadata.name}`, "nginx pi-rq5rl"},
		{`{.items[::2].metadata.name}`, "nginx crash"},
		{`{.items[0,2].metadata.name}`, "nginx crash"},
		{`{.items[*]['metadata.name']}`, "nginx pi-rq5rl crash"},
		{`{.items[?(@.status.phase=="Running")].metadata.name}`, "nginx crash"},
		{`{.items[?(@.status.phase!="Running")].metadata.name}`, "pi-rq5rl"},
		{`{.items[?(@.status.containerStatuses[0].restartCount==3)].metadata.name}`, "crash"},
		{`{.items[?(@.status.containerStatuses[0].restartCount>0)].metadata.name}`, "crash"},
		{`{.items[?(@.metadata.labels.app)].metadata.name}`, "nginx"},
		{`{.kind} {.apiVersion} {.metadata.resourceVersion}`, "List v1 "},
		{`{.items[*].status.podIPs[0].ip}`, "10.244.1.2 10.244.2.3 10.244.1.3"},
		{`{range .items[*]}[{.metadata.name}]{end}`, "[nginx][pi-rq5rl][crash]"},
		// What follows {end} runs once, after the last iteration.
		{`{range .items[*]}{.metadata.name},{end}done`, "nginx,pi-rq5rl,crash,done"},
		// A range over nothing prints nothing and goes on after its end
		// (client-go 0.37's FindResults; the hand-written copy skipped the rest).
		{`{range .items[?(@.status.phase=="Pending")]}{.metadata.name}{end}after`, "after"},
		// A range without end runs to the end of the template.
		{`{range .items[*]}{.metadata.name}`, "nginxpi-rq5rlcrash"},
	} {
		got, err := runJSONPath(t, tt.template, true, threePods()...)
		require.NoError(t, err, tt.template)
		assert.Equal(t, tt.want, got, tt.template)
	}
}

// `kubectl get pod nginx -o jsonpath=...`: the template runs on the pod.
func TestJSONPathOnObject(t *testing.T) {
	for _, tt := range []struct{ template, want string }{
		{`{.status.phase}`, "Running"},
		{`{.metadata.labels}`, `{"app":"nginx","tier":"web"}`},
		{`{.spec.containers[0].ports[0].containerPort}`, "80"},
		{`{.spec.containers[0].ports}`, `[{"containerPort":80,"protocol":"TCP"}]`},
		{`{.status.conditions[?(@.type=="Ready")].status}`, "True"},
		{`{.status.containerStatuses[?(@.ready==true)].name}`, "nginx"},
		{`{.spec.nothing}{.spec.nothing.deeper}`, ""},
		{`name={.metadata.name}`, "name=nginx"},
		{`{ .metadata.name }`, "nginx"},
		{`{$.metadata.name}`, "nginx"},
		{`{..image}`, "nginx:1.25 docker.io/library/nginx:1.25"},
		{`{.metadata.labels.*}`, "nginx web"},
		{`{.status.containerStatuses[0].ready}`, "true"},
		{`{"a\tb"}{'c'}{1}{2.5}{true}`, "a\tbc12.5true"},
		{`no action`, "no action"},
	} {
		got, err := runJSONPath(t, tt.template, false, nginxPod())
		require.NoError(t, err, tt.template)
		assert.Equal(t, tt.want, got, tt.template)
	}
}

// Numbers print as they are held (int64 or float64); null prints null
// (client-go 0.37's evalToText; the hand-written copy printed <nil>);
// {} prints the whole object as compact JSON with sorted keys.
func TestJSONPathValues(t *testing.T) {
	for _, tt := range []struct{ template, want string }{
		{`{.spec.size}`, "3"},
		{`{.spec.ratio}`, "0.5"},
		{`{.spec.none}`, "null"},
		{`{}`, `{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"creationTimestamp":"2023-12-22T00:03:00Z","name":"w1","namespace":"default"},"spec":{"none":null,"ratio":0.5,"size":3}}`},
	} {
		got, err := runJSONPath(t, tt.template, false, widget())
		require.NoError(t, err, tt.template)
		assert.Equal(t, tt.want, got, tt.template)
	}
}

// Templates that do not parse fail as kubectl's printer flags word it.
func TestJSONPathParseErrors(t *testing.T) {
	for _, tt := range []struct{ template, want string }{
		{`{.foo`, "error parsing jsonpath {.foo, unclosed action"},
		{`{.items[0}`, "error parsing jsonpath {.items[0}, unterminated array"},
		{`{.items[a]}`, "error parsing jsonpath {.items[a]}, invalid array index a"},
		{`{.items[1:x]}`, "error parsing jsonpath {.items[1:x]}, invalid array index 1:x"},
		{`{.items[?(@.a=="b"]}`, `error parsing jsonpath {.items[?(@.a=="b"]}, unterminated filter`},
		{`{.items[?(@.a)x}`, "error parsing jsonpath {.items[?(@.a)x}, unclosed array expect ]"},
		{`{"abc}`, `error parsing jsonpath {"abc}, unterminated quoted string`},
		{"{.metadata.name\t}", "error parsing jsonpath {.metadata.name\t}, unrecognized character in action: U+0009"},
		{`{|}`, "error parsing jsonpath {|}, unrecognized character in action: U+007C '|'"},
		// The right operand is parsed with the template: "~" is not an operator character.
		{`{.items[?(@.metadata.name=~"x")]}`, `error parsing jsonpath {.items[?(@.metadata.name=~"x")]}, unrecognized character in action: U+007E '~'`},
		{`{-}`, "error parsing jsonpath {-}, cannot parse number -"},
		{`{....a}`, "error parsing jsonpath {....a}, invalid multiple recursive descent"},
		{``, "template format specified but no template given"},
	} {
		_, err := runJSONPath(t, tt.template, false, nginxPod())
		require.Error(t, err, tt.template)
		assert.Equal(t, tt.want, err.Error(), tt.template)
	}
}

// Templates that fail when run report the error, the template and the
// object, as cli-runtime's JSONPathPrinter does, and print nothing.
func TestJSONPathExecutionErrors(t *testing.T) {
	got, err := runJSONPath(t, `{.spec.size[0]}`, false, widget())
	require.Error(t, err)
	assert.Empty(t, got)
	assert.Equal(t, `error executing jsonpath "{.spec.size[0]}": Error executing template: int64 is not array or slice. `+
		"Printing more information for debugging the template:\n"+
		"\ttemplate was:\n\t\t{.spec.size[0]}\n"+
		"\tobject given to jsonpath engine was:\n"+
		`		map[string]interface {}{"apiVersion":"example.com/v1", "kind":"Widget", "metadata":map[string]interface {}{"creationTimestamp":"2023-12-22T00:03:00Z", "name":"w1", "namespace":"default"}, "spec":map[string]interface {}{"none":interface {}(nil), "ratio":0.5, "size":3}}`+
		"\n\n", err.Error())

	for _, tt := range []struct{ template, want string }{
		{`{.items[5].metadata.name}`, "array index out of bounds: index 5, length 3"},
		{`{.items[1:0].metadata.name}`, "starting index 1 is greater than ending index 0"},
		{`{.items[0:2:0].metadata.name}`, "step must be > 0"},
		{`{.kind[0]}`, "string is not array or slice"},
		{`{end}`, "not in range, nothing to end"},
		{`{foo}`, "unrecognized identifier foo"},
		{`{.items[?(@.metadata.name=!"x")]}`, "unrecognized filter operator =!"},
		{`{.items[?(@.status.conditions[*].type=="Ready")]}`, "can only compare one element at a time"},
	} {
		_, err := runJSONPath(t, tt.template, true, threePods()...)
		require.Error(t, err, tt.template)
		assert.Contains(t, err.Error(), "Error executing template: "+tt.want+". Printing", tt.template)
	}
}

// Drift the hand-written copy had from client-go (found by differential
// fuzzing): a filter on a single object is an error upstream
// (evalFilter: "{[?()]} ... is not array or slice"), where the copy printed
// nothing.
func TestJSONPathFilterOnObjectFails(t *testing.T) {
	got, err := runJSONPath(t, `{[?()]}`, false, widget())
	require.Error(t, err)
	assert.Empty(t, got)
	assert.Contains(t, err.Error(), "is not array or slice and cannot be filtered. Printing")
}

// -o jsonpath-as-json prints the results as an indented JSON array.
func TestJSONPathAsJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, PrintJSONPath(&b, threePods(), `{.items[*].metadata.name}`, JSONPathOptions{AsList: true, AsJSON: true}))
	assert.Equal(t, "[\n    \"nginx\",\n    \"pi-rq5rl\",\n    \"crash\"\n]\n", b.String())
}

// Objects print one after the other without a list.
func TestJSONPathPerObject(t *testing.T) {
	got, err := runJSONPath(t, `{.metadata.name}{"\n"}`, false, threePods()...)
	require.NoError(t, err)
	assert.Equal(t, "nginx\npi-rq5rl\ncrash\n", got)
}

// client-go walks a map's values in Go's random map order, so kubectl
// prints {.metadata.labels.*} and {..} differently from run to run;
// kubesim walks objects in key order, every run alike. Twelve labels make
// a random order all but certain to show within the repeats.
func TestJSONPathWalksObjectsInKeyOrder(t *testing.T) {
	pod := nginxPod()
	pod.Labels = map[string]string{}
	var want []string
	for c := 'a'; c < 'a'+12; c++ {
		pod.Labels[string(c)] = string(c) + "v"
		want = append(want, string(c)+"v")
	}
	spec := map[string]any{}
	for k, v := range pod.Labels {
		spec[k] = map[string]any{"x": v}
	}
	nested := widget()
	nested.Content = map[string]any{"spec": spec}
	var cc bytes.Buffer
	columns, err := ParseCustomColumns("L:.metadata.labels.*,M:.metadata.labels")
	require.NoError(t, err)
	for range 20 {
		got, err := runJSONPath(t, `{.metadata.labels.*}`, false, pod)
		require.NoError(t, err)
		assert.Equal(t, strings.Join(want, " "), got)
		got, err = runJSONPath(t, `{..x}`, false, nested)
		require.NoError(t, err)
		assert.Equal(t, strings.Join(want, " "), got)
		cc.Reset()
		require.NoError(t, columns.Print(&cc, []objects.Object{pod}, true))
		// A map found whole prints as fmt prints a map, as kubectl's does.
		assert.Equal(t, strings.Join(want, ",")+"   map[a:av b:bv c:cv d:dv e:ev f:fv g:gv h:hv i:iv j:jv k:kv l:lv]\n", cc.String())
	}
}
