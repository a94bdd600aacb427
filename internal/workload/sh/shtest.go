package sh

import (
	"strconv"
	"strings"
)

// builtinTest implements test and [ with POSIX's rules: the meaning of the
// arguments depends on how many there are, and -a, -o, ! and parentheses
// combine longer expressions.
func builtinTest(sh *Shell, argv []string, io *IO) error {
	args := argv[1:]
	if argv[0] == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			sh.errorf(io, "[: missing ]")
			sh.status = 2
			return nil
		}
		args = args[:len(args)-1]
	}
	t := &testEval{sh: sh, args: args}
	ok := t.expr()
	if t.err == "" && t.pos < len(t.args) {
		t.err = t.args[t.pos] + ": unexpected operator"
	}
	if t.err != "" {
		sh.errorf(io, "%s: %s", argv[0], t.err)
		sh.status = 2
		return nil
	}
	sh.status = boolStatus(ok)
	return nil
}

type testEval struct {
	sh    *Shell
	args  []string
	pos   int
	err   string
	depth int
}

func (t *testEval) peek(k int) (string, bool) {
	if t.pos+k < len(t.args) {
		return t.args[t.pos+k], true
	}
	return "", false
}

func (t *testEval) remaining() int { return len(t.args) - t.pos }

// expr parses "or" expressions; it applies the argument-count rules first,
// as POSIX test does, so that `test -n` and `[ = ]` mean what they should.
func (t *testEval) expr() bool {
	t.depth++
	defer func() { t.depth-- }()
	if t.depth > 100 {
		t.err = "expression too complex"
		return false
	}
	if t.depth == 1 {
		if v, ok := t.byCount(); ok {
			return v
		}
	}
	v := t.and()
	for t.err == "" {
		if a, _ := t.peek(0); a != "-o" {
			return v
		}
		t.pos++
		r := t.and()
		v = v || r
	}
	return v
}

// byCount handles the POSIX cases of 0 to 3 arguments.
func (t *testEval) byCount() (bool, bool) {
	switch t.remaining() {
	case 0:
		return false, true
	case 1:
		t.pos++
		return t.args[0] != "", true
	case 2:
		if t.args[0] == "!" {
			t.pos = 2
			return t.args[1] == "", true
		}
	case 3:
		if isBinaryTestOp(t.args[1]) {
			return t.binary(), true
		}
	}
	return false, false
}

func (t *testEval) and() bool {
	v := t.not()
	for t.err == "" {
		if a, _ := t.peek(0); a != "-a" {
			return v
		}
		t.pos++
		r := t.not()
		v = v && r
	}
	return v
}

func (t *testEval) not() bool {
	if a, _ := t.peek(0); a == "!" && t.remaining() > 1 {
		t.pos++
		return !t.not()
	}
	return t.primary()
}

func (t *testEval) primary() bool {
	a, ok := t.peek(0)
	if !ok {
		t.err = "argument expected"
		return false
	}
	if a == "(" {
		t.pos++
		v := t.expr()
		if b, _ := t.peek(0); b != ")" {
			t.err = "closing paren expected"
			return false
		}
		t.pos++
		return v
	}
	if op, ok := t.peek(1); ok && isBinaryTestOp(op) {
		return t.binary()
	}
	if isUnaryTestOp(a) {
		operand, ok := t.peek(1)
		if !ok {
			t.err = a + ": argument expected"
			return false
		}
		t.pos += 2
		return t.unary(a, operand)
	}
	t.pos++
	return a != ""
}

func isUnaryTestOp(op string) bool {
	switch op {
	case "-e", "-f", "-d", "-r", "-w", "-x", "-s", "-z", "-n", "-L", "-h", "-b", "-c", "-p", "-S", "-t":
		return true
	}
	return false
}

func isBinaryTestOp(op string) bool {
	switch op {
	case "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef":
		return true
	}
	return false
}

func (t *testEval) unary(op, a string) bool {
	switch op {
	case "-z":
		return a == ""
	case "-n":
		return a != ""
	case "-t":
		return false
	}
	info, err := t.sh.files().Stat(t.sh.abs(a))
	if err != nil {
		return false
	}
	switch op {
	case "-f":
		return !info.IsDir()
	case "-d":
		return info.IsDir()
	case "-s":
		return info.Size > 0 || info.IsDir()
	case "-x":
		return info.Mode&0o111 != 0
	case "-e", "-r", "-w":
		return true
	}
	return false // -L -h -b -c -p -S: no such files here
}

func (t *testEval) binary() bool {
	l, op, r := t.args[t.pos], t.args[t.pos+1], ""
	if t.pos+2 >= len(t.args) {
		t.err = op + ": argument expected"
		return false
	}
	r = t.args[t.pos+2]
	t.pos += 3
	switch op {
	case "=", "==":
		return l == r
	case "!=":
		return l != r
	case "<":
		return l < r
	case ">":
		return l > r
	case "-nt", "-ot", "-ef":
		return false
	}
	x, okx := testInt(l)
	y, oky := testInt(r)
	if !okx || !oky {
		bad := l
		if okx {
			bad = r
		}
		t.err = "Illegal number: " + bad
		return false
	}
	return compareInts(map[string]string{"-eq": "==", "-ne": "!=", "-lt": "<", "-le": "<=", "-gt": ">", "-ge": ">="}[op], x, y)
}

func testInt(s string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return v, err == nil
}
