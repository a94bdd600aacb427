package record

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// maxLine bounds one line of a trace file (a command's output chunk, a
// long field).
const maxLine = 64 << 20

// SyntaxError is a trace file the parser cannot read.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("trace line %d: %s", e.Line, e.Msg) }

// Parse reads a trace written by Trace.Format.
func Parse(r io.Reader) (*Trace, error) {
	p := &parser{sc: bufio.NewScanner(r)}
	p.sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	t := &Trace{}
	if err := p.header(t); err != nil {
		return nil, err
	}
	for p.next() {
		if err := p.line(t); err != nil {
			return nil, err
		}
	}
	if err := p.sc.Err(); err != nil {
		return nil, &SyntaxError{Line: p.n, Msg: err.Error()}
	}
	return t, nil
}

// parser reads a trace a line at a time; indented lines belong to the
// line before them.
type parser struct {
	sc      *bufio.Scanner
	n       int
	cur     string
	pending bool // cur was read but not used yet
}

func (p *parser) next() bool {
	if p.pending {
		p.pending = false
		return true
	}
	if !p.sc.Scan() {
		return false
	}
	p.n++
	p.cur = p.sc.Text()
	return true
}

// nested reads the indented lines after the current one.
func (p *parser) nested() []string {
	var out []string
	for p.next() {
		if !strings.HasPrefix(p.cur, "\t") {
			p.pending = true
			break
		}
		out = append(out, p.cur[1:])
	}
	return out
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Line: max(p.n, 1), Msg: fmt.Sprintf(format, args...)}
}

// chunks reads indented quoted lines back into text.
func (p *parser) chunks() (string, error) {
	var b strings.Builder
	for _, l := range p.nested() {
		s, err := strconv.Unquote(l)
		if err != nil {
			return "", p.errorf("bad quoted text %q", l)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// header reads the lines before the first entry.
func (p *parser) header(t *Trace) error {
	if !p.next() || p.cur != fmt.Sprintf("%s %d", magic, Version) {
		return p.errorf("not a kubesim trace (want a first line %q)", fmt.Sprintf("%s %d", magic, Version))
	}
	for p.next() {
		words, err := splitWords(p.cur)
		if err != nil || len(words) == 0 {
			return p.errorf("cannot read %q", p.cur)
		}
		switch words[0] {
		case "config":
			if err := p.config(t, words[1:]); err != nil {
				return err
			}
		case "mutant":
			if len(words) != 2 {
				return p.errorf("usage: mutant NAME")
			}
			t.Mutant = words[1]
		case "scenario":
			if len(words) != 2 {
				return p.errorf("usage: scenario NAME")
			}
			t.Scenario = words[1]
			if t.Source, err = p.chunks(); err != nil {
				return err
			}
		case "file":
			if len(words) != 2 {
				return p.errorf("usage: file NAME")
			}
			data, err := p.chunks()
			if err != nil {
				return err
			}
			t.Files = append(t.Files, File{Name: words[1], Data: data})
		default:
			p.pending = true
			return nil
		}
	}
	return nil
}

func (p *parser) config(t *Trace, args []string) error {
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "seed":
			seed, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return p.errorf("config: bad seed %q", v)
			}
			t.Seed = seed
		case "start":
			start, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return p.errorf("config: bad start %q", v)
			}
			t.Start = start
		default:
			return p.errorf("config: unknown setting %q", k)
		}
	}
	return nil
}

// line reads one entry.
func (p *parser) line(t *Trace) error {
	words, err := splitWords(p.cur)
	if err != nil || len(words) == 0 {
		return p.errorf("cannot read %q", p.cur)
	}
	e := Entry{}
	switch words[0] {
	case "cluster":
		err = p.cluster(&e, words)
	case "cmd":
		err = p.command(&e, words)
	case "change":
		err = p.change(&e, words)
	case "out":
		e.Kind = KindOutput
		e.Text, err = p.chunks()
	case "error":
		if len(words) != 2 {
			return p.errorf("usage: error TEXT")
		}
		e.Kind, e.Text = KindError, words[1]
	case "end":
		if len(words) != 2 {
			return p.errorf("usage: end TIME")
		}
		e.Kind = KindEnd
		e.At, err = ParseAt(words[1])
	default:
		return p.errorf("unknown entry %q", words[0])
	}
	if err != nil {
		return p.errorf("%v", err)
	}
	t.Entries = append(t.Entries, e)
	return nil
}

