//go:build !kubesim_mutants

package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Without the kubesim_mutants tag, --mutant says which build it needs.
func TestMutantFlagNeedsTheTag(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--mutant", "job-suspend-ignored"},
		{"run", "--mutant", "job-suspend-ignored", "x.txt"},
	} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, run(args, &out, &errOut), args)
		assert.Contains(t, errOut.String(), "kubesim: --mutant: mutations need a build with -tags kubesim_mutants", args)
	}
}
