// Package scenario reads and replays scenario files: a tutorial's shell
// session, one command a line, replayed against a simulated cluster at
// virtual time.
//
// # The language
//
// A scenario is plain text. Each line is a command; a line ending in a
// backslash continues on the next; `#` starts a comment; blank lines are
// ignored. Commands:
//
//	kubectl ...                    any verb the kubectl package knows; paths are relative to the file
//	kubectl apply -f - <<EOF       an inline manifest, up to a line holding only EOF
//	sleep 4m                       let virtual time pass (30s, 1m54s, 2h)
//	node down k8s-node1            a node stops answering; node up brings it back
//	kill pi-rq5rl --exit-code 1    the pod's container exits with that code
//	controller down job-controller controller up all
//	host k8s-master -- ls -l /mnt  run a command on a machine outside the cluster
//	image add myrepo/app:1.0 --size 50MB --like busybox
//	                               the registries serve that image from now on
//	etcd quota 2GiB                etcd's space quota (--quota-backend-bytes); +2KB: 2KB more
//	                               than the store holds now
//
// # Expected output
//
// In a test file, a command may be followed by a line `----` and the output
// it must print, ending at the first blank line (the style of
// cockroachdb/datadriven). Output that itself holds blank lines is fenced
// by a doubled `----` line before and after it. A command with no `----`
// must print nothing.
//
// # Imports and determinism
//
// scenario imports sim and kubectl. Replaying a file twice with the same
// seed prints the same bytes.
package scenario
