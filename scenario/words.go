package scenario

import (
	"fmt"
	"strings"
)

// Split breaks a command line into words as a POSIX shell would for the
// simple commands scenarios hold: blanks separate words, single quotes keep
// everything literal, double quotes keep blanks (a backslash escapes `"`,
// `\` and `$` inside them), and a backslash outside quotes escapes the next
// character. Variables are not expanded.
func Split(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case isBlank(c):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j, err := doubleQuoted(line, i+1, &cur)
			if err != nil {
				return nil, err
			}
			i = j
			inWord = true
		case c == '\\' && i+1 < len(line):
			cur.WriteByte(line[i+1])
			i++
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// doubleQuoted copies a double-quoted string starting at i into cur and
// returns the index of its closing quote.
func doubleQuoted(line string, i int, cur *strings.Builder) (int, error) {
	for ; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			return i, nil
		case c == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0:
			cur.WriteByte(line[i+1])
			i++
		default:
			cur.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("unterminated quote in %q", line)
}

// isBlank reports whether c separates words.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
