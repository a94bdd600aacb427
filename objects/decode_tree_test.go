package objects

import (
	"encoding/json"
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
