package bc

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// Caps that keep any bc program bounded in memory and CPU.
const (
	// maxBCScale is the largest scale a program may set. GNU bc allows
	// INT_MAX; the simulator caps it and warns, as bc warns at its own cap.
	maxBCScale = 100000
	// maxBCSteps bounds expression evaluations per run; past it bc stops.
	maxBCSteps = 1_000_000
	// maxBCDepth bounds user function recursion.
	maxBCDepth = 500
	// maxBCArrayIndex is GNU bc's BC_DIM_MAX.
	maxBCArrayIndex = 16777215
)

// Virtual run-time model, calibrated on the Kubernetes tutorial that runs
// `echo 'scale=10000; 4*a(1)' | bc -l`: it takes 1m54s at scale 10000, and
// about 40s at scale 5000. A math library call at scale s costs
// 114s * (s/10000)^k with k = log2(114/40) ~ 1.51, which passes through
// both points. A run that calls no library function takes BaseCost.
const (
	bcLibCostAt10000 = 114 * time.Second
	// BaseCost is the run time of a program that calls no library function.
	BaseCost = time.Millisecond
)

var bcCostExponent = math.Log2(114.0 / 40.0)

// LibCost is the modelled time of one math library call at scale s,
// rounded to the millisecond so that results never depend on float noise.
func LibCost(s int) time.Duration {
	ratio := float64(s) / 10000
	secs := bcLibCostAt10000.Seconds() * math.Pow(ratio, bcCostExponent)
	return time.Duration(math.Round(secs*1000)) * time.Millisecond
}

// Control flow inside the interpreter travels as errors.
var (
	errBCBreak    = errors.New("break")
	errBCContinue = errors.New("continue")
	errBCHalt     = errors.New("halt")
	errBCSteps    = &bcError{msg: "program ran too long for the simulator"}
	errBCDepth    = &bcError{msg: "function calls nested too deeply for the simulator"}
	errBCRead     = &bcError{msg: "read() is not supported by the simulator"}
	errBCArgCount = &bcError{msg: "Parameter number mismatch"}
	errBCModZero  = &bcError{msg: "Modulo by zero"}
)

type bcReturnSig struct{ v bcNum }

// Error implements error.
func (*bcReturnSig) Error() string { return "return" }

// Config is how bc was invoked.
type Config struct {
	// MathLib is -l: the math library is loaded and scale starts at 20.
	MathLib bool
	// LineLen is the output line length, from BC_LINE_LENGTH (see
	// LineLength); 0 never wraps.
	LineLen int
	// OutLimit is how many bytes of stdout (and of stderr) are kept.
	OutLimit int
}

// Result is what a bc run printed and how long it took.
type Result struct {
	// Stdout and Stderr are everything printed on each stream.
	Stdout, Stderr string
	// Cost is the modelled run time (BaseCost at least; see LibCost).
	Cost time.Duration
	// Chunks is the output in order, each piece stamped with the modelled
	// time at which bc printed it.
	Chunks []Chunk
}

// Chunk is a piece of bc's output and when it appears.
type Chunk struct {
	// At is the modelled time since the start at which it is printed.
	At time.Duration
	// Text is the piece of output.
	Text string
	// Stderr marks a piece printed on standard error.
	Stderr bool
}

// bcArray is one array; elements never assigned read as zero.
type bcArray struct{ elems map[int64]bcNum }

func (arr *bcArray) clone() *bcArray {
	c := &bcArray{elems: make(map[int64]bcNum, len(arr.elems))}
	for k, v := range arr.elems {
		c.elems[k] = v
	}
	return c
}

// bcInterp runs parsed bc. Variables and arrays are stacks because bc
// scopes function parameters and autos dynamically.
type bcInterp struct {
	a      *bcArith
	lib    *bcLib
	out    bcPrinter
	errs   strings.Builder
	vars   map[string][]bcNum
	arrays map[string][]*bcArray
	funcs  map[string]*bcFunc
	scale  int
	ibase  int
	obase  int
	last   bcNum
	steps  int
	depth  int
	cost   time.Duration
	cfg    Config
	chunks []Chunk
	// flushed is how much of out has been moved into chunks.
	flushed int
}

