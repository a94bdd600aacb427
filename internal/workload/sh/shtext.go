package sh

import (
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// builtinEcho is busybox's echo: -n drops the newline, -e turns on
// backslash escapes, -E turns them off (the default). Under dash, whose echo
// takes no options but -n and always interprets escapes, it behaves as dash.
func builtinEcho(sh *Shell, argv []string, io *IO) error {
	args := argv[1:]
	newline, escapes := true, sh.dialect.echoEscapes()
	for len(args) > 0 && isEchoFlags(args[0], sh.dialect.kind == "dash") {
		for _, f := range args[0][1:] {
			switch f {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	out := strings.Join(args, " ")
	if escapes {
		var stop bool
		out, stop = echoEscapes(out)
		if stop {
			newline = false
		}
	}
	if newline {
		out += "\n"
	}
	io.stdout.write(sh, out)
	sh.status = 0
	return nil
}

func isEchoFlags(a string, dash bool) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	allowed := "neE"
	if dash {
		allowed = "n"
	}
	return strings.Trim(a[1:], allowed) == ""
}

// echoEscapes interprets \n \t \\ \a \b \f \r \v \c (stop) and \0nnn.
func echoEscapes(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'c':
			return b.String(), true
		case '0':
			v, n := octal(s[i+1:], 3)
			b.WriteByte(byte(v))
			i += n
		default:
			if e, ok := simpleEscape(c); ok {
				b.WriteByte(e)
			} else {
				b.WriteByte('\\')
				b.WriteByte(c)
			}
		}
	}
	return b.String(), false
}

func simpleEscape(c byte) (byte, bool) {
	switch c {
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case '\\':
		return '\\', true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'r':
		return '\r', true
	case 'v':
		return '\v', true
	}
	return 0, false
}

// octal reads up to max octal digits.
func octal(s string, max int) (int, int) {
	v, n := 0, 0
	for n < len(s) && n < max && s[n] >= '0' && s[n] <= '7' {
		v = v*8 + int(s[n]-'0')
		n++
	}
	return v, n
}

// maxPrintfRounds bounds how often printf reuses its format for leftover
// arguments (it always consumes at least one per round, so this is only a
// guard for formats without conversions).
const maxPrintfRounds = 100_000

// builtinPrintf implements printf with %s %b %c %d %i %u %o %x %X %f %e %g
// and %%, flags, width and precision; the format is reused while arguments
// remain.
func builtinPrintf(sh *Shell, argv []string, io *IO) error {
	if len(argv) < 2 {
		sh.errorf(io, "printf: usage: printf format [arg ...]")
		sh.status = 2
		return nil
	}
	p := &printfState{sh: sh, io: io, args: argv[2:]}
	var out strings.Builder
	for round := 0; round < maxPrintfRounds; round++ {
		stop := p.format(argv[1], &out)
		if stop || p.used == 0 || p.next >= len(p.args) || out.Len() > proc.MaxStringBytes {
			break
		}
		p.used = 0
	}
	io.stdout.write(sh, out.String())
	sh.status = p.status
	return nil
}

type printfState struct {
	sh     *Shell
	io     *IO
	args   []string
	next   int
	used   int
	status int
}

func (p *printfState) arg() (string, bool) {
	if p.next >= len(p.args) {
		return "", false
	}
	p.next++
	p.used++
	return p.args[p.next-1], true
}

// format writes one pass over the format; it reports true after \c.
func (p *printfState) format(f string, out *strings.Builder) bool {
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '\\' && i+1 < len(f):
			i++
			if f[i] == 'c' {
				return true
			}
			if f[i] >= '0' && f[i] <= '7' {
				v, n := octal(f[i:], 3)
				out.WriteByte(byte(v))
				i += n - 1
			} else if e, ok := simpleEscape(f[i]); ok {
				out.WriteByte(e)
			} else {
				out.WriteByte('\\')
				out.WriteByte(f[i])
			}
		case c == '%' && i+1 < len(f):
			i = p.conversion(f, i, out)
		default:
			out.WriteByte(c)
		}
	}
	return false
}

// conversion formats one %-directive starting at f[i] and returns the index
// of its last character.
func (p *printfState) conversion(f string, i int, out *strings.Builder) int {
	if f[i+1] == '%' {
		out.WriteByte('%')
		return i + 1
	}
	j := i + 1
	for j < len(f) && strings.IndexByte("-+ #0", f[j]) >= 0 {
		j++
	}
	for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
		j++
	}
	if j >= len(f) {
		out.WriteString(f[i:])
		return len(f) - 1
	}
	spec := f[i+1 : j]
	if len(spec) > 20 {
		spec = spec[:20] // width and precision stay small
	}
	verb := f[j]
	a, _ := p.arg()
	out.WriteString(p.formatOne(spec, verb, a))
	return j
}

func (p *printfState) formatOne(spec string, verb byte, a string) string {
	switch verb {
	case 's':
		return sprintf("%"+clampSpec(spec)+"s", a)
	case 'b':
		s, _ := echoEscapes(a)
		return sprintf("%"+clampSpec(spec)+"s", s)
	case 'c':
		if a == "" {
			return ""
		}
		return a[:1]
	case 'd', 'i', 'u', 'o', 'x', 'X':
		n := p.number(a)
		v := verb
		if v == 'i' || v == 'u' {
			v = 'd'
		}
		return sprintf("%"+clampSpec(spec)+string(v), n)
	case 'f', 'e', 'g', 'E', 'G':
		v, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
		if err != nil && a != "" {
			p.invalid(a)
		}
		return sprintf("%"+clampSpec(spec)+string(verb), v)
	}
	return "%" + spec + string(verb)
}

// clampSpec keeps width and precision below 10000 so that no format can
// allocate without bound.
func clampSpec(spec string) string {
	var b strings.Builder
	num := 0
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		if c >= '0' && c <= '9' {
			num = num*10 + int(c-'0')
			if num > 9999 {
				continue
			}
		} else {
			num = 0
		}
		b.WriteByte(c)
	}
	return b.String()
}

// number reads a printf integer argument; 'c makes a character code.
func (p *printfState) number(a string) int64 {
	s := strings.TrimSpace(a)
	if s == "" {
		return 0
	}
	if s[0] == '\'' || s[0] == '"' {
		if len(s) > 1 {
			return int64(s[1])
		}
		return 0
	}
	neg := s[0] == '-'
	v, ok := parseShellInt(strings.TrimLeft(s, "+-"))
	if !ok {
		p.invalid(a)
		return 0
	}
	if neg {
		return -v
	}
	return v
}

func (p *printfState) invalid(a string) {
	p.sh.errorf(p.io, "printf: %s: invalid number", a)
	p.status = 1
}
