// Package mutant holds the switches of kubesim's mutation tests: small,
// deliberate bugs planted in the controllers, each re-creating a class of
// bug upstream Kubernetes once had, so that a test can measure whether the
// property checker (package propcheck) finds it.
//
// # Hooks
//
// A mutation is one line at the decision point it corrupts:
//
//	if mutant.On("job-suspend-ignored") { ... } // the bug class and its upstream issue
//
// [On] reports whether the named mutation is active. Every name a hook uses
// is listed, with its bug class and upstream reference, by [All] (in a build
// with the tag, see below); a test holds the hooks and the list in step.
//
// # Builds
//
// Without the build tag kubesim_mutants, [On] is a function returning the
// constant false: the compiler inlines it and drops the hook's body, so
// production code pays nothing and carries none of the mutations (the
// mutant names do not even reach the binary). [Set] then refuses every
// name but "", and [Enabled] is false.
//
// With the tag (go test -tags kubesim_mutants ./..., go run -tags
// kubesim_mutants ./cmd/kubesim check --mutant NAME), [Set] activates one
// mutation by name ("" activates none) and [On] reports it.
//
// # Imports and determinism
//
// mutant imports nothing of kubesim's: controllers import it. The active
// mutation is one package-level variable, read by the controllers during a
// simulation; with it fixed, a run stays a deterministic function of its
// inputs. Set is not safe for concurrent use, and tests that call it must
// not run in parallel.
package mutant
