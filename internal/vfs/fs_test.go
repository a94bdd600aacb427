package vfs

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

func TestWriteReadStat(t *testing.T) {
	f := New()
	require.NoError(t, f.MkdirAll("/data/sub", 0o755, t0))
	require.NoError(t, f.WriteFile("/data/x", []byte("hello"), 0o600, t0))
	got, err := f.ReadFile("/data/../data/./x")
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))

	info, err := f.Stat("/data/x")
	require.NoError(t, err)
	assert.Equal(t, Info{Name: "x", Size: 5, Mode: 0o600, ModTime: t0}, info)

	later := t0.Add(time.Minute)
	require.NoError(t, f.AppendFile("/data/x", []byte(" world"), 0o644, later))
	got, err = f.ReadFile("/data/x")
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(got))
	info, err = f.Stat("/data/x")
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), info.Mode, "an existing file keeps its mode")
	assert.Equal(t, later, info.ModTime)

	dir, err := f.Stat("/data/sub")
	require.NoError(t, err)
	assert.True(t, dir.IsDir())
	assert.Equal(t, fs.ModeDir|0o755, dir.Mode)
}

func TestReadFileReturnsCopy(t *testing.T) {
	f := New()
	data := []byte("abc")
	require.NoError(t, f.WriteFile("/f", data, 0o644, t0))
	data[0] = 'X'
	got, err := f.ReadFile("/f")
	require.NoError(t, err)
	got[1] = 'Y'
	again, err := f.ReadFile("/f")
	require.NoError(t, err)
	assert.Equal(t, "abc", string(again))
}

func TestErrorsReadLikeAShell(t *testing.T) {
	f := New()
	require.NoError(t, f.WriteFile("/file", nil, 0o644, t0))
	require.NoError(t, f.MkdirAll("/dir/full", 0o755, t0))
	cases := []struct {
		name   string
		call   func() error
		msg    string
		reason *Errno
		is     error
	}{
		{"missing file", func() error { _, err := f.ReadFile("/data/x"); return err },
			"open /data/x: no such file or directory", ErrNotExist, fs.ErrNotExist},
		{"write under missing dir", func() error { return f.WriteFile("/nope/x", nil, 0o644, t0) },
			"open /nope/x: no such file or directory", ErrNotExist, fs.ErrNotExist},
		{"mkdir existing", func() error { return f.Mkdir("/dir", 0o755, t0) },
			"mkdir /dir: file exists", ErrExist, fs.ErrExist},
		{"mkdir -p through file", func() error { return f.MkdirAll("/file/sub", 0o755, t0) },
			"mkdir /file/sub: not a directory", ErrNotDir, nil},
		{"read dir as file", func() error { _, err := f.ReadFile("/dir"); return err },
			"read /dir: is a directory", ErrIsDir, nil},
		{"write dir as file", func() error { return f.WriteFile("/dir", nil, 0o644, t0) },
			"open /dir: is a directory", ErrIsDir, nil},
		{"readdir of file", func() error { _, err := f.ReadDir("/file"); return err },
			"readdirent /file: not a directory", ErrNotDir, nil},
		{"remove non-empty", func() error { return f.Remove("/dir") },
			"remove /dir: directory not empty", ErrNotEmpty, nil},
		{"remove root", func() error { return f.RemoveAll("/") },
			"remove /: device or resource busy", ErrBusy, nil},
		{"relative path", func() error { _, err := f.Stat("data/x"); return err },
			"stat data/x: invalid argument", ErrInvalid, fs.ErrInvalid},
		{"NUL in path", func() error { return f.Touch("/a\x00b", t0) },
			"open /a\x00b: invalid argument", ErrInvalid, fs.ErrInvalid},
		{"chmod missing", func() error { return f.Chmod("/x", 0o700) },
			"chmod /x: no such file or directory", ErrNotExist, fs.ErrNotExist},
		{"path through file", func() error { _, err := f.Stat("/file/x"); return err },
			"stat /file/x: not a directory", ErrNotDir, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, tc.reason)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var pe *fs.PathError
			assert.True(t, errors.As(err, &pe))
		})
	}
}

func TestFailedCallsChangeNothing(t *testing.T) {
	f := New()
	require.NoError(t, f.WriteFile("/file", []byte("x"), 0o644, t0))
	before := f.Clone()
	assert.Error(t, f.MkdirAll("/a/b/file2/../../../file/c", 0o755, t0))
	assert.Error(t, f.MkdirAll("/file/x/y", 0o755, t0))
	assert.Error(t, f.WriteFile("/missing/f", nil, 0o644, t0))
	assert.Error(t, f.Remove("/missing"))
	assert.Equal(t, Listing(before, "/"), Listing(f, "/"))
}

func TestReadDirSorted(t *testing.T) {
	f := New()
	require.NoError(t, f.Mkdir("/d", 0o755, t0))
	for _, name := range []string{"/d/zeta", "/d/alpha", "/d/Mid", "/d/beta"} {
		require.NoError(t, f.WriteFile(name, []byte(name), 0o644, t0))
	}
	require.NoError(t, f.Mkdir("/d/sub", 0o700, t0.Add(time.Hour)))
	list, err := f.ReadDir("/d")
	require.NoError(t, err)
	var names []string
	for _, info := range list {
		names = append(names, info.Name)
	}
	assert.Equal(t, []string{"Mid", "alpha", "beta", "sub", "zeta"}, names)
	assert.True(t, list[3].IsDir())
	assert.Equal(t, int64(len("/d/alpha")), list[1].Size)
}

