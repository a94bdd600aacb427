package sh

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// readInput reads a file operand, or standard input for "-".
func (sh *Shell) readInput(name string, io *IO) (string, error, error) {
	if name == "-" || name == "/dev/stdin" {
		s, halt := io.stdin.readAll(sh)
		return s, nil, halt
	}
	if sh.abs(name) == "/dev/null" {
		return "", nil, nil
	}
	data, err := sh.files().ReadFile(sh.abs(name))
	return string(data), err, sh.charge(len(data))
}

// progCat is busybox cat.
func progCat(sh *Shell, argv []string, io *IO) error {
	_, files := splitFlags(argv[1:])
	if len(files) == 0 {
		files = []string{"-"}
	}
	sh.status = 0
	for _, f := range files {
		data, err, halt := sh.readInput(f, io)
		if halt != nil {
			return halt
		}
		switch {
		case errors.Is(err, vfs.ErrIsDir):
			sh.progErr(io, 1, "cat", "read error: Is a directory")
		case err != nil:
			sh.progErr(io, 1, "cat", "can't open '%s': %s", f, errnoText(err))
		default:
			io.stdout.write(sh, data)
		}
	}
	return nil
}

// progTee copies standard input to standard output and files.
func progTee(sh *Shell, argv []string, io *IO) error {
	flags, files := splitFlags(argv[1:])
	data, err := io.stdin.readAll(sh)
	if err != nil {
		return err
	}
	io.stdout.write(sh, data)
	sh.status = 0
	for _, f := range files {
		var werr error
		if strings.Contains(flags, "a") {
			werr = sh.files().AppendFile(sh.abs(f), []byte(data), 0o644, time.Time{})
		} else {
			werr = sh.files().WriteFile(sh.abs(f), []byte(data), 0o644, time.Time{})
		}
		if werr != nil {
			sh.progErr(io, 1, "tee", "%s: %s", f, errnoText(werr))
		}
	}
	return nil
}

func progMkdir(sh *Shell, argv []string, io *IO) error {
	flags, dirs := splitFlags(argv[1:])
	if len(dirs) == 0 {
		sh.progErr(io, 1, "mkdir", "missing operand")
		return nil
	}
	sh.status = 0
	for _, d := range dirs {
		var err error
		if strings.Contains(flags, "p") {
			err = sh.files().MkdirAll(sh.abs(d), 0o755, time.Time{})
		} else {
			err = sh.files().Mkdir(sh.abs(d), 0o755, time.Time{})
		}
		if err != nil {
			sh.progErr(io, 1, "mkdir", "can't create directory '%s': %s", d, errnoText(err))
		}
	}
	return nil
}

func progRm(sh *Shell, argv []string, io *IO) error {
	flags, paths := splitFlags(argv[1:])
	recursive := strings.ContainsAny(flags, "rR")
	force := strings.Contains(flags, "f")
	sh.status = 0
	for _, p := range paths {
		full := sh.abs(p)
		info, err := sh.files().Stat(full)
		switch {
		case err != nil:
			if !force {
				sh.progErr(io, 1, "rm", "can't remove '%s': %s", p, errnoText(err))
			}
			continue
		case info.IsDir() && !recursive:
			sh.progErr(io, 1, "rm", "'%s' is a directory", p)
			continue
		}
		if recursive {
			err = sh.files().RemoveAll(full)
		} else {
			err = sh.files().Remove(full)
		}
		if err != nil {
			sh.progErr(io, 1, "rm", "can't remove '%s': %s", p, errnoText(err))
		}
	}
	return nil
}

func progRmdir(sh *Shell, argv []string, io *IO) error {
	_, dirs := splitFlags(argv[1:])
	sh.status = 0
	for _, d := range dirs {
		full := sh.abs(d)
		info, err := sh.files().Stat(full)
		if err == nil && !info.IsDir() {
			err = &fs.PathError{Op: "rmdir", Path: full, Err: vfs.ErrNotDir}
		}
		if err == nil {
			err = sh.files().Remove(full)
		}
		if err != nil {
			sh.progErr(io, 1, "rmdir", "'%s': %s", d, errnoText(err))
		}
	}
	return nil
}

func progTouch(sh *Shell, argv []string, io *IO) error {
	_, files := splitFlags(argv[1:])
	sh.status = 0
	for _, f := range files {
		if err := sh.files().Touch(sh.abs(f), time.Time{}); err != nil {
			sh.progErr(io, 1, "touch", "%s: %s", f, errnoText(err))
		}
	}
	return nil
}

