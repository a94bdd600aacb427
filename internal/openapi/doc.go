// Package openapi builds the OpenAPI v3 schemas of the kinds package
// objects models, with upstream's descriptions: what `kubesim serve`
// publishes under /openapi/v3 (package serve adds the paths, custom
// resources and the reviews) and what kubesim's own `kubectl explain`
// (package kubectl) reads, so both explain a field in the same words.
//
// # Shape
//
// A [Builder] turns a Go type into a schema by reflection: JSON fields as
// properties, named structs as references wrapped in allOf (as upstream's
// v3 documents write them), Time, Quantity and IntOrString as upstream's
// types. Descriptions come from two generated tables: upstream's field
// descriptions and enum values for the types that carry upstream's names
// (zz_generated_upstream_docs.go, written by serve/internal/genapi from
// k8s.io/api), and the doc comments of kubesim's own types
// (zz_generated_docs.go, written by gendocs from package objects).
//
// # Imports and determinism
//
// openapi imports only objects. Schemas are maps; whoever prints them
// sorts their keys (encoding/json does, text/template's range does).
package openapi

//go:generate go run ./gendocs ../../objects zz_generated_docs.go
