package bc

import (
	"math/big"
	"strings"
)

// bcNum is a bc number: sign, magnitude and scale, worth (-1)^neg * mag /
// 10^scale. The sign is kept apart from the magnitude because bc keeps it
// apart too: a power that truncates to zero can stay negative and print as
// "-0", exactly as GNU bc prints it. Values are immutable once built.
type bcNum struct {
	mag   *big.Int
	neg   bool
	scale int
}

var (
	bigOne = big.NewInt(1)
	bigTen = big.NewInt(10)
)

// pow10Cache keeps the powers of ten the arithmetic keeps reaching for: the
// library functions truncate to the same few scales thousands of times.
type pow10Cache struct {
	small [64]*big.Int
	large map[int]*big.Int
}

func newPow10Cache() *pow10Cache {
	c := &pow10Cache{large: map[int]*big.Int{}}
	p := big.NewInt(1)
	for i := range c.small {
		c.small[i] = new(big.Int).Set(p)
		p.Mul(p, bigTen)
	}
	return c
}

// maxCachedPowers bounds the cache; past it, new powers are computed each
// time (the cache is an optimisation, never a source of unbounded memory).
const maxCachedPowers = 256

// get returns 10^n for n >= 0. The result must not be modified.
func (c *pow10Cache) get(n int) *big.Int {
	if n < len(c.small) {
		return c.small[n]
	}
	if p, ok := c.large[n]; ok {
		return p
	}
	p := new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
	if len(c.large) < maxCachedPowers {
		c.large[n] = p
	}
	return p
}

// bcArith is bc's arithmetic on bcNum values, following GNU bc's number.c
// rule for rule (result scales, truncation toward zero, the sign of zero).
type bcArith struct {
	pow *pow10Cache
}

func newBCArith() *bcArith { return &bcArith{pow: newPow10Cache()} }

func (a *bcArith) zero() bcNum { return bcNum{mag: new(big.Int)} }

func (a *bcArith) fromInt(v int64) bcNum {
	n := bcNum{mag: big.NewInt(v)}
	if v < 0 {
		n.mag.Neg(n.mag)
		n.neg = true
	}
	return n
}

// rescale returns mag moved from scale from to scale to, truncating when
// digits are dropped.
func (a *bcArith) rescale(mag *big.Int, from, to int) *big.Int {
	switch {
	case to == from:
		return mag
	case to > from:
		return new(big.Int).Mul(mag, a.pow.get(to-from))
	default:
		return new(big.Int).Quo(mag, a.pow.get(from-to))
	}
}

// truncate lowers n's scale to s (never raises it), as bc does by cutting
// n_scale: the sign is kept even if the value becomes zero.
func (a *bcArith) truncate(n bcNum, s int) bcNum {
	if s >= n.scale {
		return n
	}
	return bcNum{mag: a.rescale(n.mag, n.scale, s), neg: n.neg, scale: s}
}

func (n bcNum) isZero() bool { return n.mag.Sign() == 0 }

// cmpMag compares magnitudes.
func (a *bcArith) cmpMag(x, y bcNum) int {
	s := max(x.scale, y.scale)
	return a.rescale(x.mag, x.scale, s).Cmp(a.rescale(y.mag, y.scale, s))
}

// cmp compares values the way bc_compare does: when signs differ the
// positive one is larger, even against a negative zero.
func (a *bcArith) cmp(x, y bcNum) int {
	if x.neg != y.neg {
		if x.neg {
			return -1
		}
		return 1
	}
	c := a.cmpMag(x, y)
	if x.neg {
		return -c
	}
	return c
}

// addMag and subMag work on magnitudes at the larger scale (and at least
// scaleMin), as _bc_do_add and _bc_do_sub do.
func (a *bcArith) addMag(x, y bcNum, scaleMin int) bcNum {
	s := max(x.scale, y.scale, scaleMin)
	m := new(big.Int).Add(a.rescale(x.mag, x.scale, s), a.rescale(y.mag, y.scale, s))
	return bcNum{mag: m, scale: s}
}

func (a *bcArith) subMag(x, y bcNum, scaleMin int) bcNum {
	s := max(x.scale, y.scale, scaleMin)
	m := new(big.Int).Sub(a.rescale(x.mag, x.scale, s), a.rescale(y.mag, y.scale, s))
	return bcNum{mag: m, scale: s}
}

