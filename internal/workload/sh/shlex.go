package sh

import (
	"strings"
)

// shSyntaxError is a parse error, reported like dash: "Syntax error: MSG".
type shSyntaxError struct {
	line int
	msg  string
}

// Error implements error.
func (e *shSyntaxError) Error() string { return "Syntax error: " + e.msg }

// shTokKind classifies shell tokens.
type shTokKind int

const (
	tkEOF shTokKind = iota
	tkNewline
	tkWord
	tkOp
)

// shTok is one token; for a redirection operator fd is the explicit file
// descriptor written before it, or -1.
type shTok struct {
	kind shTokKind
	text string // operator text, or a word's source text
	word *shWord
	fd   int
	line int
}

// maxShNesting bounds parser recursion so that hostile input such as a
// thousand "(" fails cleanly instead of exhausting the stack.
const maxShNesting = 200

var shOperators = []string{"&&", "||", ";;", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", ";", "&", "|", "(", ")", "<", ">"}

func isShMeta(c byte) bool {
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')':
		return true
	}
	return false
}

func isShNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isShNameChar(c byte) bool { return isShNameStart(c) || c >= '0' && c <= '9' }

func isShName(s string) bool {
	if s == "" || !isShNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isShNameChar(s[i]) {
			return false
		}
	}
	return true
}

// scanToken reads the next token at p.pos.
func (p *shParser) scanToken() (shTok, error) {
	p.skipBlanks()
	if p.pos >= len(p.src) {
		return shTok{kind: tkEOF, line: p.line}, nil
	}
	c := p.src[p.pos]
	if c == '\n' {
		line := p.line
		p.pos++
		p.line++
		if err := p.readHeredocs(); err != nil {
			return shTok{}, err
		}
		return shTok{kind: tkNewline, text: "newline", line: line}, nil
	}
	if tok, ok := p.scanOperator(); ok {
		return tok, nil
	}
	start, line := p.pos, p.line
	w, err := p.scanWord(false)
	if err != nil {
		return shTok{}, err
	}
	return shTok{kind: tkWord, text: p.src[start:p.pos], word: w, line: line}, nil
}

// skipBlanks skips spaces, tabs, line continuations and comments.
func (p *shParser) skipBlanks() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
			p.pos += 2
			p.line++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// scanOperator reads an operator, with an IO number such as the 2 in 2>&1.
func (p *shParser) scanOperator() (shTok, bool) {
	fd, at := -1, p.pos
	for at < len(p.src) && p.src[at] >= '0' && p.src[at] <= '9' && at-p.pos < 3 {
		at++
	}
	if at > p.pos && at < len(p.src) && (p.src[at] == '<' || p.src[at] == '>') {
		fd = 0
		for _, d := range p.src[p.pos:at] {
			fd = fd*10 + int(d-'0')
		}
	} else {
		at = p.pos
	}
	for _, op := range shOperators {
		if strings.HasPrefix(p.src[at:], op) {
			if fd >= 0 && op[0] != '<' && op[0] != '>' {
				break
			}
			p.pos = at + len(op)
			return shTok{kind: tkOp, text: op, fd: fd, line: p.line}, true
		}
	}
	return shTok{}, false
}

// scanWord reads one word. In heredoc mode it reads to the end of input,
// treating quotes as ordinary characters, as a here-document body does.
func (p *shParser) scanWord(heredoc bool) (*shWord, error) {
	w := &shWord{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, shPart{kind: partLit, text: lit.String(), quoted: heredoc})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !heredoc && isShMeta(c) {
			break
		}
		switch {
		case c == '\\':
			p.scanBackslash(w, &lit, flush, heredoc)
		case c == '\'' && !heredoc:
			flush()
			if err := p.scanSingleQuoted(w); err != nil {
				return nil, err
			}
		case c == '"' && !heredoc:
			flush()
			if err := p.scanDoubleQuoted(w); err != nil {
				return nil, err
			}
		case c == '$' || c == '`':
			flush()
			if err := p.scanDollar(w, heredoc); err != nil {
				return nil, err
			}
		default:
			if c == '\n' {
				p.line++
			}
			lit.WriteByte(c)
			p.pos++
		}
	}
	flush()
	return w, nil
}

// scanBackslash handles a backslash outside double quotes: it quotes the
// next character, and with a newline it is a line continuation. In a
// here-document only \$ \` \\ and \newline are special.
func (p *shParser) scanBackslash(w *shWord, lit *strings.Builder, flush func(), heredoc bool) {
	p.pos++
	if p.pos >= len(p.src) {
		lit.WriteByte('\\')
		return
	}
	c := p.src[p.pos]
	p.pos++
	switch {
	case c == '\n':
		p.line++
	case heredoc && !strings.ContainsRune("$`\\", rune(c)):
		lit.WriteByte('\\')
		lit.WriteByte(c)
	default:
		flush()
		w.parts = append(w.parts, shPart{kind: partLit, text: string(c), quoted: true})
	}
}

func (p *shParser) scanSingleQuoted(w *shWord) error {
	end := strings.IndexByte(p.src[p.pos+1:], '\'')
	if end < 0 {
		return &shSyntaxError{line: p.line, msg: "Unterminated quoted string"}
	}
	text := p.src[p.pos+1 : p.pos+1+end]
	p.line += strings.Count(text, "\n")
	w.parts = append(w.parts, shPart{kind: partLit, text: text, quoted: true})
	p.pos += end + 2
	return nil
}

// scanDoubleQuoted reads "...": expansions stay live, and a backslash
// quotes only $ ` " \ and newline.
func (p *shParser) scanDoubleQuoted(w *shWord) error {
	startLine := p.line
	p.pos++
	var lit strings.Builder
	// An empty "" still makes a (quoted, empty) word.
	w.parts = append(w.parts, shPart{kind: partLit, quoted: true})
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, shPart{kind: partLit, text: lit.String(), quoted: true})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			flush()
			p.pos++
			return nil
		case c == '\\' && p.pos+1 < len(p.src) && strings.IndexByte("$`\"\\\n", p.src[p.pos+1]) >= 0:
			if p.src[p.pos+1] == '\n' {
				p.line++
			} else {
				lit.WriteByte(p.src[p.pos+1])
			}
			p.pos += 2
		case c == '$' || c == '`':
			flush()
			n := len(w.parts)
			if err := p.scanDollar(w, true); err != nil {
				return err
			}
			for i := n; i < len(w.parts); i++ {
				w.parts[i].quoted = true
			}
		default:
			if c == '\n' {
				p.line++
			}
			lit.WriteByte(c)
			p.pos++
		}
	}
	return &shSyntaxError{line: startLine, msg: "Unterminated quoted string"}
}
