package bc

import (
	"math/big"
)

// This file is bc -l's math library. Each function follows the algorithm of
// GNU bc's libmath.b step for step (the same preconditioning, working scales
// and series, each operation truncating exactly where bc's does), because
// bc's last printed digit is whatever that algorithm produces, which is not
// always the correctly truncated value. The one shortcut is a(1) above 60
// digits (see atanOne).

// maxLibScale caps the working scale of the math library. Its series cost
// grows faster than the square of the scale; past this the simulator refuses
// instead of computing for minutes. a(1), the tutorial's case, has a fast
// path and is allowed up to maxBCScale.
const maxLibScale = 10000

var errBCLibScale = &bcError{msg: "scale too large for the math library in the simulator"}

// Constants libmath.b uses for fast answers at small scales.
var (
	atanOne25 = mustBCNum(".7853981633974483096156608")
	atanOne40 = mustBCNum(".7853981633974483096156608458198757210492")
	atanOne60 = mustBCNum(".785398163397448309615660845819875721049292349843776455243736")
	atanFif25 = mustBCNum(".1973955598498807583700497")
	atanFif40 = mustBCNum(".1973955598498807583700497651947902934475")
	atanFif60 = mustBCNum(".197395559849880758370049765194790293447585103787852101517688")
	bcFifth   = mustBCNum(".2")
	bcHalf    = mustBCNum(".5")
)

// mustBCNum parses a decimal constant of this file.
func mustBCNum(s string) bcNum {
	n, ok := parseBCDecimal(s)
	if !ok {
		panic("workload: bad bc constant " + s)
	}
	return n
}

// parseBCDecimal parses [-]digits[.digits] in base 10.
func parseBCDecimal(s string) (bcNum, bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	scale := 0
	digits := make([]byte, 0, len(s))
	seenPoint := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !seenPoint:
			seenPoint = true
		case c >= '0' && c <= '9':
			digits = append(digits, c)
			if seenPoint {
				scale++
			}
		default:
			return bcNum{}, false
		}
	}
	if len(digits) == 0 {
		return bcNum{}, false
	}
	m, ok := new(big.Int).SetString(string(digits), 10)
	if !ok {
		return bcNum{}, false
	}
	return bcNum{mag: m, neg: neg && m.Sign() != 0, scale: scale}, true
}

// bcLib evaluates the math library functions.
type bcLib struct {
	a *bcArith
	// tick is called once per series iteration at the working scale; it
	// charges the interpreter's step budget and fails when it runs out.
	// Nil means unlimited (tests and atanOne's series below 2001 digits).
	tick func(scale int) error
}

func (l *bcLib) step(scale int) error {
	if l.tick == nil {
		return nil
	}
	return l.tick(scale)
}

func (l *bcLib) neg(x bcNum) bcNum { return bcNum{mag: x.mag, neg: !x.neg, scale: x.scale} }

func (l *bcLib) abs(x bcNum) (bcNum, bool) {
	if x.neg {
		return l.neg(x), true
	}
	return x, false
}

func (l *bcLib) checkScale(s int) error {
	if s > maxLibScale {
		return errBCLibScale
	}
	return nil
}

// atan is a(x) at scale z.
func (l *bcLib) atan(x bcNum, z int) (bcNum, error) {
	a := l.a
	m := a.fromInt(1)
	if a.cmp(x, a.zero()) < 0 {
		m = a.fromInt(-1)
		x = l.neg(x)
	}
	if c, ok := l.atanConst(x, z); ok {
		return a.div(c, m, z), nil
	}
	if a.cmp(x, a.fromInt(1)) == 0 {
		return a.div(atanOne(a, z), m, z), nil
	}
	r, err := l.atanGeneral(x, z)
	if err != nil {
		return bcNum{}, err
	}
	return a.div(r, m, z), nil
}

// atanGeneral is libmath's a(x) for x >= 0 past its special cases, before
// the final division by the sign: a(.2) at z+5 digits, the argument reduced
// below .2 with atan(x) = atan(.2) + atan((x-.2)/(1+.2x)), and the series.
func (l *bcLib) atanGeneral(x bcNum, z int) (bcNum, error) {
	a := l.a
	if err := l.checkScale(z + 5); err != nil {
		return bcNum{}, err
	}
	fifth := a.zero()
	if a.cmp(x, bcFifth) > 0 {
		var err error
		if fifth, err = l.atan(bcFifth, z+5); err != nil {
			return bcNum{}, err
		}
	}
	s := z + 3
	f := a.zero()
	for a.cmp(x, bcFifth) > 0 {
		f = a.add(f, a.fromInt(1), 0)
		den := a.add(a.fromInt(1), a.mul(x, bcFifth, s), 0)
		x = a.div(a.sub(x, bcFifth, 0), den, s)
	}
	v, err := l.atanSeries(x, s)
	if err != nil {
		return bcNum{}, err
	}
	return a.add(a.mul(f, fifth, z), v, 0), nil
}

