package sh

import (
	"strings"
)

// scanDollar reads an expansion starting at $ or a backquote.
func (p *shParser) scanDollar(w *shWord, quoted bool) error {
	if p.src[p.pos] == '`' {
		return p.scanBackquote(w)
	}
	if p.pos+1 >= len(p.src) {
		p.pos++
		w.parts = append(w.parts, shPart{kind: partLit, text: "$"})
		return nil
	}
	n := p.src[p.pos+1]
	switch {
	case n == '(' && p.pos+2 < len(p.src) && p.src[p.pos+2] == '(':
		if ok, err := p.scanArith(w); ok || err != nil {
			return err
		}
		return p.scanCmdSubst(w)
	case n == '(':
		return p.scanCmdSubst(w)
	case n == '{':
		return p.scanBraceParam(w)
	case isShNameStart(n):
		end := p.pos + 1
		for end < len(p.src) && isShNameChar(p.src[end]) {
			end++
		}
		w.parts = append(w.parts, shPart{kind: partParam, text: p.src[p.pos+1 : end]})
		p.pos = end
	case n >= '0' && n <= '9' || strings.IndexByte("?$#@*!-", n) >= 0:
		w.parts = append(w.parts, shPart{kind: partParam, text: string(n)})
		p.pos += 2
	default:
		w.parts = append(w.parts, shPart{kind: partLit, text: "$", quoted: quoted})
		p.pos++
	}
	return nil
}

// scanArith reads $((expr)). It reports false (consuming nothing) when the
// parentheses do not close as "))", so the caller can read $( (cmd) ).
func (p *shParser) scanArith(w *shWord) (bool, error) {
	depth := 0
	for i := p.pos + 3; i < len(p.src); i++ {
		switch p.src[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
				continue
			}
			if i+1 < len(p.src) && p.src[i+1] == ')' {
				text := p.src[p.pos+3 : i]
				p.line += strings.Count(text, "\n")
				w.parts = append(w.parts, shPart{kind: partArith, text: text})
				p.pos = i + 2
				return true, nil
			}
			return false, nil
		}
	}
	return false, nil
}

// scanCmdSubst reads $(list) by parsing the list in place.
func (p *shParser) scanCmdSubst(w *shWord) error {
	p.pos += 2
	list, err := p.subList(func(t shTok) bool { return t.kind == tkOp && t.text == ")" }, `")"`)
	if err != nil {
		return err
	}
	w.parts = append(w.parts, shPart{kind: partCmd, cmd: list})
	return nil
}

// scanBackquote reads `list`: backslash escapes for $ ` and \ are removed
// and the rest is parsed as its own script.
func (p *shParser) scanBackquote(w *shWord) error {
	var body strings.Builder
	line := p.line
	for i := p.pos + 1; i < len(p.src); i++ {
		c := p.src[i]
		switch {
		case c == '`':
			sub := newShParser(body.String())
			sub.line, sub.depth = line, p.depth+1
			list, err := sub.program()
			if err != nil {
				return err
			}
			p.line += strings.Count(p.src[p.pos:i], "\n")
			p.pos = i + 1
			w.parts = append(w.parts, shPart{kind: partCmd, cmd: list})
			return nil
		case c == '\\' && i+1 < len(p.src) && strings.IndexByte("$`\\", p.src[i+1]) >= 0:
			body.WriteByte(p.src[i+1])
			i++
		default:
			body.WriteByte(c)
		}
	}
	return &shSyntaxError{line: line, msg: "EOF in backquote substitution"}
}

// braceParamOps lists the ${name OP word} operators, longest first.
var braceParamOps = []string{":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"}

// scanBraceParam reads ${...}.
func (p *shParser) scanBraceParam(w *shWord) error {
	p.pos += 2
	part := shPart{kind: partParam}
	if p.pos < len(p.src) && p.src[p.pos] == '#' && p.pos+1 < len(p.src) && p.src[p.pos+1] != '}' {
		part.op = "len"
		p.pos++
	}
	name, ok := p.scanParamName()
	if !ok {
		return p.badBrace()
	}
	part.text = name
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		w.parts = append(w.parts, part)
		return nil
	}
	if part.op == "len" {
		return p.badBrace()
	}
	for _, op := range braceParamOps {
		if strings.HasPrefix(p.src[p.pos:], op) {
			part.op = op
			p.pos += len(op)
			arg, err := p.scanBraceArg()
			if err != nil {
				return err
			}
			part.arg = arg
			w.parts = append(w.parts, part)
			return nil
		}
	}
	return p.badBrace()
}

// scanParamName reads a name, a positional number or a special parameter.
func (p *shParser) scanParamName() (string, bool) {
	if p.pos >= len(p.src) {
		return "", false
	}
	c := p.src[p.pos]
	end := p.pos + 1
	switch {
	case isShNameStart(c):
		for end < len(p.src) && isShNameChar(p.src[end]) {
			end++
		}
	case c >= '0' && c <= '9':
		for end < len(p.src) && p.src[end] >= '0' && p.src[end] <= '9' {
			end++
		}
	case strings.IndexByte("?$#@*!-", c) >= 0:
	default:
		return "", false
	}
	name := p.src[p.pos:end]
	p.pos = end
	return name, true
}

func (p *shParser) badBrace() error {
	if strings.IndexByte(p.src[p.pos:], '}') < 0 {
		return &shSyntaxError{line: p.line, msg: "Missing '}'"}
	}
	return &shSyntaxError{line: p.line, msg: "Bad substitution"}
}

// scanBraceArg reads the word after a ${name OP, up to the closing brace.
// Blanks are part of it; quotes and expansions work as in a word.
func (p *shParser) scanBraceArg() (*shWord, error) {
	w := &shWord{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, shPart{kind: partLit, text: lit.String()})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		var err error
		switch c {
		case '}':
			flush()
			p.pos++
			return w, nil
		case '\\':
			p.scanBackslash(w, &lit, flush, false)
		case '\'':
			flush()
			err = p.scanSingleQuoted(w)
		case '"':
			flush()
			err = p.scanDoubleQuoted(w)
		case '$', '`':
			flush()
			err = p.scanDollar(w, false)
		default:
			if c == '\n' {
				p.line++
			}
			lit.WriteByte(c)
			p.pos++
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, &shSyntaxError{line: p.line, msg: "Missing '}'"}
}
