package bc

import (
	"fmt"
)

// bcTokKind classifies bc tokens.
type bcTokKind int

const (
	bcEOF bcTokKind = iota
	bcNewline
	bcNumber
	bcName
	bcString
	bcOp // operators and punctuation, text in tok.text
	bcBad
)

// bcTok is one token. line is the input line the token ends on; for a
// newline it is the following line, which is what bc reports when a syntax
// error is found at the end of a line.
type bcTok struct {
	kind bcTokKind
	text string
	line int
}

// bcLexer splits bc source into tokens.
type bcLexer struct {
	src  string
	pos  int
	line int
}

// bcOps lists multi-character operators first so the longest match wins.
var bcOps = []string{
	"++", "--", "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||",
	"+", "-", "*", "/", "%", "^", "=", "<", ">", "!", "(", ")", "[", "]", "{", "}", ",", ";",
}

func isBCDigit(c byte) bool  { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }
func isBCLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// next returns the next token.
func (l *bcLexer) next() bcTok {
	if tok, skipped := l.skipSpace(); !skipped {
		return tok
	}
	if l.pos >= len(l.src) {
		return bcTok{kind: bcEOF, line: l.line}
	}
	c := l.src[l.pos]
	switch {
	case c == '\n':
		l.pos++
		l.line++
		return bcTok{kind: bcNewline, text: "\n", line: l.line}
	case isBCDigit(c) || c == '.':
		return l.number()
	case isBCLetter(c):
		start := l.pos
		for l.pos < len(l.src) && (isBCLetter(l.src[l.pos]) || l.src[l.pos] >= '0' && l.src[l.pos] <= '9' || l.src[l.pos] == '_') {
			l.pos++
		}
		return bcTok{kind: bcName, text: l.src[start:l.pos], line: l.line}
	case c == '"':
		return l.str()
	}
	for _, op := range bcOps {
		if len(l.src)-l.pos >= len(op) && l.src[l.pos:l.pos+len(op)] == op {
			l.pos += len(op)
			return bcTok{kind: bcOp, text: op, line: l.line}
		}
	}
	l.pos++
	return bcTok{kind: bcBad, text: fmt.Sprintf("illegal character: %c", c), line: l.line}
}

// skipSpace skips blanks, line continuations and comments. It returns
// skipped=false with a bad token for an unterminated comment.
func (l *bcLexer) skipSpace() (bcTok, bool) {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '\\' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '\n':
			l.pos += 2
			l.line++
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			if !l.comment() {
				return bcTok{kind: bcBad, text: "EOF encountered in a comment.", line: l.line}, false
			}
		default:
			return bcTok{}, true
		}
	}
	return bcTok{}, true
}

func (l *bcLexer) comment() bool {
	l.pos += 2
	for l.pos+1 < len(l.src) {
		if l.src[l.pos] == '*' && l.src[l.pos+1] == '/' {
			l.pos += 2
			return true
		}
		if l.src[l.pos] == '\n' {
			l.line++
		}
		l.pos++
	}
	l.pos = len(l.src)
	return false
}

// number scans [digits][.digits]; a lone "." is bc's name for last.
func (l *bcLexer) number() bcTok {
	start := l.pos
	for l.pos < len(l.src) && isBCDigit(l.src[l.pos]) {
		l.pos++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		for l.pos < len(l.src) && isBCDigit(l.src[l.pos]) {
			l.pos++
		}
	}
	text := l.src[start:l.pos]
	if text == "." {
		return bcTok{kind: bcName, text: "last", line: l.line}
	}
	return bcTok{kind: bcNumber, text: text, line: l.line}
}

func (l *bcLexer) str() bcTok {
	start := l.pos + 1
	line := l.line
	for i := start; i < len(l.src); i++ {
		if l.src[i] == '"' {
			l.pos = i + 1
			return bcTok{kind: bcString, text: l.src[start:i], line: l.line}
		}
		if l.src[i] == '\n' {
			l.line++
		}
	}
	// Like bc's scanner, an unmatched quote is one illegal character.
	l.pos = start
	l.line = line
	return bcTok{kind: bcBad, text: `illegal character: "`, line: line}
}
