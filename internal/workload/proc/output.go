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

// TakeOutput returns what the process printed since it last gave its
// output away, and forgets it: a long-lived process (a terminal's shell)
// is read as it goes, and its budget of MaxOutputBytes starts afresh.
func (p *Proc) TakeOutput() []Line {
	out := p.lines
	p.lines, p.outBytes = nil, 0
	return out
}

// SetPrompt records the prompt an interactive program shows while it
// waits for input ("[root@k8s-master ~]# ", "mysql> ").
func (p *Proc) SetPrompt(s string) { p.prompt = s }

// Prompt is the prompt the process showed last.
func (p *Proc) Prompt() string { return p.prompt }
