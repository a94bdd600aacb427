package bc

// bcSyntaxError is a parse error, printed as "(standard_in) LINE: MSG".
type bcSyntaxError struct {
	line int
	msg  string
}

// Error implements error.
func (e *bcSyntaxError) Error() string { return e.msg }

// errBCQuit reports that the parser met `quit`, which GNU bc obeys as soon
// as it reads it, before running the line it is on.
var errBCQuit = &bcSyntaxError{msg: "quit"}

// bcKeywords cannot be used as variable names.
var bcKeywords = map[string]bool{
	"auto": true, "break": true, "continue": true, "define": true, "else": true,
	"for": true, "halt": true, "ibase": true, "if": true, "last": true,
	"length": true, "limits": true, "obase": true, "print": true, "quit": true,
	"read": true, "return": true, "scale": true, "sqrt": true, "warranty": true,
	"while": true,
}

// Operator precedences from bc.y, lowest first.
const (
	precOr = iota + 1
	precAnd
	precNot
	precRel
	precAssign
	precAdd
	precMul
	precPow
)

var bcBinaryPrec = map[string]int{
	"||": precOr, "&&": precAnd,
	"==": precRel, "!=": precRel, "<": precRel, "<=": precRel, ">": precRel, ">=": precRel,
	"=": precAssign, "+=": precAssign, "-=": precAssign, "*=": precAssign, "/=": precAssign,
	"%=": precAssign, "^=": precAssign,
	"+": precAdd, "-": precAdd, "*": precMul, "/": precMul, "%": precMul, "^": precPow,
}

// bcItem is what the parser hands the interpreter: a function definition or
// a line of statements to run.
type bcItem struct {
	fname string
	fn    *bcFunc
	stmts []bcStmt
}

// bcParser parses bc source one input item at a time.
type bcParser struct {
	lx        bcLexer
	tok       bcTok
	inFunc    bool
	loopDepth int
}

func newBCParser(src string) *bcParser {
	p := &bcParser{lx: bcLexer{src: src, line: 1}}
	p.advance()
	return p
}

func (p *bcParser) advance() { p.tok = p.lx.next() }

func (p *bcParser) fail() error {
	switch p.tok.kind {
	case bcBad:
		return &bcSyntaxError{line: p.tok.line, msg: p.tok.text}
	case bcEOF:
		// GNU bc resets its line counter when it reaches the end of its
		// input (to start the next file), so errors at EOF say line 1.
		return &bcSyntaxError{line: 1, msg: "syntax error"}
	}
	return &bcSyntaxError{line: p.tok.line, msg: "syntax error"}
}

func (p *bcParser) isOp(op string) bool  { return p.tok.kind == bcOp && p.tok.text == op }
func (p *bcParser) isName(n string) bool { return p.tok.kind == bcName && p.tok.text == n }
func (p *bcParser) atEnd() bool          { return p.tok.kind == bcEOF }
func (p *bcParser) atNewline() bool      { return p.tok.kind == bcNewline }
func (p *bcParser) skipNewlines() {
	for p.atNewline() {
		p.advance()
	}
}
func (p *bcParser) endsStatement() bool {
	return p.atNewline() || p.atEnd() || p.isOp(";") || p.isOp("}")
}
func (p *bcParser) expect(op string) error {
	if !p.isOp(op) {
		return p.fail()
	}
	p.advance()
	return nil
}

// recover skips to the end of the line after a syntax error, as bc's
// grammar rule `error ENDOFLINE` does.
func (p *bcParser) recover() {
	for !p.atNewline() && !p.atEnd() {
		p.advance()
	}
	if p.atNewline() {
		p.advance()
	}
	p.inFunc, p.loopDepth = false, 0
}

// item parses the next input item. It returns ok=false at the end of input.
func (p *bcParser) item() (bcItem, bool, error) {
	for p.atNewline() {
		p.advance()
	}
	if p.atEnd() {
		return bcItem{}, false, nil
	}
	if p.isName("define") {
		name, fn, err := p.define()
		return bcItem{fname: name, fn: fn}, true, err
	}
	stmts, err := p.semicolonList()
	return bcItem{stmts: stmts}, true, err
}

