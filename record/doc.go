// Package record writes down a scenario's run as a trace file, reads it
// back, replays it and compares two of them.
//
// A trace holds everything needed to run the scenario again (the seed,
// the start time, a planted bug's name, the scenario's text and the
// manifests its kubectl commands read) and everything the run did: every
// store change (Event objects included) at its virtual time with who made
// it, each command as it starts, and what it printed. `kubesim run --trace
// FILE` writes one, `kubesim replay FILE` runs it again and checks that the
// new record is byte-identical, and `kubesim diff A B` says where two runs
// first part, in the scenario's words: which command was running, which
// object changed, which field.
//
// # The format
//
// Plain text, one entry a line; the lines indented by a tab under an entry
// belong to it. Words are separated by blanks; a word with blanks or
// quotes is a Go-quoted string. Times are virtual times since the
// cluster's start, HH:MM:SS.mmm (nine digits after the point when the time
// is not a whole millisecond).
//
//	kubesim-trace 1                             the format and its version
//	config seed=1 start=2023-12-22T00:00:00Z    the cluster's seed and start
//	mutant job-stale-view                       a planted bug (kubesim run --mutant)
//	scenario "examples/job-pi/job-pi.txt"       the scenario's name, then its text:
//		"kubectl create -f job.yaml\n"          each line quoted, with its newline
//	file "job.yaml"                             a manifest it reads, then its text
//		"apiVersion: batch/v1\n"
//	cluster 00:00:00.000 start=2023-12-22T00:00:00Z
//	                                            a cluster built (at the start, and by
//	                                            a `cluster` line); its objects follow
//	                                            as creates by cluster-bootstrap
//	cmd 1 00:00:00.000 line=4 "kubectl create -f job.yaml"
//	                                            command 1 starts; its line in the file
//	change 00:00:00.000 kubectl create Job default/pi rv=20
//		spec.parallelism: 1                     a store change: when, who, create,
//		metadata.labels["job-name"]: "pi"       update or delete, the object and its
//		status.active: (removed)                revision; then the fields it changed
//	out                                         what the command printed
//		"job.batch/pi created\n"
//	error "job.txt:7: unknown command \"foo\""  the error that stopped the run
//	end 00:04:10.000                            the run's end
//
// A change lists the leaves of the object's JSON encoding (as `kubectl get
// -o json` prints it) that differ from the object's previous version: all
// of them on create, the changed and new ones on update, and `(removed)`
// for a leaf that went away. Paths join map keys with dots (keys that are
// not plain words in brackets, quoted) and list indexes in brackets; values
// are JSON, an empty map or list written `{}` or `[]`. The resourceVersion
// is on the change's line, not among its fields. So a reader can rebuild
// every object as it stood after every change ([Trace.Walk]) and a diff can
// name the field in which two runs part.
//
// # Size
//
// A record keeps every entry of the run in memory and in the file (unlike
// sim's trace, which keeps the latest Config.TraceLimit): the tutorial's
// π Job makes 63 KB, a Job of 400 pods about 4 MB. Record runs of minutes
// or hours, not a CronJob's days.
//
// # Imports and determinism
//
// record imports scenario, sim, storage and objects. It reads the run only
// through the scenario runner's OnCluster hook and sim.Cluster.Observe, so
// a recorded run is the run unrecorded; the same scenario and seed give a
// byte-identical trace. Not safe for concurrent use.
package record
