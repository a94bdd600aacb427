package vfs

import (
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// mount attaches the subtree subdir of an FS at a path of a View.
type mount struct {
	at       string
	fs       *FS
	subdir   string
	readOnly bool
}

// View is a container's view of files: a root FS plus mounts. Each path
// resolves to the mount with the longest matching prefix, so a volume shared
// by several Views is one FS whose changes all of them see. A View is not
// safe for concurrent use.
type View struct {
	mounts []mount // longest "at" first; the root is mounted at "/"
}

var _ Filesystem = (*View)(nil)

// NewView returns a View whose "/" is root (read-write) and that has no
// other mounts.
func NewView(root *FS) *View {
	return &View{mounts: []mount{{at: "/", fs: root, subdir: "/"}}}
}

// Mount attaches the directory subdir of fsys ("" means its root) at the
// path at, read-only when readOnly is set. Paths below at then resolve into
// fsys. The directory at need not exist in the layer below (container
// runtimes create mount points), but subdir must be a directory of fsys.
// Mounting twice at the same path fails with ErrBusy.
func (v *View) Mount(at string, fsys *FS, subdir string, readOnly bool) error {
	cleanAt, err := Clean("mount", at)
	if err != nil {
		return err
	}
	if subdir == "" {
		subdir = "/"
	}
	cleanSub, err := Clean("mount", subdir)
	if err != nil {
		return err
	}
	if fsys == nil {
		return pathErr("mount", cleanAt, ErrInvalid)
	}
	info, err := fsys.Stat(cleanSub)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return pathErr("mount", cleanSub, ErrNotDir)
	}
	for _, m := range v.mounts {
		if m.at == cleanAt {
			return pathErr("mount", cleanAt, ErrBusy)
		}
	}
	v.mounts = append(v.mounts, mount{at: cleanAt, fs: fsys, subdir: cleanSub, readOnly: readOnly})
	sort.SliceStable(v.mounts, func(i, j int) bool { return len(v.mounts[i].at) > len(v.mounts[j].at) })
	return nil
}

// Unmount detaches what is mounted at the path at; the root cannot be
// unmounted, and a path where nothing is mounted is ErrInvalid.
func (v *View) Unmount(at string) error {
	clean, err := Clean("umount", at)
	if err != nil {
		return err
	}
	for i, m := range v.mounts {
		if m.at == clean && clean != "/" {
			v.mounts = append(v.mounts[:i], v.mounts[i+1:]...)
			return nil
		}
	}
	return pathErr("umount", clean, ErrInvalid)
}

// MountPoints returns the paths where something is mounted, "/" included,
// sorted.
func (v *View) MountPoints() []string {
	out := make([]string, len(v.mounts))
	for i, m := range v.mounts {
		out[i] = m.at
	}
	sort.Strings(out)
	return out
}

// under reports whether p is at or below the directory dir.
func under(p, dir string) bool {
	return dir == "/" || p == dir || strings.HasPrefix(p, dir+"/")
}

// resolve returns the mount that serves the cleaned path p and p's path
// inside that mount's FS.
func (v *View) resolve(p string) (mount, string) {
	for _, m := range v.mounts {
		if under(p, m.at) {
			return m, path.Join(m.subdir, strings.TrimPrefix(p, m.at))
		}
	}
	// Unreachable: the root mount matches every path.
	return v.mounts[len(v.mounts)-1], p
}

// target cleans name and resolves it for op, refusing a write to a
// read-only mount.
func (v *View) target(op, name string, write bool) (mount, string, string, error) {
	clean, err := Clean(op, name)
	if err != nil {
		return mount{}, "", "", err
	}
	m, inner := v.resolve(clean)
	if write && m.readOnly {
		return mount{}, "", clean, pathErr(op, clean, ErrReadOnly)
	}
	return m, inner, clean, nil
}

// rename rewrites the path in an error from a mounted FS to the path the
// caller used, so errors never leak a volume's internal layout.
func rename(err error, clean string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: clean, Err: pe.Err}
	}
	return err
}

// isMountPoint reports whether clean is where something other than the
// root is mounted; such a path cannot be removed.
func (v *View) isMountPoint(clean string) bool {
	for _, m := range v.mounts {
		if m.at == clean {
			return true
		}
	}
	return false
}

// write runs a mutating call on the FS that serves name.
func (v *View) write(op, name string, call func(f *FS, inner string) error) error {
	m, inner, clean, err := v.target(op, name, true)
	if err != nil {
		return err
	}
	return rename(call(m.fs, inner), clean)
}

// Mkdir creates one directory (see FS.Mkdir).
func (v *View) Mkdir(name string, perm fs.FileMode, mtime time.Time) error {
	return v.write("mkdir", name, func(f *FS, inner string) error { return f.Mkdir(inner, perm, mtime) })
}

