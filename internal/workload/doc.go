// Package workload decides what a container's command does when it "runs".
//
// Nothing really runs in kubesim. The kubelet model hands [Run] a
// [Process] (argv as Kubernetes resolved it, environment, hostname, the
// container's files, the virtual start time) and a horizon, and gets back
// what the process printed and when ([Line]), what it changed on disk and
// when ([Write]), and whether and how it exited ([Result]).
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
// # Time
//
// Every command takes zero virtual time except sleep, reading a pipe whose
// writer is still running, bc's math library (calibrated on the tutorial:
// scale=10000 takes 1m54s, see bcLibCost) and the servers' startup. A run
// stops at the horizon; running again with a larger horizon replays the
// same beginning, so callers simply re-run to see further (the prefix
// contract of [Run]). A loop that never lets time pass is "spinning"
// (StopSpinning) after MaxIdleSteps commands.
//
// # Files
//
// Run forks Process.FS and works on the copy, so the script sees its own
// writes while the caller's filesystem is untouched; every change is
// reported as a Write with its offset, for the kubelet to apply (in order)
// when virtual time reaches it.
//
// # Limits
//
// Nothing here panics on any script or bc program, and every run is
// bounded: MaxSteps, MaxIdleSteps, MaxOutputBytes, MaxFileBytes,
// MaxStringBytes, MaxWorkBytes, and bc's own caps (scale 100000, numbers of
// a million digits, a step budget). FuzzShell and FuzzBC check this.
//
// # Imports
//
// workload imports the standard library and internal/vfs only. It never
// touches the host: no os/exec, no host files, no network.
//
// # Determinism
//
// Run is a pure function of its arguments: no wall clock, no randomness,
// no goroutines, and map iteration never reaches output (environment
// variables are listed in the order they were set, directories sorted).
package workload
