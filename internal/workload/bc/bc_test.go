package bc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBCGoldens runs every testdata/bc/NAME.bc program and compares stdout
// and stderr with what GNU bc 1.07.1 printed for it (see regen.sh).
func TestBCGoldens(t *testing.T) {
	files, err := filepath.Glob("testdata/bc/*.bc")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".bc")
		t.Run(name, func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(name, "pi10000") {
				t.Skip("slow golden")
			}
			src := readFile(t, f)
			wantOut := readFile(t, strings.TrimSuffix(f, ".bc")+".golden")
			wantErr := readFile(t, strings.TrimSuffix(f, ".bc")+".stderr")
			got := Run(src, Config{MathLib: true, LineLen: DefaultLineLength, OutLimit: 1 << 22})
			assert.Equal(t, wantOut, got.Stdout)
			assert.Equal(t, wantErr, got.Stderr)
		})
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}
