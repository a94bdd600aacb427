package sh

import (
	"strings"
)

// shParser parses shell source. Tokens are scanned on demand because
// command substitutions, here-documents and reserved words depend on where
// the parser is.
type shParser struct {
	src      string
	pos      int
	line     int
	tok      shTok
	have     bool
	heredocs []*shRedir // waiting for their bodies after the next newline
	delims   []string
	depth    int
	// heredocOpen is set when the input ended inside a here-document's
	// body: a terminal's user has more lines to type.
	heredocOpen bool
}

func newShParser(src string) *shParser { return &shParser{src: src, line: 1} }

func (p *shParser) peek() (shTok, error) {
	if !p.have {
		t, err := p.scanToken()
		if err != nil {
			return shTok{}, err
		}
		p.tok, p.have = t, true
	}
	return p.tok, nil
}

func (p *shParser) next() (shTok, error) {
	t, err := p.peek()
	p.have = false
	return t, err
}

// shReserved lists the reserved words that can end a list.
var shReserved = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true,
	"done": true, "case": true, "esac": true, "while": true, "until": true,
	"for": true, "{": true, "}": true, "!": true, "in": true,
}

// shTerminators are reserved words and operators that close a construct
// and so cannot start a command.
var shTerminators = map[string]bool{
	"then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"esac": true, "}": true, ";;": true, ")": true,
}

func isWord(t shTok, w string) bool { return t.kind == tkWord && t.text == w }
func isOp(t shTok, op string) bool  { return t.kind == tkOp && t.text == op }

func stopAt(words ...string) func(shTok) bool {
	return func(t shTok) bool {
		for _, w := range words {
			if isWord(t, w) || isOp(t, w) {
				return true
			}
		}
		return false
	}
}

// unexpected builds dash's "X unexpected (expecting Y)" error.
func (p *shParser) unexpected(t shTok, expecting string) error {
	var what string
	switch {
	case t.kind == tkEOF:
		what = "end of file"
	case t.kind == tkNewline:
		what = "newline"
	case t.kind == tkOp:
		what = `"` + t.text + `"`
	case shReserved[t.text]:
		what = `"` + t.text + `"`
	default:
		what = "word"
	}
	msg := what + " unexpected"
	if expecting != "" {
		msg += " (expecting " + expecting + ")"
	}
	return &shSyntaxError{line: t.line, msg: msg}
}

func (p *shParser) enter() error {
	p.depth++
	if p.depth > maxShNesting {
		return &shSyntaxError{line: p.line, msg: "nesting too deep"}
	}
	return nil
}

func (p *shParser) leave() { p.depth-- }

// program parses a whole script.
func (p *shParser) program() (*shList, error) {
	return p.list(func(t shTok) bool { return t.kind == tkEOF }, "")
}

// subList parses a $( ... ) body and consumes the closing parenthesis.
func (p *shParser) subList(stop func(shTok) bool, expecting string) (*shList, error) {
	p.have = false
	list, err := p.list(stop, expecting)
	if err != nil {
		return nil, err
	}
	if _, err := p.next(); err != nil {
		return nil, err
	}
	return list, nil
}

// list parses and-or lists separated by ; & and newlines until stop
// matches the next token, which it leaves unread.
func (p *shParser) list(stop func(shTok) bool, expecting string) (*shList, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	l := &shList{}
	for {
		t, err := p.skipNewlines()
		if err != nil {
			return nil, err
		}
		if stop(t) {
			return l, nil
		}
		if t.kind == tkEOF || shTerminators[t.text] && (t.kind == tkOp || t.kind == tkWord) {
			return nil, p.unexpected(t, expecting)
		}
		ao, err := p.andOr()
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, ao)
		if err := p.separator(ao, stop, expecting); err != nil {
			return nil, err
		}
	}
}

// separator consumes what follows an and-or list: ; & or a newline.
func (p *shParser) separator(ao *shAndOr, stop func(shTok) bool, expecting string) error {
	t, err := p.peek()
	if err != nil {
		return err
	}
	switch {
	case isOp(t, ";") || t.kind == tkNewline:
		p.have = false
	case isOp(t, "&"):
		ao.background = true
		p.have = false
	case stop(t) || t.kind == tkEOF:
	default:
		return p.unexpected(t, expecting)
	}
	return nil
}

