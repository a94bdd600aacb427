package kubectl

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWrittenVersions: the apiVersion each CronJob of a source was written
// in, across "---" documents and a List's items, keyed by namespace and
// name; other kinds, and documents that are not YAML, are left out.
func TestWrittenVersions(t *testing.T) {
	src := `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: hello
---
apiVersion: v1
kind: Pod
metadata:
  name: p
--- # a comment after the separator
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: today
    namespace: prod
---
: not yaml [
`
	assert.Equal(t, map[versionKey]string{
		{kind: "CronJob", name: "hello"}:                    "batch/v1beta1",
		{kind: "CronJob", namespace: "prod", name: "today"}: "batch/v1",
	}, writtenVersions([]byte(src)))
}
