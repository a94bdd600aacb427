package printers

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The parser of kubectl's jsonpath templates (client-go util/jsonpath
// parser.go): text outside {} is printed as it is; inside, an action is a
// sequence of steps (.field, [index], [start:end:step], [a,b] unions,
// ['key'], [?(filter)], .., *, quoted text, numbers, true/false, and the
// identifiers range and end). Error messages are upstream's.

// jpNode is one step of a parsed template.
type jpNode interface{ jpStep() }

// The steps of a template.
type (
	jpList      struct{ nodes []jpNode } // a sequence of steps; the template and each action is one
	jpText      struct{ text string }    // literal text
	jpField     struct{ name string }    // .name
	jpWildcard  struct{}                 // .* or [*]
	jpRecursive struct{}                 // ..
	jpInt       struct{ value int }      // a number literal
	jpFloat     struct{ value float64 }  // a decimal literal
	jpBool      struct{ value bool }     // true or false
	jpIdent     struct{ name string }    // range, end (anything else fails when run)
	jpUnion     struct{ lists []*jpList }
	jpArray     struct{ params [3]jpSliceParam } // [start:end:step]
	jpFilter    struct {
		left, right *jpList
		op          string // <, >, ==, !=, <=, >=, or "exists"
	}
)

func (*jpList) jpStep()      {}
func (*jpText) jpStep()      {}
func (*jpField) jpStep()     {}
func (*jpWildcard) jpStep()  {}
func (*jpRecursive) jpStep() {}
func (*jpInt) jpStep()       {}
func (*jpFloat) jpStep()     {}
func (*jpBool) jpStep()      {}
func (*jpIdent) jpStep()     {}
func (*jpUnion) jpStep()     {}
func (*jpArray) jpStep()     {}
func (*jpFilter) jpStep()    {}

// jpSliceParam is one of start, end and step of an index or slice.
type jpSliceParam struct {
	value int
	known bool
	// derived marks an end worked out from the start ([i] is [i:i+1]).
	derived bool
}

// jpEOF is what next returns at the end of the input.
const jpEOF rune = -1

var (
	errJPSyntax       = errors.New("invalid syntax")
	jpDictKey         = regexp.MustCompile(`^'([^']*)'$`)
	jpSliceOperator   = regexp.MustCompile(`^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$`)
	jpFilterOperation = regexp.MustCompile(`^([^!<>=]+)([!<>=]+)(.+?)$`)
)

// jpParser scans a template; start..pos is the text not yet consumed.
type jpParser struct {
	input             string
	pos, start, width int
}

