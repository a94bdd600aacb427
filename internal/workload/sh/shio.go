package sh

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// shInput is a command's standard input: data that is all there from a
// virtual time on (a here-document, a file, the process's stdin), or the
// read end of a pipe whose writer is another thread or the process's
// caller.
type shInput struct {
	data  string
	off   int
	ready time.Duration
	pipe  *proc.Pipe
}

// readAll waits for the end of the input and returns the rest of it.
func (in *shInput) readAll(sh *Shell) (string, error) {
	if in.pipe != nil {
		s, now, err := in.pipe.ReadAll(sh.th, sh.now)
		sh.now = now
		return s, err
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
func (in *shInput) readLine(sh *Shell) (string, bool, error) {
	if in.pipe != nil {
		line, ok, now, err := in.pipe.ReadLine(sh.th, sh.now)
		sh.now = now
		return line, ok, err
	}
	if err := in.wait(sh); err != nil {
		return "", false, err
	}
	line, ok := proc.CutLine(in.data, &in.off)
	return line, ok, nil
}

func (in *shInput) wait(sh *Shell) error {
	if in.ready > sh.now {
		return sh.sleep(in.ready - sh.now)
	}
	return nil
}

// pipeSink is a pipe's write end.
type pipeSink struct{ p *proc.Pipe }

func (s pipeSink) write(sh *Shell, text string) {
	sh.run.proc.AddWork(len(text))
	s.p.Write(sh.now, text)
}

// shSink receives a command's output.
type shSink interface {
	write(sh *Shell, s string)
}

// IO is a command's standard streams.
type IO struct {
	stdin  *shInput
	stdout shSink
	stderr shSink
}

// logSink is the process's stdout or stderr: it becomes Output lines.
type logSink struct{ stream proc.Stream }

func (l logSink) write(sh *Shell, s string) { sh.run.proc.Print(sh.now, l.stream, s) }

// bufSink collects output for a pipe or a command substitution, up to
// proc.MaxStringBytes (a pipe that fills up loses the rest, a
// simplification of a writer blocking forever).
type bufSink struct{ b *strings.Builder }

func newBufSink() bufSink { return bufSink{b: &strings.Builder{}} }

func (b bufSink) write(sh *Shell, s string) {
	sh.run.proc.AddWork(len(s))
	if room := proc.MaxStringBytes - b.b.Len(); len(s) > room {
		s = s[:max(room, 0)]
	}
	b.b.WriteString(s)
}

// nullSink is /dev/null.
type nullSink struct{}

func (nullSink) write(*Shell, string) {}

// fileSink appends to a file, as a redirection does.
type fileSink struct{ path string }

func (f fileSink) write(sh *Shell, s string) {
	sh.run.proc.AddWork(len(s))
	// A failed write (disk full, file removed) is lost, as a write(2)
	// error on a redirection usually is.
	_ = sh.files().AppendFile(f.path, []byte(s), 0o644, time.Time{})
}
