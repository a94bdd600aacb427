package sh

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/internal/vfs"
)

// This file is find(1), as the images ship it: GNU findutils in the
// Debian-based images (dash and bash shells) and busybox find in the
// others. The two agree on what they find and differ in how they word
// errors, which is what a learner sees when a scrub or a cleanup fails:
//
//	GNU:     find: '/nope': No such file or directory
//	         find: cannot delete '/data/d': Directory not empty
//	busybox: find: /nope: No such file or directory
//	         find: /data/d: Directory not empty
//
// Modelled: start points (default "."), the global options -mindepth,
// -maxdepth and -depth, the tests -name, -iname, -type (f, d, l) and
// -empty, the actions -print and -delete, and the operators !, -not, -a,
// -and, -o, -or and parentheses. Without an action the whole expression
// is printed, as both implementations do. -delete implies -depth and never
// removes a start point named ".". Directories are read in name order (a
// real filesystem's order is its own). Unknown primaries are errors.

// findCmd is one find invocation being evaluated.
type findCmd struct {
	sh       *Shell
	io       *IO
	gnu      bool // GNU findutils wording (Debian images) rather than busybox
	expr     *findNode
	minDepth int
	maxDepth int  // -1 when no -maxdepth
	depth    bool // -depth: a directory after its contents
	err      bool // an error was reported: exit status 1
}

// findNode is one node of a parsed find expression.
type findNode struct {
	op   string // "and", "or", "not", or a primary such as "-name"
	kids []*findNode
	arg  string
}

// findEntry is a file find visits: its path as find prints it, the
// absolute path, its depth below the start point and its metadata.
type findEntry struct {
	path, full string
	depth      int
	info       vfs.Info
}

// errFind is a command-line error already reported.
var errFind = errors.New("find: bad expression")

// progFind is find(1).
func progFind(sh *Shell, argv []string, io *IO) error {
	f := &findCmd{sh: sh, io: io, gnu: sh.dialect.kind != "busybox", maxDepth: -1}
	starts, exprArgs := findSplitArgs(argv[1:])
	if len(starts) == 0 {
		starts = []string{"."}
	}
	if err := f.parse(exprArgs); err != nil {
		sh.status = 1
		return nil
	}
	for _, s := range starts {
		if halt := f.walkStart(s); halt != nil {
			return halt
		}
	}
	sh.status = 0
	if f.err {
		sh.status = 1
	}
	return nil
}

// findSplitArgs separates the start points (and the -H/-L/-P options
// before them, which have no effect without symlinks) from the expression.
func findSplitArgs(args []string) (starts, expr []string) {
	for len(args) > 0 && (args[0] == "-H" || args[0] == "-L" || args[0] == "-P") {
		args = args[1:]
	}
	for i, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" || a == "!" || a == "(" {
			return args[:i], args[i:]
		}
	}
	return args, nil
}

// report prints an error in this find's wording and marks the exit status.
func (f *findCmd) report(msg string) {
	f.io.stderr.write(f.sh, "find: "+msg+"\n")
	f.err = true
}

// quote names a path as each implementation does in its messages.
func (f *findCmd) quote(p string) string {
	if f.gnu {
		return "'" + p + "'"
	}
	return p
}

// parse reads the expression, the global options and whether an action
// was given; without one, the expression is wrapped in an implicit -print.
func (f *findCmd) parse(args []string) error {
	p := &findParser{f: f, args: args}
	expr, err := p.or()
	if err != nil {
		return err
	}
	if p.pos < len(args) {
		return f.usage(args[p.pos])
	}
	if !p.action {
		print := &findNode{op: "-print"}
		if expr == nil {
			expr = print
		} else {
			expr = &findNode{op: "and", kids: []*findNode{expr, print}}
		}
	}
	f.expr = expr
	return nil
}

// usage reports an unknown primary or a stray token.
func (f *findCmd) usage(tok string) error {
	switch {
	case !f.gnu:
		f.report("unrecognized: " + tok)
	case strings.HasPrefix(tok, "-"):
		f.report("unknown predicate `" + tok + "'")
	default:
		f.report("paths must precede expression: `" + tok + "'")
	}
	return errFind
}