// atanConst returns libmath's stored value of a(1) or a(.2) for scales up
// to 60.
func (l *bcLib) atanConst(x bcNum, z int) (bcNum, bool) {
	a := l.a
	var table [3]bcNum
	switch {
	case a.cmp(x, a.fromInt(1)) == 0:
		table = [3]bcNum{atanOne25, atanOne40, atanOne60}
	case a.cmp(x, bcFifth) == 0:
		table = [3]bcNum{atanFif25, atanFif40, atanFif60}
	default:
		return bcNum{}, false
	}
	switch {
	case z <= 25:
		return table[0], true
	case z <= 40:
		return table[1], true
	case z <= 60:
		return table[2], true
	}
	return bcNum{}, false
}

// atanSeries sums x - x^3/3 + x^5/5 - ... at scale s until a term is zero.
func (l *bcLib) atanSeries(x bcNum, s int) (bcNum, error) {
	a := l.a
	v, n := x, x
	sq := a.mul(l.neg(x), x, s)
	for i := int64(3); ; i += 2 {
		if err := l.step(s); err != nil {
			return bcNum{}, err
		}
		n = a.mul(n, sq, s)
		e := a.div(n, a.fromInt(i), s)
		if e.isZero() {
			return v, nil
		}
		v = a.add(v, e, 0)
	}
}

// sin is s(x) at scale z.
func (l *bcLib) sin(x bcNum, z int) (bcNum, error) {
	a := l.a
	s1 := z*11/10 + 2
	if err := l.checkScale(s1); err != nil {
		return bcNum{}, err
	}
	v := atanOne(a, s1)
	x, m := l.abs(x)
	// n = (x/v + 2)/4 at scale 0: the number of quarter turns, rounded.
	n := a.div(a.add(a.div(x, v, 0), a.fromInt(2), 0), a.fromInt(4), 0)
	x = a.sub(x, a.mul(a.mul(a.fromInt(4), n, 0), v, 0), 0)
	if !a.mod(n, a.fromInt(2), 0).isZero() {
		x = l.neg(x)
	}
	s := z + 2
	v, e := x, x
	sq := a.mul(l.neg(x), x, s)
	for i := int64(3); ; i += 2 {
		if err := l.step(s); err != nil {
			return bcNum{}, err
		}
		e = a.mul(e, a.div(sq, a.fromInt(i*(i-1)), s), s)
		if e.isZero() {
			if m {
				return a.div(l.neg(v), a.fromInt(1), z), nil
			}
			return a.div(v, a.fromInt(1), z), nil
		}
		v = a.add(v, e, 0)
	}
}

// cos is c(x) at scale z: sin(x + pi/2) at 1.2 times the scale.
func (l *bcLib) cos(x bcNum, z int) (bcNum, error) {
	a := l.a
	s1 := z * 12 / 10
	if err := l.checkScale(s1); err != nil {
		return bcNum{}, err
	}
	arg := a.add(x, a.mul(atanOne(a, s1), a.fromInt(2), s1), 0)
	v, err := l.sin(arg, s1)
	if err != nil {
		return bcNum{}, err
	}
	return a.div(v, a.fromInt(1), z), nil
}

// exp is e(x) at scale z.
func (l *bcLib) exp(x bcNum, z int) (bcNum, error) {
	a := l.a
	x, m := l.abs(x)
	n := a.add(a.add(a.fromInt(int64(6)), a.fromInt(int64(z)), 0), a.mul(mustBCNum(".44"), x, z), 0)
	nScale, ok := a.intPart(n)
	if !ok || nScale > maxLibScale {
		return bcNum{}, errBCLibScale
	}
	s := x.scale + 1
	f := 0
	for a.cmp(x, a.fromInt(1)) > 0 {
		f++
		x = a.div(x, a.fromInt(2), s)
		s++
	}
	s = int(nScale)
	v := a.add(a.fromInt(1), x, 0)
	pw, d := x, a.fromInt(1)
	for i := int64(2); ; i++ {
		if err := l.step(s); err != nil {
			return bcNum{}, err
		}
		pw = a.mul(pw, x, s)
		d = a.mul(d, a.fromInt(i), s)
		e := a.div(pw, d, s)
		if e.isZero() {
			for ; f > 0; f-- {
				v = a.mul(v, v, s)
				if err := a.checkSize(v); err != nil {
					return bcNum{}, err
				}
			}
			if m {
				return a.divide(a.fromInt(1), v, z)
			}
			return a.div(v, a.fromInt(1), z), nil
		}
		v = a.add(v, e, 0)
	}
}

