package objects

import (
	"testing"
)

// The hand-written matchers accept exactly what upstream's regular
// expressions accept: a reference model over generated strings.
func TestNameMatchersAgreeWithRegexps(t *testing.T) {
	alphabet := []byte("aZ09-_.A/ ")
	var words []string
	var gen func(prefix []byte, n int)
	gen = func(prefix []byte, n int) {
		words = append(words, string(prefix))
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(append(prefix, c), n-1)
		}
	}
	gen(nil, 4)
	words = append(words, "kube-root-ca.crt", "job-name", "batch.kubernetes.io/job-name", "a..b", "-a", "a-", "é")
	for _, w := range words {
		if got, want := isDNS1123LabelText(w), dns1123LabelRegexp.MatchString(w); got != want {
			t.Errorf("dns1123 label %q: %v, regexp %v", w, got, want)
		}
		if got, want := isDNS1123SubdomainText(w), dns1123SubdomainRegexp.MatchString(w); got != want {
			t.Errorf("dns1123 subdomain %q: %v, regexp %v", w, got, want)
		}
		if got, want := isLabelKeyText(w), labelKeyRegexp.MatchString(w); got != want {
			t.Errorf("label key %q: %v, regexp %v", w, got, want)
		}
		if got, want := w == "" || isLabelKeyText(w), labelValueRegexp.MatchString(w); got != want {
			t.Errorf("label value %q: %v, regexp %v", w, got, want)
		}
	}
	if len(words) < 10000 {
		t.Fatalf("only %d words", len(words))
	}
}
