package sh

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// progLs is busybox ls without a terminal: one name per line; -l gives the
// long format with a deterministic owner (root root), sizes (4096 for a
// directory) and mtimes as "Dec 22 00:01" (or " 2022" for old ones); -a
// shows dot files, -d lists directories themselves.
func progLs(sh *Shell, argv []string, io *IO) error {
	flags, paths := splitFlags(argv[1:])
	opt := lsOptions{long: strings.ContainsAny(flags, "lgno"), all: strings.Contains(flags, "a"),
		almost: strings.Contains(flags, "A"), dirSelf: strings.Contains(flags, "d")}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	sh.status = 0
	var files, dirs []string
	for _, p := range paths {
		info, err := sh.files().Stat(sh.abs(p))
		switch {
		case err != nil:
			sh.progErr(io, 1, "ls", "%s: %s", p, errnoText(err))
		case info.IsDir() && !opt.dirSelf:
			dirs = append(dirs, p)
		default:
			files = append(files, p)
		}
	}
	var out strings.Builder
	for _, f := range files {
		info, _ := sh.files().Stat(sh.abs(f))
		info.Name = f
		out.WriteString(sh.lsEntry(info, opt, sh.abs(f)))
	}
	for i, d := range dirs {
		if len(paths) > 1 {
			if i > 0 || len(files) > 0 {
				out.WriteString("\n")
			}
			out.WriteString(d + ":\n")
		}
		sh.lsDir(&out, d, opt)
	}
	io.stdout.write(sh, out.String())
	return nil
}

type lsOptions struct {
	long, all, almost, dirSelf bool
}

func (sh *Shell) lsDir(out *strings.Builder, d string, opt lsOptions) {
	full := sh.abs(d)
	entries, err := sh.files().ReadDir(full)
	if err != nil {
		return
	}
	if opt.all {
		self, _ := sh.files().Stat(full)
		parent, _ := sh.files().Stat(cleanPath(full + "/.."))
		self.Name, parent.Name = ".", ".."
		entries = append([]vfs.Info{self, parent}, entries...)
	}
	var shown []vfs.Info
	for _, e := range entries {
		if strings.HasPrefix(e.Name, ".") && !opt.all && !(opt.almost && e.Name != "." && e.Name != "..") {
			continue
		}
		shown = append(shown, e)
	}
	if opt.long {
		fmt.Fprintf(out, "total %d\n", lsBlocks(shown))
	}
	for _, e := range shown {
		out.WriteString(sh.lsEntry(e, opt, cleanPath(full+"/"+e.Name)))
	}
}

// lsBlocks is the "total" line: 1K blocks, 4 per started 4K of content,
// as on ext4.
func lsBlocks(list []vfs.Info) int64 {
	var n int64
	for _, e := range list {
		size := e.Size
		if e.IsDir() {
			size = 4096
		}
		n += (size + 4095) / 4096 * 4
	}
	return n
}

func (sh *Shell) lsEntry(info vfs.Info, opt lsOptions, full string) string {
	if !opt.long {
		return info.Name + "\n"
	}
	size, links := info.Size, 1
	if info.IsDir() {
		size, links = 4096, 2
		if entries, err := sh.files().ReadDir(full); err == nil {
			for _, e := range entries {
				if e.IsDir() {
					links++
				}
			}
		}
	}
	return fmt.Sprintf("%-10s %4d %-8s %-8s %9d %s %s\n", modeString(info.Mode), links,
		userName(info.UID), userName(info.GID), size, lsTime(info.ModTime, sh.run.start.Add(sh.now)), info.Name)
}

func userName(id int) string {
	if id == 0 {
		return "root"
	}
	return strconv.Itoa(id)
}

// lsTime formats an mtime as ls does: "Dec 22 00:01" within six months of
// now, "Dec 22  2022" otherwise.
func lsTime(t, now time.Time) string {
	t = t.UTC()
	age := now.Sub(t)
	if age < 365*24*time.Hour/2 && age > -15*time.Minute {
		return t.Format("Jan _2 15:04")
	}
	return t.Format("Jan _2  2006")
}

// modeString renders permissions like "drwxr-xr-x".
func modeString(m fs.FileMode) string {
	b := []byte("----------")
	if m.IsDir() {
		b[0] = 'd'
	}
	const rwx = "rwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i%3]
		}
	}
	special := func(set bool, pos int, lower, upper byte) {
		if !set {
			return
		}
		if b[pos] == 'x' {
			b[pos] = lower
		} else {
			b[pos] = upper
		}
	}
	special(m&fs.ModeSetuid != 0, 3, 's', 'S')
	special(m&fs.ModeSetgid != 0, 6, 's', 'S')
	special(m&fs.ModeSticky != 0, 9, 't', 'T')
	return string(b)
}

// progDate prints the virtual time in UTC, by default in busybox's format
// ("Fri Dec 22 00:01:00 UTC 2023"), or as +FORMAT says.
func progDate(sh *Shell, argv []string, io *IO) error {
	now := sh.run.start.Add(sh.now).UTC()
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, a := range argv[1:] {
		switch {
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		case a == "-u" || a == "--utc":
		case a == "-R":
			format = "%a, %d %b %Y %H:%M:%S +0000"
		case a == "-I":
			format = "%Y-%m-%d"
		default:
			sh.progErr(io, 1, "date", "invalid date '%s'", a)
			return nil
		}
	}
	io.stdout.write(sh, strftime(format, now)+"\n")
	sh.status = 0
	return nil
}

// strftime formats t with the common C conversions.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		b.WriteString(strftimeOne(format[i], t))
	}
	return b.String()
}

func strftimeOne(c byte, t time.Time) string {
	layouts := map[byte]string{
		'a': "Mon", 'A': "Monday", 'b': "Jan", 'h': "Jan", 'B': "January", 'd': "02", 'e': "_2",
		'H': "15", 'I': "03", 'm': "01", 'M': "04", 'S': "05", 'y': "06", 'Y': "2006",
		'p': "PM", 'Z': "MST", 'z': "-0700", 'T': "15:04:05", 'F': "2006-01-02", 'D': "01/02/06",
		'R': "15:04", 'c': "Mon Jan _2 15:04:05 2006",
	}
	if l, ok := layouts[c]; ok {
		return t.Format(l)
	}
	switch c {
	case 's':
		return strconv.FormatInt(t.Unix(), 10)
	case 'N':
		return fmt.Sprintf("%09d", t.Nanosecond())
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'u':
		return strconv.Itoa((int(t.Weekday())+6)%7 + 1)
	case 'w':
		return strconv.Itoa(int(t.Weekday()))
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case '%':
		return "%"
	}
	return "%" + string(c)
}
