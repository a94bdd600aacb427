package bc

import (
	"strconv"
	"strings"
)

// bcPrinter writes bc's output, wrapping long lines as GNU bc 1.07 does: a
// line holds line-1 characters at most, the last of them a backslash. The
// column carries across print statements until a newline.
type bcPrinter struct {
	out     strings.Builder
	col     int
	lineLen int // 0 means never wrap
	limit   int // bytes of output allowed before further output is dropped
}

// DefaultLineLength is BC_LINE_LENGTH's default.
const DefaultLineLength = 70

// LineLength interprets a BC_LINE_LENGTH value the way bc does: 0 turns
// wrapping off, values below 3 (or garbage) mean the default.
func LineLength(v string, set bool) int {
	if !set {
		return DefaultLineLength
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		n = 0
		for _, c := range strings.TrimSpace(v) {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
			if n > 1<<20 {
				break
			}
		}
	}
	if n != 0 && n < 3 {
		return DefaultLineLength
	}
	return n
}

func (p *bcPrinter) put(c byte) {
	if p.out.Len() < p.limit {
		p.out.WriteByte(c)
	}
}

// char writes one character of a number, wrapping first when the line is
// full (bc's out_char).
func (p *bcPrinter) char(c byte) {
	if c == '\n' {
		p.col = 0
		p.put('\n')
		return
	}
	p.col++
	if p.lineLen != 0 && p.col == p.lineLen-1 {
		p.put('\\')
		p.put('\n')
		p.col = 1
	}
	p.put(c)
}

// schar writes one character of a string: it advances the column but never
// wraps (bc's out_schar).
func (p *bcPrinter) schar(c byte) {
	if c == '\n' {
		p.col = 0
	} else {
		p.col++
	}
	p.put(c)
}

func (p *bcPrinter) str(s string) {
	for i := 0; i < len(s); i++ {
		p.schar(s[i])
	}
}

// num writes n in base obase (bc_out_num).
func (p *bcPrinter) num(a *bcArith, n bcNum, obase int) {
	if n.neg {
		p.char('-')
	}
	if n.isZero() {
		p.char('0')
		return
	}
	if obase == 10 {
		p.decimal(n)
		return
	}
	p.otherBase(a, n, obase)
}

func (p *bcPrinter) decimal(n bcNum) {
	s := digitsString(n)
	intDigits := s[:len(s)-n.scale]
	if intDigits != "0" {
		for i := 0; i < len(intDigits); i++ {
			p.char(intDigits[i])
		}
	}
	if n.scale > 0 {
		p.char('.')
		frac := s[len(s)-n.scale:]
		for i := 0; i < len(frac); i++ {
			p.char(frac[i])
		}
	}
}

const bcDigitChars = "0123456789ABCDEF"

// otherBase prints the integer part by repeated division and the fraction
// by repeated multiplication, as many digits as bc does: until obase^k has
// more digits than n's scale. Bases above 16 print each digit as a space and
// a zero-padded decimal number.
func (p *bcPrinter) otherBase(a *bcArith, n bcNum, obase int) {
	abs := bcNum{mag: n.mag, scale: n.scale}
	ip := a.div(abs, a.fromInt(1), 0)
	frac := a.sub(abs, ip, 0)
	base := a.fromInt(int64(obase))
	width := len(strconv.Itoa(obase - 1))
	var digits []int64
	for !ip.isZero() {
		d, _ := a.intPart(a.mod(ip, base, 0))
		digits = append(digits, d)
		ip = a.div(ip, base, 0)
	}
	for i := len(digits) - 1; i >= 0; i-- {
		p.baseDigit(digits[i], obase, width, true)
	}
	if n.scale == 0 {
		return
	}
	p.char('.')
	t := a.fromInt(1)
	first := true
	for a.intLen(t) <= n.scale {
		frac = a.mul(frac, base, n.scale)
		d, _ := a.intPart(frac)
		frac = a.sub(frac, a.fromInt(d), 0)
		p.baseDigit(d, obase, width, !first)
		first = false
		t = a.mul(t, base, 0)
	}
}

func (p *bcPrinter) baseDigit(d int64, obase, width int, space bool) {
	if obase <= 16 {
		p.char(bcDigitChars[d])
		return
	}
	if space {
		p.char(' ')
	}
	s := strconv.FormatInt(d, 10)
	for i := len(s); i < width; i++ {
		p.char('0')
	}
	for i := 0; i < len(s); i++ {
		p.char(s[i])
	}
}
