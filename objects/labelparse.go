package objects

import (
	"fmt"
	"strings"
)

// SelectorParseError is a label selector string that ParseSelector rejected.
// Its message is upstream's (labels.Parse), e.g.
// "found 'b', expected: in, notin, =, ==, !=, gt, lt".
//
// +kubebuilder:object:generate=false
type SelectorParseError struct {
	Msg   string
	inner error
}

// Error returns the upstream message.
func (e *SelectorParseError) Error() string { return e.Msg }

// Unwrap returns the field errors behind a rejected requirement, if any.
func (e *SelectorParseError) Unwrap() error { return e.inner }

// ParseSelector parses kubectl -l syntax: comma-separated requirements
// "a=b", "a==b", "a!=b", "a in (x,y)", "a notin (x)", "a", "!a", "a>1", "a<1".
// An empty string is Everything. Requirements are sorted by key, as upstream
// sorts them, and duplicate values in a set are dropped.
func ParseSelector(s string) (Selector, error) {
	p := &selectorParser{items: lexSelector(s)}
	reqs, err := p.parse()
	if err != nil {
		return nil, err
	}
	return reqs.sorted(), nil
}

// selectorToken is a lexical token of selector syntax.
type selectorToken int

const (
	tokError selectorToken = iota
	tokEnd
	tokClosePar
	tokComma
	tokNot
	tokDoubleEquals
	tokEquals
	tokGreater
	tokIdentifier
	tokIn
	tokLess
	tokNotEquals
	tokNotIn
	tokOpenPar
)

// selectorKeywords maps operator and keyword spellings to tokens.
var selectorKeywords = map[string]selectorToken{
	")": tokClosePar, ",": tokComma, "!": tokNot, "==": tokDoubleEquals, "=": tokEquals,
	">": tokGreater, "in": tokIn, "<": tokLess, "!=": tokNotEquals, "notin": tokNotIn, "(": tokOpenPar,
}

// lexItem is a token and its text.
type lexItem struct {
	tok selectorToken
	lit string
}

// lexSelector splits s into tokens, ending with tokEnd (or stopping at the first
// tokError, which the parser reports).
func lexSelector(s string) []lexItem {
	var items []lexItem
	pos := 0
	for {
		for pos < len(s) && isSelectorSpace(s[pos]) {
			pos++
		}
		if pos == len(s) {
			return append(items, lexItem{tok: tokEnd})
		}
		var it lexItem
		if isSelectorSymbol(s[pos]) {
			it, pos = lexSymbol(s, pos)
		} else {
			it, pos = lexWord(s, pos)
		}
		items = append(items, it)
		if it.tok == tokError {
			return append(items, lexItem{tok: tokEnd})
		}
	}
}

// isSelectorSpace reports the whitespace upstream's lexer skips.
func isSelectorSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isSelectorSymbol reports characters that start an operator.
func isSelectorSymbol(c byte) bool { return strings.IndexByte("=!(),><", c) >= 0 }

// lexWord reads an identifier or keyword ("in", "notin").
func lexWord(s string, pos int) (lexItem, int) {
	start := pos
	for pos < len(s) && !isSelectorSymbol(s[pos]) && !isSelectorSpace(s[pos]) {
		pos++
	}
	w := s[start:pos]
	if tok, ok := selectorKeywords[w]; ok {
		return lexItem{tok, w}, pos
	}
	return lexItem{tokIdentifier, w}, pos
}

// lexSymbol reads the longest operator made of symbol characters, as
// upstream's scanSpecialSymbol does.
func lexSymbol(s string, pos int) (lexItem, int) {
	var last lexItem
	start, end := pos, pos
	for end < len(s) && isSelectorSymbol(s[end]) {
		if tok, ok := selectorKeywords[s[start:end+1]]; ok {
			last = lexItem{tok, s[start : end+1]}
		} else if last.tok != tokError {
			break
		}
		end++
	}
	if last.tok == tokError {
		return lexItem{tokError, fmt.Sprintf("error expected: keyword found '%s'", s[start:end])}, end
	}
	return last, start + len(last.lit)
}

// selectorParser walks the tokens, as upstream's recursive-descent parser does.
type selectorParser struct {
	items []lexItem
	pos   int
}

// peek returns the next token without consuming it. In value position "in"
// and "notin" are ordinary identifiers ("a in (in)").
func (p *selectorParser) peek(values bool) (selectorToken, string) {
	it := p.items[p.pos]
	return valueToken(it.tok, values), it.lit
}

// next consumes and returns the next token.
func (p *selectorParser) next(values bool) (selectorToken, string) {
	tok, lit := p.peek(values)
	if p.pos < len(p.items)-1 {
		p.pos++
	}
	return tok, lit
}

// valueToken demotes keywords to identifiers in value position.
func valueToken(tok selectorToken, values bool) selectorToken {
	if values && (tok == tokIn || tok == tokNotIn) {
		return tokIdentifier
	}
	return tok
}

