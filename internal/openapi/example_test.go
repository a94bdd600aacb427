package openapi_test

import (
	"fmt"

	"github.com/kubesim/kubesim/internal/openapi"
)

// A kind's schema names its fields' types by reference, wrapped in allOf,
// and describes them in upstream's words.
func ExampleBuilder_Kind() {
	b := openapi.NewBuilder()
	job := b.Kind("Job")
	spec := job["properties"].(map[string]any)["spec"].(map[string]any)
	fmt.Println(spec["allOf"])
	backoff := b.Schemas["io.kubesim.objects.JobSpec"].(map[string]any)["properties"].(map[string]any)["backoffLimit"]
	fmt.Println(backoff.(map[string]any)["type"], backoff.(map[string]any)["format"])
	fmt.Println(openapi.Describe("JobSpec.backoffLimit")[:52])
	// Output:
	// [map[$ref:#/components/schemas/io.kubesim.objects.JobSpec]]
	// integer int32
	// Specifies the number of retries before marking this
}
