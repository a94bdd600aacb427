// Package vfs is kubesim's in-memory filesystem: the files a simulated
// container sees.
//
// An [FS] is a tree of directories and files held in memory (content, mode,
// modification time, owner). A [View] is one container's view of the world: a
// root FS plus a mount table, each path resolving to the longest mount prefix.
// A volume (an emptyDir, a Secret volume, an NFS export that outlives the pod)
// is one FS shared by every View that mounts it, so a write through one View
// is visible through the others. Both satisfy [Filesystem], which is what the
// workload interpreter (package internal/workload) runs against.
//
// # Errors
//
// Errors are *fs.PathError values whose Err is one of this package's [Errno]
// values, so they print the way a Linux program reports them
// ("open /data/x: no such file or directory") and still match
// errors.Is(err, fs.ErrNotExist), fs.ErrExist and fs.ErrPermission. A failed
// call changes nothing. Paths must be absolute; they are cleaned with
// path.Clean, so "/a/../b" is "/b".
//
// # Permissions
//
// The container process is root, so reads and writes ignore mode bits. The
// one permission rule modelled is for servers that drop root (an nginx worker
// runs as "nginx"): [Readable] reports whether "others" may read a path, which
// needs r and x for others on every directory above it and r on the path
// itself. Requiring r (not only x) on the directories is a simplification of
// Linux, chosen because the tutorials' failure mode is a 0700 hostPath.
//
// # Imports
//
// vfs is a leaf: it imports only the standard library.
//
// # Concurrency and determinism
//
// Nothing here is safe for concurrent use and nothing starts goroutines.
// Listings are sorted by name; no map order ever reaches a caller. Times are
// whatever the caller passes: the package never reads the wall clock.
package vfs