// semicolonList parses statements separated by ';' up to the end of the
// line. bc requires the newline: a last line without one is a syntax error.
func (p *bcParser) semicolonList() ([]bcStmt, error) {
	var out []bcStmt
	for {
		switch {
		case p.atNewline():
			p.advance()
			return out, nil
		case p.atEnd():
			return nil, p.fail()
		case p.isOp(";"):
			p.advance()
			continue
		}
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
		}
		if !p.isOp(";") && !p.atNewline() {
			return nil, p.fail()
		}
	}
}

// statementList parses the inside of braces: statements separated by ';'
// or newlines, up to (not including) the closing brace.
func (p *bcParser) statementList() ([]bcStmt, error) {
	var out []bcStmt
	for {
		switch {
		case p.atNewline() || p.isOp(";"):
			p.advance()
			continue
		case p.isOp("}") || p.atEnd():
			return out, nil
		}
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
		}
		if !p.endsStatement() {
			return nil, p.fail()
		}
	}
}

func (p *bcParser) statement() (bcStmt, error) {
	switch p.tok.kind {
	case bcString:
		s := p.tok.text
		p.advance()
		return &bcStrStmt{s: s}, nil
	case bcOp:
		if p.isOp("{") {
			p.advance()
			stmts, err := p.statementList()
			if err != nil {
				return nil, err
			}
			return &bcBlock{stmts: stmts}, p.expect("}")
		}
	case bcName:
		if bcKeywords[p.tok.text] {
			if s, handled, err := p.keywordStatement(); handled {
				return s, err
			}
		}
	}
	x, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	return &bcExprStmt{x: x}, nil
}

// keywordStatement parses statements that start with a keyword. handled is
// false for keywords that start expressions (scale, length, ...).
func (p *bcParser) keywordStatement() (bcStmt, bool, error) {
	kw := p.tok.text
	line := p.tok.line
	switch kw {
	case "quit":
		return nil, true, errBCQuit
	case "break", "continue":
		p.advance()
		if p.loopDepth == 0 {
			if kw == "break" {
				return nil, true, &bcSyntaxError{line: line, msg: "Break outside a for/while"}
			}
			return nil, true, &bcSyntaxError{line: line, msg: "Continue outside a for"}
		}
		if kw == "break" {
			return &bcBreak{}, true, nil
		}
		return &bcContinue{}, true, nil
	case "halt":
		p.advance()
		return &bcHalt{}, true, nil
	case "limits", "warranty":
		p.advance()
		return &bcStrStmt{s: bcLimitsText(kw)}, true, nil
	case "return":
		s, err := p.returnStmt()
		return s, true, err
	case "if":
		s, err := p.ifStmt()
		return s, true, err
	case "while":
		s, err := p.whileStmt()
		return s, true, err
	case "for":
		s, err := p.forStmt()
		return s, true, err
	case "print":
		s, err := p.printStmt()
		return s, true, err
	}
	return nil, false, nil
}

// bcLimitsText is what `limits` prints (GNU bc's numbers; the simulator's
// own caps are tighter, see maxBCScale and maxBCDigits).
func bcLimitsText(kw string) string {
	if kw == "warranty" {
		return ""
	}
	return "BC_BASE_MAX     = 2147483647\nBC_DIM_MAX      = 16777215\nBC_SCALE_MAX    = 2147483647\n" +
		"BC_STRING_MAX   = 2147483647\nMAX Exponent    = 9223372036854775807\nNumber of vars  = 32767\n"
}

// returnStmt parses return [expr]. Outside a function it is an error that
// bc notices only once it has read the token after the statement, so the
// message carries that token's line.
func (p *bcParser) returnStmt() (bcStmt, error) {
	p.advance()
	s := &bcReturn{}
	if !p.endsStatement() {
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		s.x = x
	}
	if !p.inFunc {
		return nil, &bcSyntaxError{line: p.tok.line, msg: "Return outside of a function."}
	}
	return s, nil
}