func TestRemoveAndRemoveAll(t *testing.T) {
	f := New()
	require.NoError(t, f.MkdirAll("/a/b/c", 0o755, t0))
	require.NoError(t, f.WriteFile("/a/b/c/f", nil, 0o644, t0))
	require.NoError(t, f.Remove("/a/b/c/f"))
	require.NoError(t, f.Remove("/a/b/c"))
	_, err := f.Stat("/a/b/c")
	assert.ErrorIs(t, err, fs.ErrNotExist)
	require.NoError(t, f.RemoveAll("/a"))
	require.NoError(t, f.RemoveAll("/a"), "removing a missing path is fine")
	list, err := f.ReadDir("/")
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestChmodChownTouch(t *testing.T) {
	f := New()
	require.NoError(t, f.MkdirAll("/d", 0o755, t0))
	require.NoError(t, f.Chmod("/d", 0o700|fs.ModeSticky))
	require.NoError(t, f.Chown("/d", 101, 102))
	info, err := f.Stat("/d")
	require.NoError(t, err)
	assert.Equal(t, fs.ModeDir|fs.ModeSticky|0o700, info.Mode, "chmod keeps the type bit")
	assert.Equal(t, 101, info.UID)
	assert.Equal(t, 102, info.GID)

	later := t0.Add(2 * time.Hour)
	require.NoError(t, f.Touch("/d/new", t0))
	require.NoError(t, f.Touch("/d", later))
	info, err = f.Stat("/d/new")
	require.NoError(t, err)
	assert.Equal(t, Info{Name: "new", Mode: 0o644, ModTime: t0}, info)
	info, err = f.Stat("/d")
	require.NoError(t, err)
	assert.Equal(t, later, info.ModTime)
}

func TestCloneIsIndependent(t *testing.T) {
	f := New()
	require.NoError(t, f.WriteFile("/f", []byte("base"), 0o644, t0))
	c := f.Clone()
	require.NoError(t, c.AppendFile("/f", []byte("+clone"), 0o644, t0))
	require.NoError(t, f.AppendFile("/f", []byte("+orig"), 0o644, t0))
	require.NoError(t, c.Mkdir("/only-clone", 0o755, t0))

	got, err := f.ReadFile("/f")
	require.NoError(t, err)
	assert.Equal(t, "base+orig", string(got))
	got, err = c.ReadFile("/f")
	require.NoError(t, err)
	assert.Equal(t, "base+clone", string(got))
	_, err = f.Stat("/only-clone")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestReadable(t *testing.T) {
	f := New()
	require.NoError(t, f.MkdirAll("/usr/share/nginx/html", 0o755, t0))
	require.NoError(t, f.WriteFile("/usr/share/nginx/html/index.html", nil, 0o644, t0))
	require.NoError(t, f.MkdirAll("/private", 0o700, t0))
	require.NoError(t, f.WriteFile("/private/index.html", nil, 0o644, t0))
	require.NoError(t, f.WriteFile("/secret", nil, 0o600, t0))

	assert.True(t, f.Readable("/"))
	assert.True(t, f.Readable("/usr/share/nginx/html/index.html"))
	assert.True(t, f.Readable("/usr/share/nginx/html"))
	assert.False(t, f.Readable("/private/index.html"), "a 0700 directory hides its files")
	assert.False(t, f.Readable("/private"))
	assert.False(t, f.Readable("/secret"))
	assert.False(t, f.Readable("/missing"))
	assert.False(t, f.Readable("relative"))
}

// A file that grew in place (spare capacity behind it) and is then cloned
// must not let either side's append show through to the other.
func TestCloneIsIndependentAfterGrowingAppends(t *testing.T) {
	f := New()
	for range 10 {
		require.NoError(t, f.AppendFile("/log", []byte("line\n"), 0o644, t0))
	}
	c := f.Clone()
	require.NoError(t, f.AppendFile("/log", []byte("orig\n"), 0o644, t0))
	require.NoError(t, c.AppendFile("/log", []byte("clone\n"), 0o644, t0))
	got, _ := f.ReadFile("/log")
	assert.True(t, strings.HasSuffix(string(got), "line\norig\n"), "%q", got)
	got, _ = c.ReadFile("/log")
	assert.True(t, strings.HasSuffix(string(got), "line\nclone\n"), "%q", got)
	assert.Equal(t, 10*5+6, len(got))
}

// BenchmarkAppendLine appends one line to a growing file: the cost per
// append must stay flat (amortised O(1)) whatever the file's size, as the
// ns/op at b.N of 1k and 1M shows.
func BenchmarkAppendLine(b *testing.B) {
	f := New()
	line := []byte("12345: Fri Dec 22 00:00:00 UTC 2023\n")
	for b.Loop() {
		if err := f.AppendFile("/1.log", line, 0o644, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// A deferred FS runs its steps, in order, at its first use, and then
// reads as an FS built at once; a step added after that runs at once.
func TestDeferredBuildsOnFirstUse(t *testing.T) {
	var ran []string
	f := NewDeferred(func(f *FS) {
		ran = append(ran, "build")
		require.NoError(t, f.MkdirAll("/etc", 0o755, t0))
		require.NoError(t, f.WriteFile("/etc/hosts", []byte("image"), 0o644, t0))
	})
	f.Defer(func(f *FS) {
		ran = append(ran, "step")
		require.NoError(t, f.WriteFile("/etc/hosts", []byte("kubelet"), 0o644, t0))
	})
	assert.Empty(t, ran, "nothing is built before the FS is used")

	clone := f.Clone()
	assert.Equal(t, []string{"build", "step"}, ran)
	got, err := f.ReadFile("/etc/hosts")
	require.NoError(t, err)
	assert.Equal(t, "kubelet", string(got), "the later step wins")

	f.Defer(func(f *FS) { require.NoError(t, f.WriteFile("/etc/late", nil, 0o644, t0)) })
	_, err = f.Stat("/etc/late")
	require.NoError(t, err, "a step on a built FS runs at once")
	_, err = clone.Stat("/etc/late")
	assert.True(t, errors.Is(err, fs.ErrNotExist), "the clone is independent: %v", err)
	info, err := clone.Stat("/")
	require.NoError(t, err)
	assert.True(t, info.IsDir())
}

// Random changes to an FS and to clones taken along the way (clones of
// clones too): each ends up holding, and each change answers, exactly
// what the same changes made to a new FS that was never cloned do, so
// no change through one shows through another.
func TestClonesAreIndependentUnderRandomChanges(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	paths := []string{"/a", "/b", "/a/x", "/a/y", "/a/x/f", "/a/x/g", "/b/g", "/c", "/d", "/a/x/deep/er"}
	type change struct {
		do  func(f *FS) error
		got string // the error it returned
	}
	randomChange := func() func(f *FS) error {
		p := paths[rnd.IntN(len(paths))]
		at := t0.Add(time.Duration(rnd.IntN(1000)) * time.Second)
		data := []byte(fmt.Sprintf("d%d", rnd.IntN(100)))
		switch rnd.IntN(9) {
		case 0:
			return func(f *FS) error { return f.WriteFile(p, data, 0o644, at) }
		case 1:
			return func(f *FS) error { return f.AppendFile(p, data, 0o600, at) }
		case 2:
			return func(f *FS) error { return f.Mkdir(p, 0o755, at) }
		case 3:
			return func(f *FS) error { return f.MkdirAll(p, 0o700, at) }
		case 4:
			return func(f *FS) error { return f.Remove(p) }
		case 5:
			return func(f *FS) error { return f.RemoveAll(p) }
		case 6:
			perm := fs.FileMode(rnd.IntN(0o1000))
			return func(f *FS) error { return f.Chmod(p, perm) }
		case 7:
			id := rnd.IntN(3)
			return func(f *FS) error { return f.Chown(p, id, id) }
		default:
			return func(f *FS) error { return f.Touch(p, at) }
		}
	}
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	fss := []*FS{New()}
	logs := [][]change{nil}
	check := func(step int) {
		t.Helper()
		for i, f := range fss {
			ref := New()
			for n, c := range logs[i] {
				require.Equal(t, c.got, errText(c.do(ref)), "fs %d, change %d", i, n)
			}
			require.Equal(t, Listing(ref, "/"), Listing(f, "/"), "fs %d after step %d", i, step)
		}
	}
	for step := range 4000 {
		i := rnd.IntN(len(fss))
		if rnd.IntN(8) == 0 {
			// A clone replaces a random one once there are 12, so that
			// clones keep being taken of trees that have grown.
			c, log := fss[i].Clone(), slices.Clone(logs[i])
			if len(fss) < 12 {
				fss, logs = append(fss, c), append(logs, log)
			} else {
				j := rnd.IntN(len(fss))
				fss[j], logs[j] = c, log
			}
			continue
		}
		do := randomChange()
		logs[i] = append(logs[i], change{do, errText(do(fss[i]))})
		if step%250 == 0 {
			check(step)
		}
	}
	check(4000)
}

// BenchmarkCloneAndWrite clones a tree and writes one file in the clone,
// as a container's exec probe does on the container's files: the cost
// follows the path written, not the size of the tree (flat from 100 to
// 10,000 files).
func BenchmarkCloneAndWrite(b *testing.B) {
	for _, files := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("files=%d", files), func(b *testing.B) {
			f := New()
			for i := range files {
				dir := fmt.Sprintf("/usr/d%d", i%50)
				if err := f.MkdirAll(dir, 0o755, t0); err != nil {
					b.Fatal(err)
				}
				if err := f.WriteFile(fmt.Sprintf("%s/f%d", dir, i), []byte("x"), 0o644, t0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				c := f.Clone()
				if err := c.WriteFile("/tmp-probe", []byte("ok"), 0o644, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
