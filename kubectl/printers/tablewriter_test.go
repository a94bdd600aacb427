package printers

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// For tables (every line with the same number of cells, so one block per
// column) flushed once, the table writer must align exactly as
// text/tabwriter does with kubectl's settings: the fork kubectl uses
// differs from it only in remembering widths across blocks and flushes.
func TestTableWriterMatchesTextTabwriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "a", "NAME", "pi-rq5rl", "CrashLoopBackOff", "é", "3 (10s ago)", "<none>"}
	for n := 0; n < 500; n++ {
		var lines []string
		width := rng.IntN(5) + 2
		for l := rng.IntN(6) + 1; l > 0; l-- {
			cells := make([]string, width)
			for i := range cells {
				cells[i] = words[rng.IntN(len(words))]
			}
			lines = append(lines, strings.Join(cells, "\t"))
		}
		var want bytes.Buffer
		ref := tabwriter.NewWriter(&want, tableMinWidth, 4, tablePadding, ' ', 0)
		for _, l := range lines {
			_, _ = ref.Write([]byte(l + "\n"))
		}
		require.NoError(t, ref.Flush())

		var got bytes.Buffer
		tw := newTableWriter(&got)
		for _, l := range lines {
			tw.line(l)
		}
		require.NoError(t, tw.flush())
		require.Equal(t, want.String(), got.String(), "lines %q", lines)
	}
}

// After a flush, a column keeps its width even if later rows are
// narrower, and widens for later rows that need it, while rows already
// written keep theirs (liggitt/tabwriter RememberWidths).
func TestTableWriterRemembersWidths(t *testing.T) {
	var b bytes.Buffer
	tw := newTableWriter(&b)
	tw.line("NAME\tAGE")
	tw.line("a-long-name\t1s")
	require.NoError(t, tw.flush())
	tw.line("b\t2s")
	tw.line("an-even-longer-name\t3s")
	require.NoError(t, tw.flush())
	assert.Equal(t, ""+
		"NAME          AGE\n"+
		"a-long-name   1s\n"+
		"b                     2s\n"+
		"an-even-longer-name   3s\n", b.String())
}

// Within one flush too, a column split into blocks by a shorter line keeps
// the width of its earlier block, where text/tabwriter would narrow it.
func TestTableWriterRemembersWidthsAcrossBlocks(t *testing.T) {
	var b bytes.Buffer
	tw := newTableWriter(&b)
	tw.line("a\tbbbbbbbbbb\tc")
	tw.line("d\te")
	tw.line("f\tg\th")
	require.NoError(t, tw.flush())
	assert.Equal(t, ""+
		"a     bbbbbbbbbb   c\n"+
		"d     e\n"+
		"f     g            h\n", b.String())
}

// A table longer than 100 rows is flushed every 100 rows: a wider name
// after row 100 widens only the rows after the flush.
func TestPrintTableFlushesEvery100Rows(t *testing.T) {
	var objs []objects.Object
	for i := 0; i < 101; i++ {
		objs = append(objs, &objects.Namespace{ObjectMeta: meta("", "ns", 0), Status: objects.NamespaceStatus{Phase: "Active"}})
	}
	objs = append(objs, &objects.Namespace{ObjectMeta: meta("", "a-much-longer-name", 0), Status: objects.NamespaceStatus{Phase: "Active"}})
	lines := strings.Split(table(t, Options{Now: now}, objs...), "\n")
	assert.Equal(t, "NAME   STATUS   AGE", lines[0])
	assert.Equal(t, "ns     Active   4m", lines[100]) // the 100th row, before the flush
	assert.Equal(t, "ns                   Active   4m", lines[101])
	assert.Equal(t, "a-much-longer-name   Active   4m", lines[102])
}
