// Package e2e holds kubesim's end-to-end tests, in a module of its own so
// that client-go and controller-runtime stay out of the library's
// dependency graph:
//
//   - kubectl_test.go replays the transcripts in testdata/kubectl with the
//     real kubectl (/usr/bin/kubectl, or $KUBECTL) against `kubesim serve`,
//     letting virtual time pass through serve's standard input between
//     commands; the tests fail, not skip, when kubectl is missing;
//   - tty_test.go runs kubectl exec -it in a pseudo-terminal (script(1));
//   - clientgo_test.go and controllerruntime_test.go run an informer and
//     workqueue controller and a controller-runtime reconciler against a
//     simulated cluster at virtual time, in testing/synctest bubbles;
//   - scheduler_test.go runs a scheduler of the user's own (client-go,
//     binding pods through the API) at virtual time, and events_test.go
//     records Events through controller-runtime's two recorders;
//   - property_test.go checks a user-written client-go controller with
//     propcheck's operations and faults at the API boundary;
//   - readme_test.go is the README's "Test your controller" example, which
//     docs_test.go keeps equal to the README's copy.
//
// Run them with `cd e2e && go test ./...` (.ci/run does).
package e2e