// Run runs a bc program read from src, as `bc [-l]` reading stdin. It
// never panics, and every run is bounded (scale, digits, steps, depth).
func Run(src string, cfg Config) Result {
	in := newBCInterp(cfg)
	p := newBCParser(src)
	for {
		item, ok, err := p.item()
		var syn *bcSyntaxError
		if err == errBCQuit || !ok && err == nil {
			break
		}
		if errors.As(err, &syn) {
			in.stderr(fmt.Sprintf("(standard_in) %d: %s", syn.line, syn.msg))
			p.recover()
			continue
		}
		if item.fn != nil {
			in.funcs[item.fname] = item.fn
			continue
		}
		if stop := in.runLine(item.stmts); stop {
			break
		}
	}
	in.flush()
	cost := in.cost
	if cost == 0 {
		cost = BaseCost
	}
	return Result{Stdout: in.out.out.String(), Stderr: in.errs.String(), Cost: cost, Chunks: in.chunks}
}

func newBCInterp(cfg Config) *bcInterp {
	a := newBCArith()
	in := &bcInterp{
		a: a, lib: &bcLib{a: a}, cfg: cfg,
		vars: map[string][]bcNum{}, arrays: map[string][]*bcArray{}, funcs: map[string]*bcFunc{},
		ibase: 10, obase: 10, last: a.zero(),
	}
	in.lib.tick = in.libTick
	in.out.lineLen, in.out.limit = cfg.LineLen, cfg.OutLimit
	if cfg.MathLib {
		in.scale = 20
	}
	return in
}

func (in *bcInterp) stderr(line string) {
	if in.errs.Len() < in.cfg.OutLimit {
		in.flush()
		in.errs.WriteString(line + "\n")
		in.chunks = append(in.chunks, Chunk{At: in.cost, Text: line + "\n", Stderr: true})
	}
}

// flush moves stdout printed so far into a chunk at the current cost.
func (in *bcInterp) flush() {
	if n := in.out.out.Len(); n > in.flushed {
		in.chunks = append(in.chunks, Chunk{At: in.cost, Text: in.out.out.String()[in.flushed:]})
		in.flushed = n
	}
}

// runLine runs one line's statements. A runtime error abandons the rest of
// the line, as in bc; it reports stop when the program must end.
func (in *bcInterp) runLine(stmts []bcStmt) (stop bool) {
	for _, s := range stmts {
		err := in.exec(s)
		if err == nil {
			continue
		}
		if err == errBCHalt {
			return true
		}
		var be *bcError
		if errors.As(err, &be) {
			in.stderr(be.Error())
			return be == errBCSteps
		}
		return false // a stray break/continue/return ends the line
	}
	return false
}

// libTick charges one math library series iteration at scale s: more steps
// at higher scales, where each iteration multiplies longer numbers.
func (in *bcInterp) libTick(s int) error {
	in.steps += 1 + s/500
	if in.steps > maxBCSteps {
		return errBCSteps
	}
	return nil
}

func (in *bcInterp) step() error {
	in.steps++
	if in.steps > maxBCSteps {
		return errBCSteps
	}
	return nil
}

func (in *bcInterp) exec(s bcStmt) error {
	if err := in.step(); err != nil {
		return err
	}
	switch s := s.(type) {
	case *bcExprStmt:
		return in.execExpr(s)
	case *bcStrStmt:
		in.out.str(s.s)
	case *bcPrint:
		return in.execPrint(s)
	case *bcBlock:
		for _, st := range s.stmts {
			if err := in.exec(st); err != nil {
				return err
			}
		}
	case *bcIf:
		return in.execIf(s)
	case *bcWhile:
		return in.loop(nil, s.cond, nil, s.body)
	case *bcFor:
		return in.loop(s.init, s.cond, s.post, s.body)
	case *bcBreak:
		return errBCBreak
	case *bcContinue:
		return errBCContinue
	case *bcReturn:
		return in.execReturn(s)
	case *bcHalt:
		return errBCHalt
	}
	return nil
}

