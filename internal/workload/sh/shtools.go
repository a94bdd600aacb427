package sh

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// lineCount reads head's and tail's -n N, -N and -nN forms.
func lineCount(args []string) (n int, follow bool, files []string, ok bool) {
	n = 10
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-f" || a == "-F":
			follow = true
		case a == "-n" && i+1 < len(args):
			i++
			a = "-" + strings.TrimPrefix(args[i], "+")
			fallthrough
		case len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9', strings.HasPrefix(a, "-n"):
			v, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(a, "-n"), "-"))
			if err != nil || v < 0 {
				return 0, false, nil, false
			}
			n = v
		default:
			files = append(files, a)
		}
	}
	return n, follow, files, true
}

// splitLines splits text into lines, each keeping its newline.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func progHead(sh *Shell, argv []string, io *IO) error {
	return sh.headTail(argv, io, true)
}

// progTail prints the last lines; with -f it then waits forever, which is
// how `tail -f /dev/null` keeps a container running.
func progTail(sh *Shell, argv []string, io *IO) error {
	return sh.headTail(argv, io, false)
}

func (sh *Shell) headTail(argv []string, io *IO, head bool) error {
	n, follow, files, ok := lineCount(argv[1:])
	if !ok {
		sh.progErr(io, 1, argv[0], "invalid number of lines")
		return nil
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	sh.status = 0
	for _, f := range files {
		data, err, halt := sh.readInput(f, io)
		if halt != nil {
			return halt
		}
		if err != nil {
			sh.progErr(io, 1, argv[0], "can't open '%s': %s", f, errnoText(err))
			continue
		}
		lines := splitLines(data)
		if head {
			lines = lines[:min(n, len(lines))]
		} else {
			lines = lines[max(len(lines)-n, 0):]
		}
		io.stdout.write(sh, strings.Join(lines, ""))
	}
	if follow && !head {
		return sh.blockForever()
	}
	return nil
}

// progWc counts lines, words and bytes.
func progWc(sh *Shell, argv []string, io *IO) error {
	flags, files := splitFlags(argv[1:])
	if flags == "" {
		flags = "lwc"
	}
	stdin := len(files) == 0
	if stdin {
		files = []string{"-"}
	}
	sh.status = 0
	for _, f := range files {
		data, err, halt := sh.readInput(f, io)
		if halt != nil {
			return halt
		}
		if err != nil {
			sh.progErr(io, 1, "wc", "can't open '%s': %s", f, errnoText(err))
			continue
		}
		counts := map[byte]int{'l': strings.Count(data, "\n"), 'w': len(strings.Fields(data)), 'c': len(data), 'm': len([]rune(data))}
		var cols []string
		for _, k := range []byte("lwmc") {
			if strings.IndexByte(flags, k) >= 0 {
				cols = append(cols, strconv.Itoa(counts[k]))
			}
		}
		line := strings.Join(cols, " ")
		if len(cols) > 1 || !stdin {
			for i, c := range cols {
				cols[i] = fmt.Sprintf("%7s", c)
			}
			line = strings.Join(cols, " ")
		}
		if !stdin {
			line += " " + f
		}
		io.stdout.write(sh, line+"\n")
	}
	return nil
}

// progSeq prints a sequence of integers: seq LAST, seq FIRST LAST or seq
// FIRST INCREMENT LAST.
func progSeq(sh *Shell, argv []string, io *IO) error {
	args := argv[1:]
	nums := make([]int64, len(args))
	for i, a := range args {
		v, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			sh.progErr(io, 1, "seq", "invalid number '%s'", a)
			return nil
		}
		nums[i] = v
	}
	first, inc, last := int64(1), int64(1), int64(0)
	switch len(nums) {
	case 1:
		last = nums[0]
	case 2:
		first, last = nums[0], nums[1]
	case 3:
		first, inc, last = nums[0], nums[1], nums[2]
	default:
		sh.progErr(io, 1, "seq", "missing operand")
		return nil
	}
	var b strings.Builder
	for i, v := 0, first; inc != 0 && (inc > 0 && v <= last || inc < 0 && v >= last) && i < maxFields; i, v = i+1, v+inc {
		b.WriteString(strconv.FormatInt(v, 10) + "\n")
	}
	io.stdout.write(sh, b.String())
	sh.status = 0
	return nil
}

