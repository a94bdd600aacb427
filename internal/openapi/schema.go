package openapi

import (
	"reflect"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Builder builds the schemas of package objects' Go types, each named
// struct once, into Schemas. It is not safe for concurrent use.
type Builder struct {
	// Schemas holds the named schemas built so far, by upstream's schema
	// name (io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta) or kubesim's
	// (io.kubesim.objects.PodSpec): a document's components.schemas.
	Schemas map[string]any
}

// NewBuilder returns a Builder with no schemas yet.
func NewBuilder() *Builder { return &Builder{Schemas: map[string]any{}} }

// Kind is the schema of a built-in kind: its Go type's when kubesim models
// it, else an object of any fields (Unmodelled), described as upstream
// describes the kind. The named types it uses are added to Schemas; the
// kind's own schema is not (its name is upstream's, which the caller
// knows).
func (b *Builder) Kind(kind string) map[string]any {
	var schema map[string]any
	if obj, ok := objects.NewObject(kind); ok {
		schema = b.Struct(reflect.TypeOf(obj).Elem())
	} else {
		schema = b.Unmodelled(kind)
	}
	if d := Describe(kind); d != "" && schema["description"] == nil {
		schema["description"] = d
	}
	return schema
}

// Describe is the description of a type ("PodSpec") or field
// ("PodSpec.volumes"): upstream's where kubesim's type has upstream's name,
// else the doc comment of kubesim's own.
func Describe(key string) string {
	if d := upstreamDocs[key]; d != "" {
		return d
	}
	return typeDocs[key]
}

// Unmodelled describes a kind kubesim keeps unstructured: its
// metadata, and any other fields.
func (b *Builder) Unmodelled(kind string) map[string]any {
	props := TypeMetaProperties()
	props["metadata"] = b.refTo(reflect.TypeOf(objects.ObjectMeta{}), "Standard object's metadata.")
	return map[string]any{"type": "object", "properties": props, "x-kubernetes-preserve-unknown-fields": true,
		"description": kind + " is served by kubesim without being modelled: its fields are kept as given."}
}

// TypeMetaProperties are apiVersion and kind.
func TypeMetaProperties() map[string]any {
	return map[string]any{
		"apiVersion": map[string]any{"type": "string", "description": "APIVersion is the versioned schema of this representation of an object: group/version, or version for the core group."},
		"kind":       map[string]any{"type": "string", "description": "Kind is the REST resource this object represents, in CamelCase."},
	}
}

// requiredFields are the fields upstream's schemas mark required, by
// kubesim's type name, for the types kubesim models.
var requiredFields = map[string][]string{
	"Container": {"name"}, "PodSpec": {"containers"}, "JobSpec": {"template"},
	"CronJobSpec": {"schedule", "jobTemplate"}, "DeploymentSpec": {"selector", "template"},
	"StatefulSetSpec": {"selector", "template"}, "ReplicaSetSpec": {"selector"},
	"EnvVar": {"name"}, "VolumeMount": {"name", "mountPath"}, "Volume": {"name"},
	"ContainerPort": {"containerPort"}, "ServicePort": {"port"}, "KeyToPath": {"key", "path"},
}

// Struct is the schema of a struct type: its JSON fields.
func (b *Builder) Struct(t reflect.Type) map[string]any {
	props := map[string]any{}
	b.addFields(t, props)
	out := map[string]any{"type": "object", "properties": props}
	if d := Describe(t.Name()); d != "" {
		out["description"] = d
	}
	if req := requiredFields[t.Name()]; len(req) > 0 {
		out["required"] = req
	}
	return out
}

// addFields adds t's JSON fields, embedded structs' included, to props.
func (b *Builder) addFields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && tag == "" {
			if f.Type == reflect.TypeOf(objects.TypeMeta{}) {
				for k, v := range TypeMetaProperties() {
					props[k] = v
				}
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				b.addFields(f.Type, props)
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		prop := b.refTo(f.Type, Describe(t.Name()+"."+tag))
		if values := upstreamEnums[t.Name()+"."+tag]; values != nil && prop["type"] == "string" {
			// upstream's +enum types: kubectl explain prints them (ENUM:).
			prop["enum"] = values
		}
		props[tag] = prop
	}
}

// refTo is the schema of a field of type t: inline for scalars, lists and
// maps, a reference (wrapped in allOf, as upstream's v3 documents do) for
// named structs.
func (b *Builder) refTo(t reflect.Type, desc string) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out map[string]any
	switch {
	case specialTypeNames[t] != "":
		out = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/" + b.special(specialTypeNames[t])}}}
	case t.Kind() == reflect.Struct:
		out = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/" + b.named(t)}}}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		out = map[string]any{"type": "string", "format": "byte"}
	case t.Kind() == reflect.Slice:
		out = map[string]any{"type": "array", "items": b.refTo(t.Elem(), "")}
	case t.Kind() == reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			out = map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}
		} else {
			out = map[string]any{"type": "object", "additionalProperties": b.refTo(t.Elem(), "")}
		}
	case t.Kind() == reflect.Interface:
		out = map[string]any{"x-kubernetes-preserve-unknown-fields": true}
	default:
		out = scalarSchema(t)
	}
	if desc != "" {
		out["description"] = desc
	}
	return out
}

// named adds the schema of a named struct type once and returns its name.
func (b *Builder) named(t reflect.Type) string {
	name := "io.kubesim.objects." + t.Name()
	if t.Name() == "ObjectMeta" {
		name = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
	}
	if _, done := b.Schemas[name]; !done {
		b.Schemas[name] = map[string]any{} // stops recursion
		b.Schemas[name] = b.Struct(t)
	}
	return name
}

// specialTypes are the objects types with a JSON form of their own, by
// name, and their schemas (upstream's Time, Quantity, IntOrString).
var specialTypes = map[string]map[string]any{
	"Time": {"type": "string", "format": "date-time",
		"description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. Wrappers are provided for many of the factory methods that the time package offers."},
	"Quantity": {"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}},
		"description": "Quantity is a fixed-point representation of a number, written with a suffix: 100m, 2Gi, 1.5."},
	"IntOrString": {"type": "string", "format": "int-or-string", "x-kubernetes-int-or-string": true,
		"description": "IntOrString is a type that can hold an int32 or a string."},
}

// specialTypeNames names the types of specialTypes by Go type: objects'
// Time and the apimachinery types objects aliases (resource.Quantity,
// intstr.IntOrString), which a package path of objects would miss.
var specialTypeNames = map[reflect.Type]string{
	reflect.TypeFor[objects.Time]():        "Time",
	reflect.TypeFor[objects.Quantity]():    "Quantity",
	reflect.TypeFor[objects.IntOrString](): "IntOrString",
}

// special adds the schema of a type with its own JSON form.
func (b *Builder) special(name string) string {
	full := map[string]string{"Time": "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
		"Quantity": "io.k8s.apimachinery.pkg.api.resource.Quantity", "IntOrString": "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}[name]
	b.Schemas[full] = specialTypes[name]
	return full
}

// scalarSchema is the schema of a Go scalar type.
func scalarSchema(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint16, reflect.Uint8:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	}
	return map[string]any{"type": "string"}
}
