package scenario

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubesim/kubesim/sim"
)

// Replay runs every command of s in order and writes a transcript to w:
// each command after a "$ " prompt (heredoc lines after "> "), then its
// output. A kubectl error is output and the replay goes on; a command the
// runner cannot carry out stops it with a *CommandError.
func Replay(r *Runner, s *Script, w io.Writer) error {
	for _, cmd := range s.Commands {
		fmt.Fprint(w, echoWith(r.EchoPrompt(cmd), cmd))
		out, err := r.Exec(s.Name, cmd)
		if err != nil {
			return err
		}
		fmt.Fprint(w, out)
	}
	return nil
}

// Echo prints a command as Replay's transcript shows it typed (a recorder
// that replays commands itself prints the same transcript with it).
func Echo(cmd Command) string { return echo(cmd) }

// echo prints a command as a terminal shows it typed after "$ ".
func echo(cmd Command) string { return echoWith("$ ", cmd) }

// echoWith prints a command as a terminal shows it typed after prompt:
// its lines as written (a here-document's delimiter as quoted, a line's
// own prompt included), every line after the first after bash's "> ".
func echoWith(prompt string, cmd Command) string {
	if cmd.Raw == "" || !strings.Contains(strings.TrimSuffix(cmd.Raw, "\n"), "\n") {
		return echoText(prompt, cmd)
	}
	lines := strings.Split(strings.TrimSuffix(cmd.Raw, "\n"), "\n")
	var b strings.Builder
	b.WriteString(prompt + lines[0] + "\n")
	for _, l := range lines[1:] {
		b.WriteString("> " + l + "\n")
	}
	return b.String()
}

// echoText prints a command built without its lines as written (Raw):
// its text, and a here-document after "> " between <<EOF and EOF.
func echoText(prompt string, cmd Command) string {
	var b strings.Builder
	b.WriteString(prompt + cmd.Text)
	if cmd.HasHeredoc {
		b.WriteString(" <<EOF\n")
		for _, l := range strings.SplitAfter(cmd.Stdin, "\n") {
			if l != "" {
				b.WriteString("> " + l)
			}
		}
		b.WriteString("> EOF")
	}
	b.WriteString("\n")
	return b.String()
}

// Diff is a command whose output differs from what its test file expects.
type Diff struct {
	File    string
	Line    int
	Command string
	Want    string
	Got     string
}

func (d Diff) String() string {
	return fmt.Sprintf("%s:%d: %s: output differs\n--- expected\n%s--- actual\n%s", d.File, d.Line, d.Command, d.Want, d.Got)
}

// Check runs a test file's commands and compares each output with the
// expected one (none given means none expected). It returns the
// differences and the file as it would read with the actual outputs, for
// --rewrite.
func Check(r *Runner, s *Script) ([]Diff, string, error) {
	var diffs []Diff
	var rewritten strings.Builder
	next := 0 // index into s.Lines of the first line not yet copied
	for _, cmd := range s.Commands {
		got, err := r.Exec(s.Name, cmd)
		if err != nil {
			return diffs, "", err
		}
		want := ""
		if cmd.Expected != nil {
			want = *cmd.Expected
		}
		if got != want {
			diffs = append(diffs, Diff{File: s.Name, Line: cmd.Line, Command: cmd.Text, Want: want, Got: got})
		}
		for _, l := range s.Lines[next:cmd.BodyEnd] {
			rewritten.WriteString(l + "\n")
		}
		next = cmd.EndLine
		followedByText := next < len(s.Lines) && strings.TrimSpace(s.Lines[next]) != ""
		rewritten.WriteString(expectedBlock(got, followedByText))
	}
	rest := s.Lines[next:]
	for i, l := range rest {
		if i == len(rest)-1 && l == "" {
			break // the file's final newline
		}
		rewritten.WriteString(l + "\n")
	}
	return diffs, rewritten.String(), nil
}

// expectedBlock formats an output as a test file holds it: nothing for no
// output, "----" and the lines otherwise, fenced with doubled "----" lines
// when the output has blank lines of its own. A plain block must be
// followed by a blank line when more text follows.
func expectedBlock(out string, followedByText bool) string {
	if out == "" {
		return ""
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") {
		return Separator + "\n" + Separator + "\n" + out + Separator + "\n" + Separator + "\n"
	}
	block := Separator + "\n" + out
	if followedByText {
		block += "\n"
	}
	return block
}

// CheckFile reads, parses and checks a test file on a fresh cluster built
// from cfg. Relative paths in its commands are read from the file's
// directory.
func CheckFile(file string, cfg sim.Config) ([]Diff, string, error) {
	return CheckFileWith(file, cfg, nil)
}

// CheckFileWith is CheckFile with a setup function that extends the
// runner first (kubesim test adds the property checker's `check`).
func CheckFileWith(file string, cfg sim.Config, setup func(*Runner)) ([]Diff, string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, "", err
	}
	script, err := Parse(file, string(src))
	if err != nil {
		return nil, "", err
	}
	runner, err := NewRunner(cfg, filepath.Dir(file))
	if err != nil {
		return nil, "", err
	}
	defer runner.Close()
	if setup != nil {
		setup(runner)
	}
	return Check(runner, script)
}
