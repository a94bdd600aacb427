package sh

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// progAwk is a small awk: `awk [-F SEP] [-v VAR=VALUE] 'PROGRAM' [FILE...]`.
// A program is BEGIN, END, /regex/ and expression patterns with { actions }
// (print, printf, assignments, if/else, while, for, for-in, next, exit),
// fields ($0, $1, $NF), NR, NF, FS, OFS, arrays, and the functions length,
// substr, index, split, sub, gsub, match, tolower, toupper, sprintf and int.
// Arrays are walked in sorted key order (awk leaves the order unspecified).
// Every loop iteration counts as a shell step, so no program runs forever
// without the process's budgets seeing it.
func progAwk(sh *Shell, argv []string, io *IO) error {
	a := &awk{sh: sh, io: io, vars: map[string]string{"FS": " ", "OFS": " ", "ORS": "\n", "SUBSEP": "\x1c"},
		arrays: map[string]map[string]string{}}
	args := argv[1:]
	var prog *string
	for len(args) > 0 && prog == nil {
		x := args[0]
		switch {
		case x == "-F" && len(args) > 1:
			a.vars["FS"], args = awkEscapes(args[1]), args[2:]
		case strings.HasPrefix(x, "-F") && len(x) > 2:
			a.vars["FS"], args = awkEscapes(x[2:]), args[1:]
		case x == "-v" && len(args) > 1:
			name, value, ok := strings.Cut(args[1], "=")
			if !ok || !isShName(name) {
				sh.progErr(io, 2, "awk", "invalid -v argument: %s", args[1])
				return nil
			}
			a.vars[name], args = awkEscapes(value), args[2:]
		case x == "--":
			args = args[1:]
			if len(args) > 0 {
				prog, args = &args[0], args[1:]
			}
		case strings.HasPrefix(x, "-") && len(x) > 1:
			sh.progErr(io, 2, "awk", "unknown option %s", x)
			return nil
		default:
			prog, args = &args[0], args[1:]
		}
	}
	if prog == nil {
		sh.progErr(io, 2, "awk", "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]")
		return nil
	}
	items, err := parseAwk(*prog)
	if err != nil {
		sh.progErr(io, 2, "awk", "syntax error: %s\n awk: source line 1 context is\n\t%s", err, *prog)
		return nil
	}
	sh.status = 0
	return a.run(items, args)
}