func (p *parser) cluster(e *Entry, words []string) error {
	if len(words) != 3 || !strings.HasPrefix(words[2], "start=") {
		return fmt.Errorf("usage: cluster TIME start=RFC3339")
	}
	var err error
	e.Kind = KindCluster
	if e.At, err = ParseAt(words[1]); err != nil {
		return err
	}
	e.Start, err = time.Parse(time.RFC3339Nano, strings.TrimPrefix(words[2], "start="))
	return err
}

func (p *parser) command(e *Entry, words []string) error {
	if len(words) != 5 || !strings.HasPrefix(words[3], "line=") {
		return fmt.Errorf("usage: cmd N TIME line=N TEXT")
	}
	var err error
	e.Kind = KindCommand
	if e.Index, err = strconv.Atoi(words[1]); err != nil {
		return err
	}
	if e.At, err = ParseAt(words[2]); err != nil {
		return err
	}
	if e.Line, err = strconv.Atoi(strings.TrimPrefix(words[3], "line=")); err != nil {
		return err
	}
	e.Text = words[4]
	return nil
}

func (p *parser) change(e *Entry, words []string) error {
	if len(words) != 7 || !strings.HasPrefix(words[6], "rv=") {
		return fmt.Errorf("usage: change TIME ACTOR VERB KIND [NAMESPACE/]NAME rv=N")
	}
	var err error
	e.Kind = KindChange
	if e.At, err = ParseAt(words[1]); err != nil {
		return err
	}
	e.Actor, e.Verb = words[2], words[3]
	e.Key = parseKey(words[4], words[5])
	if e.RV, err = strconv.ParseInt(strings.TrimPrefix(words[6], "rv="), 10, 64); err != nil {
		return err
	}
	for _, l := range p.nested() {
		path, value, ok := cutField(l)
		if !ok {
			return fmt.Errorf("cannot read field %q", l)
		}
		if value == "(removed)" {
			e.Fields = append(e.Fields, Field{Path: path, Removed: true})
		} else {
			e.Fields = append(e.Fields, Field{Path: path, Value: value})
		}
	}
	return nil
}

// parseKey reads `Kind namespace/name` or `Kind name`: names have no
// slashes.
func parseKey(kind, name string) objects.Key {
	if ns, n, ok := strings.Cut(name, "/"); ok {
		return objects.Key{Kind: kind, Namespace: ns, Name: n}
	}
	return objects.Key{Kind: kind, Name: name}
}

// cutField splits `path: value` at the first ": " outside quotes.
func cutField(l string) (string, string, bool) {
	inQuote := false
	for i := 0; i < len(l); i++ {
		switch {
		case inQuote && l[i] == '\\':
			i++
		case l[i] == '"':
			inQuote = !inQuote
		case !inQuote && l[i] == ':' && i+1 < len(l) && l[i+1] == ' ':
			return l[:i], l[i+2:], true
		}
	}
	return "", "", false
}

// splitWords splits a line at blanks; a word starting with a double quote
// is a Go-quoted string (after `key=` too).
func splitWords(line string) ([]string, error) {
	var words []string
	for i := 0; i < len(line); {
		if line[i] == ' ' {
			i++
			continue
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '"' {
			i++
		}
		prefix := line[start:i]
		if i < len(line) && line[i] == '"' {
			q, err := strconv.QuotedPrefix(line[i:])
			if err != nil {
				return nil, err
			}
			s, _ := strconv.Unquote(q)
			words = append(words, prefix+s)
			i += len(q)
			continue
		}
		words = append(words, prefix)
	}
	return words, nil
}
