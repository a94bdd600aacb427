package objects

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertTreeEncoding checks marshalJSONTree against encoding/json for tree:
// the same bytes, or an error both times.
func assertTreeEncoding(t *testing.T, tree any) {
	t.Helper()
	want, wantErr := json.Marshal(tree)
	got, err := marshalJSONTree(tree)
	if wantErr != nil {
		assert.Error(t, err, "%#v", tree)
		return
	}
	require.NoError(t, err, "%#v", tree)
	assert.Equal(t, string(want), string(got), "%#v", tree)
}

// Trees encode as encoding/json encodes them: every ASCII byte, invalid
// UTF-8, U+2028 and U+2029, keys sorted by their bytes and escaped, nil and
// empty maps and lists, numbers valid and not, and values of other types
// (left to encoding/json).
func TestMarshalJSONTreeMatchesEncodingJSON(t *testing.T) {
	var ascii strings.Builder
	for b := range 128 {
		ascii.WriteByte(byte(b))
	}
	strs := []string{"", ascii.String(), "bad \xff\xfe utf8 \xe2\x82", "\u2028\u2029 é ü 日本 \U0001F600", "<a href=\"x\">&amp;</a>"}
	for _, s := range strs {
		assertTreeEncoding(t, s)
		assertTreeEncoding(t, map[string]any{s: s, "k": []any{s}})
	}
	for _, n := range []string{"", "0", "-0", "1", "-12.5e+3", "1E-7", "0.1", "01", "1.", ".5", "1e", "1e+", "-", "+1", "0x10", "NaN", "1_000"} {
		assertTreeEncoding(t, json.Number(n))
		assertTreeEncoding(t, []any{"a", json.Number(n)})
	}
	assertTreeEncoding(t, nil)
	assertTreeEncoding(t, map[string]any(nil))
	assertTreeEncoding(t, []any(nil))
	assertTreeEncoding(t, map[string]any{"b": map[string]any{}, "a": []any{}, "B": nil, "é": true, "a\x00": false, "": map[string]any(nil)})
	many := map[string]any{}
	for i := range 3 * objectKeysOnStack {
		many[strings.Repeat("k", i)] = json.Number("1")
	}
	assertTreeEncoding(t, many)
	assertTreeEncoding(t, map[string]any{"float": 1.5, "int": 3})
	assertTreeEncoding(t, map[string]any{"bad": []any{1.0, "x"}})
}

// FuzzMarshalJSONTree checks marshalJSONTree against encoding/json on the
// trees of arbitrary JSON, and on strings and numbers as given.
func FuzzMarshalJSONTree(f *testing.F) {
	f.Add([]byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"<p>"},"spec":{"x":[1,-2.5e3,true,null,"\u2028"]}}`), "a\xffb")
	f.Add([]byte(`[{"":{}},[],"\ud800"]`), "1e5")
	f.Fuzz(func(t *testing.T, data []byte, s string) {
		var tree any
		if unmarshalJSONTree(data, &tree) == nil {
			assertTreeEncoding(t, tree)
		}
		assertTreeEncoding(t, map[string]any{s: s, "n": json.Number(s)})
	})
}

// FuzzYAMLToTree checks yamlToTree against the conversion it short-cuts:
// yamlToJSON's bytes or error, and the tree unmarshalJSONTree reads from
// them. Seeds: every manifest of the repository's scenarios and examples,
// and YAML's corners (numbers of every kind, yes/no, timestamps, binary,
// keys that are not strings, empty collections, merges, anchors, invalid
// UTF-8).
func FuzzYAMLToTree(f *testing.F) {
	for _, file := range repositoryManifests(f) {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		for _, chunk := range strings.Split(string(data), "\n---") {
			f.Add([]byte(chunk))
		}
	}
	for _, s := range []string{
		"a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1_000\nf: 9223372036854775807\ng: 18446744073709551615\nh: -9223372036854775809\n",
		"a: 1.5\nb: -0.0\nc: 1e21\nd: 1e-7\ne: .inf\n", "a: .nan\n", "a: 1e400\n", "[0.000001, 123456789012345678901234.5, 3.0]",
		"a: yes\nb: no\nc: on\nd: ~\ne: null\nf: true\n", "t: 2024-05-01T10:00:00Z\nu: !!timestamp 2024-05-01\n",
		"b: !!binary aGVsbG8=\nc: !!binary /w==\n", "1: a\n2.5: b\ntrue: c\n~: d\n", "? [a]\n: b\n",
		"a: []\nb: {}\nc:\n", "base: &b {x: 1, y: [1, 2]}\nderived:\n  <<: *b\n  y: 3\nref: *b\n", "\"\\xff\": \"\\xff\"\n",
		"k: \"\\u2028<&>\\t\"\n", "- a\n- [b, {c: d}]\n", "plain", "", "# only a comment\n", "a: b: c\n", "a:\n\t- b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		want, wantErr := yamlToJSON(text)
		got, tree, err := yamlToTree(text)
		if wantErr != nil {
			require.Error(t, err)
			assert.Equal(t, wantErr.Error(), err.Error())
			return
		}
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		if tree != nil {
			var wantTree any
			require.NoError(t, unmarshalJSONTree(want, &wantTree))
			require.Equal(t, wantTree, tree)
		}
	})
}
