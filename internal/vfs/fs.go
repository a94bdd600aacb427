package vfs

import (
	"io/fs"
	"maps"
	"path"
	"sort"
	"time"
)

// modeMask is what Chmod may change: permission bits and the setuid,
// setgid and sticky bits.
const modeMask = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// node is one file or directory. A directory has a non-nil kids map.
//
// Clones share nodes: a node belongs to the FS whose token it carries,
// which alone may change it, and a node no FS owns (one that was there
// when its FS was cloned) never changes again. An FS changes a node it
// does not own by copying it, and every directory above it that it does
// not own either, into nodes of its own (path copying), so that a Clone
// costs nothing until one side writes, and then the path written. A
// container's exec probe runs on a clone of the container's files every
// few seconds and seldom writes: the property checker spent an eighth of
// its allocations copying whole root filesystems for it.
type node struct {
	mode     fs.FileMode
	mtime    time.Time
	data     []byte
	kids     map[string]*node
	uid, gid int
	// shared marks data that a Clone may also hold: an append must copy
	// it first. Data a node owns alone grows in place, so a loop appending
	// to a file costs amortised O(1) per byte, not a copy of the file.
	shared bool
	owner  *token
}

// token identifies an FS as the owner of its nodes; an FS takes a new one
// when it is cloned. (Not a zero-sized type: distinct ones must differ.)
type token struct{ _ byte }

func newDir(perm fs.FileMode, mtime time.Time, owner *token) *node {
	return &node{mode: fs.ModeDir | perm&modeMask, mtime: mtime, kids: map[string]*node{}, owner: owner}
}

func (n *node) isDir() bool { return n.kids != nil }

func (n *node) info(name string) Info {
	return Info{Name: name, Size: int64(len(n.data)), Mode: n.mode, ModTime: n.mtime, UID: n.uid, GID: n.gid}
}

// copyFor returns a copy of n owned by owner: its kids are n's (a new map
// holding the same nodes), its content is n's, marked shared: a write
// replaces the slice, an append copies it first.
func (n *node) copyFor(owner *token) *node {
	c := *n
	c.owner = owner
	c.shared = true
	if n.kids != nil {
		c.kids = maps.Clone(n.kids)
	}
	return &c
}

// FS is an in-memory tree of directories and files. The zero value is not
// usable; call New or NewDeferred. An FS is not safe for concurrent use.
type FS struct {
	root *node
	// tok marks the nodes this FS owns and may change in place.
	tok *token
	// pending are the steps that build a deferred FS (NewDeferred), run
	// in order by the first call that looks at or changes the tree.
	pending []func(*FS)
}

var _ Filesystem = (*FS)(nil)

// New returns an FS holding only the root directory, mode 0755, with a zero
// modification time.
func New() *FS {
	tok := new(token)
	return &FS{root: newDir(0o755, time.Time{}, tok), tok: tok}
}

// NewDeferred returns an FS that build fills when the FS is first used:
// a container's root filesystem, which most processes never look at, then
// costs nothing until one does. build starts from what New returns and
// must depend only on its argument and on values it captured, not on
// state that may change before the first use. Every method sees the same
// tree it would have seen had build run at once.
func NewDeferred(build func(*FS)) *FS {
	return &FS{pending: []func(*FS){build}, tok: new(token)}
}

// Defer adds step to the building of a deferred FS that nothing has used
// yet, to run after the steps before it; on any other FS it runs step at
// once. The same rules as NewDeferred's build apply to step.
func (f *FS) Defer(step func(*FS)) {
	if f.pending == nil {
		step(f)
		return
	}
	f.pending = append(f.pending, step)
}

// tree returns the root node, running the steps of a deferred FS first.
func (f *FS) tree() *node {
	if steps := f.pending; steps != nil {
		f.pending = nil
		f.root = newDir(0o755, time.Time{}, f.tok)
		for _, step := range steps {
			step(f)
		}
	}
	return f.root
}

// Clone returns an independent copy of f. It shares f's nodes, which
// from now on neither changes in place: each takes a new token.
func (f *FS) Clone() *FS {
	root := f.tree()
	f.tok = new(token)
	return &FS{root: root, tok: new(token)}
}

// Fork returns Clone as a Filesystem.
func (f *FS) Fork() Filesystem { return f.Clone() }

// find walks to a cleaned path and returns its node or why it failed.
func (f *FS) find(clean string) (*node, *Errno) { return f.walkTo(clean, false) }

// findOwned is find for a change: the node it returns, and every
// directory on the way, are f's own, copied if they were not.
func (f *FS) findOwned(clean string) (*node, *Errno) { return f.walkTo(clean, true) }

