// Package printers turns API objects into the text kubectl prints: the
// tables of `kubectl get` (plain, -o wide, --show-labels, -A), -o name,
// -o json, -o yaml, -o jsonpath, and the reports of `kubectl describe`.
//
// # What it is for
//
// The kubectl verbs layer fetches objects from the store and hands them here
// with the virtual time `now`; everything in this package is a pure function
// of its arguments. Output matches kubectl 1.37 byte for byte where kubesim
// models the fields involved. Each printer cites the upstream function it
// follows (kubernetes pkg/printers/internalversion/printers.go for tables,
// kubectl pkg/describe/describe.go for describe, client-go util/jsonpath,
// apimachinery util/duration).
//
// # Layout
//
//   - table.go, tablewriter.go: PrintTable and the column aligner kubectl
//     uses (minwidth 6, padding 3, remembered widths, a flush every 100 rows).
//   - describe.go: Describe, the prefix writer and the helpers every
//     describer shares (labels, annotations, taints, tolerations, events).
//   - one file per kind (pod.go, node.go, namespace.go, event.go,
//     unstructured.go): its table columns, its row and its describer,
//     registered in that file's init function. Adding a kind is adding one
//     such file; kinds without one get the generic table (NAME AGE) and the
//     generic describer (describe_generic.go).
//   - output.go: -o name, -o json, -o yaml; jsonpath.go: -o jsonpath and
//     -o jsonpath-as-json; customcolumns.go: -o custom-columns;
//     jsonpath_order.go: templates walk objects in key order.
//   - sort.go: --sort-by (kubectl's TableSorter); watch.go: TableStream,
//     the rows of get --watch.
//   - duration.go: HumanDuration and ages.
//
// # Imports
//
// printers imports only objects, the standard library, sigs.k8s.io/yaml and
// client-go's util/jsonpath (the template engine kubectl itself runs, for
// -o jsonpath and -o custom-columns; it imports only the standard library).
// It never reads the store: the caller passes the objects, events and
// related pods it wants printed.
//
// # Determinism
//
// Nothing here reads the wall clock or a random source; ages are computed
// from the `now` the caller passes. Maps are never iterated into output
// without sorting their keys first. Where kubectl itself iterates a map in
// random order (the resources of a LimitRange; client-go jsonpath's walk over
// an object's keys, jsonpath_order.go), the keys are sorted.
// Nothing panics on user input: malformed templates and objects become
// errors worded as kubectl words them.
package printers
