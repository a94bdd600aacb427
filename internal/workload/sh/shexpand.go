package sh

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// frag is a piece of an expanded word: quoted text is never split or
// globbed; split marks unquoted expansion results, which field splitting
// applies to.
type frag struct {
	text   string
	quoted bool
	split  bool
}

// maxFields bounds how many fields one command's words may expand to.
const maxFields = 100_000

// expandWords performs every expansion on a list of words and returns the
// resulting fields.
func (sh *Shell) expandWords(ws []*shWord, io *IO) ([]string, error) {
	var out []string
	for _, w := range ws {
		if text, ok := literalWord(w); ok {
			// What expandParts charges for it, without its fragments.
			if err := sh.charge(len(text)); err != nil {
				return nil, err
			}
			if err := sh.checkSize(len(text), io); err != nil {
				return nil, err
			}
			out = append(out, text)
			continue
		}
		fields, err := sh.expandWordFields(w, io)
		if err != nil {
			return nil, err
		}
		for _, f := range fields {
			out = append(out, sh.glob(f)...)
		}
		if len(out) > maxFields {
			sh.errorf(io, "too many arguments for the simulator")
			return nil, &shExit{code: 2}
		}
	}
	return out, nil
}

// literalWord returns the text of a word that expands to itself, one
// field and no pattern: a single literal part, quoted, or unquoted, not
// empty and without a glob character (most words of most commands).
func literalWord(w *shWord) (string, bool) {
	if len(w.parts) != 1 {
		return "", false
	}
	p := w.parts[0]
	if p.kind != partLit || !p.quoted && (p.text == "" || strings.ContainsAny(p.text, "*?[")) {
		return "", false
	}
	return p.text, true
}

// expandString expands a word without field splitting or pathname
// expansion (assignments, redirection targets, here-documents).
func (sh *Shell) expandString(w *shWord, io *IO) (string, error) {
	groups, err := sh.expandParts(w, io)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, f := range g {
			b.WriteString(f.text)
		}
	}
	return b.String(), sh.checkSize(b.Len(), io)
}

// expandPattern expands a word into a glob pattern: quoted characters are
// escaped so that they match only themselves.
func (sh *Shell) expandPattern(w *shWord, io *IO) (string, error) {
	groups, err := sh.expandParts(w, io)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, g := range groups {
		for _, f := range g {
			if f.quoted {
				b.WriteString(escapeGlob(f.text))
			} else {
				b.WriteString(f.text)
			}
		}
	}
	return b.String(), nil
}

func (sh *Shell) checkSize(n int, io *IO) error {
	if n > proc.MaxStringBytes {
		sh.errorf(io, "expansion too large for the simulator")
		return &shExit{code: 2}
	}
	return nil
}

// expandParts expands each part of a word. "$@" can turn one word into
// several, so the result is groups of fragments, one group per word.
func (sh *Shell) expandParts(w *shWord, io *IO) ([][]frag, error) {
	groups := [][]frag{{}}
	size := 0
	for _, p := range w.parts {
		if p.kind == partParam && p.quoted && p.op == "" && p.text == "@" {
			groups = sh.quotedAt(groups)
			continue
		}
		text, err := sh.expandPart(p, io)
		if err != nil {
			return nil, err
		}
		size += len(text)
		if err := sh.charge(len(text)); err != nil {
			return nil, err
		}
		if err := sh.checkSize(size, io); err != nil {
			return nil, err
		}
		last := len(groups) - 1
		groups[last] = append(groups[last], frag{text: text, quoted: p.quoted, split: !p.quoted && p.kind != partLit})
	}
	return groups, nil
}

// quotedAt expands "$@": each positional parameter becomes its own word,
// joined to the text before and after it.
func (sh *Shell) quotedAt(groups [][]frag) [][]frag {
	if len(sh.args) == 0 {
		return groups
	}
	last := len(groups) - 1
	for i, a := range sh.args {
		if i > 0 {
			groups = append(groups, nil)
			last++
		}
		groups[last] = append(groups[last], frag{text: a, quoted: true})
	}
	return groups
}

func (sh *Shell) expandPart(p shPart, io *IO) (string, error) {
	switch p.kind {
	case partLit:
		return p.text, nil
	case partParam:
		return sh.paramExpand(p, io)
	case partCmd:
		return sh.cmdSubst(p.cmd, io)
	}
	return sh.arithExpand(p.text, io)
}