// progChmod accepts octal modes and symbolic ones like +x, u+rw, go-w.
func progChmod(sh *Shell, argv []string, io *IO) error {
	_, args := splitFlags(argv[1:])
	if len(args) > 0 && strings.HasPrefix(argv[1], "-") && strings.Trim(argv[1], "-rwxXst") == "" {
		args = argv[1:] // a mode like -w, not a flag
	}
	if len(args) < 2 {
		sh.progErr(io, 1, "chmod", "missing operand")
		return nil
	}
	sh.status = 0
	for _, f := range args[1:] {
		full := sh.abs(f)
		info, err := sh.files().Stat(full)
		if err == nil {
			mode, ok := chmodMode(args[0], info.Mode&fs.ModePerm)
			if !ok {
				sh.progErr(io, 1, "chmod", "invalid mode '%s'", args[0])
				return nil
			}
			err = sh.files().Chmod(full, mode)
		}
		if err != nil {
			sh.progErr(io, 1, "chmod", "%s: %s", f, errnoText(err))
		}
	}
	return nil
}

// chmodMode applies an octal or symbolic mode to the current permissions.
func chmodMode(spec string, cur fs.FileMode) (fs.FileMode, bool) {
	if v, err := strconv.ParseUint(spec, 8, 32); err == nil {
		return fs.FileMode(v) & (fs.ModePerm | 0o7000), true
	}
	for _, clause := range strings.Split(spec, ",") {
		i := 0
		var who fs.FileMode
		for i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0 {
			who |= map[byte]fs.FileMode{'u': 0o700, 'g': 0o070, 'o': 0o007, 'a': 0o777}[clause[i]]
			i++
		}
		if who == 0 {
			who = 0o777
		}
		if i >= len(clause) || strings.IndexByte("+-=", clause[i]) < 0 {
			return 0, false
		}
		op := clause[i]
		var bits fs.FileMode
		for _, c := range clause[i+1:] {
			switch c {
			case 'r':
				bits |= 0o444
			case 'w':
				bits |= 0o222
			case 'x', 'X':
				bits |= 0o111
			case 's', 't':
			default:
				return 0, false
			}
		}
		bits &= who
		switch op {
		case '+':
			cur |= bits
		case '-':
			cur &^= bits
		default:
			cur = cur&^who | bits
		}
	}
	return cur, true
}

// progCp copies files (and trees with -r).
func progCp(sh *Shell, argv []string, io *IO) error {
	return sh.copyOrMove(argv, io, false)
}

// progMv moves files and trees.
func progMv(sh *Shell, argv []string, io *IO) error {
	return sh.copyOrMove(argv, io, true)
}

func (sh *Shell) copyOrMove(argv []string, io *IO, move bool) error {
	prog := argv[0]
	flags, args := splitFlags(argv[1:])
	if len(args) < 2 {
		sh.progErr(io, 1, prog, "missing operand")
		return nil
	}
	dst := sh.abs(args[len(args)-1])
	dstInfo, dstErr := sh.files().Stat(dst)
	sh.status = 0
	for _, src := range args[:len(args)-1] {
		from := sh.abs(src)
		to := dst
		if dstErr == nil && dstInfo.IsDir() {
			to = cleanPath(dst + "/" + baseName(from))
		}
		info, err := sh.files().Stat(from)
		switch {
		case err != nil:
			sh.progErr(io, 1, prog, "can't stat '%s': %s", src, errnoText(err))
			continue
		case info.IsDir() && !move && !strings.ContainsAny(flags, "rRa"):
			sh.progErr(io, 1, prog, "omitting directory '%s'", src)
			continue
		case to == from || strings.HasPrefix(to, from+"/"):
			sh.progErr(io, 1, prog, "can't copy '%s' into itself", src)
			continue
		}
		if err := sh.copyTree(from, to); err != nil {
			sh.progErr(io, 1, prog, "%s: %s", src, errnoText(err))
			continue
		}
		if move {
			if err := sh.files().RemoveAll(from); err != nil {
				sh.progErr(io, 1, prog, "can't remove '%s': %s", src, errnoText(err))
			}
		}
	}
	return nil
}

// maxCopyEntries bounds one cp -r.
const maxCopyEntries = 10_000

// copyTree copies a file or directory tree, keeping modes.
func (sh *Shell) copyTree(from, to string) error {
	count := 0
	var walk func(from, to string) error
	walk = func(from, to string) error {
		count++
		if count > maxCopyEntries {
			return &fs.PathError{Op: "copy", Path: from, Err: vfs.ErrInvalid}
		}
		info, err := sh.files().Stat(from)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			data, err := sh.files().ReadFile(from)
			if err != nil {
				return err
			}
			return sh.files().WriteFile(to, data, info.Mode.Perm(), time.Time{})
		}
		if err := sh.files().MkdirAll(to, info.Mode.Perm(), time.Time{}); err != nil {
			return err
		}
		entries, err := sh.files().ReadDir(from)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := walk(from+"/"+e.Name, to+"/"+e.Name); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(strings.TrimSuffix(from, "/"), strings.TrimSuffix(to, "/"))
}
