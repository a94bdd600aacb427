//go:build !kubesim_mutants

package mutant

import "errors"

// Enabled reports whether this build carries the mutations (the
// kubesim_mutants build tag).
const Enabled = false

// ErrNotBuilt is Set's error in a build without the kubesim_mutants tag.
var ErrNotBuilt = errors.New("mutations need a build with -tags kubesim_mutants")

// On reports whether the named mutation is active: never, in a build
// without the kubesim_mutants tag. It is constant, so the compiler removes
// the hooks.
func On(string) bool { return false }

// Set activates the named mutation; without the kubesim_mutants tag only
// "" (none) is accepted.
func Set(name string) error {
	if name == "" {
		return nil
	}
	return ErrNotBuilt
}