// parseJSONPath parses a whole template.
func parseJSONPath(text string) (*jpList, error) {
	p := &jpParser{input: text}
	root := &jpList{}
	for p.scanText(root) {
		action := &jpList{}
		root.nodes = append(root.nodes, action)
		if err := p.parseAction(action); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// parseSubAction parses text as the inside of one action, as upstream's
// parseAction does for unions, ['keys'] and filter operands.
func parseSubAction(text string) (*jpList, error) {
	root, err := parseJSONPath("{" + text + "}")
	if err != nil {
		return nil, err
	}
	if len(root.nodes) == 0 {
		return &jpList{}, nil
	}
	action, ok := root.nodes[0].(*jpList)
	if !ok {
		return &jpList{}, nil
	}
	return action, nil
}

// next consumes and returns the next rune, or jpEOF.
func (p *jpParser) next() rune {
	if p.pos >= len(p.input) {
		p.width = 0
		return jpEOF
	}
	r, w := utf8.DecodeRuneInString(p.input[p.pos:])
	p.width = w
	p.pos += w
	return r
}

// peek returns the next rune without consuming it.
func (p *jpParser) peek() rune {
	r := p.next()
	p.backup()
	return r
}

// backup un-reads the rune next last returned.
func (p *jpParser) backup() { p.pos -= p.width }

// consume returns the text read since the last consume.
func (p *jpParser) consume() string {
	s := p.input[p.start:p.pos]
	p.start = p.pos
	return s
}

// scanText adds the literal text up to the next "{" to root and reports
// whether an action starts there (and has been entered).
func (p *jpParser) scanText(root *jpList) bool {
	for {
		if strings.HasPrefix(p.input[p.pos:], "{") {
			if p.pos > p.start {
				root.nodes = append(root.nodes, &jpText{text: p.consume()})
			}
			p.pos++
			p.consume()
			return true
		}
		if p.next() == jpEOF {
			break
		}
	}
	if p.pos > p.start {
		root.nodes = append(root.nodes, &jpText{text: p.consume()})
	}
	return false
}

// parseAction parses the steps of one action up to and including its "}".
func (p *jpParser) parseAction(cur *jpList) error {
	for {
		var err error
		rest := p.input[p.pos:]
		switch {
		case strings.HasPrefix(rest, "}"):
			p.pos++
			p.consume()
			return nil
		case strings.HasPrefix(rest, "[?("):
			err = p.parseFilter(cur)
		case strings.HasPrefix(rest, ".."):
			err = p.parseRecursive(cur)
		default:
			err = p.parseStep(cur)
		}
		if err != nil {
			return err
		}
	}
}

// parseStep parses one step that starts with an ordinary character.
func (p *jpParser) parseStep(cur *jpList) error {
	switch r := p.next(); {
	case r == jpEOF || isJPEndOfLine(r):
		return errors.New("unclosed action")
	case r == ' ' || r == '@' || r == '$': // spaces and the current object: skipped
		p.consume()
		return nil
	case r == '[':
		return p.parseArray(cur)
	case r == '"' || r == '\'':
		return p.parseQuote(cur, r)
	case r == '.':
		return p.parseField(cur)
	case r == '+' || r == '-' || unicode.IsDigit(r):
		p.backup()
		return p.parseNumber(cur)
	case isJPAlphaNumeric(r):
		p.backup()
		return p.parseIdentifier(cur)
	default:
		return fmt.Errorf("unrecognized character in action: %#U", r)
	}
}

// parseIdentifier scans a keyword (range, end) or a boolean.
func (p *jpParser) parseIdentifier(cur *jpList) error {
	for !isJPTerminator(p.next()) {
	}
	p.backup()
	value := p.consume()
	if value == "true" || value == "false" {
		cur.nodes = append(cur.nodes, &jpBool{value: value == "true"})
		return nil
	}
	cur.nodes = append(cur.nodes, &jpIdent{name: value})
	return nil
}

// parseRecursive scans "..", and the field name that may follow it.
func (p *jpParser) parseRecursive(cur *jpList) error {
	if n := len(cur.nodes); n > 0 {
		if _, ok := cur.nodes[n-1].(*jpRecursive); ok {
			return errors.New("invalid multiple recursive descent")
		}
	}
	p.pos += len("..")
	p.consume()
	cur.nodes = append(cur.nodes, &jpRecursive{})
	if isJPAlphaNumeric(p.peek()) {
		return p.parseField(cur)
	}
	return nil
}

// parseNumber scans an integer or decimal literal.
func (p *jpParser) parseNumber(cur *jpList) error {
	if r := p.peek(); r == '+' || r == '-' {
		p.next()
	}
	for {
		if r := p.next(); r != '.' && !unicode.IsDigit(r) {
			p.backup()
			break
		}
	}
	value := p.consume()
	if i, err := strconv.Atoi(value); err == nil {
		cur.nodes = append(cur.nodes, &jpInt{value: i})
		return nil
	}
	if f, err := strconv.ParseFloat(value, 64); err == nil {
		cur.nodes = append(cur.nodes, &jpFloat{value: f})
		return nil
	}
	return fmt.Errorf("cannot parse number %s", value)
}

// parseArray scans [...]: an index, a slice, a union or a ['key'].
func (p *jpParser) parseArray(cur *jpList) error {
	for done := false; !done; {
		switch p.next() {
		case jpEOF, '\n':
			return errors.New("unterminated array")
		case ']':
			done = true
		}
	}
	text := p.consume()
	if len(text) < 2 {
		return errors.New("unterminated array")
	}
	text = text[1 : len(text)-1]
	if text == "*" {
		text = ":"
	}
	if parts := strings.Split(text, ","); len(parts) > 1 {
		union := &jpUnion{}
		for _, part := range parts {
			list, err := parseSubAction("[" + strings.Trim(part, " ") + "]")
			if err != nil {
				return err
			}
			union.lists = append(union.lists, list)
		}
		cur.nodes = append(cur.nodes, union)
		return nil
	}
	if key := jpDictKey.FindStringSubmatch(text); key != nil {
		list, err := parseSubAction("." + key[1])
		if err != nil {
			return err
		}
		cur.nodes = append(cur.nodes, list.nodes...)
		return nil
	}
	return p.parseSlice(cur, text)
}

// parseSlice parses "i", "start:end" or "start:end:step".
func (p *jpParser) parseSlice(cur *jpList, text string) error {
	m := jpSliceOperator.FindStringSubmatch(text)
	if m == nil {
		return fmt.Errorf("invalid array index %s", text)
	}
	var params [3]jpSliceParam
	for i, s := range m[1:] {
		if s == "" {
			if i == 1 {
				params[1] = jpSliceParam{value: params[0].value + 1, known: true, derived: true}
			}
			continue
		}
		if i > 0 {
			s = s[1:]
			if s == "" {
				continue
			}
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("array index %s is not a number", s)
		}
		params[i] = jpSliceParam{value: v, known: true}
	}
	cur.nodes = append(cur.nodes, &jpArray{params: params})
	return nil
}

// parseFilter scans [?(left op right)] or [?(path)].
func (p *jpParser) parseFilter(cur *jpList) error {
	p.pos += len("[?(")
	p.consume()
	begin, end := false, false
	var pair rune
	for done := false; !done; {
		switch r := p.next(); r {
		case jpEOF, '\n':
			return errors.New("unterminated filter")
		case '"', '\'':
			if !begin {
				begin, pair = true, r
				continue
			}
			if p.input[p.pos-2] != '\\' && r == pair {
				end = true
			}
		case ')':
			done = begin == end
		}
	}
	if p.next() != ']' {
		return errors.New("unclosed array expect ]")
	}
	text := p.consume()
	text = text[:len(text)-2]
	return p.appendFilter(cur, text)
}

// appendFilter parses the inside of a filter into a filter step.
func (p *jpParser) appendFilter(cur *jpList, text string) error {
	m := jpFilterOperation.FindStringSubmatch(text)
	if m == nil {
		left, err := parseSubAction(text)
		if err != nil {
			return err
		}
		cur.nodes = append(cur.nodes, &jpFilter{left: left, right: &jpList{}, op: "exists"})
		return nil
	}
	left, err := parseSubAction(m[1])
	if err != nil {
		return err
	}
	right, err := parseSubAction(m[3])
	if err != nil {
		return err
	}
	cur.nodes = append(cur.nodes, &jpFilter{left: left, right: right, op: m[2]})
	return nil
}

// parseQuote scans a quoted string; a quote preceded by a backslash does
// not end it.
func (p *jpParser) parseQuote(cur *jpList, quote rune) error {
	for {
		r := p.next()
		if r == jpEOF || r == '\n' {
			return errors.New("unterminated quoted string")
		}
		if r == quote && p.input[p.pos-2] != '\\' {
			break
		}
	}
	value := p.consume()
	s, err := unquoteExtend(value)
	if err != nil {
		return fmt.Errorf("unquote string %s error %v", value, err)
	}
	cur.nodes = append(cur.nodes, &jpText{text: s})
	return nil
}

// parseField scans a field name up to the next unescaped terminator.
func (p *jpParser) parseField(cur *jpList) error {
	p.consume()
	for p.advance() {
	}
	value := p.consume()
	if value == "*" {
		cur.nodes = append(cur.nodes, &jpWildcard{})
		return nil
	}
	cur.nodes = append(cur.nodes, &jpField{name: strings.ReplaceAll(value, `\`, "")})
	return nil
}

// advance consumes one rune of a field name, or a backslash and the rune
// it escapes; it reports false at a terminator.
func (p *jpParser) advance() bool {
	r := p.next()
	if r == '\\' {
		p.next()
	} else if isJPTerminator(r) {
		p.backup()
		return false
	}
	return true
}

// isJPTerminator reports whether r ends a field name or keyword.
func isJPTerminator(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\n', jpEOF, '.', ',', '[', ']', '$', '@', '{', '}':
		return true
	}
	return false
}

// isJPEndOfLine reports whether r ends a line.
func isJPEndOfLine(r rune) bool { return r == '\r' || r == '\n' }

// isJPAlphaNumeric reports whether r is a letter, a digit or '_'.
func isJPAlphaNumeric(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// unquoteExtend is upstream's UnquoteExtend: strconv.Unquote that also
// accepts single quotes. Like upstream, an escaped code point below 256
// (such as \u00e9) becomes one byte, not its UTF-8 encoding.
func unquoteExtend(s string) (string, error) {
	n := len(s)
	if n < 2 || s[0] != s[n-1] || (s[0] != '"' && s[0] != '\'') {
		return "", errJPSyntax
	}
	quote := s[0]
	s = s[1 : n-1]
	if !strings.ContainsRune(s, '\\') && !strings.ContainsRune(s, rune(quote)) {
		return s, nil
	}
	buf := make([]byte, 0, 3*len(s)/2)
	for len(s) > 0 {
		c, multibyte, rest, err := strconv.UnquoteChar(s, quote)
		if err != nil {
			return "", err
		}
		s = rest
		if c < utf8.RuneSelf || !multibyte {
			buf = append(buf, byte(c))
		} else {
			buf = utf8.AppendRune(buf, c)
		}
	}
	return string(buf), nil
}
