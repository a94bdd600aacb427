package host

import (
	"errors"
	"io/fs"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// progMkdir is GNU coreutils' mkdir as CentOS 7 has it: options may come
// after the operands (GNU getopt permutes them, so the tutorial's `mkdir
// /k8s/mysql -p` works), -p makes parents and accepts an existing
// directory, -v says what it made, -m MODE is read and ignored; errors in
// coreutils 8.22's words ("cannot create directory ‘X’: ...").
func progMkdir(s *sh.Shell, argv []string, io *sh.IO) error {
	var parents, verbose bool
	var dirs []string
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			dirs = append(dirs, args[i+1:]...)
			i = len(args)
		case a == "--parents":
			parents = true
		case a == "--verbose":
			verbose = true
		case a == "-m" || a == "--mode":
			i++ // the mode's value
		case strings.HasPrefix(a, "--mode="):
		case len(a) > 1 && a[0] == '-' && !strings.HasPrefix(a, "--"):
			for j, c := range a[1:] {
				switch c {
				case 'p':
					parents = true
				case 'v':
					verbose = true
				case 'm':
					if j == len(a)-2 {
						i++ // -m MODE
					}
				default:
					io.Err(s, "mkdir: invalid option -- '"+string(c)+"'\nTry 'mkdir --help' for more information.\n")
					s.SetStatus(1)
					return nil
				}
				if c == 'm' {
					break
				}
			}
		default:
			dirs = append(dirs, a)
		}
	}
	if len(dirs) == 0 {
		io.Err(s, "mkdir: missing operand\nTry 'mkdir --help' for more information.\n")
		s.SetStatus(1)
		return nil
	}
	s.SetStatus(0)
	for _, d := range dirs {
		if err := mkdirOne(s, d, parents, verbose, io); err != nil {
			io.Err(s, "mkdir: cannot create directory ‘"+d+"’: "+gnuErrText(err)+"\n")
			s.SetStatus(1)
		}
	}
	return nil
}

// mkdirOne makes one directory (and, with parents, those above it),
// saying so with verbose as GNU mkdir does.
func mkdirOne(s *sh.Shell, d string, parents, verbose bool, io *sh.IO) error {
	full := s.Abs(d)
	if !parents {
		if err := s.Files().Mkdir(full, 0o755, time.Time{}); err != nil {
			return err
		}
		if verbose {
			io.Out(s, "mkdir: created directory ‘"+d+"’\n")
		}
		return nil
	}
	// Each missing ancestor is made in turn, as mkdir -p does.
	var made []string
	prefix := ""
	if strings.HasPrefix(d, "/") {
		prefix = "/"
	}
	parts := strings.Split(strings.Trim(d, "/"), "/")
	for i := range parts {
		shown := prefix + strings.Join(parts[:i+1], "/")
		info, err := s.Files().Stat(s.Abs(shown))
		if err == nil {
			if !info.IsDir() {
				return errNotDir
			}
			continue
		}
		if err := s.Files().Mkdir(s.Abs(shown), 0o755, time.Time{}); err != nil {
			return err
		}
		made = append(made, shown)
	}
	if verbose {
		for _, m := range made {
			io.Out(s, "mkdir: created directory ‘"+m+"’\n")
		}
	}
	return nil
}

// errNotDir is ENOTDIR: a path's component is a file.
var errNotDir = errors.New("not a directory")

// gnuErrText is an error as coreutils prints it (strerror's words).
func gnuErrText(err error) string {
	switch {
	case errors.Is(err, fs.ErrExist):
		return "File exists"
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	case errors.Is(err, errNotDir):
		return "Not a directory"
	}
	var pe *fs.PathError
	text := err.Error()
	if errors.As(err, &pe) {
		text = pe.Err.Error()
	}
	if text == "" {
		return text
	}
	return strings.ToUpper(text[:1]) + text[1:]
}