// findParser is a recursive-descent parser over find's operators:
// or := and (-o and)*; and := unary ([-a] unary)*; unary := ! unary |
// ( or ) | primary.
type findParser struct {
	f      *findCmd
	args   []string
	pos    int
	action bool // an action (-print, -delete) appears
}

func (p *findParser) peek() string {
	if p.pos < len(p.args) {
		return p.args[p.pos]
	}
	return ""
}

func (p *findParser) or() (*findNode, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "-o" || p.peek() == "-or" {
		p.pos++
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		if left == nil || right == nil {
			return nil, p.f.missingOperand("-o")
		}
		left = &findNode{op: "or", kids: []*findNode{left, right}}
	}
	return left, nil
}

func (p *findParser) and() (*findNode, error) {
	var left *findNode
	for p.pos < len(p.args) {
		tok := p.peek()
		if tok == "-o" || tok == "-or" || tok == ")" {
			break
		}
		if tok == "-a" || tok == "-and" {
			p.pos++
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n == nil {
			continue // a global option: always true, no node
		}
		if left == nil {
			left = n
		} else {
			left = &findNode{op: "and", kids: []*findNode{left, n}}
		}
	}
	return left, nil
}

func (p *findParser) unary() (*findNode, error) {
	tok := p.peek()
	switch tok {
	case "!", "-not":
		p.pos++
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n == nil {
			return nil, p.f.missingOperand(tok)
		}
		return &findNode{op: "not", kids: []*findNode{n}}, nil
	case "(":
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, p.f.unbalanced()
		}
		p.pos++
		return n, nil
	}
	return p.primary()
}

// primary parses one test, action or global option.
func (p *findParser) primary() (*findNode, error) {
	tok := p.peek()
	p.pos++
	switch tok {
	case "-print", "-delete":
		p.action = true
		if tok == "-delete" {
			p.f.depth = true
		}
		return &findNode{op: tok}, nil
	case "-depth", "-d":
		p.f.depth = true
		return nil, nil
	case "-empty":
		return &findNode{op: tok}, nil
	case "-mindepth", "-maxdepth":
		arg, err := p.arg(tok)
		if err != nil {
			return nil, err
		}
		n, err := p.f.depthArg(tok, arg)
		if err != nil {
			return nil, err
		}
		if tok == "-mindepth" {
			p.f.minDepth = n
		} else {
			p.f.maxDepth = n
		}
		return nil, nil
	case "-name", "-iname", "-type":
		arg, err := p.arg(tok)
		if err != nil {
			return nil, err
		}
		if tok == "-type" && !validFindType(arg) {
			return nil, p.f.badType(arg)
		}
		return &findNode{op: tok, arg: arg}, nil
	}
	p.pos--
	return nil, p.f.usage(tok)
}

// arg returns the argument of primary tok.
func (p *findParser) arg(tok string) (string, error) {
	if p.pos >= len(p.args) {
		if p.f.gnu {
			p.f.report("missing argument to `" + tok + "'")
		} else {
			p.f.report(tok + " requires an argument")
		}
		return "", errFind
	}
	p.pos++
	return p.args[p.pos-1], nil
}

// depthArg reads the number of -mindepth or -maxdepth.
func (f *findCmd) depthArg(tok, arg string) (int, error) {
	n, err := strconv.Atoi(arg)
	if err == nil && n >= 0 && arg[0] != '+' && arg[0] != '-' {
		return n, nil
	}
	if f.gnu {
		f.report("Expected a positive decimal integer argument to " + tok + ", but got " + f.quote(arg))
	} else {
		f.report("invalid number '" + arg + "'")
	}
	return 0, errFind
}

func validFindType(arg string) bool { return arg == "f" || arg == "d" || arg == "l" }

func (f *findCmd) badType(arg string) error {
	if f.gnu {
		f.report("Unknown argument to -type: " + arg)
	} else {
		f.report("unrecognized: " + arg)
	}
	return errFind
}

