package bc

import (
	"math/big"
)

// maxBCDigits caps the size of any bc number (digits before plus after the
// point). GNU bc has no such cap; the simulator needs one so that a program
// like `x=10; while(1) x=x*x` fails cleanly instead of exhausting memory.
const maxBCDigits = 1_000_000

// bcError is a bc runtime error or warning; bc prints it to stderr as
// "Runtime error (func=(main), adr=0): <msg>". GNU bc's adr is an offset into
// its bytecode, which this interpreter does not have, so it is always 0.
type bcError struct {
	msg     string
	warning bool
}

// Error implements error.
func (e *bcError) Error() string {
	if e.warning {
		return "Runtime warning (func=(main), adr=0): " + e.msg
	}
	return "Runtime error (func=(main), adr=0): " + e.msg
}

var (
	errBCDivZero = &bcError{msg: "Divide by zero"}
	errBCPowZero = &bcError{msg: "divide by zero"} // 0 to a negative power

	errBCSqrtNeg   = &bcError{msg: "Square root of a negative number"}
	errBCBigExp    = &bcError{msg: "exponent too large in raise"}
	errBCTooBig    = &bcError{msg: "number too large for the simulator"}
	warnBCExpScale = &bcError{msg: "non-zero scale in exponent", warning: true}
)

// checkSize refuses numbers past maxBCDigits.
func (a *bcArith) checkSize(n bcNum) error {
	if n.mag.BitLen() > maxBCDigits*10/3+10 {
		return errBCTooBig
	}
	return nil
}

// divide is div with bc's divide-by-zero error.
func (a *bcArith) divide(x, y bcNum, scale int) (bcNum, error) {
	if y.isZero() {
		return bcNum{}, errBCDivZero
	}
	return a.div(x, y, scale), nil
}

// raise is bc_raise: x^y for the integer part of y. bc computes the power
// exactly (its intermediate scales double with each squaring) and then
// truncates to min(x.scale*|y|, max(scale, x.scale)); a negative exponent
// divides 1 by the power at scale. The returned warning (non-nil when y has
// a fraction) does not stop the computation.
func (a *bcArith) raise(x, y bcNum, scale int) (bcNum, *bcError, error) {
	var warn *bcError
	if y.scale != 0 {
		warn = warnBCExpScale
	}
	e, ok := a.intPart(y)
	if !ok {
		return bcNum{}, warn, errBCBigExp
	}
	if e == 0 {
		return a.fromInt(1), warn, nil
	}
	ue := e
	if ue < 0 {
		ue = -ue
	}
	total := a.decDigits(x.mag) + x.scale
	if !x.isZero() && x.mag.Cmp(bigOne) != 0 && int64(total) > maxBCDigits/ue {
		return bcNum{}, warn, errBCBigExp
	}
	if x.scale > 0 && int64(x.scale) > maxBCDigits/ue {
		return bcNum{}, warn, errBCBigExp
	}
	pow := bcNum{
		mag:   new(big.Int).Exp(x.mag, big.NewInt(ue), nil),
		neg:   x.neg && ue%2 == 1,
		scale: x.scale * int(ue),
	}
	if e < 0 {
		if pow.isZero() {
			return bcNum{}, warn, errBCPowZero
		}
		return a.div(a.fromInt(1), pow, scale), warn, nil
	}
	rs := min(int64(x.scale)*ue, int64(max(scale, x.scale)))
	return a.truncate(pow, int(rs)), warn, nil
}

// maxSqrtSteps bounds sqrt's Newton iteration (it converges in a few dozen).
const maxSqrtSteps = 10000

// isNearZero is bc_is_near_zero: the digits of n up to scale are all zero,
// or all zero but a final 1.
func (a *bcArith) isNearZero(n bcNum, scale int) bool {
	t := a.rescale(n.mag, n.scale, min(scale, n.scale))
	return t.Cmp(bigOne) <= 0
}

// sqrt is bc_sqrt: Newton's method at growing precision, then truncated to
// max(scale, n.scale) digits. Following bc's steps exactly matters: the
// last digit it prints is the one this iteration lands on.
func (a *bcArith) sqrt(n bcNum, scale int) (bcNum, error) {
	one := a.fromInt(1)
	switch c := a.cmp(n, a.zero()); {
	case c < 0:
		return bcNum{}, errBCSqrtNeg
	case c == 0 || n.isZero():
		return a.zero(), nil
	}
	c := a.cmp(n, one)
	if c == 0 {
		return one, nil
	}
	rscale := max(scale, n.scale)
	point5 := bcNum{mag: big.NewInt(5), scale: 1}
	var guess bcNum
	var cscale int
	if c < 0 {
		guess, cscale = one, n.scale
	} else {
		exp := int64(a.intLen(n)) / 2
		guess = bcNum{mag: new(big.Int).Exp(bigTen, big.NewInt(exp), nil)}
		cscale = 3
	}
	// bc loops until convergence; the cap only guards against a cycle.
	for range maxSqrtSteps {
		prev := guess
		guess = a.div(n, guess, cscale)
		guess = a.add(guess, prev, 0)
		guess = a.mul(guess, point5, cscale)
		diff := a.sub(guess, prev, cscale+1)
		if a.isNearZero(diff, cscale) {
			if cscale >= rscale+1 {
				break
			}
			cscale = min(cscale*3, rscale+1)
		}
	}
	return a.div(guess, one, rscale), nil
}
