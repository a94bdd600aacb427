// Package kubectl is a client of a simulated cluster that speaks kubectl's
// language and prints what real kubectl prints: the verbs a tutorial uses
// (create, apply, get, describe, logs, delete, scale, exec, patch, wait,
// label, create secret), with kubectl's flags, output formats and error
// texts.
//
// # Shape
//
// [Kubectl.Run] takes the words of one command line (without the leading
// "kubectl") and returns what the terminal would show and the exit code.
// Each verb has one handler; tables and descriptions come from the
// kubectl/printers package. A kubectl error is output, not a Go error:
// scenarios show it as a terminal would.
//
// # Imports and determinism
//
// kubectl imports sim, storage (read side), objects and kubectl/printers.
// It reads manifest files from the host (-f), relative to its directory,
// at most 16 MiB a file and 3 MiB a document (manifest.go); nothing else
// touches the host.
//
// # Manifests
//
// create -f and apply -f go document by document as kubectl's resource
// builder and commands do (builder.go): a bad document is reported and the
// next one sent; errors are collected and printed at the end in kubectl's
// order and words (errors.go mirrors cmdutil.CheckErr and utilerrors'
// aggregates). Output never depends on map order.
package kubectl
