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
//	controller restart job-controller
//	                               rebuilt from nothing (its memory lost), it relists and resyncs
//	fault stale job-controller 30 --for 3m [--kind Pod]
//	                               its informers (its pod informer) lag 30 changes, none
//	                               held over 3m (1s without --for), until cleared
//	fault delay default-scheduler 20s [5]
//	                               its next 5 watch events (all until cleared) arrive 20s late
//	fault drop job-controller 3    its next 3 watch events are lost; it relists 1s later
//	fault crash job-controller [--after 2]
//	                               its next reconcile of more than 2 (1) writes makes 2, then crashes
//	fault error job-controller 3 [--code 409|500|429|503]
//	                               its next 3 writes fail with the apiserver's error (409 Conflict)
//	fault clear job-controller     all its faults off; what its informer held arrives at once
//	host k8s-master -- ls -l /mnt  run a command on a machine outside the cluster
//	machine k8s-master --ip 172.16.229.143
//	                               at the top (before any other command but cluster): a
//	                               machine's address, --role control-plane|worker|none and
//	                               --pod-cidr; later: a new machine that is not a node
//	                               (machine nfs --ip 192.168.122.30), an NFS server
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
