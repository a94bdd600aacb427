// Package images is the workload's image catalogue: which images the
// simulated registries serve, what each image is (its command,
// environment, files, size and shell), and the programs that make an
// image more than a shell: the nginx and mysql servers and the mysql
// client.
//
// # Images
//
// [Lookup] says what an image reference is; [ResolveArgv] applies
// Kubernetes' command and args rules to it; [Image.RootFS] builds its root
// filesystem; [Image.Userland] is its system as package sh's shells see
// it: nginx and mysql run as servers until stopped and log what they log
// at startup (their entrypoints, mysqld's initialisation of
// /var/lib/mysql); busybox, ubuntu and resouer/ubuntu-bc have their
// shells; other images get a busybox-like userland.
//
// The mysql client (mysqlclient.go), in the mysql image, checks the root
// password against the hash the entrypoint stored when it initialised
// /var/lib/mysql, and keeps each database as a directory there
// (CREATE/DROP/USE/SHOW DATABASES), so a database created through the
// client shows on the volume behind it.
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
// # Imports and determinism
//
// images imports the standard library, internal/vfs and package sh.
// Everything here is a pure function of the reference and, for the
// programs, of what they read when they read it.
package images