// progGrep searches lines for a pattern: -i -v -c -q -n -l -E -F -e.
// Basic regular expressions are translated to Go's RE2 syntax, whose
// matching time is linear, so no pattern can hang a run.
func progGrep(sh *Shell, argv []string, io *IO) error {
	g, err := parseGrep(argv[1:])
	if err != nil {
		sh.progErr(io, 2, "grep", "%s", err.Error())
		return nil
	}
	files := g.files
	if len(files) == 0 {
		files = []string{"-"}
	}
	found := false
	for _, f := range files {
		data, err, halt := sh.readInput(f, io)
		if halt != nil {
			return halt
		}
		if err != nil {
			sh.progErr(io, 2, "grep", "%s: %s", f, errnoText(err))
			continue
		}
		found = g.search(sh, io, f, data, len(files) > 1) || found
		if found && g.quiet {
			break
		}
	}
	if sh.status != 2 {
		sh.status = boolStatus(found)
	}
	return nil
}

type grepOptions struct {
	re                                   *regexp.Regexp
	invert, count, quiet, number, listed bool
	files                                []string
	// after and before are the context lines (-A, -B, -C) printed around
	// each match.
	after, before int
}

// grepSyntax is how grep is to read its pattern.
type grepSyntax struct{ ere, fixed, icase bool }

func parseGrep(args []string) (*grepOptions, error) {
	g := &grepOptions{}
	pattern, syntax, err := g.parseArgs(args)
	if err != nil {
		return nil, err
	}
	expr := pattern
	switch {
	case syntax.fixed:
		expr = regexp.QuoteMeta(expr)
	case !syntax.ere:
		expr = breToERE(expr)
	}
	if syntax.icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("bad regex '%s'", pattern)
	}
	g.re = re
	return g, nil
}

// parseArgs reads grep's options and operands into g and returns the
// pattern.
func (g *grepOptions) parseArgs(args []string) (string, grepSyntax, error) {
	var syntax grepSyntax
	var pattern *string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || pattern != nil && a == "--" {
			if pattern == nil {
				pattern = &args[i]
				continue
			}
			g.files = append(g.files, a)
			continue
		}
		if ok, err := g.contextFlag(a, args, &i); ok {
			if err != nil {
				return "", syntax, err
			}
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'E':
				syntax.ere = true
			case 'F':
				syntax.fixed = true
			case 'i':
				syntax.icase = true
			case 'v':
				g.invert = true
			case 'c':
				g.count = true
			case 'q', 's':
				g.quiet = g.quiet || a[j] == 'q'
			case 'n':
				g.number = true
			case 'l':
				g.listed = true
			case 'e':
				if i+1 >= len(args) {
					return "", syntax, fmt.Errorf("option requires an argument -- 'e'")
				}
				i++
				pattern = &args[i]
			default:
				return "", syntax, fmt.Errorf("invalid option -- '%c'", a[j])
			}
		}
	}
	if pattern == nil {
		return "", syntax, fmt.Errorf("no pattern")
	}
	return *pattern, syntax, nil
}

// contextFlag reads -A N, -B N, -C N (also -AN and --after-context=N,
// --before-context=N, --context=N) at args[*i], reporting whether a is
// one.
func (g *grepOptions) contextFlag(a string, args []string, i *int) (bool, error) {
	var which byte
	var value string
	switch {
	case a == "-A" || a == "-B" || a == "-C":
		which = a[1]
		if *i+1 >= len(args) {
			return true, fmt.Errorf("option requires an argument -- '%c'", which)
		}
		*i++
		value = args[*i]
	case len(a) > 2 && (a[1] == 'A' || a[1] == 'B' || a[1] == 'C'):
		which, value = a[1], a[2:]
	case strings.HasPrefix(a, "--after-context="):
		which, value = 'A', strings.TrimPrefix(a, "--after-context=")
	case strings.HasPrefix(a, "--before-context="):
		which, value = 'B', strings.TrimPrefix(a, "--before-context=")
	case strings.HasPrefix(a, "--context="):
		which, value = 'C', strings.TrimPrefix(a, "--context=")
	default:
		return false, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return true, fmt.Errorf("%s: invalid context length argument", value)
	}
	switch which {
	case 'A':
		g.after = n
	case 'B':
		g.before = n
	default:
		g.after, g.before = n, n
	}
	return true, nil
}

