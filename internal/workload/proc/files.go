package proc

import (
	"io/fs"
	"syscall"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// recorder wraps the process's filesystem: every successful change is
// applied there (so the script sees its own writes) stamped with the
// writing thread's virtual time, and, for a recording process (a run on
// a private copy), logged as a Write.
type recorder struct {
	fs      vfs.Filesystem
	start   time.Time
	now     func() time.Duration
	writes  []Write
	written int
	// live marks a live process's filesystem: its changes are not logged
	// as Writes, since they are already where everyone sees them.
	live bool
}

// clockFS is the filesystem as one thread of the process uses it: changes
// are stamped with that thread's clock (a shell's pipeline stages and
// background jobs each have their own).
type clockFS struct {
	r     *recorder
	clock func() time.Duration
}

var _ vfs.Filesystem = clockFS{}

// Files returns the process's filesystem as seen by a thread whose clock
// is read by clock: every change lands at start plus clock(), and is
// logged as a Write when the process records its writes.
func (p *Proc) Files(clock func() time.Duration) vfs.Filesystem {
	return clockFS{r: &p.files, clock: clock}
}

func (f clockFS) bind() *recorder {
	f.r.now = f.clock
	return f.r
}

// Mkdir changes the process's filesystem, stamped with the thread's time.
func (f clockFS) Mkdir(name string, perm fs.FileMode, t time.Time) error {
	return f.bind().Mkdir(name, perm, t)
}

// MkdirAll changes the process's filesystem, stamped with the thread's time.
func (f clockFS) MkdirAll(name string, perm fs.FileMode, t time.Time) error {
	return f.bind().MkdirAll(name, perm, t)
}

// WriteFile changes the process's filesystem, stamped with the thread's time.
func (f clockFS) WriteFile(name string, data []byte, perm fs.FileMode, t time.Time) error {
	return f.bind().WriteFile(name, data, perm, t)
}

// AppendFile changes the process's filesystem, stamped with the thread's time.
func (f clockFS) AppendFile(name string, data []byte, perm fs.FileMode, t time.Time) error {
	return f.bind().AppendFile(name, data, perm, t)
}

// ReadFile reads through to the process's filesystem.
func (f clockFS) ReadFile(name string) ([]byte, error) { return f.r.ReadFile(name) }

// Stat reads through to the process's filesystem.
func (f clockFS) Stat(name string) (vfs.Info, error) { return f.r.Stat(name) }

// ReadDir reads through to the process's filesystem.
func (f clockFS) ReadDir(name string) ([]vfs.Info, error) { return f.r.ReadDir(name) }

// Readable reads through to the process's filesystem.
func (f clockFS) Readable(name string) bool { return f.r.Readable(name) }

// Fork reads through to the process's filesystem.
func (f clockFS) Fork() vfs.Filesystem { return f.r.Fork() }

// Remove changes the process's filesystem, stamped with the thread's time.
func (f clockFS) Remove(name string) error { return f.bind().Remove(name) }

// RemoveAll changes the process's filesystem, stamped with the thread's time.
func (f clockFS) RemoveAll(name string) error { return f.bind().RemoveAll(name) }

// Chmod changes the process's filesystem, stamped with the thread's time.
func (f clockFS) Chmod(name string, perm fs.FileMode) error { return f.bind().Chmod(name, perm) }

// Chown changes the process's filesystem, stamped with the thread's time.
func (f clockFS) Chown(name string, uid, gid int) error { return f.bind().Chown(name, uid, gid) }

// Touch changes the process's filesystem, stamped with the thread's time.
func (f clockFS) Touch(name string, t time.Time) error { return f.bind().Touch(name, t) }

var _ vfs.Filesystem = (*recorder)(nil)

func (r *recorder) at() time.Time { return r.start.Add(r.now()) }

// log records a change, merging an append into the write or append just
// before it to the same path at the same instant, so a loop appending a
// thousand lines at once logs one Write.
func (r *recorder) log(w Write) {
	if r.live {
		return
	}
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

// Mkdir applies the change to the private filesystem and records it.
func (r *recorder) Mkdir(name string, perm fs.FileMode, _ time.Time) error {
	if err := r.fs.Mkdir(name, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpMkdir, Path: name, Mode: perm})
	return nil
}

// MkdirAll applies the change to the private filesystem and records it.
func (r *recorder) MkdirAll(name string, perm fs.FileMode, _ time.Time) error {
	if err := r.fs.MkdirAll(name, perm, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpMkdirAll, Path: name, Mode: perm})
	return nil
}

// WriteFile applies the change to the private filesystem and records it.
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

// AppendFile applies the change to the private filesystem and records it.
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

// ReadFile reads the private filesystem; reads are not recorded.
func (r *recorder) ReadFile(name string) ([]byte, error) { return r.fs.ReadFile(name) }

// Stat reads the private filesystem; reads are not recorded.
func (r *recorder) Stat(name string) (vfs.Info, error) { return r.fs.Stat(name) }

// ReadDir reads the private filesystem; reads are not recorded.
func (r *recorder) ReadDir(name string) ([]vfs.Info, error) { return r.fs.ReadDir(name) }

// Readable reads the private filesystem; reads are not recorded.
func (r *recorder) Readable(name string) bool { return r.fs.Readable(name) }

// Fork reads the private filesystem; reads are not recorded.
func (r *recorder) Fork() vfs.Filesystem { return r.fs.Fork() }

// Remove applies the change to the private filesystem and records it.
func (r *recorder) Remove(name string) error {
	if err := r.fs.Remove(name); err != nil {
		return err
	}
	r.log(Write{Op: OpRemove, Path: name})
	return nil
}

// RemoveAll applies the change to the private filesystem and records it.
func (r *recorder) RemoveAll(name string) error {
	if err := r.fs.RemoveAll(name); err != nil {
		return err
	}
	r.log(Write{Op: OpRemoveAll, Path: name})
	return nil
}

// Chmod applies the change to the private filesystem and records it.
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

// Touch applies the change to the private filesystem and records it.
func (r *recorder) Touch(name string, _ time.Time) error {
	if err := r.fs.Touch(name, r.at()); err != nil {
		return err
	}
	r.log(Write{Op: OpTouch, Path: name})
	return nil
}
