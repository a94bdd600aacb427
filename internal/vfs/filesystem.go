package vfs

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// Filesystem is the method set shared by [FS] and [View]: everything a
// container's processes can do to files.
type Filesystem interface {
	// Mkdir creates one directory; its parent must exist.
	Mkdir(name string, perm fs.FileMode, mtime time.Time) error
	// MkdirAll creates a directory and any missing parents, like mkdir -p.
	MkdirAll(name string, perm fs.FileMode, mtime time.Time) error
	// WriteFile creates or truncates a file and writes data to it.
	WriteFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error
	// AppendFile creates a file if needed and appends data to it.
	AppendFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error
	// ReadFile returns a copy of a file's content.
	ReadFile(name string) ([]byte, error)
	// Stat describes a path.
	Stat(name string) (Info, error)
	// ReadDir lists a directory, sorted by name.
	ReadDir(name string) ([]Info, error)
	// Remove deletes a file or an empty directory.
	Remove(name string) error
	// RemoveAll deletes a path and everything under it; a missing path is not an error.
	RemoveAll(name string) error
	// Chmod sets a path's permission bits.
	Chmod(name string, perm fs.FileMode) error
	// Chown sets a path's owner and group ids.
	Chown(name string, uid, gid int) error
	// Touch sets a path's modification time, creating an empty file if it is missing.
	Touch(name string, mtime time.Time) error
	// Readable reports whether "others" may read the path (see the package doc).
	Readable(name string) bool
	// Fork returns an independent copy: changes to either are not seen by the
	// other. File contents are shared until written, so forking is cheap.
	Fork() Filesystem
}

// Info describes a file or directory.
type Info struct {
	// Name is the last element of the path ("/" for the root).
	Name string
	// Size is the content length in bytes; 0 for a directory.
	Size int64
	// Mode holds the permission bits, plus fs.ModeDir for a directory.
	Mode fs.FileMode
	// ModTime is the last modification time as the writer supplied it.
	ModTime time.Time
	// UID and GID own the path; 0 (root) unless changed with Chown.
	UID, GID int
}

// IsDir reports whether the path is a directory.
func (i Info) IsDir() bool { return i.Mode.IsDir() }

// Clean validates a path and returns its cleaned absolute form, or an
// ErrInvalid *fs.PathError naming op when it is relative, empty or holds NUL.
func Clean(op, name string) (string, error) {
	if !strings.HasPrefix(name, "/") || strings.IndexByte(name, 0) >= 0 {
		return "", pathErr(op, name, ErrInvalid)
	}
	return path.Clean(name), nil
}

// splitPath returns the components of a cleaned absolute path ("/" has none).
func splitPath(clean string) []string {
	if clean == "/" {
		return nil
	}
	return strings.Split(clean[1:], "/")
}

// otherRead and otherExec are the "others" permission bits Readable checks.
const (
	otherRead fs.FileMode = 0o004
	otherExec fs.FileMode = 0o001
)

// readable implements Readable for any Filesystem through Stat, so a View
// checks the directories of every mount the path crosses.
func readable(f Filesystem, name string) bool {
	clean, err := Clean("stat", name)
	if err != nil {
		return false
	}
	info, err := f.Stat(clean)
	if err != nil || info.Mode&otherRead == 0 {
		return false
	}
	if clean == "/" {
		return true
	}
	for dir := path.Dir(clean); ; dir = path.Dir(dir) {
		d, err := f.Stat(dir)
		if err != nil || d.Mode&(otherRead|otherExec) != otherRead|otherExec {
			return false
		}
		if dir == "/" {
			return true
		}
	}
}

// Listing describes every path under root (itself included), in order,
// one line each: path, mode, owner, modification time and, for a file,
// its content quoted. Two filesystems with equal listings hold the same
// tree, however their nodes are shared; tests compare them so.
func Listing(f Filesystem, root string) []string {
	var out []string
	var visit func(name string)
	visit = func(name string) {
		info, err := f.Stat(name)
		if err != nil {
			out = append(out, name+" "+err.Error())
			return
		}
		line := fmt.Sprintf("%s %v %d:%d %s", name, info.Mode, info.UID, info.GID, info.ModTime.Format(time.RFC3339Nano))
		if !info.IsDir() {
			data, _ := f.ReadFile(name)
			out = append(out, line+" "+strconv.Quote(string(data)))
			return
		}
		out = append(out, line)
		kids, _ := f.ReadDir(name)
		for _, k := range kids {
			visit(path.Join(name, k.Name))
		}
	}
	visit(root)
	return out
}
