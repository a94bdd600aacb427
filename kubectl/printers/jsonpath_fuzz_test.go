package printers

import (
	"io"
	"testing"
)

// FuzzJSONPath checks that no template, however malformed, makes the
// parser or the evaluator panic.
func FuzzJSONPath(f *testing.F) {
	for _, seed := range []string{
		`{.items[*].metadata.name}`,
		`{range .items[*]}{.metadata.name}{"\n"}{end}`,
		`{.status.conditions[?(@.type=="Ready")].status}`,
		`{..image}`, `{.a[-1:]}`, `{.a[0:9223372036854775807:2]}`, `{.a[-9223372036854775808]}`,
		`{`, `{[`, `{[?(`, `{..}`, `{...a}`, `{"\`, `{'\'}`, `{"\u00e9"}`,
		`{range}{end}{end}`, `{end}{range .a}`, `{[?(@.a=="b\")]}`, `{['a}']}`, `{[a,,b]}`,
		`{[?()]}`, `{[?(@)]}`, "{\xff}", `{.a\}`, `{@.a.*.b}`, `{+}`, `{1.2.3}`,
	} {
		f.Add(seed)
	}
	tree := map[string]any{
		"a":     []any{int64(1), 2.5, "s", nil, true, map[string]any{"b": []any{}}},
		"items": []any{map[string]any{"metadata": map[string]any{"name": "x"}, "status": map[string]any{"phase": "Running"}}},
		"m":     map[string]any{"k": "v", "n": nil},
	}
	f.Fuzz(func(t *testing.T, template string) {
		j, err := parseTemplate(template)
		if err != nil {
			return
		}
		_ = executeTemplate(j, io.Discard, tree)
	})
}