// execExpr runs an expression statement: unless it is an assignment, its
// value is printed and becomes last.
func (in *bcInterp) execExpr(s *bcExprStmt) error {
	v, err := in.eval(s.x)
	if err != nil {
		return err
	}
	if _, ok := s.x.(*bcAssign); ok {
		return nil
	}
	in.out.num(in.a, v, in.obase)
	in.out.char('\n')
	in.last = v
	return nil
}

func (in *bcInterp) execPrint(s *bcPrint) error {
	for _, item := range s.items {
		if item.isStr {
			in.out.str(bcEscapes(item.str))
			continue
		}
		v, err := in.eval(item.x)
		if err != nil {
			return err
		}
		in.out.num(in.a, v, in.obase)
		in.last = v
	}
	return nil
}

// bcEscapes interprets the escapes print accepts.
func bcEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'q':
			b.WriteByte('"')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func (in *bcInterp) truth(x bcExpr) (bool, error) {
	if x == nil {
		return true, nil
	}
	v, err := in.eval(x)
	if err != nil {
		return false, err
	}
	return !v.isZero(), nil
}

func (in *bcInterp) execIf(s *bcIf) error {
	ok, err := in.truth(s.cond)
	switch {
	case err != nil:
		return err
	case ok:
		return in.exec(s.then)
	case s.els != nil:
		return in.exec(s.els)
	}
	return nil
}

// loop runs while and for loops.
func (in *bcInterp) loop(init, cond, post bcExpr, body bcStmt) error {
	if init != nil {
		if _, err := in.eval(init); err != nil {
			return err
		}
	}
	for {
		ok, err := in.truth(cond)
		if err != nil || !ok {
			return err
		}
		err = in.exec(body)
		if err == errBCBreak {
			return nil
		}
		if err != nil && err != errBCContinue {
			return err
		}
		if post != nil {
			if _, err := in.eval(post); err != nil {
				return err
			}
		}
	}
}

func (in *bcInterp) execReturn(s *bcReturn) error {
	if s.x == nil {
		return &bcReturnSig{v: in.a.zero()}
	}
	v, err := in.eval(s.x)
	if err != nil {
		return err
	}
	return &bcReturnSig{v: v}
}

// constant converts a number literal with the current ibase. Digits at or
// above ibase count as ibase-1 in numbers of more than one digit, while a
// single digit keeps its value (bc reads "A" as 10 and "1A" as 19).
func (in *bcInterp) constant(text string) bcNum {
	if in.ibase == 10 && !strings.ContainsAny(text, "ABCDEF") {
		if n, ok := parseBCDecimal(text); ok {
			return n
		}
	}
	intText, fracText, _ := strings.Cut(text, ".")
	single := len(intText)+len(fracText) == 1
	base := big.NewInt(int64(in.ibase))
	digitsValue := func(s string) *big.Int {
		v := new(big.Int)
		for i := 0; i < len(s); i++ {
			d := int64(strings.IndexByte(bcDigitChars, s[i]))
			if !single && d >= int64(in.ibase) {
				d = int64(in.ibase - 1)
			}
			v.Mul(v, base).Add(v, big.NewInt(d))
		}
		return v
	}
	n := bcNum{mag: digitsValue(intText)}
	if fracText == "" {
		return n
	}
	den := new(big.Int).Exp(base, big.NewInt(int64(len(fracText))), nil)
	frac := in.a.div(bcNum{mag: digitsValue(fracText)}, bcNum{mag: den}, len(fracText))
	return in.a.add(n, frac, 0)
}
