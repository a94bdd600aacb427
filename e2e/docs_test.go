package e2e_test

import (
	"os"
	"strings"
	"testing"
)

// readmeMarker precedes, in the README, the Go block that quotes
// readme_test.go whole.
const readmeMarker = "<!-- e2e/readme_test.go -->\n```go\n"

// TestReadmeQuotesItsExample keeps the README's "Test your controller"
// example runnable as written: its Go block is readme_test.go, which this
// module compiles and runs.
func TestReadmeQuotesItsExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), readmeMarker)
	if !ok {
		t.Fatalf("README.md has no %q", readmeMarker)
	}
	block, _, ok = strings.Cut(block, "```\n")
	if !ok {
		t.Fatal("README.md's example block does not end")
	}
	if block != string(file) {
		t.Errorf("README.md's example differs from e2e/readme_test.go: copy the file into the README")
	}
}
