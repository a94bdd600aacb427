package sh

import (
	"fmt"
	"strconv"
	"strings"
)

// awkItem is `pattern { body }`: special is "BEGIN" or "END" for those.
type awkItem struct {
	special string
	pattern *awkExpr
	body    []awkStmt // nil: print the record
}

// awkStmt is one statement. kind is expr, print, printf, if, while, for,
// forin, next, exit or block.
type awkStmt struct {
	kind           string
	expr           *awkExpr // the expression, condition or exit status
	init, post     *awkExpr // for (init; expr; post)
	args           []*awkExpr
	body, elseBody []awkStmt
	name, array    string // for (name in array)
}

// awkExpr is an expression: op is num, str, re, var, field, index (an
// array element), in, call, an assignment, an increment, or an operator.
type awkExpr struct {
	op   string
	text string // the literal, name or function
	args []*awkExpr
}

// awkTok is a token of an awk program.
type awkTok struct {
	kind string // num, str, re, name, func (a name followed by "("), op, nl, eof
	text string
}

// maxAwkDepth bounds nesting, so a hostile program cannot exhaust the
// parser's stack.
const maxAwkDepth = 200

// awkParser is a recursive-descent parser of awk.
type awkParser struct {
	src   string
	pos   int
	tok   awkTok
	prev  awkTok
	depth int
}

// parseAwk parses a whole program.
func parseAwk(src string) ([]awkItem, error) {
	p := &awkParser{src: src}
	p.next()
	var items []awkItem
	for {
		p.skipTerminators()
		if p.tok.kind == "eof" {
			return items, nil
		}
		it, err := p.item()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
}

// regexAllowed reports whether a "/" here starts a regular expression
// rather than dividing.
func (p *awkParser) regexAllowed() bool {
	switch p.tok.kind {
	case "num", "str", "name", "re":
		return false
	case "op":
		return p.tok.text != ")" && p.tok.text != "]" && p.tok.text != "$" && p.tok.text != "++" && p.tok.text != "--"
	}
	return true
}

// next reads the next token.
func (p *awkParser) next() {
	allowRe := p.regexAllowed()
	p.prev = p.tok
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ' ' || c == '\t' || c == '\r' || (c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n') {
			p.pos++
			if c == '\\' {
				p.pos++
			}
			continue
		}
		if c == '#' {
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
			continue
		}
		break
	}
	if p.pos >= len(p.src) {
		p.tok = awkTok{kind: "eof"}
		return
	}
	start := p.pos
	c := p.src[p.pos]
	switch {
	case c == '\n':
		p.pos++
		p.tok = awkTok{kind: "nl", text: "\n"}
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		for p.pos < len(p.src) && strings.IndexByte("0123456789.eE", p.src[p.pos]) >= 0 {
			p.pos++
		}
		f, _ := strconv.ParseFloat(p.src[start:p.pos], 64)
		p.tok = awkTok{kind: "num", text: awkFormat(f)}
	case c == '"':
		p.tok = p.stringTok()
	case c == '/' && allowRe:
		p.tok = p.regexTok()
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		for p.pos < len(p.src) && isShNameChar(p.src[p.pos]) {
			p.pos++
		}
		kind := "name"
		if p.pos < len(p.src) && p.src[p.pos] == '(' {
			kind = "func"
		}
		p.tok = awkTok{kind: kind, text: p.src[start:p.pos]}
	default:
		for _, op := range []string{"+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "!~"} {
			if strings.HasPrefix(p.src[p.pos:], op) {
				p.pos += len(op)
				p.tok = awkTok{kind: "op", text: op}
				return
			}
		}
		p.pos++
		p.tok = awkTok{kind: "op", text: string(c)}
	}
}

// stringTok reads a "string" with its escapes.
func (p *awkParser) stringTok() awkTok {
	var b strings.Builder
	p.pos++
	for p.pos < len(p.src) && p.src[p.pos] != '"' {
		c := p.src[p.pos]
		if c == '\\' && p.pos+1 < len(p.src) {
			p.pos++
			if e, ok := simpleEscape(p.src[p.pos]); ok {
				b.WriteByte(e)
			} else if p.src[p.pos] == '"' || p.src[p.pos] == '/' {
				b.WriteByte(p.src[p.pos])
			} else {
				b.WriteByte('\\')
				b.WriteByte(p.src[p.pos])
			}
			p.pos++
			continue
		}
		b.WriteByte(c)
		p.pos++
	}
	if p.pos >= len(p.src) {
		return awkTok{kind: "bad", text: "non-terminated string"}
	}
	p.pos++
	return awkTok{kind: "str", text: b.String()}
}

