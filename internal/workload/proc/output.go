package proc

import (
	"strings"
	"time"
)

// Print writes s to the process's stdout or stderr at offset now: each
// piece becomes a Line, a piece without its newline a partial one. Output
// past MaxOutputBytes is dropped (Result.OutputTruncated).
func (p *Proc) Print(now time.Duration, stream Stream, s string) {
	p.work += int64(len(s))
	for s != "" {
		if p.outBytes+len(s) > MaxOutputBytes {
			p.truncated = true
			return
		}
		text, rest, full := strings.Cut(s, "\n")
		p.outBytes += len(text) + 1
		p.lines = append(p.lines, Line{Offset: now, Stream: stream, Text: text, Partial: !full})
		s = rest
	}
}
