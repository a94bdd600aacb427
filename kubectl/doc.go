// Package kubectl is a client of a simulated cluster that speaks kubectl's
// language and prints what real kubectl prints: the verbs a tutorial uses
// (create, apply, get, describe, logs, delete, scale, exec, patch, wait,
// label, create secret) and the everyday ones of issue 14 (annotate, run,
// expose, set image, rollout history|undo|restart|pause|resume, create
// deployment|job|cronjob|configmap, api-resources, version, cluster-info,
// top, explain, get all, --field-selector, --sort-by, get --watch), with
// kubectl's flags, output formats and error texts.
//
// # Shape
//
// [Kubectl.Run] takes the words of one command line (without the leading
// "kubectl") and returns what the terminal would show and the exit code.
// Each verb has one handler (the later verbs register in verbs_more.go);
// tables and descriptions come from the kubectl/printers package. A kubectl error is output, not a Go error:
// scenarios show it as a terminal would.
//
// # Imports and determinism
//
// kubectl imports sim, storage (read side), objects, kubectl/printers and
// internal/openapi.
// It reads manifest files from the host (-f), relative to its directory,
// at most 16 MiB a file and 3 MiB a document (manifest.go), and
// create configmap's --from-file the same way (create_more.go); nothing
// else touches the host.
//
// # Explain
//
// explain (explain.go) reads the kind's schema from internal/openapi, the
// package kubesim serve builds its /openapi/v3 documents with, so the real
// kubectl pointed at kubesim serve and this one explain in the same words;
// explainrender.go prints it as kubectl's plaintext template
// (pkg/explain/v2) does, one method per sub-template.
//
// # Time
//
// Commands that wait (delete, wait, rollout status, get --watch) let
// virtual time pass on the cluster; get --watch needs --request-timeout,
// the stretch to watch (watch.go), where kubectl would watch until
// interrupted.
//
// # Manifests
//
// create -f and apply -f go document by document as kubectl's resource
// builder and commands do (builder.go): a bad document is reported and the
// next one sent; errors are collected and printed at the end in kubectl's
// order and words (errors.go mirrors cmdutil.CheckErr and utilerrors'
// aggregates). Output never depends on map order.
package kubectl