// walkTo is find, and with own set findOwned.
func (f *FS) walkTo(clean string, own bool) (*node, *Errno) {
	n := f.tree()
	if own && n.owner != f.tok {
		f.root = n.copyFor(f.tok)
		n = f.root
	}
	for _, part := range splitPath(clean) {
		if !n.isDir() {
			return nil, ErrNotDir
		}
		kid, ok := n.kids[part]
		if !ok {
			return nil, ErrNotExist
		}
		if own && kid.owner != f.tok {
			kid = kid.copyFor(f.tok)
			n.kids[part] = kid
		}
		n = kid
	}
	return n, nil
}

// lookupOwned is findOwned with the error op and path the caller reports.
func (f *FS) lookupOwned(op, clean string) (*node, error) {
	n, reason := f.findOwned(clean)
	if reason != nil {
		return nil, pathErr(op, clean, reason)
	}
	return n, nil
}

// lookup is find with the error op and path the caller reports.
func (f *FS) lookup(op, clean string) (*node, error) {
	n, reason := f.find(clean)
	if reason != nil {
		return nil, pathErr(op, clean, reason)
	}
	return n, nil
}

// walk finds the directory dir that is to hold child, f's own (the caller
// changes it). Errors name the child, as the kernel's do, even when it is
// a parent that is missing.
func (f *FS) walk(op, dir, child string) (*node, error) {
	n, reason := f.findOwned(dir)
	if reason == nil && !n.isDir() {
		reason = ErrNotDir
	}
	if reason != nil {
		return nil, pathErr(op, child, reason)
	}
	return n, nil
}

// parent cleans name and returns the directory that holds it and its base
// name. The root has no parent: asking for it fails with onRoot.
func (f *FS) parent(op, name string, onRoot *Errno) (*node, string, string, error) {
	clean, err := Clean(op, name)
	if err != nil {
		return nil, "", "", err
	}
	if clean == "/" {
		return nil, "", clean, pathErr(op, clean, onRoot)
	}
	dir, err := f.walk(op, path.Dir(clean), clean)
	if err != nil {
		return nil, "", clean, err
	}
	return dir, path.Base(clean), clean, nil
}

// Mkdir creates the directory name with mode perm. Its parent must exist.
func (f *FS) Mkdir(name string, perm fs.FileMode, mtime time.Time) error {
	dir, base, clean, err := f.parent("mkdir", name, ErrExist)
	if err != nil {
		return err
	}
	if _, ok := dir.kids[base]; ok {
		return pathErr("mkdir", clean, ErrExist)
	}
	dir.kids[base] = newDir(perm, mtime, f.tok)
	return nil
}

// MkdirAll creates name and any missing parents with mode perm. Existing
// directories are left as they are; a file in the way fails with ErrNotDir.
func (f *FS) MkdirAll(name string, perm fs.FileMode, mtime time.Time) error {
	clean, err := Clean("mkdir", name)
	if err != nil {
		return err
	}
	parts := splitPath(clean)
	// Check the whole path first so a failure creates (or copies) nothing.
	n := f.tree()
	missing := len(parts)
	for i, part := range parts {
		kid, ok := n.kids[part]
		if !ok {
			missing = i
			break
		}
		if !kid.isDir() {
			return pathErr("mkdir", clean, ErrNotDir)
		}
		n = kid
	}
	if missing == len(parts) {
		return nil // all there: nothing changes
	}
	n, _ = f.findOwned("/" + path.Join(parts[:missing]...))
	for _, part := range parts[missing:] {
		kid := newDir(perm, mtime, f.tok)
		n.kids[part] = kid
		n = kid
	}
	return nil
}

// file returns the file node at name for writing, creating an empty one with
// perm when create is set and it is missing.
func (f *FS) file(name string, perm fs.FileMode, create bool, mtime time.Time) (*node, error) {
	dir, base, clean, err := f.parent("open", name, ErrIsDir)
	if err != nil {
		return nil, err
	}
	n, ok := dir.kids[base]
	switch {
	case ok && n.isDir():
		return nil, pathErr("open", clean, ErrIsDir)
	case ok && n.owner != f.tok:
		n = n.copyFor(f.tok)
		dir.kids[base] = n
		return n, nil
	case ok:
		return n, nil
	case !create:
		return nil, pathErr("open", clean, ErrNotExist)
	}
	n = &node{mode: perm & modeMask, mtime: mtime, owner: f.tok}
	dir.kids[base] = n
	return n, nil
}

