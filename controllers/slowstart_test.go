package controllers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers"
)

// Upstream's slowStartBatch sizes: 1, 2, 4, 8..., the last batch taking
// what is left.
func TestSlowStartBatches(t *testing.T) {
	acts := make([]controllers.Action, 12)
	controllers.SlowStart(acts)
	var got []int
	for _, a := range acts {
		got = append(got, a.Batch)
	}
	assert.Equal(t, []int{1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4}, got)
}

// Concurrent actions share one batch.
func TestConcurrently(t *testing.T) {
	acts := make([]controllers.Action, 3)
	controllers.Concurrently(acts, 7)
	for _, a := range acts {
		assert.Equal(t, 7, a.Batch)
	}
}
