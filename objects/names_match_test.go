package objects

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// The hand-written matchers accept exactly what apimachinery's
// util/validation accepts: a reference model over every string of up to
// four characters of a mixed alphabet, plus long and prefixed ones.
func TestNameMatchersAgreeWithUpstream(t *testing.T) {
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
	long := strings.Repeat("a", 63)
	words = append(words, "kube-root-ca.crt", "job-name", "batch.kubernetes.io/job-name", "a..b", "-a", "a-", "é",
		long, long+"b", long+"."+long+"."+long+"."+long, long+"."+long+"."+long+"."+long+"x",
		long+"/a", "example.com/"+long, "example.com/"+long+"b", "a/b/c", "/a", "a/", "A.b/c")
	valid := func(errs []string) bool { return len(errs) == 0 }
	for _, w := range words {
		if got, want := len(w) <= DNS1123LabelMaxLength && isDNS1123LabelText(w), valid(validation.IsDNS1123Label(w)); got != want {
			t.Errorf("dns1123 label %q: %v, upstream %v", w, got, want)
		}
		if got, want := len(w) <= DNS1123SubdomainMaxLength && isDNS1123SubdomainText(w), valid(validation.IsDNS1123Subdomain(w)); got != want {
			t.Errorf("dns1123 subdomain %q: %v, upstream %v", w, got, want)
		}
		if got, want := isQualifiedNameText(w), valid(validation.IsQualifiedName(w)); got != want {
			t.Errorf("label key %q: %v, upstream %v", w, got, want)
		}
		if got, want := valid(IsValidLabelValue(w)), valid(validation.IsValidLabelValue(w)); got != want {
			t.Errorf("label value %q: %v, upstream %v", w, got, want)
		}
	}
	if len(words) < 10000 {
		t.Fatalf("only %d words", len(words))
	}
}

// A value the matchers refuse gets upstream's whole list of errors: a label
// value both too long and malformed has two.
func TestLabelValueErrorsAreUpstreams(t *testing.T) {
	bad := strings.Repeat("a", 63) + "-"
	got := IsValidLabelValue(bad)
	if len(got) != 2 || got[0] != "must be no more than 63 bytes" ||
		!strings.HasPrefix(got[1], "a valid label must be an empty string or consist of alphanumeric characters") {
		t.Fatalf("IsValidLabelValue(%q) = %q", bad, got)
	}
}
