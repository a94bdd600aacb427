package printers

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Settings of kubectl's table writer (cli-runtime pkg/printers/tabwriter.go,
// GetNewTabWriter): minwidth 6, tabwidth 4 (unused with a space pad char),
// padding 3, pad char ' ', and the RememberWidths flag of
// github.com/liggitt/tabwriter, the text/tabwriter fork kubectl uses.
const (
	tableMinWidth = 6
	tablePadding  = 3
	// tableFlushRows is how many rows cli-runtime's printTable writes
	// between flushes; with RememberWidths, columns after a flush are at
	// least as wide as before it but may grow.
	tableFlushRows = 100
)

// tableWriter aligns tab-separated cells into columns the way kubectl's
// tabwriter does (the elastic tabstops of text/tabwriter): a column's width
// is decided per block of consecutive lines that have a tab-terminated cell
// in it, the last cell of a line is never padded, and widths are remembered
// across flushes. Not safe for concurrent use.
type tableWriter struct {
	out        io.Writer
	lines      [][]string
	remembered []int
	err        error
}

// newTableWriter returns a writer that aligns lines into out.
func newTableWriter(out io.Writer) *tableWriter {
	return &tableWriter{out: out}
}

// line buffers one line (without its newline). A line with a single cell
// cannot affect the alignment of later lines, so, as text/tabwriter does,
// it flushes what is buffered.
func (t *tableWriter) line(s string) {
	cells := splitCells(s)
	t.lines = append(t.lines, cells)
	if len(cells) == 1 {
		t.flush()
	}
}

// splitCells cuts a line at its tabs; text/tabwriter treats '\v' as a cell
// terminator too.
func splitCells(s string) []string {
	cells := []string{}
	for {
		i := strings.IndexAny(s, "\t\v")
		if i < 0 {
			return append(cells, s)
		}
		cells = append(cells, s[:i])
		s = s[i+1:]
	}
}

// flush writes the buffered lines and returns the first write error seen.
func (t *tableWriter) flush() error {
	t.layout(0, len(t.lines), nil)
	t.lines = t.lines[:0]
	return t.err
}

// layout writes lines [lo, hi) given the widths of the columns to the left
// of column len(widths), finding each block of lines with a terminated
// cell in that column and laying it out recursively.
func (t *tableWriter) layout(lo, hi int, widths []int) {
	col := len(widths)
	written := lo
	for i := lo; i < hi; {
		if len(t.lines[i])-1 <= col {
			i++
			continue
		}
		t.emit(written, i, widths)
		end, width := i, tableMinWidth
		for ; end < hi && len(t.lines[end])-1 > col; end++ {
			width = max(width, utf8.RuneCountInString(t.lines[end][col])+tablePadding)
		}
		width = t.remember(widths, width)
		inner := append(append(make([]int, 0, col+1), widths...), width)
		t.layout(i, end, inner)
		written, i = end, end
	}
	t.emit(written, hi, widths)
}

// remember applies RememberWidths: a column never gets narrower than it
// was in an earlier block or flush, and a wider block widens it for later.
func (t *tableWriter) remember(widths []int, width int) int {
	col := len(widths)
	if len(t.remembered) < col {
		t.remembered = append(t.remembered, widths[len(t.remembered):]...)
	}
	switch {
	case len(t.remembered) == col:
		t.remembered = append(t.remembered, width)
	case t.remembered[col] > width:
		width = t.remembered[col]
	case t.remembered[col] < width:
		t.remembered[col] = width
	}
	return width
}

// emit writes lines [lo, hi), padding each cell that has a known width.
func (t *tableWriter) emit(lo, hi int, widths []int) {
	var b strings.Builder
	for _, cells := range t.lines[lo:hi] {
		for j, c := range cells {
			b.WriteString(c)
			if j < len(widths) {
				b.WriteString(strings.Repeat(" ", max(0, widths[j]-utf8.RuneCountInString(c))))
			}
		}
		b.WriteByte('\n')
	}
	if t.err == nil && b.Len() > 0 {
		_, t.err = io.WriteString(t.out, b.String())
	}
}