// WriteFile creates or truncates the file name and writes a copy of data to
// it. A new file gets mode perm; an existing one keeps its mode, as open(2)
// with O_TRUNC does.
func (f *FS) WriteFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error {
	n, err := f.file(name, perm, true, mtime)
	if err != nil {
		return err
	}
	n.data, n.shared = append([]byte(nil), data...), false
	n.mtime = mtime
	return nil
}

// AppendFile appends data to the file name, creating it with mode perm if
// it is missing.
func (f *FS) AppendFile(name string, data []byte, perm fs.FileMode, mtime time.Time) error {
	n, err := f.file(name, perm, true, mtime)
	if err != nil {
		return err
	}
	if n.shared {
		// A Clone holds the old content: append to a copy of our own,
		// with room to grow.
		owned := make([]byte, len(n.data), 2*(len(n.data)+len(data)))
		copy(owned, n.data)
		n.data, n.shared = owned, false
	}
	n.data = append(n.data, data...)
	n.mtime = mtime
	return nil
}

// ReadFile returns a copy of the content of the file name.
func (f *FS) ReadFile(name string) ([]byte, error) {
	clean, err := Clean("open", name)
	if err != nil {
		return nil, err
	}
	n, err := f.lookup("open", clean)
	if err != nil {
		return nil, err
	}
	if n.isDir() {
		return nil, pathErr("read", clean, ErrIsDir)
	}
	return append([]byte(nil), n.data...), nil
}

// Stat describes name.
func (f *FS) Stat(name string) (Info, error) {
	clean, err := Clean("stat", name)
	if err != nil {
		return Info{}, err
	}
	n, err := f.lookup("stat", clean)
	if err != nil {
		return Info{}, err
	}
	return n.info(path.Base(clean)), nil
}

// ReadDir lists the directory name, sorted by name.
func (f *FS) ReadDir(name string) ([]Info, error) {
	clean, err := Clean("open", name)
	if err != nil {
		return nil, err
	}
	n, err := f.lookup("open", clean)
	if err != nil {
		return nil, err
	}
	if !n.isDir() {
		return nil, pathErr("readdirent", clean, ErrNotDir)
	}
	names := make([]string, 0, len(n.kids))
	for kid := range n.kids {
		names = append(names, kid)
	}
	sort.Strings(names)
	out := make([]Info, len(names))
	for i, kid := range names {
		out[i] = n.kids[kid].info(kid)
	}
	return out, nil
}

// Remove deletes the file or empty directory name. The root cannot be
// removed (ErrBusy).
func (f *FS) Remove(name string) error {
	dir, base, clean, err := f.parent("remove", name, ErrBusy)
	if err != nil {
		return err
	}
	n, ok := dir.kids[base]
	if !ok {
		return pathErr("remove", clean, ErrNotExist)
	}
	if n.isDir() && len(n.kids) > 0 {
		return pathErr("remove", clean, ErrNotEmpty)
	}
	delete(dir.kids, base)
	return nil
}

// RemoveAll deletes name and everything under it. A missing path is not an
// error, as with os.RemoveAll; the root cannot be removed (ErrBusy).
func (f *FS) RemoveAll(name string) error {
	dir, base, _, err := f.parent("remove", name, ErrBusy)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok && pe.Err == ErrNotExist {
			return nil
		}
		return err
	}
	delete(dir.kids, base)
	return nil
}

// Chmod sets the permission, setuid, setgid and sticky bits of name.
func (f *FS) Chmod(name string, perm fs.FileMode) error {
	n, err := f.existing("chmod", name)
	if err != nil {
		return err
	}
	n.mode = n.mode&^modeMask | perm&modeMask
	return nil
}

// Chown sets the owner and group ids of name.
func (f *FS) Chown(name string, uid, gid int) error {
	n, err := f.existing("chown", name)
	if err != nil {
		return err
	}
	n.uid, n.gid = uid, gid
	return nil
}

// Touch sets the modification time of name, creating an empty file with
// mode 0644 when it is missing, as touch(1) does.
func (f *FS) Touch(name string, mtime time.Time) error {
	clean, err := Clean("open", name)
	if err != nil {
		return err
	}
	if n, err := f.lookupOwned("open", clean); err == nil {
		n.mtime = mtime
		return nil
	}
	_, err = f.file(clean, 0o644, true, mtime)
	return err
}

// Readable reports whether "others" may read name (see the package doc).
func (f *FS) Readable(name string) bool { return readable(f, name) }

// existing cleans name and returns its node, f's own (the caller changes
// it).
func (f *FS) existing(op, name string) (*node, error) {
	clean, err := Clean(op, name)
	if err != nil {
		return nil, err
	}
	return f.lookupOwned(op, clean)
}