func (p *shParser) skipNewlines() (shTok, error) {
	for {
		t, err := p.peek()
		if err != nil || t.kind != tkNewline {
			return t, err
		}
		p.have = false
	}
}

// nonEmpty parses a list that must hold at least one command, as the
// bodies of if, while, for and groups must.
func (p *shParser) nonEmpty(stop func(shTok) bool, expecting string) (*shList, error) {
	l, err := p.list(stop, expecting)
	if err != nil {
		return nil, err
	}
	if len(l.items) == 0 {
		t, _ := p.peek()
		return nil, p.unexpected(t, "")
	}
	return l, nil
}

// expectWord consumes the reserved word w.
func (p *shParser) expectWord(w string) error {
	t, err := p.next()
	if err != nil {
		return err
	}
	if !isWord(t, w) && !isOp(t, w) {
		return p.unexpected(t, `"`+w+`"`)
	}
	return nil
}

func (p *shParser) andOr() (*shAndOr, error) {
	first, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	ao := &shAndOr{first: first}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if !isOp(t, "&&") && !isOp(t, "||") {
			return ao, nil
		}
		p.have = false
		if _, err := p.skipNewlines(); err != nil {
			return nil, err
		}
		next, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		ao.rest = append(ao.rest, shAndOrPart{and: t.text == "&&", p: next})
	}
}

func (p *shParser) pipeline() (*shPipeline, error) {
	pl := &shPipeline{}
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if isWord(t, "!") {
		pl.bang = true
		p.have = false
	}
	for {
		cmd, err := p.command()
		if err != nil {
			return nil, err
		}
		pl.cmds = append(pl.cmds, cmd)
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if !isOp(t, "|") {
			return pl, nil
		}
		p.have = false
		if _, err := p.skipNewlines(); err != nil {
			return nil, err
		}
	}
}

func (p *shParser) command() (shCommand, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	var cmd shCommand
	switch {
	case isWord(t, "if"):
		cmd, err = p.ifCommand()
	case isWord(t, "while"), isWord(t, "until"):
		cmd, err = p.loopCommand()
	case isWord(t, "for"):
		cmd, err = p.forCommand()
	case isWord(t, "case"):
		cmd, err = p.caseCommand()
	case isWord(t, "{"), isOp(t, "("):
		cmd, err = p.groupCommand()
	case t.kind == tkWord && shTerminators[t.text], t.kind == tkEOF, t.kind == tkNewline:
		return nil, p.unexpected(t, "")
	default:
		return p.simpleCommand()
	}
	if err != nil {
		return nil, err
	}
	return cmd, p.compoundRedirects(cmd)
}

// compoundRedirects reads redirections after a compound command.
func (p *shParser) compoundRedirects(cmd shCommand) error {
	var target *[]*shRedir
	switch c := cmd.(type) {
	case *shIf:
		target = &c.redirs
	case *shLoop:
		target = &c.redirs
	case *shFor:
		target = &c.redirs
	case *shCase:
		target = &c.redirs
	case *shGroup:
		target = &c.redirs
	default:
		return nil
	}
	for {
		t, err := p.peek()
		if err != nil {
			return err
		}
		if !isRedirOp(t) {
			return nil
		}
		r, err := p.redirect()
		if err != nil {
			return err
		}
		*target = append(*target, r)
	}
}

func isRedirOp(t shTok) bool {
	if t.kind != tkOp {
		return false
	}
	switch t.text {
	case "<", ">", ">>", ">|", "<>", ">&", "<&", "<<", "<<-":
		return true
	}
	return false
}

func (p *shParser) ifCommand() (shCommand, error) {
	p.have = false // if
	c := &shIf{}
	for {
		cond, err := p.nonEmpty(stopAt("then"), `"then"`)
		if err != nil {
			return nil, err
		}
		if err := p.expectWord("then"); err != nil {
			return nil, err
		}
		body, err := p.nonEmpty(stopAt("elif", "else", "fi"), `"fi"`)
		if err != nil {
			return nil, err
		}
		c.conds, c.bodies = append(c.conds, cond), append(c.bodies, body)
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		switch {
		case isWord(t, "fi"):
			return c, nil
		case isWord(t, "else"):
			if c.els, err = p.nonEmpty(stopAt("fi"), `"fi"`); err != nil {
				return nil, err
			}
			return c, p.expectWord("fi")
		}
	}
}

