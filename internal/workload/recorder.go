package workload

import (
	"io/fs"
	"syscall"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// recorder wraps the run's private filesystem: every successful change is
// applied there (so the script sees its own writes) and logged as a Write
// stamped with the current virtual offset.
type recorder struct {
	fs      vfs.Filesystem
	start   time.Time
	now     func() time.Duration
	writes  []Write
	written int
}

var _ vfs.Filesystem = (*recorder)(nil)

func (r *recorder) at() time.Time { return r.start.Add(r.now()) }

// log records a change, merging an append into the write or append just
// before it to the same path at the same instant, so a loop appending a
// thousand lines at once logs one Write.
func (r *recorder) log(w Write) {
	w.Offset = r.now()
	if n := len(r.writes); n > 0 && w.Op == OpAppend {
		last := &r.writes[n-1]
		if last.Path == w.Path && last.Offset == w.Offset && (last.Op == OpWrite || last.Op == OpAppend) {
			last.Data = append(last.Data, w.Data...)
			return
		}
	}
	r.writes = append(r.writes, w)
}

// quota charges n bytes of file writes.
func (r *recorder) quota(name string, n int) error {
	if r.written+n > MaxFileBytes {
		return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
	}
	r.written += n
	return nil
}

func (r *recorder) Mkdir(name string, perm fs.FileMode, _ time.Time) error {
	if err := r.fs.Mkdir(name, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpMkdir, Path: name, Mode: perm})
	return nil
}

func (r *recorder) MkdirAll(name string, perm fs.FileMode, _ time.Time) error {
	if err := r.fs.MkdirAll(name, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpMkdirAll, Path: name, Mode: perm})
	return nil
}

func (r *recorder) WriteFile(name string, data []byte, perm fs.FileMode, _ time.Time) error {
	if err := r.quota(name, len(data)); err != nil {
		return err
	}
	if err := r.fs.WriteFile(name, data, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpWrite, Path: name, Data: append([]byte(nil), data...), Mode: perm})
	return nil
}

func (r *recorder) AppendFile(name string, data []byte, perm fs.FileMode, _ time.Time) error {
	if err := r.quota(name, len(data)); err != nil {
		return err
	}
	if err := r.fs.AppendFile(name, data, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpAppend, Path: name, Data: append([]byte(nil), data...), Mode: perm})
	return nil
}

func (r *recorder) ReadFile(name string) ([]byte, error)    { return r.fs.ReadFile(name) }
func (r *recorder) Stat(name string) (vfs.Info, error)      { return r.fs.Stat(name) }
func (r *recorder) ReadDir(name string) ([]vfs.Info, error) { return r.fs.ReadDir(name) }
func (r *recorder) Readable(name string) bool               { return r.fs.Readable(name) }
func (r *recorder) Fork() vfs.Filesystem                    { return r.fs.Fork() }

func (r *recorder) Remove(name string) error {
	if err := r.fs.Remove(name); err != nil {
		return err
	}
	r.log(Write{Op: OpRemove, Path: name})
	return nil
}

func (r *recorder) RemoveAll(name string) error {
	if err := r.fs.RemoveAll(name); err != nil {
		return err
	}
	r.log(Write{Op: OpRemoveAll, Path: name})
	return nil
}

func (r *recorder) Chmod(name string, perm fs.FileMode) error {
	if err := r.fs.Chmod(name, perm); err != nil {
		return err
	}
	r.log(Write{Op: OpChmod, Path: name, Mode: perm})
	return nil
}

// Chown is not something the modelled commands do; it is passed through
// unrecorded.
func (r *recorder) Chown(name string, uid, gid int) error { return r.fs.Chown(name, uid, gid) }

func (r *recorder) Touch(name string, _ time.Time) error {
	if err := r.fs.Touch(name, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpTouch, Path: name})
	return nil
}
