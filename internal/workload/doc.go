// Package workload decides what a container's command does when it "runs".
//
// Nothing really runs in kubesim. The kubelet model starts a [Proc] from a
// [Process] (argv as Kubernetes resolved it, environment, hostname, the
// container's files, the virtual start time) and runs it as far as its
// clock with [Proc.RunUntil]: the process prints [Line]s stamped with the
// virtual time they were written, changes the container's files at the
// virtual time it changes them, and at some point exits ([Proc.Exited]) or
// waits for ever. [Run] is the same for a short command on a private copy
// of the files, reporting its changes as [Write]s.
//
// # What is modelled
//
//   - A small, safe POSIX shell (sh -c, bash -c, scripts on volumes): words
//     and quoting, parameter, command and arithmetic expansion, field
//     splitting and globbing, pipes, redirections and here-documents,
//     if/while/until/for/case, functions, subshells, background jobs and
//     wait, set -e/-u/-x. Builtins and the usual commands of a busybox or
//     Debian image (echo, printf, test, cat, ls, mkdir, rm, cp, mv, touch,
//     chmod, sleep, date, env, hostname, head, tail, wc, grep, seq, tr,
//     find, ...) are implemented in Go; error messages are worded as
//     busybox, dash or bash word them, depending on the shell the image
//     has (find as busybox or GNU findutils does).
//   - GNU bc 1.07 (the bc*.go files): arbitrary precision arithmetic with
//     bc's exact scale and truncation rules, its language, its output
//     format (70-column lines ending in a backslash) and the -l math
//     library, which follows libmath.b step by step so the last digit is
//     the one bc prints. Golden files from real bc are in testdata/bc.
//   - Images ([LookupImage], [ResolveArgv], [Image.RootFS]): nginx and
//     mysql run as servers until stopped and log what they log at startup;
//     busybox, ubuntu and resouer/ubuntu-bc have their shells; other images
//     get a busybox-like userland. Which images exist at all is the
//     [Catalog]'s business (below).
//   - The mysql client (mysqlclient.go), in the mysql image: it checks the
//     root password against the hash the entrypoint stored when it
//     initialised /var/lib/mysql, and keeps each database as a directory
//     there (CREATE/DROP/USE/SHOW DATABASES).
//
// # Which images exist
//
// A [Catalog] is what the simulated registries serve; the kubelet asks it
// ([Catalog.Resolve]) before it pulls. References are read as containerd
// normalises them ([ParseReference]): "nginx" is
// docker.io/library/nginx:latest. The built-in repositories are the
// tutorial's images and the usual official ones: nginx, busybox, mysql,
// ubuntu, debian, alpine, perl, centos, resouer/ubuntu-bc,
// quay.io/external_storage/nfs-client-provisioner,
// registry.k8s.io/sig-storage/nfs-subdir-external-provisioner and
// registry.k8s.io/pause, also through the mirrors daocloud.io (of Docker
// Hub) and k8s.gcr.io (of registry.k8s.io). A repository has
//
//   - its named tags: latest, stable, alpine, jammy, bookworm, v4.0.2...;
//   - its release lines, each up to its newest release: nginx's "1.25.5"
//     line has the tags 1.25 and 1.25.0 to 1.25.5, and 1 too for the
//     repositories that tag bare majors; so nginx:1.25.3 exists and
//     nginx:1.25.6 and nginx:99.99 do not;
//   - either of those followed by a dash and one of its variants
//     (1.25-alpine, 1.36.1-musl, stable-perl, bookworm-slim);
//   - any digest (digests are not checked against tags).
//
// A tag a known repository lacks is [TagNotFound] ("<ref>: not found",
// what containerd's resolver says for a 404). A Docker Hub repository that
// is not known is [AccessDenied]: Docker Hub refuses the pull scope of a
// repository that does not exist exactly as it refuses a private one, so
// containerd says "pull access denied, repository does not exist or may
// require authorization". A repository of any other registry that is not
// known is not found. [Catalog.Add] makes more images exist: each runs
// like an existing image, with its own name and size, and makes its
// repository known (its other tags are then not found).
//
// # Time and processes
//
// Every command takes zero virtual time except sleep, reading a pipe whose
// writer has not written yet, wait, bc's math library (calibrated on the
// tutorial: scale=10000 takes 1m54s, see bcLibCost) and the servers'
// startup. A process is one or more threads (the main program, each
// background job and pipeline stage), each a coroutine (iter.Pull): the
// caller hands control to one thread at a time and gets it back when that
// thread blocks, so nothing runs concurrently, the order of work is a pure
// function of virtual time (earliest wake first, then the oldest thread),
// and a process costs only the time it is followed for. A process that
// loops without time passing is "spinning" (StopSpinning) after
// MaxIdleSteps commands at one instant.
//
// # Files
//
// A Proc works on the container's live files: what it writes is there, at
// once, for every other observer (another container mounting the volume,
// the NFS server's shell, a hostPath on the node), and it reads what they
// wrote before. Run forks Process.FS and works on the copy, reporting every
// change as a Write with its offset.
//
// # Limits
//
// Nothing here panics on any script or bc program, and every process is
// bounded: MaxSteps and StepsPerSecond, MaxIdleSteps, MaxOutputBytes,
// MaxFileBytes, MaxStringBytes, MaxWorkBytes, MaxThreads (a fork past it
// fails as at a pids limit), MaxFrames (recursion past it dies of SIGSEGV,
// status 139, as a real shell's stack overflow does), and bc's own caps
// (scale 100000, numbers of a million digits, a step budget). FuzzShell and
// FuzzBC check this; internal/workload/hostile_test.go keeps the hostile
// scripts.
//
// # Imports
//
// workload imports the standard library and internal/vfs only. It never
// touches the host: no os/exec, no host files, no network.
//
// # Determinism
//
// A process is a pure function of its arguments and of what it reads when
// it reads it: no wall clock, no randomness, no goroutines of its own (the
// coroutines hand control back and forth, never running together), and
// map iteration never reaches output (environment
// variables are listed in the order they were set, directories sorted).
package workload