// add is bc_add.
func (a *bcArith) add(x, y bcNum, scaleMin int) bcNum {
	if x.neg == y.neg {
		r := a.addMag(x, y, scaleMin)
		r.neg = x.neg
		return r
	}
	switch a.cmpMag(x, y) {
	case -1:
		r := a.subMag(y, x, scaleMin)
		r.neg = y.neg
		return r
	case 1:
		r := a.subMag(x, y, scaleMin)
		r.neg = x.neg
		return r
	}
	return bcNum{mag: new(big.Int), scale: max(x.scale, y.scale, scaleMin)}
}

// sub is bc_sub.
func (a *bcArith) sub(x, y bcNum, scaleMin int) bcNum {
	if x.neg != y.neg {
		r := a.addMag(x, y, scaleMin)
		r.neg = x.neg
		return r
	}
	switch a.cmpMag(x, y) {
	case -1:
		r := a.subMag(y, x, scaleMin)
		r.neg = !y.neg
		return r
	case 1:
		r := a.subMag(x, y, scaleMin)
		r.neg = x.neg
		return r
	}
	return bcNum{mag: new(big.Int), scale: max(x.scale, y.scale, scaleMin)}
}

// mul is bc_multiply: the product keeps min(x.scale+y.scale,
// max(scale, x.scale, y.scale)) digits, truncated.
func (a *bcArith) mul(x, y bcNum, scale int) bcNum {
	full := x.scale + y.scale
	ps := min(full, max(scale, x.scale, y.scale))
	m := new(big.Int).Mul(x.mag, y.mag)
	m = a.rescale(m, full, ps)
	return bcNum{mag: m, neg: x.neg != y.neg && m.Sign() != 0, scale: ps}
}

// div is bc_divide: the quotient has exactly scale digits, truncated. The
// caller has checked y for zero.
func (a *bcArith) div(x, y bcNum, scale int) bcNum {
	// x/y = (x.mag/10^xs) / (y.mag/10^ys); scaled by 10^scale.
	num, den := x.mag, y.mag
	shift := scale + y.scale - x.scale
	if shift >= 0 {
		num = new(big.Int).Mul(num, a.pow.get(shift))
	} else {
		den = new(big.Int).Mul(den, a.pow.get(-shift))
	}
	q := new(big.Int).Quo(num, den)
	return bcNum{mag: q, neg: x.neg != y.neg && q.Sign() != 0, scale: scale}
}

// mod is bc_modulo: x - (x/y)*y with the quotient at scale and the result
// at max(x.scale, y.scale+scale).
func (a *bcArith) mod(x, y bcNum, scale int) bcNum {
	rs := max(x.scale, y.scale+scale)
	q := a.div(x, y, scale)
	return a.sub(x, a.mul(q, y, rs), rs)
}

// intPart returns the integer part of n as an int64 and whether it fits,
// like bc_num2long (which reports overflow as zero).
func (a *bcArith) intPart(n bcNum) (int64, bool) {
	i := a.rescale(n.mag, n.scale, 0)
	if !i.IsInt64() {
		return 0, false
	}
	v := i.Int64()
	if n.neg {
		v = -v
	}
	return v, true
}

// intLen is bc's n_len: digits before the point, at least 1.
func (a *bcArith) intLen(n bcNum) int {
	d := a.decDigits(n.mag) - n.scale
	return max(d, 1)
}

// decDigits counts the decimal digits of m (0 has none) without
// converting it to a string.
func (a *bcArith) decDigits(m *big.Int) int {
	if m.Sign() == 0 {
		return 0
	}
	// log10(2) < 0.30103, so est never overshoots by more than one.
	est := int(float64(m.BitLen()-1)*0.30102999566) + 1
	if m.CmpAbs(a.pow.get(est)) >= 0 {
		return est + 1
	}
	if est > 1 && m.CmpAbs(a.pow.get(est-1)) < 0 {
		return est - 1
	}
	return est
}

// digitsString returns the decimal digits of n.mag, left-padded with zeros
// to at least scale+1 digits so that the integer part is never empty.
func digitsString(n bcNum) string {
	s := n.mag.Text(10)
	if len(s) <= n.scale {
		s = strings.Repeat("0", n.scale+1-len(s)) + s
	}
	return s
}