// log is l(x) at scale z.
func (l *bcLib) log(x bcNum, z int) (bcNum, error) {
	a := l.a
	if a.cmp(x, a.zero()) <= 0 {
		p := new(big.Int).Exp(bigTen, big.NewInt(int64(z)), nil)
		return a.div(a.sub(a.fromInt(1), bcNum{mag: p}, 0), a.fromInt(1), z), nil
	}
	s := z + 6
	if err := l.checkScale(s); err != nil {
		return bcNum{}, err
	}
	f := a.fromInt(2)
	var err error
	for a.cmp(x, a.fromInt(2)) >= 0 {
		f = a.mul(f, a.fromInt(2), s)
		if x, err = a.sqrt(x, s); err != nil {
			return bcNum{}, err
		}
	}
	for a.cmp(x, bcHalf) <= 0 {
		f = a.mul(f, a.fromInt(2), s)
		if x, err = a.sqrt(x, s); err != nil {
			return bcNum{}, err
		}
	}
	n := a.div(a.sub(x, a.fromInt(1), 0), a.add(x, a.fromInt(1), 0), s)
	v := n
	sq := a.mul(n, n, s)
	for i := int64(3); ; i += 2 {
		if err := l.step(s); err != nil {
			return bcNum{}, err
		}
		n = a.mul(n, sq, s)
		e := a.div(n, a.fromInt(i), s)
		if e.isZero() {
			return a.div(a.mul(f, v, s), a.fromInt(1), z), nil
		}
		v = a.add(v, e, 0)
	}
}

// maxBesselOrder bounds j(n,x)'s order, whose n! the function computes.
const maxBesselOrder = 10000

// bessel is j(n,x) at scale z.
func (l *bcLib) bessel(n, x bcNum, z int) (bcNum, error) {
	a := l.a
	n = a.div(n, a.fromInt(1), 0)
	negate := false
	if a.cmp(n, a.zero()) < 0 {
		n = l.neg(n)
		negate = !a.mod(n, a.fromInt(2), 0).isZero() && a.cmp(a.mod(n, a.fromInt(2), 0), a.fromInt(1)) == 0
	}
	order, ok := a.intPart(n)
	if !ok || order > maxBesselOrder {
		return bcNum{}, errBCLibScale
	}
	f := a.fromInt(1)
	for i := int64(2); i <= order; i++ {
		f = a.mul(f, a.fromInt(i), 0)
	}
	s1 := z * 3 / 2
	if err := l.checkScale(s1); err != nil {
		return bcNum{}, err
	}
	xn, _, err := a.raise(x, n, s1)
	if err != nil {
		return bcNum{}, err
	}
	twoN, _, err := a.raise(a.fromInt(2), n, s1)
	if err != nil {
		return bcNum{}, err
	}
	f = a.div(a.div(xn, twoN, s1), f, s1)
	v, e := a.fromInt(1), a.fromInt(1)
	sq := a.div(a.mul(l.neg(x), x, s1), a.fromInt(4), s1)
	s := s1 + l.length(f) - f.scale
	if err := l.checkScale(s); err != nil {
		return bcNum{}, err
	}
	for i := int64(1); ; i++ {
		if err := l.step(s); err != nil {
			return bcNum{}, err
		}
		e = a.div(a.div(a.mul(e, sq, s), a.fromInt(i), s), a.add(n, a.fromInt(i), 0), s)
		if e.isZero() {
			if negate {
				return a.div(a.mul(l.neg(f), v, z), a.fromInt(1), z), nil
			}
			return a.div(a.mul(f, v, z), a.fromInt(1), z), nil
		}
		v = a.add(v, e, 0)
	}
}

// length is bc's length(x): digits before and after the point, not counting
// a zero integer part when there is a fraction.
func (l *bcLib) length(x bcNum) int {
	n := l.a.intLen(x) + x.scale
	if x.scale > 0 && l.a.rescale(x.mag, x.scale, 0).Sign() == 0 {
		n--
	}
	return n
}
