package sh

import (
	"errors"
	"strings"
)

// ps2 is the prompt of a command that goes on on the next line.
const ps2 = "> "

// parseTyped parses what a terminal's user has typed so far: a whole
// command (its list), one that goes on (incomplete: an open quote,
// construct or here-document, a trailing && or |), or a syntax error.
func parseTyped(src string) (*shList, bool, error) {
	if strings.HasSuffix(strings.TrimRight(src, "\n"), "\\") && !strings.HasSuffix(strings.TrimRight(src, "\n"), "\\\\") {
		return nil, true, nil
	}
	p := newShParser(src)
	list, err := p.program()
	var syn *shSyntaxError
	switch {
	case err == nil && p.heredocOpen:
		return nil, true, nil
	case err == nil:
		return list, false, nil
	case errors.As(err, &syn) && (strings.HasPrefix(syn.msg, "end of file unexpected") ||
		syn.msg == "Unterminated quoted string" || syn.msg == "EOF in backquote substitution"):
		return nil, true, nil
	}
	return nil, false, err
}

// repl is a terminal's shell: it reads commands from standard
// input a line at a time, runs each as soon as it is whole, and shows its
// prompt (PS1, PS2 while a command goes on) as the process's prompt. It
// ends when the input does, or at exit.
func (sh *Shell) repl(io *IO) error {
	sh.interactive = true
	sh.dialect.interactive = true
	for {
		sh.run.proc.SetPrompt(sh.ps1())
		typed := ""
		for {
			line, ok, err := io.stdin.readLine(sh)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			typed += line + "\n"
			list, incomplete, perr := parseTyped(typed)
			if incomplete {
				sh.run.proc.SetPrompt(ps2)
				continue
			}
			if perr != nil {
				var syn *shSyntaxError
				if errors.As(perr, &syn) {
					io.stderr.write(sh, sh.dialect.syntaxError(syn)+"\n")
				}
				sh.status = 2
				break
			}
			if err := sh.runTyped(list, io); err != nil {
				return err
			}
			break
		}
	}
}

// runTyped runs one typed command: exit ends the shell, a stop of the
// process unwinds it, and break, continue or return outside their place
// are no more than ignored.
func (sh *Shell) runTyped(list *shList, io *IO) error {
	sh.line = 1
	err := sh.runList(list, io)
	if err == nil || isLoopCtl(err) || isReturn(err) {
		return nil
	}
	return err
}

// ps1 expands PS1 as bash does for the escapes prompts use: \u user, \h
// host (to the first dot), \H host, \w directory (~ for HOME), \W its last
// part, \$ "#" for root. Without PS1 the prompt is Debian's bash's
// (root@host:/# ), or busybox's (/ # ).
func (sh *Shell) ps1() string {
	ps, ok := sh.getVar("PS1")
	if !ok {
		ps = `\u@\h:\w\$ `
		if sh.dialect.kind == "busybox" {
			ps = `\w \$ `
		}
	}
	host := sh.run.hostname
	short, _, _ := strings.Cut(host, ".")
	home, _ := sh.getVar("HOME")
	w := sh.cwd
	if home != "" && (w == home || strings.HasPrefix(w, home+"/")) {
		w = "~" + strings.TrimPrefix(w, home)
	}
	base := w
	if w != "/" && w != "~" {
		base = baseName(w)
	}
	var b strings.Builder
	for i := 0; i < len(ps); i++ {
		if ps[i] != '\\' || i+1 >= len(ps) {
			b.WriteByte(ps[i])
			continue
		}
		i++
		switch ps[i] {
		case 'u':
			b.WriteString("root")
		case 'h':
			b.WriteString(short)
		case 'H':
			b.WriteString(host)
		case 'w':
			b.WriteString(w)
		case 'W':
			b.WriteString(base)
		case '$':
			b.WriteByte('#')
		case 'n':
			b.WriteByte('\n')
		default:
			b.WriteByte('\\')
			b.WriteByte(ps[i])
		}
	}
	return b.String()
}
