package vfs

import (
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoPods builds two container views sharing one volume FS, mounted at
// different paths, the second read-only and from a subdirectory.
func twoPods(t *testing.T) (a, b *View, vol *FS) {
	t.Helper()
	vol = New()
	require.NoError(t, vol.MkdirAll("/sub", 0o755, t0))
	rootA, rootB := New(), New()
	require.NoError(t, rootA.MkdirAll("/data", 0o755, t0))
	a, b = NewView(rootA), NewView(rootB)
	require.NoError(t, a.Mount("/data", vol, "", false))
	require.NoError(t, b.Mount("/mnt/ro", vol, "/sub", true))
	return a, b, vol
}

func TestViewSharesVolumes(t *testing.T) {
	a, b, vol := twoPods(t)
	require.NoError(t, a.WriteFile("/data/sub/msg", []byte("hi"), 0o644, t0))
	got, err := b.ReadFile("/mnt/ro/msg")
	require.NoError(t, err)
	assert.Equal(t, "hi", string(got))
	got, err = vol.ReadFile("/sub/msg")
	require.NoError(t, err)
	assert.Equal(t, "hi", string(got))

	// Writes outside a mount stay in the view's own root.
	require.NoError(t, a.WriteFile("/etc-file", []byte("a"), 0o644, t0))
	_, err = b.Stat("/etc-file")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestViewReadOnlyMount(t *testing.T) {
	_, b, vol := twoPods(t)
	before := vol.Clone()
	calls := map[string]func() error{
		"write":    func() error { return b.WriteFile("/mnt/ro/x", nil, 0o644, t0) },
		"append":   func() error { return b.AppendFile("/mnt/ro/x", nil, 0o644, t0) },
		"mkdir":    func() error { return b.Mkdir("/mnt/ro/d", 0o755, t0) },
		"mkdirall": func() error { return b.MkdirAll("/mnt/ro/d/e", 0o755, t0) },
		"touch":    func() error { return b.Touch("/mnt/ro/x", t0) },
		"chmod":    func() error { return b.Chmod("/mnt/ro", 0o700) },
		"chown":    func() error { return b.Chown("/mnt/ro", 1, 1) },
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ErrReadOnly, name)
		assert.ErrorIs(t, err, fs.ErrPermission, name)
		assert.Contains(t, err.Error(), "read-only file system", name)
	}
	assert.EqualError(t, b.WriteFile("/mnt/ro/x", nil, 0o644, t0), "open /mnt/ro/x: read-only file system")
	assert.Equal(t, Listing(before, "/"), Listing(vol, "/"), "nothing reached the volume")
}

func TestViewLongestPrefixWins(t *testing.T) {
	root, outer, inner := New(), New(), New()
	v := NewView(root)
	require.NoError(t, v.Mount("/a", outer, "", false))
	require.NoError(t, v.Mount("/a/b", inner, "", false))
	require.NoError(t, v.WriteFile("/a/b/f", []byte("inner"), 0o644, t0))
	require.NoError(t, v.WriteFile("/a/f", []byte("outer"), 0o644, t0))
	require.NoError(t, v.WriteFile("/ab", []byte("root"), 0o644, t0), "/ab is not under /a")

	got, err := inner.ReadFile("/f")
	require.NoError(t, err)
	assert.Equal(t, "inner", string(got))
	got, err = outer.ReadFile("/f")
	require.NoError(t, err)
	assert.Equal(t, "outer", string(got))
	got, err = root.ReadFile("/ab")
	require.NoError(t, err)
	assert.Equal(t, "root", string(got))
	assert.Equal(t, []string{"/", "/a", "/a/b"}, v.MountPoints())
}

func TestViewErrorsUseTheViewPath(t *testing.T) {
	a, _, _ := twoPods(t)
	_, err := a.ReadFile("/data/sub/missing")
	assert.EqualError(t, err, "open /data/sub/missing: no such file or directory")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestViewReadDirShowsMountPoints(t *testing.T) {
	root, vol := New(), New()
	require.NoError(t, root.MkdirAll("/mnt/zz", 0o755, t0))
	require.NoError(t, vol.Chmod("/", 0o777))
	v := NewView(root)
	require.NoError(t, v.Mount("/mnt/cache", vol, "", false))
	list, err := v.ReadDir("/mnt")
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "cache", list[0].Name)
	assert.Equal(t, fs.ModeDir|0o777, list[0].Mode, "the mounted directory, not the mount point")
	assert.Equal(t, "zz", list[1].Name)

	info, err := v.Stat("/mnt/cache")
	require.NoError(t, err)
	assert.Equal(t, "cache", info.Name)
}

func TestViewMountPointsCannotBeRemoved(t *testing.T) {
	a, _, _ := twoPods(t)
	require.NoError(t, a.WriteFile("/data/f", nil, 0o644, t0))
	assert.ErrorIs(t, a.Remove("/data"), ErrBusy)
	assert.ErrorIs(t, a.RemoveAll("/"), ErrBusy)
	err := a.RemoveAll("/data")
	assert.EqualError(t, err, "remove /data: device or resource busy")
	_, err = a.Stat("/data/f")
	assert.NoError(t, err, "a refused RemoveAll removes nothing")
	require.NoError(t, a.RemoveAll("/data/sub"))
}

func TestViewMountValidation(t *testing.T) {
	root, vol := New(), New()
	require.NoError(t, vol.WriteFile("/file", nil, 0o644, t0))
	v := NewView(root)
	assert.ErrorIs(t, v.Mount("rel", vol, "", false), ErrInvalid)
	assert.ErrorIs(t, v.Mount("/m", vol, "/missing", false), fs.ErrNotExist)
	assert.ErrorIs(t, v.Mount("/m", vol, "/file", false), ErrNotDir)
	assert.ErrorIs(t, v.Mount("/m", nil, "", false), ErrInvalid)
	require.NoError(t, v.Mount("/m", vol, "", false))
	assert.ErrorIs(t, v.Mount("/m/", vol, "", true), ErrBusy)
	assert.Equal(t, []string{"/", "/m"}, v.MountPoints())
}

func TestViewMkdirAllAcrossMounts(t *testing.T) {
	root, vol := New(), New()
	v := NewView(root)
	require.NoError(t, v.Mount("/a/b", vol, "", false))
	require.NoError(t, v.MkdirAll("/a/b/c/d", 0o750, t0))
	info, err := vol.Stat("/c/d")
	require.NoError(t, err)
	assert.Equal(t, fs.ModeDir|0o750, info.Mode)
	_, err = root.Stat("/a")
	assert.ErrorIs(t, err, fs.ErrNotExist, "the mount point's parent is not needed to reach the mount")
	require.NoError(t, v.MkdirAll("/a/b/c/d", 0o750, t0), "existing is fine")
}

func TestViewCloneKeepsSharing(t *testing.T) {
	vol := New()
	v := NewView(New())
	require.NoError(t, v.Mount("/one", vol, "", false))
	require.NoError(t, v.Mount("/two", vol, "", true))
	c := v.Clone()
	require.NoError(t, c.WriteFile("/one/f", []byte("x"), 0o644, t0))
	got, err := c.ReadFile("/two/f")
	require.NoError(t, err, "both mounts of the clone see one cloned volume")
	assert.Equal(t, "x", string(got))
	_, err = vol.Stat("/f")
	assert.ErrorIs(t, err, fs.ErrNotExist, "the original volume is untouched")
	_, err = v.Fork().ReadFile("/one/f")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestViewReadableAcrossMounts(t *testing.T) {
	root, html := New(), New()
	require.NoError(t, root.MkdirAll("/usr/share/nginx", 0o755, t0))
	require.NoError(t, html.WriteFile("/index.html", []byte("x"), 0o644, t0))
	v := NewView(root)
	require.NoError(t, v.Mount("/usr/share/nginx/html", html, "", true))
	assert.True(t, v.Readable("/usr/share/nginx/html/index.html"))
	require.NoError(t, html.Chmod("/", 0o700))
	assert.False(t, v.Readable("/usr/share/nginx/html/index.html"), "a hostPath dir of 0700 gives nginx a 403")
}

func TestViewTouchAndTimes(t *testing.T) {
	a, _, vol := twoPods(t)
	later := t0.Add(5 * time.Second)
	require.NoError(t, a.Touch("/data/t", later))
	info, err := vol.Stat("/t")
	require.NoError(t, err)
	assert.Equal(t, later, info.ModTime)
}

// Unmount uncovers what lay under the mount point; the root stays.
func TestViewUnmount(t *testing.T) {
	a, _, _ := twoPods(t)
	require.NoError(t, a.WriteFile("/data/sub/on-volume", nil, 0o644, t0))
	require.NoError(t, a.Unmount("/data"))
	_, err := a.Stat("/data/sub/on-volume")
	assert.ErrorIs(t, err, fs.ErrNotExist, "the volume is no longer seen")
	info, err := a.Stat("/data")
	require.NoError(t, err)
	assert.True(t, info.IsDir(), "the root's own directory is back")
	assert.ErrorIs(t, a.Unmount("/data"), ErrInvalid)
	assert.ErrorIs(t, a.Unmount("/"), ErrInvalid)
	assert.Equal(t, []string{"/"}, a.MountPoints())
}
