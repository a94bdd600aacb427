package scenario

import (
	"fmt"
	"strings"
)

// Command is one command of a scenario, with where it came from.
type Command struct {
	// Line is the 1-based line the command starts on.
	Line int
	// Text is the command as written, continuation lines joined.
	Text string
	// Raw is the command's lines as written (continuations and its
	// here-document included), each ending in a newline: what a terminal's
	// user types.
	Raw string
	// Stdin is the body of a heredoc (`<<EOF` ... `EOF`), with its final
	// newline, or "" when the command has none.
	Stdin string
	// HasHeredoc tells an empty heredoc from none.
	HasHeredoc bool
	// Expected is the output a test file says the command prints; nil
	// when the file gives none.
	Expected *string
	// BodyEnd is the last line of the command itself (with its heredoc),
	// before any expected output.
	BodyEnd int
	// EndLine is the last line the command and its expected output use.
	EndLine int
}

// Script is a parsed scenario file.
type Script struct {
	Name     string
	Commands []Command
	// Lines are the file's lines, for rewriting it.
	Lines []string
}

// SyntaxError is a scenario file the parser cannot read.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Separator introduces a command's expected output.
const Separator = "----"

// Parse reads a scenario file. name is used in error messages.
func Parse(name string, src string) (*Script, error) {
	p := &parser{file: name, lines: strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")}
	s := &Script{Name: name, Lines: p.lines}
	for {
		cmd, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return s, nil
		}
		s.Commands = append(s.Commands, cmd)
	}
}

type parser struct {
	file  string
	lines []string
	pos   int // index of the next unread line
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &SyntaxError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// next reads the next command, skipping blank lines and comments.
func (p *parser) next() (Command, bool, error) {
	for p.pos < len(p.lines) {
		trimmed := strings.TrimSpace(p.lines[p.pos])
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			p.pos++
			continue
		}
		if trimmed == Separator {
			return Command{}, false, p.errorf(p.pos+1, "expected output (----) with no command before it")
		}
		cmd, err := p.command()
		return cmd, err == nil, err
	}
	return Command{}, false, nil
}

// command reads a command line with its continuations, heredoc and
// expected output.
func (p *parser) command() (Command, error) {
	cmd := Command{Line: p.pos + 1}
	var parts []string
	for {
		if p.pos >= len(p.lines) {
			return cmd, p.errorf(cmd.Line, "line continues past the end of the file")
		}
		line := strings.TrimRight(p.lines[p.pos], " \t")
		p.pos++
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			parts = append(parts, strings.TrimSpace(cont))
			continue
		}
		parts = append(parts, strings.TrimSpace(line))
		break
	}
	cmd.Text = strings.Join(parts, " ")
	if err := p.heredoc(&cmd); err != nil {
		return cmd, err
	}
	cmd.BodyEnd = p.pos
	cmd.Raw = strings.Join(p.lines[cmd.Line-1:cmd.BodyEnd], "\n") + "\n"
	if err := p.expected(&cmd); err != nil {
		return cmd, err
	}
	cmd.EndLine = p.pos
	return cmd, nil
}

// heredoc reads the body of a `<<WORD` redirection.
func (p *parser) heredoc(cmd *Command) error {
	i := strings.Index(cmd.Text, "<<")
	if i < 0 || inQuotes(cmd.Text, i) {
		return nil
	}
	word := strings.TrimSpace(cmd.Text[i+2:])
	word = strings.TrimPrefix(word, "-")
	word = strings.Trim(word, `'"`)
	if word == "" || strings.ContainsAny(word, " \t") {
		return p.errorf(cmd.Line, "heredoc needs one delimiter word after <<")
	}
	cmd.Text = strings.TrimSpace(cmd.Text[:i])
	cmd.HasHeredoc = true
	var body strings.Builder
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		p.pos++
		if strings.TrimSpace(line) == word {
			cmd.Stdin = body.String()
			return nil
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	return p.errorf(cmd.Line, "heredoc is not closed by a line %q", word)
}

// expected reads the `----` block after a command, if there is one.
func (p *parser) expected(cmd *Command) error {
	if p.pos >= len(p.lines) || strings.TrimSpace(p.lines[p.pos]) != Separator {
		return nil
	}
	p.pos++
	fenced := p.pos < len(p.lines) && strings.TrimSpace(p.lines[p.pos]) == Separator
	var out []string
	if fenced {
		p.pos++
		for {
			if p.pos+1 >= len(p.lines) {
				return p.errorf(cmd.Line, "expected output opened with ----/---- is not closed by ----/----")
			}
			if p.lines[p.pos] == Separator && p.lines[p.pos+1] == Separator {
				p.pos += 2
				break
			}
			out = append(out, p.lines[p.pos])
			p.pos++
		}
	} else {
		for p.pos < len(p.lines) && p.lines[p.pos] != "" {
			out = append(out, p.lines[p.pos])
			p.pos++
		}
	}
	text := strings.Join(out, "\n")
	if len(out) > 0 {
		text += "\n"
	}
	cmd.Expected = &text
	return nil
}

// inQuotes reports whether byte i of s lies inside single or double quotes.
func inQuotes(s string, i int) bool {
	var quote byte
	for j := 0; j < i; j++ {
		switch c := s[j]; {
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		}
	}
	return quote != 0
}
