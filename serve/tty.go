package serve

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/kubesim/kubesim/sim"
)

// `kubectl exec -it` puts the user's terminal in raw mode and sends every
// key as it is typed: the container's pseudo-terminal is what echoes,
// edits the line and turns Enter into a line of input. execTTY is that
// pseudo-terminal in front of sim's interactive sessions (the shell's
// prompt, mysql's monitor), as scenarios' `kubectl exec -it` uses them.

// Keys a terminal's line discipline acts on (termios' defaults).
const (
	keyInterrupt = 0x03 // ^C: VINTR
	keyEOF       = 0x04 // ^D: VEOF
	keyBackspace = 0x08 // ^H
	keyErase     = 0x7f // DEL: VERASE
	keyEscape    = 0x1b // starts the sequences arrow keys send
)

// errTerminalGone ends a session whose client went.
var errTerminalGone = errors.New("the terminal closed")

// execTTY runs a command with a terminal. The session holds the server's
// lock while the command runs (virtual time passes as it works, as in a
// scenario), and gives it up while it waits for the user's next line.
func (s *Server) execTTY(r *http.Request, req *apiRequest, ws *wsConn, in *stdinReader, container string, argv []string) {
	if len(argv) == 0 {
		_ = ws.send(chanError, statusJSON(badRequest("you must specify at least one command for the container")))
		return
	}
	term := &ttyTerminal{s: s, r: r, ws: ws, in: in}
	ws.settle() // the session writes under the lock
	if err := s.enter(); err != nil {
		_ = ws.send(chanError, statusJSON(toStatus(err, req.res, req.name)))
		return
	}
	code, err := s.c.ExecTTY(req.namespace, req.name, container, argv, term)
	s.Unlock()
	switch {
	case errors.Is(err, errTerminalGone):
	case err != nil:
		st := internalError(err)
		st.Message = err.Error()
		_ = ws.send(chanError, statusJSON(st))
	default:
		_ = ws.send(chanError, exitStatus(argv, code))
	}
}

// ttyTerminal is sim.Terminal over a WebSocket stream: a pseudo-terminal
// with echo, line editing and ^C, ^D.
type ttyTerminal struct {
	s      *Server
	r      *http.Request
	ws     *wsConn
	in     *stdinReader
	prompt string
	// typed holds keys typed ahead of the line being read.
	typed []byte
}

var _ sim.Terminal = (*ttyTerminal)(nil)

// Write shows output, newlines as a terminal's output processing turns
// them (ONLCR: "\r\n").
func (t *ttyTerminal) Write(text string) {
	if text != "" {
		_ = t.ws.send(chanStdout, []byte(strings.ReplaceAll(text, "\n", "\r\n")))
	}
}

// SetPrompt keeps the prompt to show when the next line is read.
func (t *ttyTerminal) SetPrompt(p string) { t.prompt = p }

// ReadLine shows the prompt and waits for the user's line, with the
// server's lock given up meanwhile (the caller, ExecTTY, holds it).
func (t *ttyTerminal) ReadLine() (string, bool, error) {
	t.Write(t.prompt)
	t.s.Unlock()
	line, ok, err := t.readLine()
	t.s.Lock()
	return line, ok, err
}

// readLine applies the line discipline to the keys as they come: false at
// ^D on an empty line or the end of standard input.
func (t *ttyTerminal) readLine() (string, bool, error) {
	var line []byte
	for {
		for len(t.typed) > 0 {
			b := t.typed[0]
			t.typed = t.typed[1:]
			switch {
			case b == '\r' || b == '\n':
				t.Write("\n")
				return string(line), true, nil
			case b == keyInterrupt:
				t.Write("^C\n")
				return "", true, nil
			case b == keyEOF:
				if len(line) == 0 {
					return "", false, nil
				}
			case b == keyErase || b == keyBackspace:
				if len(line) > 0 {
					_, size := utf8.DecodeLastRune(line)
					line = line[:len(line)-size]
					t.Write("\b \b")
				}
			case b == keyEscape:
				t.skipEscape()
			case b < 0x20:
				// Other control keys do nothing here.
			default:
				line = append(line, b)
				_ = t.ws.send(chanStdout, []byte{b})
			}
		}
		more, ended := t.in.take()
		t.typed = append(t.typed, more...)
		if len(t.typed) > 0 {
			continue
		}
		if ended {
			return string(line), len(line) > 0, nil
		}
		select {
		case <-t.in.more:
		case <-t.in.gone:
			return "", false, errTerminalGone
		case <-t.r.Context().Done():
			return "", false, errTerminalGone
		}
	}
}

// skipEscape drops an escape sequence (ESC [ ... final byte), such as an
// arrow key's: the line has no history or cursor movement.
func (t *ttyTerminal) skipEscape() {
	if len(t.typed) == 0 || t.typed[0] != '[' {
		return
	}
	for i := 1; i < len(t.typed); i++ {
		if c := t.typed[i]; c >= 0x40 && c <= 0x7e {
			t.typed = t.typed[i+1:]
			return
		}
	}
	t.typed = nil
}