// cmdSubst runs $(...) in a subshell and returns its output without
// trailing newlines. The subshell's time is the parent's time afterwards.
func (sh *Shell) cmdSubst(l *shList, io *IO) (string, error) {
	if err := sh.enter(); err != nil {
		return "", err
	}
	defer sh.leave()
	sub := sh.subshell()
	buf := newBufSink()
	err := sub.runList(l, &IO{stdin: io.stdin, stdout: buf, stderr: io.stderr})
	sh.now = sub.now
	status := sub.status
	if exit, ok := errors.AsType[*shExit](err); ok {
		status, err = exit.code, nil
	} else if crashed(err) {
		status, err = proc.CrashStatus, nil // the substitution's subshell died alone
	}
	if err != nil {
		return "", err
	}
	sh.status, sh.substStatus = status, status
	return trimNewlines(buf.b.String()), nil
}

// fields splits a word's fragments into fields on IFS and reports, for
// each, its text and its glob pattern (quoted characters escaped) and
// whether pathname expansion applies.
type field struct {
	text, pattern string
	glob          bool
}

func (sh *Shell) expandWordFields(w *shWord, io *IO) ([]field, error) {
	groups, err := sh.expandParts(w, io)
	if err != nil {
		return nil, err
	}
	ifs, ok := sh.getVar("IFS")
	if !ok {
		ifs = " \t\n"
	}
	var out []field
	for _, g := range groups {
		out = append(out, splitFields(g, ifs, len(groups) > 1 || hasQuoted(w))...)
	}
	return out, nil
}

func hasQuoted(w *shWord) bool {
	for _, p := range w.parts {
		if p.quoted {
			return true
		}
	}
	return false
}

// splitFields applies field splitting to one group of fragments. keep
// says the word yields a field even when empty (it had quotes).
func splitFields(frags []frag, ifs string, keep bool) []field {
	var out []field
	var text, pat strings.Builder
	glob, started := false, keep
	emit := func() {
		out = append(out, field{text: text.String(), pattern: pat.String(), glob: glob})
		text.Reset()
		pat.Reset()
		glob, started = false, false
	}
	for _, f := range frags {
		if !f.split {
			text.WriteString(f.text)
			if f.quoted {
				pat.WriteString(escapeGlob(f.text))
				started = true
			} else {
				pat.WriteString(f.text)
				glob = glob || strings.ContainsAny(f.text, "*?[")
				started = started || f.text != ""
			}
			continue
		}
		for i := 0; i < len(f.text); i++ {
			c := f.text[i]
			switch {
			case strings.IndexByte(ifs, c) >= 0 && strings.IndexByte(" \t\n", c) >= 0:
				if started {
					emit()
				}
			case strings.IndexByte(ifs, c) >= 0:
				emit()
			default:
				text.WriteByte(c)
				pat.WriteByte(c)
				glob = glob || c == '*' || c == '?' || c == '['
				started = true
			}
		}
	}
	if started {
		emit()
	}
	return out
}

