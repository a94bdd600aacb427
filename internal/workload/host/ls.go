package host

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// progLl is CentOS's `ll` alias: ls -l.
func progLl(s *sh.Shell, argv []string, io *sh.IO) error {
	return progLs(s, append([]string{"ls", "-l"}, argv[1:]...), io)
}

// lsOpts are the GNU ls options kubesim reads.
type lsOpts struct {
	long, all, almost, dirSelf, human bool
}

// progLs is GNU coreutils' ls as CentOS 7 has it, writing to a pipe (one
// name per line): -l in GNU's aligned columns with owners from the
// machine's /etc/passwd and /etc/group, -a, -A, -d, -h, names in the
// locale's order (punctuation ignored, case folded), and LANG=zh_CN.UTF-8
// speaking Chinese as the tutorial's machines do ("总用量", "11月").
func progLs(s *sh.Shell, argv []string, io *sh.IO) error {
	var o lsOpts
	var paths []string
	for _, a := range argv[1:] {
		if len(a) > 1 && a[0] == '-' && a != "--" {
			for _, c := range a[1:] {
				switch c {
				case 'l':
					o.long = true
				case 'a':
					o.all = true
				case 'A':
					o.almost = true
				case 'd':
					o.dirSelf = true
				case 'h':
					o.human = true
				case '1', 't', 'r', 'F':
				default:
					io.Err(s, "ls: invalid option -- '"+string(c)+"'\nTry 'ls --help' for more information.\n")
					s.SetStatus(2)
					return nil
				}
			}
			continue
		}
		paths = append(paths, a)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l := &lister{s: s, o: o, zh: isChinese(s)}
	l.loadNames()
	s.SetStatus(0)
	var files []vfs.Info
	var dirs []string
	for _, p := range paths {
		info, err := s.Files().Stat(s.Abs(p))
		switch {
		case err != nil:
			io.Err(s, "ls: cannot access "+p+": No such file or directory\n")
			s.SetStatus(2)
		case info.IsDir() && !o.dirSelf:
			dirs = append(dirs, p)
		default:
			info.Name = p
			files = append(files, info)
		}
	}
	var out strings.Builder
	if len(files) > 0 {
		out.WriteString(l.format(files, nil))
	}
	for i, d := range dirs {
		if len(paths) > 1 {
			if i > 0 || len(files) > 0 {
				out.WriteString("\n")
			}
			out.WriteString(d + ":\n")
		}
		out.WriteString(l.dir(d))
	}
	io.Out(s, out.String())
	return nil
}

// isChinese reports whether the shell's locale is Chinese.
func isChinese(s *sh.Shell) bool {
	for _, v := range []string{"LC_ALL", "LC_TIME", "LANG"} {
		if val, ok := s.Getenv(v); ok && val != "" {
			return strings.HasPrefix(val, "zh_CN")
		}
	}
	return false
}

// lister lists for one ls run.
type lister struct {
	s             *sh.Shell
	o             lsOpts
	zh            bool
	users, groups map[int]string
}

// loadNames reads the machine's users and groups.
func (l *lister) loadNames() {
	l.users, l.groups = idNames(l.s, "/etc/passwd", 2), idNames(l.s, "/etc/group", 2)
}

// idNames maps the ids of a passwd-style file to names.
func idNames(s *sh.Shell, file string, field int) map[int]string {
	out := map[int]string{}
	data, _ := s.Files().ReadFile(file)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) > field {
			if id, err := strconv.Atoi(f[field]); err == nil {
				if _, dup := out[id]; !dup {
					out[id] = f[0]
				}
			}
		}
	}
	return out
}

// dir lists a directory's entries.
func (l *lister) dir(d string) string {
	full := l.s.Abs(d)
	entries, err := l.s.Files().ReadDir(full)
	if err != nil {
		return ""
	}
	var shown []vfs.Info
	if l.o.all {
		self, _ := l.s.Files().Stat(full)
		parent, _ := l.s.Files().Stat(parentDir(full))
		self.Name, parent.Name = ".", ".."
		shown = append(shown, self, parent)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name, ".") && !l.o.all && !l.o.almost {
			continue
		}
		shown = append(shown, e)
	}
	return l.format(shown, &full)
}

func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return "/"
}