// regexTok reads a /regular expression/.
func (p *awkParser) regexTok() awkTok {
	var b strings.Builder
	p.pos++
	for p.pos < len(p.src) && p.src[p.pos] != '/' && p.src[p.pos] != '\n' {
		if p.src[p.pos] == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/' {
			p.pos++
		}
		b.WriteByte(p.src[p.pos])
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] != '/' {
		return awkTok{kind: "bad", text: "non-terminated regular expression"}
	}
	p.pos++
	return awkTok{kind: "re", text: b.String()}
}

func (p *awkParser) is(text string) bool { return p.tok.kind == "op" && p.tok.text == text }

func (p *awkParser) fail() error {
	if p.tok.kind == "bad" {
		return fmt.Errorf("%s", p.tok.text)
	}
	if p.tok.kind == "eof" {
		return fmt.Errorf("unexpected end of program")
	}
	return fmt.Errorf("unexpected %q", p.tok.text)
}

func (p *awkParser) expect(op string) error {
	if !p.is(op) {
		return p.fail()
	}
	p.next()
	return nil
}

func (p *awkParser) skipNewlines() {
	for p.tok.kind == "nl" {
		p.next()
	}
}

func (p *awkParser) skipTerminators() {
	for p.tok.kind == "nl" || p.is(";") {
		p.next()
	}
}

func (p *awkParser) enter() error {
	p.depth++
	if p.depth > maxAwkDepth {
		return fmt.Errorf("program nested too deeply for the simulator")
	}
	return nil
}

// item reads pattern { action }.
func (p *awkParser) item() (awkItem, error) {
	var it awkItem
	if p.tok.kind == "name" && (p.tok.text == "BEGIN" || p.tok.text == "END") {
		it.special = p.tok.text
		p.next()
	} else if !p.is("{") {
		x, err := p.expr()
		if err != nil {
			return it, err
		}
		it.pattern = x
	}
	if !p.is("{") {
		if it.special != "" {
			return it, p.fail()
		}
		return it, nil
	}
	body, err := p.block()
	if err != nil {
		return it, err
	}
	if body == nil {
		body = []awkStmt{}
	}
	it.body = body
	return it, nil
}

