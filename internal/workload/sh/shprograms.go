package sh

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/bc"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// shPrograms are the standard programs of the modelled systems, by name:
// what a busybox or Debian image ships (an image's Userland leaves out
// what it lacks and adds its servers).
var shPrograms map[string]Program

// Standard returns the standard program name runs, if there is one.
func Standard(name string) (Program, bool) {
	p, ok := shPrograms[name]
	return p, ok
}

func init() {
	shPrograms = map[string]Program{
		"cat": progCat, "ls": progLs, "mkdir": progMkdir, "rm": progRm, "rmdir": progRmdir,
		"touch": progTouch, "cp": progCp, "mv": progMv, "chmod": progChmod, "tee": progTee,
		"sleep": progSleep, "date": progDate, "hostname": progHostname, "env": progEnv,
		"printenv": progPrintenv, "bc": progBC, "head": progHead, "tail": progTail,
		"wc": progWc, "seq": progSeq, "uname": progUname, "whoami": progWhoami, "id": progID,
		"basename": progBasename, "dirname": progDirname, "grep": progGrep, "tr": progTr,
		"sh": progShell, "bash": progShell, "ash": progShell, "dash": progShell,
		"true": builtinTrue, "false": builtinFalse, "echo": builtinEcho, "printf": builtinPrintf,
		"test": builtinTest, "[": builtinTest, "pwd": builtinPwd, "kill": builtinTrue,
		"nslookup": progNslookup, "curl": progCurl, "wget": progWget,
		"find": progFind, "awk": progAwk, "base64": progBase64,
	}
}

// progErr prints "prog: message" to stderr and sets the status.
func (sh *Shell) progErr(io *IO, status int, prog, format string, args ...any) {
	io.stderr.write(sh, prog+": "+sprintf(format, args...)+"\n")
	sh.status = status
}

// splitFlags separates leading -xyz flags from operands ("--" ends them).
func splitFlags(args []string) (flags string, operands []string) {
	for i, a := range args {
		if a == "--" {
			return flags, args[i+1:]
		}
		if len(a) < 2 || a[0] != '-' {
			return flags, args[i:]
		}
		flags += a[1:]
	}
	return flags, nil
}

// progSleep is busybox sleep: the arguments are added up; each is a number,
// possibly fractional, with an optional s, m, h or d suffix; "inf" and
// "infinity" sleep forever.
func progSleep(sh *Shell, argv []string, io *IO) error {
	if len(argv) < 2 {
		sh.progErr(io, 1, "sleep", "missing operand")
		return nil
	}
	var total time.Duration
	for _, a := range argv[1:] {
		d, ok := parseSleep(a)
		if !ok {
			sh.progErr(io, 1, "sleep", "invalid number '%s'", a)
			return nil
		}
		if d < 0 || total > math.MaxInt64-d {
			total = -1 // forever
			break
		}
		total += d
	}
	sh.status = 0
	if total < 0 {
		return sh.blockForever()
	}
	return sh.sleep(total)
}

// parseSleep reads one sleep argument; a negative duration means forever.
func parseSleep(a string) (time.Duration, bool) { return parseSleepArg(a, true) }