// MkdirAll creates a directory and its missing parents (see FS.MkdirAll).
// Parents on other mounts are created there.
func (v *View) MkdirAll(name string, perm fs.FileMode, mtime time.Time) error {
	clean, err := Clean("mkdir", name)
	if err != nil {
		return err
	}
	if info, err := v.Stat(clean); err == nil {
		if info.IsDir() {
			return nil
		}
		return pathErr("mkdir", clean, ErrNotDir)
	}
	if err := v.checkMkdirAll(clean); err != nil {
		return err
	}
	if clean != "/" {
		if err := v.MkdirAll(path.Dir(clean), perm, mtime); err != nil {
			return err
		}
	}
	return v.Mkdir(clean, perm, mtime)
}

// checkMkdirAll fails, before anything is created, when a directory that
// MkdirAll would create lies on a read-only mount.
func (v *View) checkMkdirAll(clean string) error {
	for p := clean; ; p = path.Dir(p) {
		if _, err := v.Stat(p); err == nil {
			return nil
		}
		if m, _ := v.resolve(p); m.readOnly {
			return pathErr("mkdir", p, ErrReadOnly)
		}
		if p == "/" {
			return nil
		}
	}
}

// WriteFile creates or truncates a file (see FS.WriteFile).
func (v *View) WriteFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error {
	return v.write("open", name, func(f *FS, inner string) error { return f.WriteFile(inner, data, perm, mtime) })
}

// AppendFile appends to a file (see FS.AppendFile).
func (v *View) AppendFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error {
	return v.write("open", name, func(f *FS, inner string) error { return f.AppendFile(inner, data, perm, mtime) })
}

// ReadFile returns a copy of a file's content.
func (v *View) ReadFile(name string) ([]byte, error) {
	m, inner, clean, err := v.target("open", name, false)
	if err != nil {
		return nil, err
	}
	data, err := m.fs.ReadFile(inner)
	return data, rename(err, clean)
}

// Stat describes a path. A mount point reports its mounted directory.
func (v *View) Stat(name string) (Info, error) {
	m, inner, clean, err := v.target("stat", name, false)
	if err != nil {
		return Info{}, err
	}
	info, err := m.fs.Stat(inner)
	if err != nil {
		return Info{}, rename(err, clean)
	}
	info.Name = path.Base(clean)
	return info, nil
}

// ReadDir lists a directory, sorted by name, with mount points directly
// below it shown as the directories mounted there.
func (v *View) ReadDir(name string) ([]Info, error) {
	m, inner, clean, err := v.target("open", name, false)
	if err != nil {
		return nil, err
	}
	list, err := m.fs.ReadDir(inner)
	if err != nil {
		return nil, rename(err, clean)
	}
	byName := make(map[string]Info, len(list))
	for _, info := range list {
		byName[info.Name] = info
	}
	for _, mp := range v.mounts {
		if mp.at != "/" && path.Dir(mp.at) == clean {
			if info, err := v.Stat(mp.at); err == nil {
				byName[info.Name] = info
			}
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Info, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out, nil
}

// Remove deletes a file or empty directory. Mount points cannot be removed
// (ErrBusy).
func (v *View) Remove(name string) error {
	clean, err := Clean("remove", name)
	if err != nil {
		return err
	}
	if v.isMountPoint(clean) {
		return pathErr("remove", clean, ErrBusy)
	}
	return v.write("remove", clean, func(f *FS, inner string) error { return f.Remove(inner) })
}

// RemoveAll deletes a path and everything under it. It refuses (ErrBusy,
// nothing removed) when a mount point is at or below the path, since the
// kernel would refuse to remove the mount point.
func (v *View) RemoveAll(name string) error {
	clean, err := Clean("remove", name)
	if err != nil {
		return err
	}
	for _, m := range v.mounts {
		if under(m.at, clean) {
			return pathErr("remove", clean, ErrBusy)
		}
	}
	return v.write("remove", clean, func(f *FS, inner string) error { return f.RemoveAll(inner) })
}

// Chmod sets a path's permission bits.
func (v *View) Chmod(name string, perm fs.FileMode) error {
	return v.write("chmod", name, func(f *FS, inner string) error { return f.Chmod(inner, perm) })
}

// Chown sets a path's owner and group ids.
func (v *View) Chown(name string, uid, gid int) error {
	return v.write("chown", name, func(f *FS, inner string) error { return f.Chown(inner, uid, gid) })
}

// Touch sets a path's modification time, creating an empty file if needed.
func (v *View) Touch(name string, mtime time.Time) error {
	return v.write("open", name, func(f *FS, inner string) error { return f.Touch(inner, mtime) })
}

// Readable reports whether "others" may read the path, checking the
// directories of every mount it crosses.
func (v *View) Readable(name string) bool { return readable(v, name) }

// Clone returns an independent copy of the View and of every FS it mounts.
// An FS mounted at several places stays one (cloned) FS, so the copy keeps
// the sharing of the original.
func (v *View) Clone() *View {
	copies := map[*FS]*FS{}
	out := &View{mounts: make([]mount, len(v.mounts))}
	for i, m := range v.mounts {
		c, ok := copies[m.fs]
		if !ok {
			c = m.fs.Clone()
			copies[m.fs] = c
		}
		m.fs = c
		out.mounts[i] = m
	}
	return out
}

// Fork returns Clone as a Filesystem.
func (v *View) Fork() Filesystem { return v.Clone() }