func (p *shParser) loopCommand() (shCommand, error) {
	t, _ := p.next()
	c := &shLoop{until: t.text == "until"}
	var err error
	if c.cond, err = p.nonEmpty(stopAt("do"), `"do"`); err != nil {
		return nil, err
	}
	if err := p.expectWord("do"); err != nil {
		return nil, err
	}
	if c.body, err = p.nonEmpty(stopAt("done"), `"done"`); err != nil {
		return nil, err
	}
	return c, p.expectWord("done")
}

func (p *shParser) forCommand() (shCommand, error) {
	p.have = false // for
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tkWord || !isShName(t.text) {
		return nil, &shSyntaxError{line: t.line, msg: "Bad for loop variable"}
	}
	c := &shFor{name: t.text}
	if t, err = p.skipNewlines(); err != nil {
		return nil, err
	}
	if isWord(t, "in") {
		p.have = false
		c.hasIn = true
		if c.words, err = p.forWords(); err != nil {
			return nil, err
		}
	} else if isOp(t, ";") {
		p.have = false
	}
	if _, err := p.skipNewlines(); err != nil {
		return nil, err
	}
	if err := p.expectWord("do"); err != nil {
		return nil, err
	}
	if c.body, err = p.nonEmpty(stopAt("done"), `"done"`); err != nil {
		return nil, err
	}
	return c, p.expectWord("done")
}

// forWords reads the words after "in" up to ; or a newline.
func (p *shParser) forWords() ([]*shWord, error) {
	var words []*shWord
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		switch {
		case t.kind == tkWord:
			words = append(words, t.word)
		case isOp(t, ";") || t.kind == tkNewline:
			return words, nil
		default:
			return nil, p.unexpected(t, `"do"`)
		}
	}
}

func (p *shParser) caseCommand() (shCommand, error) {
	p.have = false // case
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tkWord {
		return nil, p.unexpected(t, "")
	}
	c := &shCase{word: t.word}
	if t, err = p.skipNewlines(); err != nil {
		return nil, err
	}
	if err := p.expectWord("in"); err != nil {
		return nil, err
	}
	for {
		t, err := p.skipNewlines()
		if err != nil {
			return nil, err
		}
		if isWord(t, "esac") {
			p.have = false
			return c, nil
		}
		item, err := p.caseItem()
		if err != nil {
			return nil, err
		}
		c.items = append(c.items, item)
	}
}

// caseItem reads "pattern | pattern ) list ;;".
func (p *shParser) caseItem() (shCaseItem, error) {
	var item shCaseItem
	t, err := p.next()
	if err != nil {
		return item, err
	}
	if isOp(t, "(") {
		if t, err = p.next(); err != nil {
			return item, err
		}
	}
	for {
		if t.kind != tkWord {
			return item, p.unexpected(t, `")"`)
		}
		item.patterns = append(item.patterns, t.word)
		if t, err = p.next(); err != nil {
			return item, err
		}
		if isOp(t, ")") {
			break
		}
		if !isOp(t, "|") {
			return item, p.unexpected(t, `")"`)
		}
		if t, err = p.next(); err != nil {
			return item, err
		}
	}
	if item.body, err = p.list(stopAt(";;", "esac"), `"esac"`); err != nil {
		return item, err
	}
	if t, _ = p.peek(); isOp(t, ";;") {
		p.have = false
	}
	return item, nil
}

func (p *shParser) groupCommand() (shCommand, error) {
	t, _ := p.next()
	sub := t.text == "("
	closer := "}"
	if sub {
		closer = ")"
	}
	body, err := p.nonEmpty(stopAt(closer), `"`+closer+`"`)
	if err != nil {
		return nil, err
	}
	return &shGroup{body: body, subshell: sub}, p.expectWord(closer)
}

