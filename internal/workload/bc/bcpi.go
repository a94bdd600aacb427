package bc

import (
	"math"
	"math/big"
)

// machinFromScale is the scale from which a(1) is computed with Machin's
// formula instead of libmath's series.
const machinFromScale = 2001

// atanOne returns a(1) at scale z as GNU bc prints it.
//
// Up to 60 digits libmath returns a stored constant; above, its general
// series, whose accumulated truncation errors make the last digit differ
// from the correctly truncated pi/4 at a few scales (359, 601, 764, 765,
// 1009 and 1197 among 61..1200: about 0.5%). The series is followed step by
// step up to machinFromScale-1, so those scales print what bc prints. Above
// that the series costs too much (its work grows like z^2.6; GNU bc needs
// over a minute at 10000 digits), so the value is pi/4 correctly truncated
// (quarterPi). That equals real bc's output at the tutorial's scales, 5000
// and 10000 (testdata/bc/pi*.golden), and is expected to differ in the last
// digit at roughly 0.5% of other large scales.
func atanOne(a *bcArith, z int) bcNum {
	if z < machinFromScale {
		lib := &bcLib{a: a}
		if c, ok := lib.atanConst(a.fromInt(1), z); ok {
			return a.div(c, a.fromInt(1), z)
		}
		// The series cannot fail below maxLibScale.
		v, _ := lib.atanGeneral(a.fromInt(1), z)
		return a.div(v, a.fromInt(1), z)
	}
	return quarterPi(a, z)
}

// quarterPi returns pi/4 truncated to z digits.
func quarterPi(a *bcArith, z int) bcNum {
	for guard := 12; ; guard *= 2 {
		if v, ok := machinQuarterPi(a, z, guard); ok {
			return v
		}
	}
}

// machinTerms is a Machin-like formula (Stormer, 1896):
// pi/4 = 12 atan(1/49) + 32 atan(1/57) - 5 atan(1/239) + 12 atan(1/110443).
// Its arguments are small, so few series terms are needed.
var machinTerms = []struct{ coef, x int64 }{{12, 49}, {32, 57}, {-5, 239}, {12, 110443}}

// machinQuarterPi computes pi/4 to z+guard digits and truncates it to z.
// It reports false when the guard digits are too close to a digit boundary
// to know the truncation for sure (all nines or all zeros within the
// computation's error), so that the caller retries with more guard digits.
func machinQuarterPi(a *bcArith, z, guard int) (bcNum, bool) {
	unity := a.pow.get(z + guard)
	sum := new(big.Int)
	for _, m := range machinTerms {
		t := arctanInverse(unity, m.x, z+guard)
		sum.Add(sum, t.Mul(t, big.NewInt(m.coef)))
	}
	// Each arctangent is within 2 units of the last place (a floor and a
	// series tail below one unit), times the coefficients' 61.
	errUnits := big.NewInt(2 * 61)
	q, r := new(big.Int).QuoRem(sum, a.pow.get(guard), new(big.Int))
	lo := new(big.Int).Sub(r, errUnits)
	hi := new(big.Int).Add(r, errUnits)
	if lo.Sign() < 0 || hi.Cmp(a.pow.get(guard)) >= 0 {
		return bcNum{}, false
	}
	return bcNum{mag: q, scale: z}, true
}

// arctanInverse returns floor(atan(1/x) * unity) within one unit, where
// unity is 10^digits, summing the series sum (-1)^n / ((2n+1) x^(2n+1)) by
// binary splitting (Haible and Papanikolaou), which costs a few big
// multiplications instead of one long division per term.
func arctanInverse(unity *big.Int, x int64, digits int) *big.Int {
	// Enough terms that the first one left out is below 10^-digits.
	terms := int64(float64(digits)/(2*math.Log10(float64(x)))) + 2
	_, q, b, t := atanSplit(x, 0, terms)
	num := new(big.Int).Mul(t, unity)
	return num.Quo(num, q.Mul(q, b))
}

// atanSplit sums terms [n1, n2) of the series as P, Q, B, T with
// T/(B*Q) = sum of a(n)/b(n) * p(n1)...p(n) / (q(n1)...q(n)), where a(n)=1,
// b(n)=2n+1, p(0)=1, q(0)=x and p(n)=-1, q(n)=x^2 after that.
func atanSplit(x, n1, n2 int64) (p, q, b, t *big.Int) {
	if n2-n1 == 1 {
		p, q = big.NewInt(-1), big.NewInt(x*x)
		if n1 == 0 {
			p, q = big.NewInt(1), big.NewInt(x)
		}
		return p, q, big.NewInt(2*n1 + 1), new(big.Int).Set(p)
	}
	m := (n1 + n2) / 2
	pl, ql, bl, tl := atanSplit(x, n1, m)
	pr, qr, br, tr := atanSplit(x, m, n2)
	// T = Br*Qr*Tl + Bl*Pl*Tr
	t = tl.Mul(tl, br).Mul(tl, qr)
	tr.Mul(tr, bl).Mul(tr, pl)
	t.Add(t, tr)
	return pl.Mul(pl, pr), ql.Mul(ql, qr), bl.Mul(bl, br), t
}
