// Package scenario reads and replays scenario files: a tutorial's shell
// session, one command a line, replayed against a simulated cluster at
// virtual time.
//
// # The language
//
// A scenario is plain text. Each line is a command; a line ending in a
// backslash continues on the next; `#` starts a comment; blank lines are
// ignored.
//
// # The console
//
// Lines are typed into a terminal: a bash login shell, as root in /root,
// on the console machine (k8s-master, the first control-plane node). Its
// variables, functions and directory last from line to line; for, while,
// if, case, $(...), pipes, && and || and here-documents are the shell's
// (package sh); a command goes on over lines until it is whole. An unknown
// command answers "bash: X: command not found" and the replay goes on.
// kubectl and the commands below are programs of that shell: kubectl reads
// -f paths from the machine (relative to the shell's directory) and, when
// the machine lacks them, from the scenario file's directory; on a worker
// node kubectl has no kubeconfig and is refused.
//
// A line may start with the prompt the tutorial shows: `[root@k8s-node1
// ~]# yum install -y nfs-utils` is typed on k8s-node1 (logging in there),
// in root's home; `[root@k8s-master nginx]# ...` in the directory named
// nginx (the current one if it is so named, otherwise the most recently
// changed directory of that name on the machine, as the tutorial's prompts
// change directory without showing the cd).
//
// `kubectl exec -it POD -- /bin/bash` (or sh, or a command such as mysql)
// opens a session: the lines after it are typed into the container's
// command until it ends (exit, quit). A line may carry the session's
// prompt (`root@nginx-web-0:/# exit`, `mysql> show databases;`, `->`),
// which must be the one the terminal shows. mysql at a terminal is its
// monitor: its banner, "mysql> ", boxed result sets with "N rows in set",
// "Query OK, 1 row affected", "Bye".
//
// The runner's commands (besides kubectl, any verb the kubectl package
// knows):
//
//	kubectl apply -f - <<EOF       an inline manifest, up to a line holding only EOF (an unquoted
//	                               EOF expands $ in the body, as bash does: <<'EOF' keeps it)
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
//	fault crash job-controller [--after 2] [--times 3]
//	                               its next reconcile of more than 2 (1) writes makes 2, then crashes
//	fault error job-controller 3 [--code 409|500|429|503]
//	                               its next 3 writes fail with the apiserver's error (409 Conflict)
//	fault clear job-controller     all its faults off; what its informer held arrives at once
//	host k8s-master -- ls -l /mnt  run a command on a machine, as ssh does (its status is $?)
//
// cluster and machine lines are the runner's directives, not the shell's:
//
//	cluster --seed 17 --start 2023-12-22T00:00:00Z
//	                               the scenario's first line: the cluster's seed and start
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
// A scenario command given bad arguments (sleep forever, fault nonsense)
// stops the replay with an error naming the file and line.
//
// In a test file, a command may be followed by a line `----` and the output
// it must print, ending at the first blank line (the style of
// cockroachdb/datadriven). Output that itself holds blank lines is fenced
// by a doubled `----` line before and after it. A command with no `----`
// must print nothing.
//
// # Imports and determinism
//
// scenario imports sim, kubectl, internal/vfs and package sh (its
// commands are the console shell's programs). Replaying a file twice with
// the same seed prints the same bytes.
package scenario