// block reads { statements }.
func (p *awkParser) block() ([]awkStmt, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var out []awkStmt
	for {
		p.skipTerminators()
		if p.is("}") {
			p.next()
			return out, nil
		}
		st, err := p.stmt()
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
}

// body reads a statement or a block, as loops and if take.
func (p *awkParser) body() ([]awkStmt, error) {
	p.skipNewlines()
	if p.is("{") {
		return p.block()
	}
	st, err := p.stmt()
	return []awkStmt{st}, err
}

// stmt reads one statement.
func (p *awkParser) stmt() (awkStmt, error) {
	if p.is("{") {
		b, err := p.block()
		return awkStmt{kind: "block", body: b}, err
	}
	if p.tok.kind == "name" {
		switch p.tok.text {
		case "print", "printf":
			return p.printStmt()
		case "if":
			return p.ifStmt()
		case "while":
			p.next()
			cond, err := p.paren()
			if err != nil {
				return awkStmt{}, err
			}
			b, err := p.body()
			return awkStmt{kind: "while", expr: cond, body: b}, err
		case "for":
			return p.forStmt()
		case "next":
			p.next()
			return awkStmt{kind: "next"}, nil
		case "exit":
			p.next()
			st := awkStmt{kind: "exit"}
			if p.tok.kind != "nl" && !p.is(";") && !p.is("}") && p.tok.kind != "eof" {
				x, err := p.expr()
				if err != nil {
					return st, err
				}
				st.expr = x
			}
			return st, nil
		}
	}
	x, err := p.expr()
	return awkStmt{kind: "expr", expr: x}, err
}

// paren reads ( expression ).
func (p *awkParser) paren() (*awkExpr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	return x, p.expect(")")
}

func (p *awkParser) printStmt() (awkStmt, error) {
	st := awkStmt{kind: p.tok.text}
	p.next()
	paren := p.is("(")
	if paren {
		p.next()
	}
	for !p.is(";") && !p.is("}") && p.tok.kind != "nl" && p.tok.kind != "eof" && !(paren && p.is(")")) {
		x, err := p.ternary(!paren)
		if err != nil {
			return st, err
		}
		st.args = append(st.args, x)
		if !p.is(",") {
			break
		}
		p.next()
		p.skipNewlines()
	}
	if paren {
		if err := p.expect(")"); err != nil {
			return st, err
		}
	}
	if p.is(">") || p.is("|") {
		return st, fmt.Errorf("output redirection is not supported by the simulator")
	}
	if st.kind == "printf" && len(st.args) == 0 {
		return st, p.fail()
	}
	return st, nil
}

func (p *awkParser) ifStmt() (awkStmt, error) {
	p.next()
	cond, err := p.paren()
	if err != nil {
		return awkStmt{}, err
	}
	b, err := p.body()
	if err != nil {
		return awkStmt{}, err
	}
	st := awkStmt{kind: "if", expr: cond, body: b}
	save, saveTok := p.pos, p.tok
	p.skipTerminators()
	if p.tok.kind == "name" && p.tok.text == "else" {
		p.next()
		st.elseBody, err = p.body()
		return st, err
	}
	p.pos, p.tok = save, saveTok
	return st, nil
}

func (p *awkParser) forStmt() (awkStmt, error) {
	p.next()
	if err := p.expect("("); err != nil {
		return awkStmt{}, err
	}
	if p.tok.kind == "name" {
		save, saveTok := p.pos, p.tok
		name := p.tok.text
		p.next()
		if p.tok.kind == "name" && p.tok.text == "in" {
			p.next()
			if p.tok.kind != "name" {
				return awkStmt{}, p.fail()
			}
			arr := p.tok.text
			p.next()
			if err := p.expect(")"); err != nil {
				return awkStmt{}, err
			}
			b, err := p.body()
			return awkStmt{kind: "forin", name: name, array: arr, body: b}, err
		}
		p.pos, p.tok = save, saveTok
	}
	st := awkStmt{kind: "for"}
	var err error
	if !p.is(";") {
		if st.init, err = p.expr(); err != nil {
			return st, err
		}
	}
	if err := p.expect(";"); err != nil {
		return st, err
	}
	if !p.is(";") {
		if st.expr, err = p.expr(); err != nil {
			return st, err
		}
	}
	if err := p.expect(";"); err != nil {
		return st, err
	}
	if !p.is(")") {
		if st.post, err = p.expr(); err != nil {
			return st, err
		}
	}
	if err := p.expect(")"); err != nil {
		return st, err
	}
	st.body, err = p.body()
	return st, err
}

// expr reads an expression, assignments included.
func (p *awkParser) expr() (*awkExpr, error) { return p.ternary(false) }

// ternary reads assignment and ?: ; noGT stops at ">" (print's redirection).
func (p *awkParser) ternary(noGT bool) (*awkExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.binary(0, noGT)
	if err != nil {
		return nil, err
	}
	switch {
	case p.tok.kind == "op" && (p.is("=") || p.is("+=") || p.is("-=") || p.is("*=") || p.is("/=") || p.is("%=")):
		if x.op != "var" && x.op != "field" && x.op != "index" {
			return nil, p.fail()
		}
		op := p.tok.text
		p.next()
		r, err := p.ternary(noGT)
		if err != nil {
			return nil, err
		}
		return &awkExpr{op: op, args: []*awkExpr{x, r}}, nil
	case p.is("?"):
		p.next()
		a, err := p.ternary(noGT)
		if err != nil {
			return nil, err
		}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		b, err := p.ternary(noGT)
		if err != nil {
			return nil, err
		}
		return &awkExpr{op: "?:", args: []*awkExpr{x, a, b}}, nil
	}
	return x, nil
}

// awkLevels are the binary operators by precedence, loosest first;
// "concat" is juxtaposition.
var awkLevels = [][]string{
	{"||"}, {"&&"}, {"in"}, {"~", "!~"}, {"<", "<=", ">", ">=", "==", "!="}, {"concat"}, {"+", "-"}, {"*", "/", "%"},
}

// binary reads the operators of a level and tighter.
func (p *awkParser) binary(level int, noGT bool) (*awkExpr, error) {
	if level == len(awkLevels) {
		return p.unary()
	}
	x, err := p.binary(level+1, noGT)
	if err != nil {
		return nil, err
	}
	for {
		op, ok := p.levelOp(level, noGT)
		if !ok {
			return x, nil
		}
		if op == "in" {
			p.next()
			if p.tok.kind != "name" {
				return nil, p.fail()
			}
			x = &awkExpr{op: "in", text: p.tok.text, args: []*awkExpr{x}}
			p.next()
			continue
		}
		if op != "concat" {
			p.next()
			p.skipNewlines()
		}
		r, err := p.binary(level+1, noGT)
		if err != nil {
			return nil, err
		}
		x = &awkExpr{op: op, args: []*awkExpr{x, r}}
	}
}

// levelOp reports whether the current token is an operator of level.
func (p *awkParser) levelOp(level int, noGT bool) (string, bool) {
	for _, op := range awkLevels[level] {
		switch {
		case op == "concat":
			if p.startsOperand() {
				return op, true
			}
		case op == "in":
			if p.tok.kind == "name" && p.tok.text == "in" {
				return op, true
			}
		case p.is(op) && !(noGT && op == ">"):
			return op, true
		}
	}
	return "", false
}

// startsOperand reports whether the token can begin an operand, which
// juxtaposed makes a concatenation.
func (p *awkParser) startsOperand() bool {
	switch p.tok.kind {
	case "num", "str", "func", "re":
		return true
	case "name":
		return p.tok.text != "in" && p.tok.text != "else"
	}
	return p.is("$") || p.is("(") || p.is("!") || p.is("++") || p.is("--")
}

// unary reads !x, -x, +x and x^y.
func (p *awkParser) unary() (*awkExpr, error) {
	switch {
	case p.is("!"):
		p.next()
		x, err := p.unary()
		return &awkExpr{op: "!", args: []*awkExpr{x}}, err
	case p.is("-"):
		p.next()
		x, err := p.unary()
		return &awkExpr{op: "neg", args: []*awkExpr{x}}, err
	case p.is("+"):
		p.next()
		x, err := p.unary()
		return &awkExpr{op: "+", args: []*awkExpr{x, {op: "num", text: "0"}}}, err
	}
	x, err := p.postfix()
	if err != nil {
		return nil, err
	}
	if p.is("^") {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &awkExpr{op: "^", args: []*awkExpr{x, r}}, nil
	}
	return x, nil
}

// postfix reads x++ and x--, and ++x, --x.
func (p *awkParser) postfix() (*awkExpr, error) {
	if p.is("++") || p.is("--") {
		op := "pre" + p.tok.text
		p.next()
		x, err := p.primary()
		return &awkExpr{op: op, args: []*awkExpr{x}}, err
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if (p.is("++") || p.is("--")) && (x.op == "var" || x.op == "field" || x.op == "index") {
		op := "post" + p.tok.text
		p.next()
		return &awkExpr{op: op, args: []*awkExpr{x}}, nil
	}
	return x, nil
}

// primary reads a literal, variable, field, element, call or ( expr ).
func (p *awkParser) primary() (*awkExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	t := p.tok
	switch t.kind {
	case "num", "str", "re":
		p.next()
		return &awkExpr{op: t.kind, text: t.text}, nil
	case "func":
		return p.call()
	case "name":
		p.next()
		if p.is("[") {
			p.next()
			var subs []*awkExpr
			for {
				x, err := p.expr()
				if err != nil {
					return nil, err
				}
				subs = append(subs, x)
				if !p.is(",") {
					break
				}
				p.next()
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			return &awkExpr{op: "index", text: t.text, args: subs}, nil
		}
		if t.text == "length" {
			return &awkExpr{op: "call", text: "length"}, nil
		}
		return &awkExpr{op: "var", text: t.text}, nil
	}
	switch {
	case p.is("$"):
		p.next()
		x, err := p.primary()
		return &awkExpr{op: "field", args: []*awkExpr{x}}, err
	case p.is("("):
		p.next()
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		return x, p.expect(")")
	}
	return nil, p.fail()
}

// awkFuncs are the built-in functions.
var awkFuncs = map[string]bool{"length": true, "substr": true, "index": true, "split": true, "sub": true,
	"gsub": true, "match": true, "tolower": true, "toupper": true, "sprintf": true, "int": true}

// call reads name(args).
func (p *awkParser) call() (*awkExpr, error) {
	name := p.tok.text
	if !awkFuncs[name] {
		return nil, fmt.Errorf("calling undefined function %s", name)
	}
	p.next()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	x := &awkExpr{op: "call", text: name}
	for !p.is(")") {
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		x.args = append(x.args, a)
		if !p.is(",") {
			break
		}
		p.next()
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	if name == "split" && (len(x.args) < 2 || x.args[1].op != "var") {
		return nil, fmt.Errorf("split needs an array")
	}
	if (name == "sub" || name == "gsub") && len(x.args) < 2 {
		return nil, fmt.Errorf("%s needs a regular expression and a replacement", name)
	}
	// A /regex/ argument is the expression itself, not a match of $0.
	for i, arg := range x.args {
		if arg.op == "re" && (i == 0 && (name == "sub" || name == "gsub") || i == 1 && name == "match" || i == 2 && name == "split") {
			x.args[i] = &awkExpr{op: "str", text: arg.text}
		}
	}
	return x, nil
}