func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?[\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`*?[\`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// paramExpand expands $name and the ${name...} forms.
func (sh *Shell) paramExpand(p shPart, io *IO) (string, error) {
	val, set := sh.param(p.text)
	switch p.op {
	case "":
		if !set && sh.nounset && p.text != "@" && p.text != "*" {
			sh.errorf(io, "%s: parameter not set", p.text)
			return "", &shExit{code: 2}
		}
		return val, nil
	case "len":
		return strconv.Itoa(utf8.RuneCountInString(val)), nil
	case "#", "##", "%", "%%":
		pat, err := sh.expandPattern(p.arg, io)
		if err != nil {
			return "", err
		}
		return trimPattern(val, pat, p.op), nil
	}
	return sh.paramDefault(p, val, set, io)
}

// paramDefault handles ${x-w} ${x:-w} ${x=w} ${x:=w} ${x+w} ${x:+w}
// ${x?w} ${x:?w}.
func (sh *Shell) paramDefault(p shPart, val string, set bool, io *IO) (string, error) {
	op := p.op
	missing := !set
	if strings.HasPrefix(op, ":") {
		missing = !set || val == ""
		op = op[1:]
	}
	switch op {
	case "+":
		if missing {
			return "", nil
		}
		return sh.expandString(p.arg, io)
	case "-", "=":
		if !missing {
			return val, nil
		}
		w, err := sh.expandString(p.arg, io)
		if err == nil && op == "=" && isShName(p.text) {
			err = sh.assign(p.text, w, io)
		}
		return w, err
	}
	// "?"
	if !missing {
		return val, nil
	}
	msg, err := sh.expandString(p.arg, io)
	if err != nil {
		return "", err
	}
	if msg == "" {
		msg = "parameter not set"
		if set {
			msg = "parameter null or not set"
		}
	}
	sh.errorf(io, "%s: %s", p.text, msg)
	return "", &shExit{code: 2}
}

// param returns a parameter's value and whether it is set.
func (sh *Shell) param(name string) (string, bool) {
	switch name {
	case "?":
		return strconv.Itoa(sh.status), true
	case "$":
		return "1", true
	case "#":
		return strconv.Itoa(len(sh.args)), true
	case "@", "*":
		return strings.Join(sh.args, " "), len(sh.args) > 0
	case "!":
		if sh.lastBg == 0 {
			return "", false
		}
		return strconv.Itoa(sh.lastBg), true
	case "-":
		return sh.optionFlags(), true
	case "0":
		return sh.arg0, true
	}
	if name[0] >= '0' && name[0] <= '9' {
		n, err := strconv.Atoi(name)
		if err != nil || n < 1 || n > len(sh.args) {
			return "", false
		}
		return sh.args[n-1], true
	}
	return sh.getVar(name)
}

func (sh *Shell) optionFlags() string {
	var b strings.Builder
	if sh.errexit {
		b.WriteByte('e')
	}
	if sh.nounset {
		b.WriteByte('u')
	}
	if sh.xtrace {
		b.WriteByte('x')
	}
	return b.String()
}

// trimPattern removes the shortest or longest prefix (#, ##) or suffix
// (%, %%) of val that matches pat.
func trimPattern(val, pat, op string) string {
	n := len(val)
	switch op {
	case "#":
		for i := 0; i <= n; i++ {
			if globMatch(pat, val[:i]) {
				return val[i:]
			}
		}
	case "##":
		for i := n; i >= 0; i-- {
			if globMatch(pat, val[:i]) {
				return val[i:]
			}
		}
	case "%":
		for i := n; i >= 0; i-- {
			if globMatch(pat, val[i:]) {
				return val[:i]
			}
		}
	case "%%":
		for i := 0; i <= n; i++ {
			if globMatch(pat, val[i:]) {
				return val[:i]
			}
		}
	}
	return val
}

// maxGlobMatches bounds one pathname expansion.
const maxGlobMatches = 10_000

// glob performs pathname expansion on a field; a pattern that matches
// nothing stays as written.
func (sh *Shell) glob(f field) []string {
	if !f.glob {
		return []string{f.text}
	}
	base := "/"
	rel := !strings.HasPrefix(f.pattern, "/")
	if rel {
		base = sh.cwd
	}
	parts := strings.Split(strings.Trim(f.pattern, "/"), "/")
	matches := sh.globDir(base, parts, rel, "")
	if len(matches) == 0 {
		return []string{f.text}
	}
	sort.Strings(matches)
	return matches
}

// globDir matches pattern components against the directory dir; shown is
// how the matched path is written (relative patterns give relative paths).
func (sh *Shell) globDir(dir string, parts []string, rel bool, shown string) []string {
	if len(parts) == 0 {
		return []string{shown}
	}
	comp, rest := parts[0], parts[1:]
	join := func(name string) (string, string) {
		full := cleanPath(dir + "/" + name)
		s := shown + "/" + name
		if rel && shown == "" {
			s = name
		}
		return full, s
	}
	if !strings.ContainsAny(comp, "*?[") {
		name := unescapeGlob(comp)
		full, s := join(name)
		if _, err := sh.files().Stat(full); err != nil {
			return nil
		}
		return sh.globDir(full, rest, rel, s)
	}
	entries, err := sh.files().ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name, ".") && !strings.HasPrefix(comp, ".") {
			continue
		}
		if !globMatch(comp, e.Name) || len(rest) > 0 && !e.IsDir() {
			continue
		}
		full, s := join(e.Name)
		out = append(out, sh.globDir(full, rest, rel, s)...)
		if len(out) > maxGlobMatches {
			return out[:maxGlobMatches]
		}
	}
	return out
}

func unescapeGlob(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