func (f *findCmd) missingOperand(op string) error {
	if f.gnu {
		f.report("invalid expression; you have used a binary operator '" + op + "' with nothing before it.")
	} else {
		f.report("unrecognized: " + op)
	}
	return errFind
}

func (f *findCmd) unbalanced() error {
	if f.gnu {
		f.report("invalid expression; I was expecting to find a ')' somewhere but did not see one.")
	} else {
		f.report("unrecognized: (")
	}
	return errFind
}

// walkStart visits one start point and everything below it.
func (f *findCmd) walkStart(start string) error {
	full := f.sh.abs(start)
	info, err := f.sh.files().Stat(full)
	if err != nil {
		f.report(f.quote(start) + ": " + errnoText(err))
		return nil
	}
	return f.visit(findEntry{path: start, full: full, info: info})
}

// visit evaluates the expression on e (before or after its children, as
// -depth says) and descends into directories down to -maxdepth.
func (f *findCmd) visit(e findEntry) error {
	if err := f.sh.charge(len(e.path) + 1); err != nil {
		return err
	}
	if !f.depth && e.depth >= f.minDepth {
		f.eval(f.expr, e)
	}
	if e.info.IsDir() && (f.maxDepth < 0 || e.depth < f.maxDepth) {
		entries, err := f.sh.files().ReadDir(e.full)
		if err != nil {
			f.report(f.quote(e.path) + ": " + errnoText(err))
		}
		for _, kid := range entries {
			child := findEntry{path: joinFindPath(e.path, kid.Name), full: cleanPath(e.full + "/" + kid.Name),
				depth: e.depth + 1, info: kid}
			if err := f.visit(child); err != nil {
				return err
			}
		}
	}
	if f.depth && e.depth >= f.minDepth {
		f.eval(f.expr, e)
	}
	return nil
}

// joinFindPath names a child as find prints it: "dir/name", or
// "dir/name" without doubling a slash the user typed.
func joinFindPath(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

// eval evaluates n on e, performing its actions.
func (f *findCmd) eval(n *findNode, e findEntry) bool {
	switch n.op {
	case "and":
		return f.eval(n.kids[0], e) && f.eval(n.kids[1], e)
	case "or":
		return f.eval(n.kids[0], e) || f.eval(n.kids[1], e)
	case "not":
		return !f.eval(n.kids[0], e)
	case "-print":
		f.io.stdout.write(f.sh, e.path+"\n")
		return true
	case "-delete":
		return f.delete(e)
	case "-name":
		return globMatch(n.arg, findBase(e.path))
	case "-iname":
		return globMatch(strings.ToLower(n.arg), strings.ToLower(findBase(e.path)))
	case "-type":
		return n.arg == "d" && e.info.IsDir() || n.arg == "f" && e.info.Mode.IsRegular()
	case "-empty":
		return f.empty(e)
	}
	return false
}

// findBase is the name -name matches: the last element of the path,
// trailing slashes ignored.
func findBase(p string) string {
	if t := strings.TrimRight(p, "/"); t != "" {
		return baseName(t)
	}
	return "/"
}

// empty is -empty: an empty regular file or a directory with no entries.
func (f *findCmd) empty(e findEntry) bool {
	if !e.info.IsDir() {
		return e.info.Mode.IsRegular() && e.info.Size == 0
	}
	entries, err := f.sh.files().ReadDir(e.full)
	return err == nil && len(entries) == 0
}

// delete is -delete: unlink a file, rmdir a directory. A start point named
// "." is left alone, as both implementations do.
func (f *findCmd) delete(e findEntry) bool {
	if e.path == "." {
		return true
	}
	err := f.sh.files().Remove(e.full)
	if err == nil {
		return true
	}
	if f.gnu {
		f.report("cannot delete " + f.quote(e.path) + ": " + errnoText(err))
		return false
	}
	// busybox prints the error and carries on with the exit status untouched.
	f.io.stderr.write(f.sh, "find: "+e.path+": "+errnoText(err)+"\n")
	return true
}