// awkEscapes interprets the escapes of an -F or -v value (\t, \n, \\).
func awkEscapes(s string) string {
	if s == "t" {
		return "\t"
	}
	r := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`)
	return r.Replace(s)
}

// awk is a running awk program.
type awk struct {
	sh     *Shell
	io     *IO
	out    strings.Builder
	vars   map[string]string
	arrays map[string]map[string]string
	fields []string // $0, $1...
	exit   bool
	code   int
}

// awkNext is `next`, and awkExit `exit`, unwinding the actions.
type awkNext struct{}
type awkExit struct{}

func (awkNext) Error() string { return "next" }
func (awkExit) Error() string { return "exit" }

// run runs BEGIN, every record of the inputs, then END.
func (a *awk) run(items []awkItem, files []string) error {
	flush := func() {
		a.io.stdout.write(a.sh, a.out.String())
		a.out.Reset()
	}
	defer flush()
	if err := a.phase(items, "BEGIN"); err != nil {
		return err
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	hasMain := false
	for _, it := range items {
		hasMain = hasMain || (it.special != "BEGIN" && it.special != "END")
	}
	for _, f := range files {
		if a.exit || !hasMain {
			break
		}
		if name, value, ok := strings.Cut(f, "="); ok && isShName(name) {
			a.vars[name] = value
			continue
		}
		data, err, halt := a.sh.readInput(f, a.io)
		if halt != nil {
			return halt
		}
		if err != nil {
			flush()
			a.sh.progErr(a.io, 2, "awk", "can't open file %s", f)
			return nil
		}
		for _, line := range splitLines(data) {
			if err := a.sh.step(); err != nil {
				return err
			}
			a.setRecord(strings.TrimSuffix(line, "\n"))
			a.vars["NR"] = strconv.Itoa(a.num("NR") + 1)
			if err := a.record(items); err != nil {
				return err
			}
			if a.exit {
				break
			}
		}
	}
	a.exit = false
	if err := a.phase(items, "END"); err != nil {
		return err
	}
	a.sh.status = a.code
	return nil
}

// num is a variable as a whole number.
func (a *awk) num(name string) int { return int(awkNumber(a.vars[name])) }

// phase runs the BEGIN or END actions.
func (a *awk) phase(items []awkItem, which string) error {
	for _, it := range items {
		if it.special != which || a.exit {
			continue
		}
		if err := a.exec(it.body); err != nil {
			if _, ok := err.(awkExit); ok {
				return nil
			}
			return err
		}
	}
	return nil
}

// record runs the main items on the current record.
func (a *awk) record(items []awkItem) error {
	for _, it := range items {
		if it.special != "" {
			continue
		}
		if it.pattern != nil {
			v, err := a.eval(it.pattern)
			if err != nil {
				return err
			}
			if !awkTrue(v) {
				continue
			}
		}
		if it.body == nil {
			a.emit(a.fields[0] + a.vars["ORS"])
			continue
		}
		err := a.exec(it.body)
		switch err.(type) {
		case nil:
		case awkNext:
			return nil
		case awkExit:
			return nil
		default:
			return err
		}
	}
	return nil
}

// setRecord splits a record into fields by FS.
func (a *awk) setRecord(line string) {
	fs := a.vars["FS"]
	var f []string
	switch {
	case fs == " ":
		f = strings.Fields(line)
	case len(fs) == 1 && fs != "\\":
		if line != "" {
			f = strings.Split(line, fs)
		}
	default:
		if re, err := regexp.Compile(fs); err == nil && line != "" {
			f = re.Split(line, -1)
		} else if line != "" {
			f = strings.Split(line, fs)
		}
	}
	a.fields = append([]string{line}, f...)
	a.vars["NF"] = strconv.Itoa(len(f))
}

// field returns $i.
func (a *awk) field(i int) string {
	if i >= 0 && i < len(a.fields) {
		return a.fields[i]
	}
	return ""
}

// setField assigns $i, rebuilding $0 with OFS (or the fields from $0).
func (a *awk) setField(i int, v string) {
	if i == 0 {
		a.setRecord(v)
		return
	}
	if i < 0 || i > 100000 {
		return
	}
	for len(a.fields) <= i {
		a.fields = append(a.fields, "")
	}
	a.fields[i] = v
	a.fields[0] = strings.Join(a.fields[1:], a.vars["OFS"])
	a.vars["NF"] = strconv.Itoa(len(a.fields) - 1)
}

// awkNumber reads the leading number of s, as awk converts strings.
func awkNumber(s string) float64 {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && strings.IndexByte("+-0123456789.eE", s[end]) >= 0 {
		end++
	}
	for end > 0 {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
		end--
	}
	return 0
}

// looksNumeric reports whether s is a number as a whole (a numeric string).
func looksNumeric(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && strings.TrimSpace(s) != ""
}

// awkFormat prints a number as awk's %.6g for non-integers.
func awkFormat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// awkTrue is a value's truth: a non-zero number, or a non-empty string
// that does not look numeric.
func awkTrue(v awkValue) bool {
	if v.num || looksNumeric(v.s) {
		return awkNumber(v.s) != 0
	}
	return v.s != ""
}

// awkValue is a value with whether it is a number (for comparisons).
type awkValue struct {
	s   string
	num bool
}

func numVal(f float64) awkValue { return awkValue{s: awkFormat(f), num: true} }

// exec runs statements.
func (a *awk) exec(stmts []awkStmt) error {
	for _, st := range stmts {
		if err := a.sh.step(); err != nil {
			return err
		}
		if err := a.stmt(st); err != nil {
			return err
		}
	}
	return nil
}

// stmt runs one statement.
func (a *awk) stmt(st awkStmt) error {
	switch st.kind {
	case "expr":
		_, err := a.eval(st.expr)
		return err
	case "print":
		return a.print(st)
	case "printf":
		vals, err := a.evalAll(st.args)
		if err != nil || len(vals) == 0 {
			return err
		}
		a.emit(awkSprintf(vals[0].s, vals[1:]))
	case "if":
		v, err := a.eval(st.expr)
		if err != nil {
			return err
		}
		if awkTrue(v) {
			return a.exec(st.body)
		}
		return a.exec(st.elseBody)
	case "while", "for":
		return a.loop(st)
	case "forin":
		keys := make([]string, 0, len(a.arrays[st.array]))
		for k := range a.arrays[st.array] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			a.vars[st.name] = k
			if err := a.exec(st.body); err != nil {
				return err
			}
		}
	case "next":
		return awkNext{}
	case "exit":
		if st.expr != nil {
			v, err := a.eval(st.expr)
			if err != nil {
				return err
			}
			a.code = int(awkNumber(v.s))
		}
		a.exit = true
		return awkExit{}
	case "block":
		return a.exec(st.body)
	}
	return nil
}

// print runs print: its arguments joined by OFS, or $0.
func (a *awk) print(st awkStmt) error {
	if len(st.args) == 0 {
		a.emit(a.field(0) + a.vars["ORS"])
		return nil
	}
	vals, err := a.evalAll(st.args)
	if err != nil {
		return err
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = v.s
	}
	a.emit(strings.Join(parts, a.vars["OFS"]) + a.vars["ORS"])
	return nil
}

// loop runs while and for.
func (a *awk) loop(st awkStmt) error {
	if st.init != nil {
		if _, err := a.eval(st.init); err != nil {
			return err
		}
	}
	for {
		if err := a.sh.step(); err != nil {
			return err
		}
		if st.expr != nil {
			v, err := a.eval(st.expr)
			if err != nil {
				return err
			}
			if !awkTrue(v) {
				return nil
			}
		}
		if err := a.exec(st.body); err != nil {
			return err
		}
		if st.post != nil {
			if _, err := a.eval(st.post); err != nil {
				return err
			}
		}
	}
}

func (a *awk) evalAll(xs []*awkExpr) ([]awkValue, error) {
	out := make([]awkValue, len(xs))
	for i, x := range xs {
		v, err := a.eval(x)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// eval evaluates an expression.
func (a *awk) eval(x *awkExpr) (awkValue, error) {
	switch x.op {
	case "num":
		return awkValue{s: x.text, num: true}, nil
	case "str":
		return awkValue{s: x.text}, nil
	case "re":
		return numVal(boolNum(a.match(x.text, a.field(0)))), nil
	case "var":
		v := a.vars[x.text]
		return awkValue{s: v, num: looksNumeric(v)}, nil
	case "field":
		i, err := a.eval(x.args[0])
		if err != nil {
			return awkValue{}, err
		}
		v := a.field(int(awkNumber(i.s)))
		return awkValue{s: v, num: looksNumeric(v)}, nil
	case "index":
		k, err := a.key(x)
		if err != nil {
			return awkValue{}, err
		}
		v := a.array(x.text)[k]
		return awkValue{s: v, num: looksNumeric(v)}, nil
	case "in":
		k, err := a.eval(x.args[0])
		if err != nil {
			return awkValue{}, err
		}
		_, ok := a.arrays[x.text][k.s]
		return numVal(boolNum(ok)), nil
	case "=", "+=", "-=", "*=", "/=", "%=":
		return a.assign(x)
	case "pre++", "pre--", "post++", "post--":
		return a.incdec(x)
	case "call":
		return a.call(x)
	case "!":
		v, err := a.eval(x.args[0])
		return numVal(boolNum(!awkTrue(v))), err
	case "neg":
		v, err := a.eval(x.args[0])
		return numVal(-awkNumber(v.s)), err
	case "&&", "||":
		l, err := a.eval(x.args[0])
		if err != nil || awkTrue(l) == (x.op == "||") {
			return numVal(boolNum(awkTrue(l))), err
		}
		r, err := a.eval(x.args[1])
		return numVal(boolNum(awkTrue(r))), err
	case "?:":
		c, err := a.eval(x.args[0])
		if err != nil {
			return c, err
		}
		if awkTrue(c) {
			return a.eval(x.args[1])
		}
		return a.eval(x.args[2])
	}
	l, err := a.eval(x.args[0])
	if err != nil {
		return l, err
	}
	if (x.op == "~" || x.op == "!~") && x.args[1].op == "re" {
		return numVal(boolNum(a.match(x.args[1].text, l.s) == (x.op == "~"))), nil
	}
	r, err := a.eval(x.args[1])
	if err != nil {
		return r, err
	}
	return a.binary(x.op, l, r)
}

// binary applies an arithmetic, comparison, match or concatenation.
func (a *awk) binary(op string, l, r awkValue) (awkValue, error) {
	ln, rn := awkNumber(l.s), awkNumber(r.s)
	switch op {
	case "concat":
		if len(l.s)+len(r.s) > proc.MaxStringBytes {
			return awkValue{}, a.fatal("string too large for the simulator")
		}
		return awkValue{s: l.s + r.s}, nil
	case "+":
		return numVal(ln + rn), nil
	case "-":
		return numVal(ln - rn), nil
	case "*":
		return numVal(ln * rn), nil
	case "/", "%":
		if rn == 0 {
			return awkValue{}, a.fatal("division by zero")
		}
		if op == "/" {
			return numVal(ln / rn), nil
		}
		return numVal(math.Mod(ln, rn)), nil
	case "^":
		return numVal(math.Pow(ln, rn)), nil
	case "~", "!~":
		return numVal(boolNum(a.match(r.s, l.s) == (op == "~"))), nil
	}
	var c int
	if (l.num || looksNumeric(l.s)) && (r.num || looksNumeric(r.s)) {
		c = compareFloat(ln, rn)
	} else {
		c = strings.Compare(l.s, r.s)
	}
	ok := map[string]bool{"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c == 0, "!=": c != 0}[op]
	return numVal(boolNum(ok)), nil
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolNum(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// fatal ends the program with awk's message and status 2.
func (a *awk) fatal(msg string) error {
	a.io.stdout.write(a.sh, a.out.String())
	a.out.Reset()
	a.sh.progErr(a.io, 2, "awk", "%s", msg)
	a.exit, a.code = true, 2
	return awkExit{}
}

// emit adds output, passing it on in pieces of at most awkFlushBytes.
func (a *awk) emit(s string) {
	a.out.WriteString(s)
	if a.out.Len() > awkFlushBytes {
		a.io.stdout.write(a.sh, a.out.String())
		a.out.Reset()
	}
}

// awkFlushBytes is how much output awk holds before writing it.
const awkFlushBytes = 1 << 16

// match reports whether the extended regular expression re matches s.
func (a *awk) match(re, s string) bool {
	r, err := regexp.Compile(re)
	return err == nil && r.MatchString(s)
}

// array returns a named array, creating it.
func (a *awk) array(name string) map[string]string {
	m := a.arrays[name]
	if m == nil {
		m = map[string]string{}
		a.arrays[name] = m
	}
	return m
}

// key evaluates an array subscript (several joined by SUBSEP).
func (a *awk) key(x *awkExpr) (string, error) {
	vals, err := a.evalAll(x.args)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = v.s
	}
	return strings.Join(parts, a.vars["SUBSEP"]), nil
}

// store assigns to an lvalue (a variable, field or array element).
func (a *awk) store(lv *awkExpr, v string) error {
	switch lv.op {
	case "var":
		a.vars[lv.text] = v
		if lv.text == "NF" {
			n := int(awkNumber(v))
			if n >= 0 && n < 100000 {
				for len(a.fields) < n+1 {
					a.fields = append(a.fields, "")
				}
				a.fields = a.fields[:n+1]
				a.fields[0] = strings.Join(a.fields[1:], a.vars["OFS"])
			}
		}
	case "field":
		i, err := a.eval(lv.args[0])
		if err != nil {
			return err
		}
		a.setField(int(awkNumber(i.s)), v)
	case "index":
		k, err := a.key(lv)
		if err != nil {
			return err
		}
		a.array(lv.text)[k] = v
	}
	return nil
}

// assign runs = and the compound assignments.
func (a *awk) assign(x *awkExpr) (awkValue, error) {
	r, err := a.eval(x.args[1])
	if err != nil {
		return r, err
	}
	if x.op != "=" {
		l, err := a.eval(x.args[0])
		if err != nil {
			return l, err
		}
		if r, err = a.binary(strings.TrimSuffix(x.op, "="), l, r); err != nil {
			return r, err
		}
	}
	return r, a.store(x.args[0], r.s)
}

// incdec runs ++ and --, before or after.
func (a *awk) incdec(x *awkExpr) (awkValue, error) {
	old, err := a.eval(x.args[0])
	if err != nil {
		return old, err
	}
	n := awkNumber(old.s)
	next := n + 1
	if strings.HasSuffix(x.op, "--") {
		next = n - 1
	}
	if err := a.store(x.args[0], awkFormat(next)); err != nil {
		return old, err
	}
	if strings.HasPrefix(x.op, "pre") {
		return numVal(next), nil
	}
	return numVal(n), nil
}

// call runs a built-in function.
func (a *awk) call(x *awkExpr) (awkValue, error) {
	if x.text == "split" || x.text == "sub" || x.text == "gsub" {
		return a.callMutating(x)
	}
	args, err := a.evalAll(x.args)
	if err != nil {
		return awkValue{}, err
	}
	arg := func(i int) string {
		if i < len(args) {
			return args[i].s
		}
		return ""
	}
	switch x.text {
	case "length":
		if len(args) == 0 {
			return numVal(float64(len(a.field(0)))), nil
		}
		return numVal(float64(len(arg(0)))), nil
	case "substr":
		s := arg(0)
		start := int(math.Round(awkNumber(arg(1))))
		end := len(s) + 1
		if len(args) > 2 {
			end = start + int(math.Round(awkNumber(arg(2))))
		}
		start, end = max(start, 1), min(end, len(s)+1)
		if start >= end {
			return awkValue{}, nil
		}
		return awkValue{s: s[start-1 : end-1]}, nil
	case "index":
		return numVal(float64(strings.Index(arg(0), arg(1)) + 1)), nil
	case "tolower":
		return awkValue{s: strings.ToLower(arg(0))}, nil
	case "toupper":
		return awkValue{s: strings.ToUpper(arg(0))}, nil
	case "int":
		return numVal(math.Trunc(awkNumber(arg(0)))), nil
	case "sprintf":
		if len(args) == 0 {
			return awkValue{}, nil
		}
		return awkValue{s: awkSprintf(args[0].s, args[1:])}, nil
	case "match":
		re, err := regexp.Compile(arg(1))
		loc := []int(nil)
		if err == nil {
			loc = re.FindStringIndex(arg(0))
		}
		if loc == nil {
			a.vars["RSTART"], a.vars["RLENGTH"] = "0", "-1"
			return numVal(0), nil
		}
		a.vars["RSTART"], a.vars["RLENGTH"] = strconv.Itoa(loc[0]+1), strconv.Itoa(loc[1]-loc[0])
		return numVal(float64(loc[0] + 1)), nil
	}
	return awkValue{}, a.fatal("calling undefined function " + x.text)
}

// callMutating runs split, sub and gsub, which assign to an argument.
func (a *awk) callMutating(x *awkExpr) (awkValue, error) {
	if x.text == "split" {
		s, err := a.eval(x.args[0])
		if err != nil {
			return s, err
		}
		sep := a.vars["FS"]
		if len(x.args) > 2 {
			v, err := a.eval(x.args[2])
			if err != nil {
				return v, err
			}
			sep = v.s
		}
		saved := a.fields
		savedNF := a.vars["NF"]
		fs := a.vars["FS"]
		a.vars["FS"] = sep
		a.setRecord(s.s)
		parts := a.fields[1:]
		a.fields, a.vars["NF"], a.vars["FS"] = saved, savedNF, fs
		arr := map[string]string{}
		for i, p := range parts {
			arr[strconv.Itoa(i+1)] = p
		}
		a.arrays[x.args[1].text] = arr
		return numVal(float64(len(parts))), nil
	}
	reV, err := a.eval(x.args[0])
	if err != nil {
		return reV, err
	}
	repl, err := a.eval(x.args[1])
	if err != nil {
		return repl, err
	}
	target := &awkExpr{op: "field", args: []*awkExpr{{op: "num", text: "0"}}}
	if len(x.args) > 2 {
		target = x.args[2]
	}
	cur, err := a.eval(target)
	if err != nil {
		return cur, err
	}
	re, cerr := regexp.Compile(reV.s)
	if cerr != nil {
		return numVal(0), nil
	}
	n := 0
	out := re.ReplaceAllStringFunc(cur.s, func(m string) string {
		if x.text == "sub" && n > 0 {
			return m
		}
		n++
		return strings.ReplaceAll(strings.ReplaceAll(repl.s, `\&`, "\x00"), "&", m)
	})
	out = strings.ReplaceAll(out, "\x00", "&")
	if n > 0 {
		if err := a.store(target, out); err != nil {
			return cur, err
		}
	}
	return numVal(float64(n)), nil
}

// awkSprintf formats as printf does: %s %d %i %f %g %e %x %o %c %% with
// flags, width and precision.
func awkSprintf(format string, args []awkValue) string {
	var b strings.Builder
	next := 0
	arg := func() awkValue {
		if next < len(args) {
			next++
			return args[next-1]
		}
		return awkValue{}
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' && i+1 < len(format) {
			if e, ok := simpleEscape(format[i+1]); ok {
				b.WriteByte(e)
				i++
				continue
			}
		}
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		spec, verb := clampSpec(format[i:j]), format[j]
		i = j
		switch verb {
		case '%':
			b.WriteByte('%')
		case 'd', 'i':
			fmt.Fprintf(&b, spec+"d", int64(awkNumber(arg().s)))
		case 'o', 'x', 'X':
			fmt.Fprintf(&b, spec+string(verb), int64(awkNumber(arg().s)))
		case 'f', 'e', 'E', 'g', 'G':
			fmt.Fprintf(&b, spec+string(verb), awkNumber(arg().s))
		case 'c':
			v := arg()
			if v.num {
				fmt.Fprintf(&b, spec+"c", rune(awkNumber(v.s)))
			} else if v.s != "" {
				fmt.Fprintf(&b, spec+"s", v.s[:1])
			}
		case 's':
			fmt.Fprintf(&b, spec+"s", arg().s)
		default:
			b.WriteString(format[i-len(spec)+1 : j+1])
		}
	}
	return b.String()
}
