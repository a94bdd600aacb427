//go:build kubesim_mutants

package mutant

import (
	"fmt"
	"strings"
)

// Enabled reports whether this build carries the mutations (the
// kubesim_mutants build tag).
const Enabled = true

// active is the name of the active mutation, "" for none.
var active string

// On reports whether the named mutation is active.
func On(name string) bool { return name != "" && name == active }

// Set activates the named mutation, one of All's, and deactivates any
// other; "" activates none. An unknown name is an error and changes
// nothing.
func Set(name string) error {
	if name != "" && Find(name) == nil {
		return fmt.Errorf("unknown mutant %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	active = name
	return nil
}

// Active returns the name of the active mutation, "" when none is.
func Active() string { return active }

// Find returns the mutation called name, or nil.
func Find(name string) *Mutant {
	for i := range catalogue {
		if catalogue[i].Name == name {
			m := catalogue[i]
			return &m
		}
	}
	return nil
}

// Names lists the mutations' names in All's order.
func Names() []string {
	out := make([]string, len(catalogue))
	for i, m := range catalogue {
		out[i] = m.Name
	}
	return out
}

// All returns every mutation, grouped by controller.
func All() []Mutant { return append([]Mutant(nil), catalogue...) }