// breToERE translates a POSIX basic regular expression: \( \) \{ \} \| \+
// \? are operators there and ( ) { } | + ? are literal.
func breToERE(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("(){}|+?", s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i++
		case c == '\\' && i+1 < len(s):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
		case strings.IndexByte("(){}|+?", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// search prints the matching lines of one input (with their context, as
// GNU grep does: "-" after the line number of a context line, "--"
// between groups that do not touch) and reports a match.
func (g *grepOptions) search(sh *Shell, io *IO, name, data string, multi bool) bool {
	var out strings.Builder
	matches := 0
	lines := splitLines(data)
	printed := -1  // index of the last line printed
	afterLeft := 0 // context lines still to print after the last match
	for i, line := range lines {
		text := strings.TrimSuffix(line, "\n")
		if g.re.MatchString(text) == g.invert {
			if afterLeft > 0 && !g.quiet && !g.count && !g.listed {
				g.printLine(&out, name, i, text, '-', multi)
				printed, afterLeft = i, afterLeft-1
			}
			continue
		}
		matches++
		if g.quiet || g.count || g.listed {
			continue
		}
		from := max(i-g.before, printed+1)
		if (g.before > 0 || g.after > 0) && printed >= 0 && from > printed+1 {
			out.WriteString("--\n")
		}
		for j := from; j < i; j++ {
			g.printLine(&out, name, j, strings.TrimSuffix(lines[j], "\n"), '-', multi)
		}
		g.printLine(&out, name, i, text, ':', multi)
		printed, afterLeft = i, g.after
	}
	switch {
	case g.quiet:
	case g.listed && matches > 0:
		out.WriteString(name + "\n")
	case g.count && multi:
		out.WriteString(name + ":" + strconv.Itoa(matches) + "\n")
	case g.count:
		out.WriteString(strconv.Itoa(matches) + "\n")
	}
	io.stdout.write(sh, out.String())
	return matches > 0
}

// printLine prints one line of grep's output: the file name and line
// number (when asked) followed by sep (':' for a match, '-' for context).
func (g *grepOptions) printLine(out *strings.Builder, name string, i int, text string, sep byte, multi bool) {
	if multi {
		out.WriteString(name)
		out.WriteByte(sep)
	}
	if g.number {
		out.WriteString(strconv.Itoa(i + 1))
		out.WriteByte(sep)
	}
	out.WriteString(text + "\n")
}

// progTr translates or deletes characters: tr SET1 SET2, tr -d SET1.
// Sets may use ranges (a-z) and the escapes \n \t \\.
func progTr(sh *Shell, argv []string, io *IO) error {
	flags, sets := splitFlags(argv[1:])
	del := strings.Contains(flags, "d")
	if len(sets) < 1 || !del && len(sets) < 2 {
		sh.progErr(io, 1, "tr", "missing operand")
		return nil
	}
	from := expandTrSet(sets[0])
	var to []byte
	if !del {
		to = expandTrSet(sets[1])
	}
	data, err := io.stdin.readAll(sh)
	if err != nil {
		return err
	}
	var table [256]int
	for i := range table {
		table[i] = i
	}
	for i, c := range from {
		switch {
		case del:
			table[c] = -1
		case len(to) == 0:
		case i < len(to):
			table[c] = int(to[i])
		default:
			table[c] = int(to[len(to)-1])
		}
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		if v := table[data[i]]; v >= 0 {
			out = append(out, byte(v))
		}
	}
	io.stdout.write(sh, string(out))
	sh.status = 0
	return nil
}

func expandTrSet(s string) []byte {
	var raw []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if e, ok := simpleEscape(s[i]); ok {
				raw = append(raw, e)
				continue
			}
		}
		raw = append(raw, s[i])
	}
	var out []byte
	for i := 0; i < len(raw); i++ {
		if i+2 < len(raw) && raw[i+1] == '-' && raw[i] <= raw[i+2] {
			for c := int(raw[i]); c <= int(raw[i+2]); c++ {
				out = append(out, byte(c))
			}
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return out
}
