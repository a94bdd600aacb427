package sh

import (
	"errors"
	"strconv"
	"strings"
)

// arithExpand evaluates $((expr)): parameters and command substitutions in
// the text are expanded first, as dash does, then the expression is
// evaluated with 64-bit wrapping integers.
func (sh *Shell) arithExpand(text string, io *IO) (string, error) {
	w, err := newShParser(text).scanWord(true)
	if err != nil {
		msg := err.Error()
		var syn *shSyntaxError
		if errors.As(err, &syn) {
			msg = syn.msg
		}
		sh.errorf(io, "arithmetic expression: %s: \"%s\"", msg, text)
		return "", &shExit{code: 2}
	}
	src, err := sh.expandString(w, io)
	if err != nil {
		return "", err
	}
	a := &arith{sh: sh, src: src}
	v, aerr := a.eval()
	if aerr != "" {
		sh.errorf(io, "arithmetic expression: %s: \"%s\"", aerr, src)
		return "", &shExit{code: 2}
	}
	return strconv.FormatInt(v, 10), nil
}

// arith is a precedence-climbing evaluator for shell arithmetic.
type arith struct {
	sh    *Shell
	src   string
	pos   int
	depth int
	skip  int // >0 while evaluating a branch whose value is discarded
	err   string
}

func (a *arith) eval() (int64, string) {
	v := a.assignExpr()
	a.space()
	if a.err == "" && a.pos < len(a.src) {
		a.err = "expecting EOF"
	}
	return v, a.err
}

func (a *arith) space() {
	for a.pos < len(a.src) && strings.IndexByte(" \t\n\r", a.src[a.pos]) >= 0 {
		a.pos++
	}
}

// arithLonger lists operators that a shorter one is a prefix of, so that
// "|" is not read from the start of "||" or "<" from "<=".
var arithLonger = map[string]bool{
	"||": true, "&&": true, "==": true, "!=": true, "<=": true, ">=": true, "<<": true,
	">>": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true, "&=": true,
	"|=": true, "^=": true, "<<=": true, ">>=": true,
}

// accept consumes op if it comes next and is not the start of a longer
// operator.
func (a *arith) accept(op string) bool {
	a.space()
	if !strings.HasPrefix(a.src[a.pos:], op) {
		return false
	}
	if end := a.pos + len(op); end < len(a.src) && arithLonger[op+a.src[end:end+1]] {
		return false
	}
	a.pos += len(op)
	return true
}

func (a *arith) fail(msg string) int64 {
	if a.err == "" {
		a.err = msg
	}
	return 0
}

// assignExpr handles NAME op= expr and then the ternary operator.
func (a *arith) assignExpr() int64 {
	a.depth++
	defer func() { a.depth-- }()
	if a.depth > 200 {
		return a.fail("expression too deeply nested")
	}
	save := a.pos
	a.space()
	if name := a.name(); name != "" {
		for _, op := range []string{"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "="} {
			a.space()
			if strings.HasPrefix(a.src[a.pos:], op) && !(op == "=" && strings.HasPrefix(a.src[a.pos:], "==")) {
				a.pos += len(op)
				rhs := a.assignExpr()
				v := rhs
				if op != "=" {
					v = a.binary(op[:len(op)-1], a.variable(name), rhs)
				}
				if a.skip == 0 && a.err == "" {
					a.sh.setVar(name, strconv.FormatInt(v, 10))
				}
				return v
			}
		}
	}
	a.pos = save
	return a.ternary()
}

func (a *arith) ternary() int64 {
	c := a.binaryLevel(0)
	if !a.accept("?") {
		return c
	}
	if c == 0 {
		a.skip++
	}
	x := a.assignExpr()
	if c == 0 {
		a.skip--
	}
	if !a.accept(":") {
		return a.fail("expecting ':'")
	}
	if c != 0 {
		a.skip++
	}
	y := a.ternary()
	if c != 0 {
		a.skip--
		return x
	}
	return y
}

// arithLevels lists binary operators from loosest to tightest.
var arithLevels = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"},
	{"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
}

func (a *arith) binaryLevel(level int) int64 {
	if level == len(arithLevels) {
		return a.unary()
	}
	v := a.binaryLevel(level + 1)
	for a.err == "" {
		op := ""
		for _, cand := range arithLevels[level] {
			if a.accept(cand) {
				op = cand
				break
			}
		}
		if op == "" {
			return v
		}
		if op == "&&" && v == 0 || op == "||" && v != 0 {
			a.skip++
			a.binaryLevel(level + 1)
			a.skip--
			return boolInt(v != 0)
		}
		v = a.binary(op, v, a.binaryLevel(level+1))
	}
	return v
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// binary applies an operator with wrapping 64-bit semantics; shift counts
// are taken modulo 64 so no input can make Go panic.
func (a *arith) binary(op string, x, y int64) int64 {
	switch op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/", "%":
		if y == 0 {
			if a.skip > 0 {
				return 0
			}
			return a.fail("division by zero")
		}
		if op == "/" {
			return x / y
		}
		return x % y
	case "<<":
		return x << (uint64(y) & 63)
	case ">>":
		return x >> (uint64(y) & 63)
	case "&":
		return x & y
	case "|":
		return x | y
	case "^":
		return x ^ y
	case "&&":
		return boolInt(x != 0 && y != 0)
	case "||":
		return boolInt(x != 0 || y != 0)
	}
	return boolInt(compareInts(op, x, y))
}

func compareInts(op string, x, y int64) bool {
	switch op {
	case "==":
		return x == y
	case "!=":
		return x != y
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

func (a *arith) unary() int64 {
	a.depth++
	defer func() { a.depth-- }()
	if a.depth > 200 {
		return a.fail("expression too deeply nested")
	}
	switch {
	case a.accept("-"):
		return -a.unary()
	case a.accept("+"):
		return a.unary()
	case a.accept("!"):
		return boolInt(a.unary() == 0)
	case a.accept("~"):
		return ^a.unary()
	}
	return a.primary()
}

func (a *arith) primary() int64 {
	a.space()
	if a.accept("(") {
		v := a.assignExpr()
		if !a.accept(")") {
			return a.fail("expecting ')'")
		}
		return v
	}
	if name := a.name(); name != "" {
		return a.variable(name)
	}
	start := a.pos
	for a.pos < len(a.src) && isShNameChar(a.src[a.pos]) {
		a.pos++
	}
	if start == a.pos {
		return a.fail("expecting primary")
	}
	v, ok := parseShellInt(a.src[start:a.pos])
	if !ok {
		return a.fail("expecting primary")
	}
	return v
}

// name reads a variable name at the current position, if any.
func (a *arith) name() string {
	if a.pos >= len(a.src) || !isShNameStart(a.src[a.pos]) {
		return ""
	}
	start := a.pos
	for a.pos < len(a.src) && isShNameChar(a.src[a.pos]) {
		a.pos++
	}
	return a.src[start:a.pos]
}

// variable reads a variable as a number; unset or empty is 0.
func (a *arith) variable(name string) int64 {
	s, _ := a.sh.getVar(name)
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	neg := strings.HasPrefix(s, "-")
	v, ok := parseShellInt(strings.TrimLeft(s, "+-"))
	if !ok {
		return a.fail("Illegal number: " + s)
	}
	if neg {
		return -v
	}
	return v
}

// parseShellInt reads a decimal, 0x hexadecimal or 0 octal integer.
func parseShellInt(s string) (int64, bool) {
	base := 10
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, false
	}
	return int64(v), true
}
