package e2e_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/scenario"
)

// explainGolden is kubesim's own kubectl explain's golden file.
const explainGolden = "../testdata/kubectl-explain.txt"

// explainNotCompared marks the golden's lines the real kubectl here does
// not print as the golden says: flags newer than kubectl 1.32 (--max-depth,
// -R: 1.37; the golden holds what 1.37's template prints), and the kept
// differences the golden explains (-o plaintext-openapiv2; the resources
// the cluster answers without storing).
var explainNotCompared = []string{"--max-depth", " -R", "plaintext-openapiv2", "explain tokenreviews"}

// TestExplainGoldenAgreesWithKubectl replays the kubectl lines of kubesim's
// own kubectl explain golden file with the real kubectl against kubesim
// serve: both read internal/openapi's schemas, so each must print the
// golden's bytes, but for the lines of explainNotCompared.
func TestExplainGoldenAgreesWithKubectl(t *testing.T) {
	kubectl := kubectlPath(t)
	src, err := os.ReadFile(explainGolden)
	if err != nil {
		t.Fatal(err)
	}
	script, err := scenario.Parse(explainGolden, string(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Dir(explainGolden))
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, kubectl, dir)
	compared := 0
	for _, cmd := range script.Commands {
		if !strings.HasPrefix(cmd.Text, "kubectl explain") || slices.ContainsFunc(explainNotCompared, func(w string) bool {
			return strings.Contains(cmd.Text, w)
		}) {
			continue
		}
		c, out := s.kubectlCommand(cmd)
		runWithTimeout(t, c, cmd.Text)
		want := ""
		if cmd.Expected != nil {
			want = *cmd.Expected
		}
		if got := out.String(); got != want {
			t.Errorf("%s:%d: %s\n--- kubesim's kubectl (golden)\n%s--- real kubectl against kubesim serve\n%s", explainGolden, cmd.Line, cmd.Text, want, got)
		}
		compared++
	}
	if compared < 10 {
		t.Fatalf("only %d explain lines compared", compared)
	}
}
