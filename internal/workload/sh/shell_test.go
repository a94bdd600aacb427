package sh

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true}, {"*", "a/b", true}, {"a*", "abc", true}, {"a*c", "abxc", true},
		{"a*c", "abcd", false}, {"?b", "ab", true}, {"?b", "b", false},
		{"[abc]x", "bx", true}, {"[!abc]x", "bx", false}, {"[a-z]1", "q1", true},
		{"[]]", "]", true}, {`\*`, "*", true}, {`\*`, "a", false}, {"[a", "[a", true},
		{"*.txt", "x.txt", true}, {"*.txt", "x.txt.gz", false}, {"a*b*c*d", "aXbYcZd", true},
		{"**p", "xxp", true}, {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, globMatch(tc.pat, tc.s), "%q ~ %q", tc.pat, tc.s)
	}
}

func TestArithmetic(t *testing.T) {
	sh := newShell(&shRun{}, nil, shDialect{name: "sh", kind: "busybox"})
	sh.setVar("x", "5")
	// In order: x+=1 changes x for the cases after it.
	cases := []struct {
		expr string
		want int64
	}{
		{"1+2*3", 7}, {"(1+2)*3", 9}, {"x*2", 10}, {"x+=1", 6}, {"x", 6}, {"7/2", 3}, {"-7%3", -1},
		{"1<<70", 64}, {"1<<-1", -9223372036854775808}, {"5>3 && 2>1", 1}, {"0 || 0", 0}, {"!0", 1},
		{"~0", -1}, {"x > 5 ? 1 : 2", 1}, {"3 == 3", 1}, {"3 != 3", 0}, {"0x1f", 31}, {"010", 8},
		{"1 ? 2 : 1/0", 2}, {"-9223372036854775807-1", -9223372036854775808},
		{"(-9223372036854775807-1)/-1", -9223372036854775808},
	}
	for _, tc := range cases {
		a := &arith{sh: sh, src: tc.expr}
		got, err := a.eval()
		assert.Empty(t, err, tc.expr)
		assert.Equal(t, tc.want, got, tc.expr)
	}
	for _, bad := range []string{"1/0", "2**3", "(1", "1 +", "x ? 1", "abc$"} {
		a := &arith{sh: sh, src: bad}
		_, err := a.eval()
		assert.NotEmpty(t, err, bad)
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := map[string]string{
		"while true; do echo":    `end of file unexpected (expecting "done")`,
		"if true; then echo":     `end of file unexpected (expecting "fi")`,
		"(echo":                  `end of file unexpected (expecting ")")`,
		"echo )":                 `")" unexpected`,
		";":                      `";" unexpected`,
		"echo a;;":               `";;" unexpected`,
		"| echo":                 `"|" unexpected`,
		"echo a &&":              `end of file unexpected`,
		"for 1 in a; do :; done": "Bad for loop variable",
		"echo ${x":               "Missing '}'",
		"echo $(echo":            `end of file unexpected (expecting ")")`,
		"{ }":                    `"}" unexpected`,
	}
	for src, want := range cases {
		_, err := newShParser(src).program()
		if assert.Error(t, err, src) {
			assert.Equal(t, "Syntax error: "+want, err.Error(), src)
		}
	}
}

func TestNestingLimit(t *testing.T) {
	src := ""
	for range 1000 {
		src += "("
	}
	_, err := newShParser(src).program()
	assert.Error(t, err)
}
