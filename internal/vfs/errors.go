package vfs

import (
	"io/fs"
)

// Errno is the reason a filesystem call failed, printed like Linux's strerror
// in lower case (Go's convention, as syscall.Errno prints). It unwraps to the
// matching io/fs sentinel where one exists.
type Errno struct {
	text string
	kind error
}

// Error returns the reason, e.g. "no such file or directory".
func (e *Errno) Error() string { return e.text }

// Unwrap returns the io/fs sentinel this reason is a case of, or nil.
func (e *Errno) Unwrap() error { return e.kind }

// The reasons a call can fail. Compare with errors.Is.
var (
	// ErrNotExist means a path or one of its parents does not exist (ENOENT).
	ErrNotExist = &Errno{"no such file or directory", fs.ErrNotExist}
	// ErrExist means the path already exists (EEXIST).
	ErrExist = &Errno{"file exists", fs.ErrExist}
	// ErrPermission means the caller may not access the path (EACCES).
	ErrPermission = &Errno{"permission denied", fs.ErrPermission}
	// ErrReadOnly means the path is on a read-only mount (EROFS).
	ErrReadOnly = &Errno{"read-only file system", fs.ErrPermission}
	// ErrNotDir means a path component that must be a directory is a file (ENOTDIR).
	ErrNotDir = &Errno{"not a directory", nil}
	// ErrIsDir means a file operation was asked of a directory (EISDIR).
	ErrIsDir = &Errno{"is a directory", nil}
	// ErrNotEmpty means a directory to remove still has entries (ENOTEMPTY).
	ErrNotEmpty = &Errno{"directory not empty", nil}
	// ErrBusy means the path is "/" or a mount point, which cannot be removed (EBUSY).
	ErrBusy = &Errno{"device or resource busy", nil}
	// ErrInvalid means the path is not absolute or contains a NUL byte (EINVAL).
	ErrInvalid = &Errno{"invalid argument", fs.ErrInvalid}
)

// pathErr builds the error every method returns.
func pathErr(op, name string, reason *Errno) error {
	return &fs.PathError{Op: op, Path: name, Err: reason}
}
