package printers

import (
	"io"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// TableStream prints a table whose rows come in over time, as kubectl get
// --watch prints them: one tab writer that remembers its column widths
// across flushes (cli-runtime's RememberWidths), so later rows line up
// with earlier ones unless a cell is wider; the header before the first
// row printed, never again; nothing at all for a print without rows.
type TableStream struct {
	tw      *tableWriter
	opts    Options
	printed bool
}

// NewTableStream returns a stream printing into w with opts.
func NewTableStream(w io.Writer, opts Options) *TableStream {
	return &TableStream{tw: newTableWriter(w), opts: opts}
}

// Print prints objs as rows of the stream's table, their ages as at now
// (kubectl prints each event as it comes).
func (s *TableStream) Print(objs []objects.Object, now time.Time) error {
	s.opts.Now = now
	groups, err := groupByKind(objs)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := printRows(s.tw, g, s.opts, !s.opts.NoHeaders && !s.printed); err != nil {
			return err
		}
		s.printed = true
	}
	return nil
}
