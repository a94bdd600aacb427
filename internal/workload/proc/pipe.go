package proc

import (
	"strings"
	"time"
)

// Pipe is a pipe into a thread of a process: from another thread (a
// shell's pipeline) or from outside the process (the caller typing into an
// interactive session between two RunUntil calls). The writers never
// block (a pipe that holds more than MaxStringBytes unread drops the rest,
// a simplification of a writer blocked forever); the reader waits for
// data, or for the last writer to close it.
type Pipe struct {
	buf     []byte
	off     int
	writers int
	closed  time.Duration // when the last writer closed it
	reader  *Thread       // the thread waiting to read, if any
}

// NewPipe returns a pipe with that many writers, each of which closes it
// once.
func NewPipe(writers int) *Pipe { return &Pipe{writers: writers} }

// Write adds s at offset at, waking a waiting reader. The caller counts
// the work (Proc.AddWork) if it is a thread of the process.
func (p *Pipe) Write(at time.Duration, s string) {
	if room := MaxStringBytes - (len(p.buf) - p.off); len(s) > room {
		s = s[:max(room, 0)]
	}
	if p.off > 0 && p.off == len(p.buf) {
		p.buf, p.off = p.buf[:0], 0
	}
	p.buf = append(p.buf, s...)
	p.wakeReader(at)
}

// Close ends one writer at offset at; once the last has closed, the
// reader sees the end of its input.
func (p *Pipe) Close(at time.Duration) {
	if p.writers == 0 {
		return
	}
	p.writers--
	if p.writers == 0 {
		p.closed = at
		p.wakeReader(at)
	}
}

// Closed reports whether every writer has closed the pipe.
func (p *Pipe) Closed() bool { return p.writers == 0 }

// Waiting reports whether a thread is blocked reading the pipe: a
// terminal's process waits for the user to type.
func (p *Pipe) Waiting() bool { return p.reader != nil && p.reader.state == threadWaiting }

// Unread reports whether the pipe holds data nobody has read yet.
func (p *Pipe) Unread() bool { return p.off < len(p.buf) }

func (p *Pipe) wakeReader(at time.Duration) {
	if r := p.reader; r != nil && r.state == threadWaiting {
		p.reader = nil
		r.proc.wakeAt(r, at)
	}
}

// await blocks t until the pipe has data or is closed.
func (p *Pipe) await(t *Thread, now time.Duration) (time.Duration, error) {
	p.reader = t
	return t.Await(now)
}

// ReadAll waits, on thread t whose clock is now, for the last writer to
// close the pipe, and returns the rest of the data and t's clock then.
func (p *Pipe) ReadAll(t *Thread, now time.Duration) (string, time.Duration, error) {
	for p.writers > 0 {
		var err error
		if now, err = p.await(t, now); err != nil {
			return "", now, err
		}
	}
	now = max(now, p.closed)
	s := string(p.buf[p.off:])
	p.off = len(p.buf)
	return s, now, nil
}

// ReadLine waits, on thread t whose clock is now, for a whole line or the
// end of the input, and returns the line (without its newline), whether
// there was one, and t's clock then.
func (p *Pipe) ReadLine(t *Thread, now time.Duration) (string, bool, time.Duration, error) {
	for p.writers > 0 && !strings.Contains(string(p.buf[p.off:]), "\n") {
		var err error
		if now, err = p.await(t, now); err != nil {
			return "", false, now, err
		}
	}
	if p.writers == 0 {
		now = max(now, p.closed)
	}
	line, ok := CutLine(string(p.buf), &p.off)
	return line, ok, now, nil
}

// CutLine takes the next line of data from *off: a whole line, or the
// unterminated rest.
func CutLine(data string, off *int) (string, bool) {
	rest := data[*off:]
	if rest == "" {
		return "", false
	}
	line, _, found := strings.Cut(rest, "\n")
	*off += len(line)
	if found {
		*off++
	}
	return line, true
}
