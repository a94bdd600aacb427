package workload

import (
	"fmt"
	"strings"
	"time"
)

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// shInput is a command's standard input: data that is all there from a
// virtual time on (a here-document, a file, the process's stdin), or the
// read end of a pipe whose writer is another thread.
type shInput struct {
	data  string
	off   int
	ready time.Duration
	pipe  *shPipe
}

// readAll waits for the end of the input and returns the rest of it.
func (in *shInput) readAll(sh *shell) (string, error) {
	if in.pipe != nil {
		return in.pipe.readAll(sh)
	}
	if err := in.wait(sh); err != nil {
		return "", err
	}
	s := in.data[in.off:]
	in.off = len(in.data)
	return s, nil
}

// readLine waits for the input's next line and returns it (without the
// newline) and whether there was one.
func (in *shInput) readLine(sh *shell) (string, bool, error) {
	if in.pipe != nil {
		return in.pipe.readLine(sh)
	}
	if err := in.wait(sh); err != nil {
		return "", false, err
	}
	line, ok := cutLine(in.data, &in.off)
	return line, ok, nil
}

// cutLine takes the next line of data from *off: a whole line, or the
// unterminated rest.
func cutLine(data string, off *int) (string, bool) {
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

func (in *shInput) wait(sh *shell) error {
	if in.ready > sh.now {
		return sh.sleep(in.ready - sh.now)
	}
	return nil
}

// shPipe is a pipe between two threads of a process. The writer never
// blocks (a pipe that holds more than MaxStringBytes unread drops the
// rest, a simplification of a writer blocked forever); the reader waits
// for data, or for the last writer to close it.
type shPipe struct {
	buf     []byte
	off     int
	writers int
	closed  time.Duration // when the last writer closed it
	reader  *thread       // the thread waiting to read, if any
}

// write adds s at the writer's time, waking a waiting reader.
func (p *shPipe) write(sh *shell, s string) {
	sh.run.work += int64(len(s))
	if room := MaxStringBytes - (len(p.buf) - p.off); len(s) > room {
		s = s[:max(room, 0)]
	}
	if p.off > 0 && p.off == len(p.buf) {
		p.buf, p.off = p.buf[:0], 0
	}
	p.buf = append(p.buf, s...)
	p.wakeReader(sh.now)
}

// close ends one writer at offset at.
func (p *shPipe) close(at time.Duration) {
	p.writers--
	if p.writers == 0 {
		p.closed = at
		p.wakeReader(at)
	}
}

func (p *shPipe) wakeReader(at time.Duration) {
	if r := p.reader; r != nil && r.state == threadWaiting {
		p.reader = nil
		r.proc.wakeAt(r, at)
	}
}

// await blocks sh until the pipe has data or is closed.
func (p *shPipe) await(sh *shell) error {
	t := sh.th
	p.reader = t
	t.state = threadWaiting
	if err := t.park(sh.now); err != nil {
		return err
	}
	sh.now = max(sh.now, t.wake)
	return nil
}

func (p *shPipe) readAll(sh *shell) (string, error) {
	for p.writers > 0 {
		if err := p.await(sh); err != nil {
			return "", err
		}
	}
	sh.now = max(sh.now, p.closed)
	s := string(p.buf[p.off:])
	p.off = len(p.buf)
	return s, nil
}

func (p *shPipe) readLine(sh *shell) (string, bool, error) {
	for p.writers > 0 && !strings.Contains(string(p.buf[p.off:]), "\n") {
		if err := p.await(sh); err != nil {
			return "", false, err
		}
	}
	if p.writers == 0 {
		sh.now = max(sh.now, p.closed)
	}
	data := string(p.buf)
	line, ok := cutLine(data, &p.off)
	return line, ok, nil
}

// pipeSink is a pipe's write end.
type pipeSink struct{ p *shPipe }

func (s pipeSink) write(sh *shell, text string) { s.p.write(sh, text) }

// shSink receives a command's output.
type shSink interface {
	write(sh *shell, s string)
}

// shIO is a command's standard streams.
type shIO struct {
	stdin  *shInput
	stdout shSink
	stderr shSink
}

// logSink is the process's stdout or stderr: it becomes Output lines.
type logSink struct{ stream Stream }

func (l logSink) write(sh *shell, s string) {
	r := sh.run
	r.work += int64(len(s))
	for s != "" {
		if r.outBytes+len(s) > MaxOutputBytes {
			r.truncated = true
			return
		}
		text, rest, full := strings.Cut(s, "\n")
		r.outBytes += len(text) + 1
		r.lines = append(r.lines, Line{Offset: sh.now, Stream: l.stream, Text: text, Partial: !full})
		s = rest
	}
}

// bufSink collects output for a pipe or a command substitution, up to
// MaxStringBytes (a pipe that fills up loses the rest, a simplification of
// a writer blocking forever).
type bufSink struct{ b *strings.Builder }

func newBufSink() bufSink { return bufSink{b: &strings.Builder{}} }

func (b bufSink) write(sh *shell, s string) {
	sh.run.work += int64(len(s))
	if room := MaxStringBytes - b.b.Len(); len(s) > room {
		s = s[:max(room, 0)]
	}
	b.b.WriteString(s)
}

// nullSink is /dev/null.
type nullSink struct{}

func (nullSink) write(*shell, string) {}

// fileSink appends to a file, as a redirection does.
type fileSink struct{ path string }

func (f fileSink) write(sh *shell, s string) {
	sh.run.work += int64(len(s))
	// A failed write (disk full, file removed) is lost, as a write(2)
	// error on a redirection usually is.
	_ = sh.files().AppendFile(f.path, []byte(s), 0o644, time.Time{})
}
