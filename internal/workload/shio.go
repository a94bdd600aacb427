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

// shInput is a command's standard input: data that becomes readable at a
// virtual time (a pipe's writer ends then). blocked marks input that never
// ends within the run (the writer was stopped at the horizon): reading it
// halts the reader too.
type shInput struct {
	data    string
	off     int
	ready   time.Duration
	blocked bool
}

// readAll waits for the input and returns the rest of it.
func (in *shInput) readAll(sh *shell) (string, error) {
	if err := in.wait(sh); err != nil {
		return "", err
	}
	s := in.data[in.off:]
	in.off = len(in.data)
	return s, nil
}

// readLine waits for the input and returns its next line (without the
// newline) and whether there was one.
func (in *shInput) readLine(sh *shell) (string, bool, error) {
	if err := in.wait(sh); err != nil {
		return "", false, err
	}
	rest := in.data[in.off:]
	if rest == "" {
		return "", false, nil
	}
	line, _, found := strings.Cut(rest, "\n")
	in.off += len(line)
	if found {
		in.off++
	}
	return line, true, nil
}

func (in *shInput) wait(sh *shell) error {
	if in.blocked {
		return sh.sleep(sh.run.horizon - sh.now + 1)
	}
	if in.ready > sh.now {
		return sh.sleep(in.ready - sh.now)
	}
	return nil
}

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