// parseSleepArg is parseSleep; wholeShortcut reads whole numbers without
// ParseFloat (false only in a test that checks the shortcut against it).
func parseSleepArg(a string, wholeShortcut bool) (time.Duration, bool) {
	switch strings.ToLower(a) {
	case "inf", "infinity":
		return -1, true
	}
	unit := 1.0
	if a != "" {
		switch a[len(a)-1] {
		case 's':
			a = a[:len(a)-1]
		case 'm':
			unit, a = 60, a[:len(a)-1]
		case 'h':
			unit, a = 3600, a[:len(a)-1]
		case 'd':
			unit, a = 86400, a[:len(a)-1]
		}
	}
	if a == "" || strings.ContainsAny(a, "eEinxXpP+-") {
		return 0, false
	}
	if n, ok := smallWholeNumber(a); wholeShortcut && ok && float64(n)*unit < 1e9 {
		// "sleep 30", the usual case, without ParseFloat: its frames
		// grow a fresh process's small stack, which cost more than the
		// parse.
		return time.Duration(n) * time.Duration(unit) * time.Second, true
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	secs := f * unit
	if secs > float64(math.MaxInt64)/1e9 {
		return -1, true
	}
	return time.Duration(math.Round(secs * 1e9)), true
}

// smallWholeNumber reads a of up to nine digits.
func smallWholeNumber(a string) (int64, bool) {
	if len(a) > 9 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(a); i++ {
		if a[i] < '0' || a[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(a[i]-'0')
	}
	return n, true
}

// progHostname is hostname [-s|-i|-f|-d]: the name, or what resolving it
// through /etc/hosts gives (the kubelet writes the pod's address there).
// -i prints each address followed by a space, as busybox and net-tools do.
func progHostname(sh *Shell, argv []string, io *IO) error {
	flags, _ := splitFlags(argv[1:])
	name := sh.run.hostname
	sh.status = 0
	if flags == "" || strings.Contains(flags, "s") && !strings.ContainsAny(flags, "idf") {
		short, _, _ := strings.Cut(name, ".")
		if flags == "" {
			short = name
		}
		io.stdout.write(sh, short+"\n")
		return nil
	}
	canonical, addrs := sh.hostsLookup(name)
	if len(addrs) == 0 {
		sh.progErr(io, 1, "hostname", "bad address '%s'", name)
		return nil
	}
	switch {
	case strings.Contains(flags, "i"):
		io.stdout.write(sh, strings.Join(addrs, " ")+" \n")
	case strings.Contains(flags, "f"):
		io.stdout.write(sh, canonical+"\n")
	case strings.Contains(flags, "d"):
		_, domain, _ := strings.Cut(canonical, ".")
		io.stdout.write(sh, domain+"\n")
	}
	return nil
}

// hostsLookup looks name up in /etc/hosts as the resolver does: the
// canonical name (the first of the line) and the addresses of every line
// naming it.
func (sh *Shell) hostsLookup(name string) (string, []string) {
	data, err := sh.files().ReadFile("/etc/hosts")
	if err != nil {
		return name, nil
	}
	canonical := name
	var addrs []string
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.Contains(fields[0], ":") {
			continue // IPv6 lines do not answer an IPv4 lookup
		}
		for _, n := range fields[1:] {
			if n == name {
				if len(addrs) == 0 {
					canonical = fields[1]
				}
				addrs = append(addrs, fields[0])
				break
			}
		}
	}
	return canonical, addrs
}

// progEnv prints the environment, or runs a command with NAME=value
// settings added.
func progEnv(sh *Shell, argv []string, io *IO) error {
	args := argv[1:]
	var assigns []shAssign
	for len(args) > 0 {
		name, value, ok := strings.Cut(args[0], "=")
		if !ok || !isShName(name) {
			break
		}
		assigns = append(assigns, shAssign{name: name, value: &shWord{parts: []shPart{{kind: partLit, text: value, quoted: true}}}})
		args = args[1:]
	}
	restore, err := sh.assignFor(assigns, "env", io)
	if err != nil {
		return err
	}
	defer restore()
	if len(args) == 0 {
		for _, e := range sh.environ() {
			io.stdout.write(sh, e+"\n")
		}
		sh.status = 0
		return nil
	}
	if prog, ok := sh.lookup(args[0]); ok {
		return prog(sh, args, io)
	}
	sh.progErr(io, 127, "env", "can't execute '%s': No such file or directory", args[0])
	return nil
}

func progPrintenv(sh *Shell, argv []string, io *IO) error {
	if len(argv) == 1 {
		return progEnv(sh, argv[:1], io)
	}
	sh.status = 0
	for _, name := range argv[1:] {
		v, ok := sh.varMap()[name]
		if !ok || !v.exported {
			sh.status = 1
			continue
		}
		io.stdout.write(sh, v.value+"\n")
	}
	return nil
}

func progUname(sh *Shell, argv []string, io *IO) error {
	flags, _ := splitFlags(argv[1:])
	fields := map[byte]string{'s': "Linux", 'n': sh.run.hostname, 'r': "5.15.0", 'v': "#1 SMP", 'm': "x86_64", 'o': "GNU/Linux"}
	if flags == "" {
		flags = "s"
	}
	if strings.Contains(flags, "a") {
		flags = "snrvmo"
	}
	var out []string
	for _, f := range []byte("snrvmo") {
		if strings.IndexByte(flags, f) >= 0 {
			out = append(out, fields[f])
		}
	}
	io.stdout.write(sh, strings.Join(out, " ")+"\n")
	sh.status = 0
	return nil
}

func progWhoami(sh *Shell, _ []string, io *IO) error {
	io.stdout.write(sh, "root\n")
	sh.status = 0
	return nil
}

func progID(sh *Shell, _ []string, io *IO) error {
	io.stdout.write(sh, "uid=0(root) gid=0(root) groups=0(root)\n")
	sh.status = 0
	return nil
}

func progBasename(sh *Shell, argv []string, io *IO) error {
	if len(argv) < 2 {
		sh.progErr(io, 1, "basename", "missing operand")
		return nil
	}
	b := baseName(argv[1])
	if len(argv) > 2 && b != argv[2] {
		b = strings.TrimSuffix(b, argv[2])
	}
	io.stdout.write(sh, b+"\n")
	sh.status = 0
	return nil
}

func progDirname(sh *Shell, argv []string, io *IO) error {
	if len(argv) < 2 {
		sh.progErr(io, 1, "dirname", "missing operand")
		return nil
	}
	p := strings.TrimRight(argv[1], "/")
	d := "."
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		d = strings.TrimRight(p[:i], "/")
	} else if i == 0 || argv[1] != "" && p == "" {
		d = "/"
	}
	io.stdout.write(sh, d+"\n")
	sh.status = 0
	return nil
}

// progBC runs bc on its file arguments and then standard input. Its output
// appears when the modelled computation time has passed: each piece of
// output at the cost accumulated when it was printed.
func progBC(sh *Shell, argv []string, io *IO) error {
	cfg := bc.Config{LineLen: bc.DefaultLineLength, OutLimit: proc.MaxStringBytes}
	if v, ok := sh.getVar("BC_LINE_LENGTH"); ok {
		cfg.LineLen = bc.LineLength(v, true)
	}
	var src strings.Builder
	for _, a := range argv[1:] {
		if strings.HasPrefix(a, "-") && a != "-" {
			cfg.MathLib = cfg.MathLib || strings.Contains(a, "l") || a == "--mathlib"
			continue
		}
		data, err := sh.files().ReadFile(sh.abs(a))
		if err != nil {
			sh.progErr(io, 1, "bc", "File %s is unavailable.", a)
			return nil
		}
		src.Write(data)
	}
	in, err := io.stdin.readAll(sh)
	if err != nil {
		return err
	}
	src.WriteString(in)
	res := bc.Run(src.String(), cfg)
	start := sh.now
	for _, c := range res.Chunks {
		if err := sh.sleep(start + c.At - sh.now); err != nil {
			return err
		}
		if c.Stderr {
			io.stderr.write(sh, c.Text)
		} else {
			io.stdout.write(sh, c.Text)
		}
	}
	sh.status = 0
	return sh.sleep(start + res.Cost - sh.now)
}