// condition parses "( expr )" and any newlines after it.
func (p *bcParser) condition() (bcExpr, error) {
	p.advance()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	x, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	p.skipNewlines()
	return x, nil
}

// body parses the statement a control statement runs; a bare ';' is an
// empty body.
func (p *bcParser) body() (bcStmt, error) {
	if p.isOp(";") {
		return &bcBlock{}, nil
	}
	return p.statement()
}

func (p *bcParser) ifStmt() (bcStmt, error) {
	cond, err := p.condition()
	if err != nil {
		return nil, err
	}
	then, err := p.body()
	if err != nil {
		return nil, err
	}
	s := &bcIf{cond: cond, then: then}
	if p.isName("else") {
		p.advance()
		p.skipNewlines()
		if s.els, err = p.body(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *bcParser) loopBody() (bcStmt, error) {
	p.loopDepth++
	defer func() { p.loopDepth-- }()
	return p.body()
}

func (p *bcParser) whileStmt() (bcStmt, error) {
	cond, err := p.condition()
	if err != nil {
		return nil, err
	}
	body, err := p.loopBody()
	if err != nil {
		return nil, err
	}
	return &bcWhile{cond: cond, body: body}, nil
}

func (p *bcParser) forStmt() (bcStmt, error) {
	p.advance()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var parts [3]bcExpr
	for i, end := range []string{";", ";", ")"} {
		if !p.isOp(end) {
			x, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			parts[i] = x
		}
		if err := p.expect(end); err != nil {
			return nil, err
		}
	}
	p.skipNewlines()
	body, err := p.loopBody()
	if err != nil {
		return nil, err
	}
	return &bcFor{init: parts[0], cond: parts[1], post: parts[2], body: body}, nil
}

func (p *bcParser) printStmt() (bcStmt, error) {
	p.advance()
	s := &bcPrint{}
	for {
		if p.tok.kind == bcString {
			s.items = append(s.items, bcPrintItem{str: p.tok.text, isStr: true})
			p.advance()
		} else {
			x, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			s.items = append(s.items, bcPrintItem{x: x})
		}
		if !p.isOp(",") {
			return s, nil
		}
		p.advance()
	}
}

// define parses a function definition.
func (p *bcParser) define() (string, *bcFunc, error) {
	p.advance()
	if p.tok.kind != bcName || bcKeywords[p.tok.text] {
		return "", nil, p.fail()
	}
	name := p.tok.text
	p.advance()
	if err := p.expect("("); err != nil {
		return "", nil, err
	}
	fn := &bcFunc{}
	var err error
	if fn.params, err = p.paramList(")"); err != nil {
		return "", nil, err
	}
	if err := p.expect(")"); err != nil {
		return "", nil, err
	}
	p.skipNewlines()
	if err := p.expect("{"); err != nil {
		return "", nil, err
	}
	p.skipNewlines()
	if p.isName("auto") {
		p.advance()
		if fn.autos, err = p.paramList(";"); err != nil {
			return "", nil, err
		}
		if !p.isOp(";") && !p.atNewline() {
			return "", nil, p.fail()
		}
		p.advance()
	}
	p.inFunc = true
	fn.body, err = p.statementList()
	p.inFunc = false
	if err != nil {
		return "", nil, err
	}
	return name, fn, p.expect("}")
}

// paramList parses "a, b[], c" up to (not including) a token that ends it.
func (p *bcParser) paramList(end string) ([]bcParam, error) {
	var out []bcParam
	if p.isOp(end) || p.atNewline() {
		return nil, nil
	}
	for {
		if p.tok.kind != bcName || bcKeywords[p.tok.text] {
			return nil, p.fail()
		}
		prm := bcParam{name: p.tok.text}
		p.advance()
		if p.isOp("[") {
			p.advance()
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			prm.array = true
		}
		out = append(out, prm)
		if !p.isOp(",") {
			return out, nil
		}
		p.advance()
	}
}