func (p *shParser) simpleCommand() (shCommand, error) {
	first, _ := p.peek()
	cmd := &shSimple{line: first.line}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		switch {
		case isRedirOp(t):
			r, err := p.redirect()
			if err != nil {
				return nil, err
			}
			cmd.redirs = append(cmd.redirs, r)
		case t.kind == tkWord:
			p.have = false
			if len(cmd.words) == 0 {
				if a, ok := assignment(t.word); ok {
					cmd.assigns = append(cmd.assigns, a)
					continue
				}
			}
			cmd.words = append(cmd.words, t.word)
		case isOp(t, "(") && len(cmd.words) == 1 && len(cmd.assigns) == 0 && len(cmd.redirs) == 0 && isShName(first.text):
			return p.funcDef(first.text)
		default:
			if len(cmd.words)+len(cmd.assigns)+len(cmd.redirs) == 0 {
				return nil, p.unexpected(t, "")
			}
			return cmd, nil
		}
	}
}

func (p *shParser) funcDef(name string) (shCommand, error) {
	p.have = false // (
	if err := p.expectWord(")"); err != nil {
		return nil, err
	}
	if _, err := p.skipNewlines(); err != nil {
		return nil, err
	}
	body, err := p.command()
	if err != nil {
		return nil, err
	}
	return &shFuncDef{name: name, body: body}, nil
}

// assignment recognises NAME=value at the start of a simple command.
func assignment(w *shWord) (shAssign, bool) {
	if len(w.parts) == 0 || w.parts[0].kind != partLit || w.parts[0].quoted {
		return shAssign{}, false
	}
	name, rest, ok := strings.Cut(w.parts[0].text, "=")
	if !ok || !isShName(name) {
		return shAssign{}, false
	}
	value := &shWord{parts: append([]shPart{{kind: partLit, text: rest}}, w.parts[1:]...)}
	return shAssign{name: name, value: value}, true
}

// redirect reads an operator and its target; a here-document's body is
// read after the end of the line.
func (p *shParser) redirect() (*shRedir, error) {
	op, _ := p.next()
	r := &shRedir{fd: op.fd, op: op.text}
	if r.fd < 0 {
		r.fd = 1
		if op.text[0] == '<' {
			r.fd = 0
		}
	}
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tkWord {
		return nil, p.unexpected(t, "")
	}
	r.target = t.word
	if op.text == "<<" || op.text == "<<-" {
		p.heredocs = append(p.heredocs, r)
		p.delims = append(p.delims, t.text)
	}
	return r, nil
}

// readHeredocs reads the bodies of pending here-documents, line by line up
// to each delimiter (or the end of input, which dash accepts).
func (p *shParser) readHeredocs() error {
	for i, r := range p.heredocs {
		delim, quoted := unquoteDelim(p.delims[i])
		var body strings.Builder
		found := false
		for p.pos < len(p.src) {
			end := strings.IndexByte(p.src[p.pos:], '\n')
			line := p.src[p.pos:]
			if end >= 0 {
				line = p.src[p.pos : p.pos+end]
				p.pos += end + 1
			} else {
				p.pos = len(p.src)
			}
			p.line++
			if r.op == "<<-" {
				line = strings.TrimLeft(line, "\t")
			}
			if line == delim {
				found = true
				break
			}
			body.WriteString(line + "\n")
		}
		p.heredocOpen = p.heredocOpen || !found
		w, err := heredocWord(body.String(), quoted)
		if err != nil {
			return err
		}
		r.heredoc = w
	}
	p.heredocs, p.delims = nil, nil
	return nil
}

// unquoteDelim removes quoting from a here-document delimiter and reports
// whether there was any (which turns off expansion in the body).
func unquoteDelim(raw string) (string, bool) {
	if !strings.ContainsAny(raw, `'"\`) {
		return raw, false
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '\'', '"':
		case '\\':
			if i+1 < len(raw) {
				i++
				b.WriteByte(raw[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func heredocWord(body string, quoted bool) (*shWord, error) {
	if quoted {
		return &shWord{parts: []shPart{{kind: partLit, text: body, quoted: true}}}, nil
	}
	sub := newShParser(body)
	return sub.scanWord(true)
}
