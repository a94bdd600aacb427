package objects

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A child path reads the same whether Child remembered it or not, and the
// memory stops growing at its bound.
func TestChildPathsAreRememberedUpToABound(t *testing.T) {
	p := NewFieldPath("spec").Child("template").Child("spec")
	assert.Equal(t, FieldPath("spec.template.spec"), p)
	assert.Equal(t, FieldPath("spec.template.spec.containers"), p.Child("containers"))
	assert.Equal(t, FieldPath("spec.template.spec.containers"), p.Child("containers"), "as remembered")
	assert.Equal(t, FieldPath("spec.containers[2].image"), NewFieldPath("spec").Child("containers").Index(2).Child("image"))
	for i := range 2 * maxChildPaths {
		want := FieldPath(fmt.Sprintf("metadata.labels[k%d].x", i))
		assert.Equal(t, want, NewFieldPath("metadata").Child("labels").Key(fmt.Sprintf("k%d", i)).Child("x"))
	}
	assert.LessOrEqual(t, len(*childPaths.m.Load()), maxChildPaths)
}
