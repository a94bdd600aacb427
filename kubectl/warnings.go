package kubectl

import "github.com/kubesim/kubesim/objects"

// The apiserver's warnings about a write (objects.Warnings, its Warning
// headers) reach the terminal as kubectl's warning handler prints them:
// "Warning: <text>" on stderr as the response arrives, so before the
// command's line about that object, and each text once per command
// (kubectl's warning writer deduplicates).

// warner prints warnings for one command, remembering those it printed.
type warner map[string]bool

// about prints the apiserver's warnings about writing obj that this command
// has not printed yet.
func (w warner) about(inv *invocation, obj objects.Object) {
	w.print(inv, objects.Warnings(obj))
}

// print prints the warnings this command has not printed yet.
func (w warner) print(inv *invocation, texts []string) {
	for _, text := range texts {
		if inv.warns != nil && !inv.warns(text) {
			continue // a warning the cluster's release did not send yet
		}
		if !w[text] {
			w[text] = true
			inv.printf("Warning: %s\n", text)
		}
	}
}