// format lists entries (of dir, when set: a "total" line and sizes
// looked up inside it).
func (l *lister) format(list []vfs.Info, dir *string) string {
	sort.SliceStable(list, func(i, j int) bool { return collate(list[i].Name, list[j].Name) })
	if !l.o.long {
		var b strings.Builder
		for _, e := range list {
			b.WriteString(e.Name + "\n")
		}
		return b.String()
	}
	type row struct{ mode, links, user, group, size, date, name string }
	rows := make([]row, len(list))
	var total int64
	w := row{}
	for i, e := range list {
		path := e.Name
		if dir != nil {
			path = strings.TrimSuffix(*dir, "/") + "/" + e.Name
		}
		size, links := l.sizeLinks(e, path)
		total += blocks(size, e.IsDir())
		r := row{mode: modeString(e.Mode), links: strconv.Itoa(links), user: l.name(l.users, e.UID),
			group: l.name(l.groups, e.GID), size: l.sizeText(size), date: l.date(e.ModTime), name: e.Name}
		rows[i] = r
		w = row{links: wider(w.links, r.links), user: wider(w.user, r.user), group: wider(w.group, r.group), size: wider(w.size, r.size)}
	}
	var b strings.Builder
	if dir != nil {
		word := "total"
		if l.zh {
			word = "总用量"
		}
		t := strconv.FormatInt(total, 10)
		if l.o.human {
			t = humanSize(total * 1024)
		}
		b.WriteString(word + " " + t + "\n")
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %*s %-*s %-*s %*s %s %s\n", r.mode, len(w.links), r.links, len(w.user), r.user,
			len(w.group), r.group, len(w.size), r.size, r.date, r.name)
	}
	return b.String()
}

// wider returns whichever of a and b is longer (as a width holder).
func wider(a, b string) string {
	if len(b) > len(a) {
		return b
	}
	return a
}

// sizeLinks is an entry's size and link count: a directory on XFS is as
// big as its entries (6 bytes, and the name and 8 more for each) up to a
// 4096-byte block, and links to itself, its parent and its subdirectories.
func (l *lister) sizeLinks(e vfs.Info, path string) (int64, int) {
	if !e.IsDir() {
		return e.Size, 1
	}
	entries, _ := l.s.Files().ReadDir(path)
	size, links := int64(6), 2
	for _, c := range entries {
		size += int64(len(c.Name)) + 8
		if c.IsDir() {
			links++
		}
	}
	if size > 256 {
		size = (size + 4095) / 4096 * 4096
	}
	return size, links
}

// blocks is the 1K blocks an entry takes: small directories live in
// their inode on XFS.
func blocks(size int64, dir bool) int64 {
	if dir && size < 4096 {
		return 0
	}
	return (size + 4095) / 4096 * 4
}

func (l *lister) name(names map[int]string, id int) string {
	if n, ok := names[id]; ok {
		return n
	}
	return strconv.Itoa(id)
}

func (l *lister) sizeText(n int64) string {
	if l.o.human {
		return humanSize(n)
	}
	return strconv.FormatInt(n, 10)
}

// humanSize is ls -h's size: powers of 1024, one decimal under 10.
func humanSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10)
	}
	f := float64(n)
	units := "KMGTP"
	i := -1
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if f < 10 {
		return strconv.FormatFloat(ceilTenth(f), 'f', 1, 64) + string(units[i])
	}
	return strconv.FormatFloat(float64(int64(f+0.999)), 'f', 0, 64) + string(units[i])
}

// ceilTenth rounds up to a tenth, as ls -h does.
func ceilTenth(f float64) float64 { return float64(int64(f*10+0.999)) / 10 }

// date is ls's modification time: recent within six months of now.
func (l *lister) date(t time.Time) string {
	t = t.UTC()
	now := l.s.Now()
	recent := now.Sub(t) < 365*24*time.Hour/2 && t.Sub(now) < time.Hour
	if l.zh {
		if recent {
			return fmt.Sprintf("%d月 %2d %02d:%02d", t.Month(), t.Day(), t.Hour(), t.Minute())
		}
		return fmt.Sprintf("%d月 %2d  %d", t.Month(), t.Day(), t.Year())
	}
	if recent {
		return t.Format("Jan _2 15:04")
	}
	return t.Format("Jan _2  2006")
}

// collate orders names as glibc's en_US and zh_CN locales do, near
// enough: letters and digits compared case-folded, punctuation ignored,
// ties broken by the bytes.
func collate(a, b string) bool {
	ka, kb := collationKey(a), collationKey(b)
	if ka != kb {
		return ka < kb
	}
	return a < b
}

func collationKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// modeString renders permissions like "drwxr-xr-x".
func modeString(m fs.FileMode) string {
	b := []byte("----------")
	if m.IsDir() {
		b[0] = 'd'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	if m&fs.ModeSticky != 0 {
		if b[9] == 'x' {
			b[9] = 't'
		} else {
			b[9] = 'T'
		}
	}
	return string(b)
}
