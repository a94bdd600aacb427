package openapi_test

import (
	"testing"

	"github.com/kubesim/kubesim/internal/openapi"
)

// Fields whose Go types are apimachinery's (objects aliases them) refer to
// upstream's schemas, as the apiserver publishes them: an IntOrString field
// is x-kubernetes-int-or-string, a Quantity a string or a number.
func TestAliasedTypesReferUpstreamSchemas(t *testing.T) {
	b := openapi.NewBuilder()
	b.Kind("Deployment")
	b.Kind("Service")
	b.Kind("Pod")
	for _, c := range []struct{ schema, field, ref string }{
		{"io.kubesim.objects.RollingUpdateDeployment", "maxSurge", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
		{"io.kubesim.objects.ServicePort", "targetPort", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
		{"io.kubesim.objects.HTTPGetAction", "port", "io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp", "io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
	} {
		if got := refOf(t, b, c.schema, c.field); got != "#/components/schemas/"+c.ref {
			t.Errorf("%s.%s refers to %q, want %s", c.schema, c.field, got, c.ref)
		}
	}
	ios, _ := b.Schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"].(map[string]any)
	if ios["x-kubernetes-int-or-string"] != true || ios["format"] != "int-or-string" {
		t.Errorf("IntOrString schema %v", ios)
	}
	if _, ok := b.Schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]; !ok {
		t.Errorf("no Quantity schema; a container's resources refer to %v", b.Schemas["io.kubesim.objects.Quantity"])
	}
	for _, name := range []string{"io.kubesim.objects.IntOrString", "io.kubesim.objects.Quantity"} {
		if s, ok := b.Schemas[name]; ok {
			t.Errorf("%s is published as a kubesim struct: %v", name, s)
		}
	}
}

func refOf(t *testing.T, b *openapi.Builder, schema, field string) string {
	t.Helper()
	s, _ := b.Schemas[schema].(map[string]any)
	props, _ := s["properties"].(map[string]any)
	prop, _ := props[field].(map[string]any)
	allOf, _ := prop["allOf"].([]any)
	if len(allOf) != 1 {
		t.Fatalf("%s.%s: %v", schema, field, prop)
	}
	ref, _ := allOf[0].(map[string]any)["$ref"].(string)
	return ref
}