// parse reads requirements separated by commas up to the end.
func (p *selectorParser) parse() (requirementSelector, error) {
	var reqs requirementSelector
	for {
		tok, lit := p.peek(true)
		switch tok {
		case tokEnd:
			return reqs, nil
		case tokIdentifier, tokNot:
		default:
			return nil, parseErr("found '%s', expected: !, identifier, or 'end of string'", lit)
		}
		r, err := p.parseRequirement()
		if err != nil {
			return nil, &SelectorParseError{Msg: "unable to parse requirement: " + err.Error(), inner: err}
		}
		reqs = append(reqs, r)
		switch t, l := p.next(true); t {
		case tokEnd:
			return reqs, nil
		case tokComma:
			if t2, l2 := p.peek(true); t2 != tokIdentifier && t2 != tokNot {
				return nil, parseErr("found '%s', expected: identifier after ','", l2)
			}
		default:
			return nil, parseErr("found '%s', expected: ',' or 'end of string'", l)
		}
	}
}

// parseErr builds a SelectorParseError.
func parseErr(format string, args ...any) error {
	return &SelectorParseError{Msg: fmt.Sprintf(format, args...)}
}

// parseRequirement reads one requirement: [!]key [op values].
func (p *selectorParser) parseRequirement() (requirement, error) {
	key, op, err := p.parseKey()
	if err != nil {
		return requirement{}, err
	}
	if op == selectExists || op == selectDoesNotExist {
		return checked(newRequirement(key, op, []string{}))
	}
	if op, err = p.parseOperator(); err != nil {
		return requirement{}, err
	}
	var values []string
	if op == selectIn || op == selectNotIn {
		values, err = p.parseValueSet()
	} else {
		values, err = p.parseExactValue()
	}
	if err != nil {
		return requirement{}, err
	}
	return checked(newRequirement(key, op, values))
}

// checked turns newRequirement's error list into an error.
func checked(r requirement, errs ErrorList) (requirement, error) {
	if len(errs) > 0 {
		return requirement{}, errs
	}
	return r, nil
}

// parseKey reads "!key" or "key", inferring exists/does-not-exist when no
// operator follows. A bad key is reported with upstream's "<nil>" path.
func (p *selectorParser) parseKey() (string, string, error) {
	op := ""
	tok, lit := p.next(true)
	if tok == tokNot {
		op = selectDoesNotExist
		tok, lit = p.next(true)
	}
	if tok != tokIdentifier {
		return "", "", fmt.Errorf("found '%s', expected: identifier", lit)
	}
	if msgs := IsQualifiedName(lit); len(msgs) > 0 {
		return "", "", InvalidError("<nil>", lit, strings.Join(msgs, "; "))
	}
	if t, _ := p.peek(true); (t == tokEnd || t == tokComma) && op == "" {
		op = selectExists
	}
	return lit, op, nil
}

// parseOperator reads a binary operator.
func (p *selectorParser) parseOperator() (string, error) {
	ops := map[selectorToken]string{tokIn: selectIn, tokEquals: selectEquals, tokDoubleEquals: selectDoubleEquals,
		tokGreater: selectGreaterThan, tokLess: selectLessThan, tokNotIn: selectNotIn, tokNotEquals: selectNotEquals}
	tok, lit := p.next(false)
	if op, ok := ops[tok]; ok {
		return op, nil
	}
	return "", fmt.Errorf("found '%s', expected: %s", lit, strings.Join(binarySelectorOperators, ", "))
}

// parseValueSet reads "(a,b,c)"; "()" is the set holding the empty string.
func (p *selectorParser) parseValueSet() ([]string, error) {
	if tok, lit := p.next(true); tok != tokOpenPar {
		return nil, fmt.Errorf("found '%s' expected: '('", lit)
	}
	tok, lit := p.peek(true)
	switch tok {
	case tokIdentifier, tokComma:
		set, err := p.parseIdentifiers()
		if err != nil {
			return nil, err
		}
		if t, _ := p.next(true); t != tokClosePar {
			return nil, fmt.Errorf("found '%s', expected: ')'", lit)
		}
		return set, nil
	case tokClosePar:
		p.next(true)
		return []string{""}, nil
	}
	return nil, fmt.Errorf("found '%s', expected: ',', ')' or identifier", lit)
}

// parseIdentifiers reads a comma-separated list in which empty entries stand
// for the empty string, returning the distinct values sorted.
func (p *selectorParser) parseIdentifiers() ([]string, error) {
	set := map[string]bool{}
	for {
		tok, lit := p.next(true)
		switch tok {
		case tokIdentifier:
			set[lit] = true
			switch t2, l2 := p.peek(true); t2 {
			case tokComma:
				continue
			case tokClosePar:
				return sortedKeys(set), nil
			default:
				return nil, fmt.Errorf("found '%s', expected: ',' or ')'", l2)
			}
		case tokComma:
			if len(set) == 0 {
				set[""] = true // "(,"
			}
			if t2, _ := p.peek(true); t2 == tokClosePar || t2 == tokComma {
				set[""] = true // ",)" or ",,"
				if t2 == tokClosePar {
					return sortedKeys(set), nil
				}
			}
		default:
			return nil, fmt.Errorf("found '%s', expected: ',', or identifier", lit)
		}
	}
}

// parseExactValue reads the single value after =, ==, !=, > or <; nothing
// before a comma or the end is the empty value.
func (p *selectorParser) parseExactValue() ([]string, error) {
	if tok, _ := p.peek(true); tok == tokEnd || tok == tokComma {
		return []string{""}, nil
	}
	tok, lit := p.next(true)
	if tok == tokIdentifier {
		return []string{lit}, nil
	}
	return nil, fmt.Errorf("found '%s', expected: identifier", lit)
}
