package objects

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Quantity is a fixed-point amount of a resource such as "500m" CPU or
// "1Gi" memory, modelling k8s.io/apimachinery's resource.Quantity.
//
// The amount is exact: it is a mantissa times a power of ten, kept in an int64
// while it fits and in a big.Int otherwise, never in a float. Parsing keeps a
// value down to the nano and rounds anything finer away from zero ("0.9n" is
// "1n"), as upstream does, so that asking for a little of a resource never
// means asking for none. A quantity remembers the suffix family it was written
// in (Format) and prints in that family in canonical form: no fraction, the
// largest suffix that loses nothing ("1.5Gi" prints "1536Mi", "0.5" prints
// "500m", "1000" prints "1k").
//
// The zero Quantity is 0. Quantities must be compared with Cmp or Equal, not
// with ==, because equal amounts may be held differently.
//
// +kubebuilder:object:generate=false
type Quantity struct {
	i     int64    // the mantissa, when d is nil
	d     *big.Int // the mantissa, when it does not fit an int64; never mutated once set
	scale int32    // the amount is mantissa × 10^scale
	s     string   // the text the quantity was parsed from, when that text is already canonical

	// Format is the suffix family the quantity prints in.
	Format QuantityFormat
}

// QuantityFormat is the suffix family a quantity prints in.
type QuantityFormat string

// Quantity formats, named as upstream names them.
const (
	DecimalExponent QuantityFormat = "DecimalExponent" // 12e6
	BinarySI        QuantityFormat = "BinarySI"        // 12Mi (12 × 2^20)
	DecimalSI       QuantityFormat = "DecimalSI"       // 12M (12 × 10^6)
)

// quantityRegexp is the grammar upstream quotes in its parse error; the
// scanner below implements it by hand, as upstream does.
const quantityRegexp = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

// Errors ParseQuantity returns, with upstream's messages.
var (
	// ErrQuantityFormat reports text that is not shaped like a quantity.
	ErrQuantityFormat = errors.New("quantities must match the regular expression '" + quantityRegexp + "'")
	// ErrQuantityNumeric reports a number part that cannot be read.
	ErrQuantityNumeric = errors.New("unable to parse numeric part of quantity")
	// ErrQuantitySuffix reports an unknown suffix ("1i", "0.1mi").
	ErrQuantitySuffix = errors.New("unable to parse quantity's suffix")
)

const (
	// maxExponent bounds a decimal exponent suffix. Upstream accepts any int32
	// exponent but then hangs computing 10^exponent on arithmetic; no real
	// manifest comes near this bound, so refusing beyond it costs nothing.
	maxExponent = 1000
	// nanoScale is the finest scale a parsed quantity keeps.
	nanoScale = -9
	// maxInt64Digits is how many decimal digits always fit an int64.
	maxInt64Digits = 18
)

// MustParseQuantity parses s or panics; for tests and constants known to be valid.
func MustParseQuantity(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic("cannot parse '" + s + "': " + err.Error())
	}
	return q
}

// NewQuantity returns value in the given format, as resource.NewQuantity does.
func NewQuantity(value int64, format QuantityFormat) *Quantity {
	return &Quantity{i: value, Format: format}
}

// NewMilliQuantity returns value/1000 in the given format, as
// resource.NewMilliQuantity does.
func NewMilliQuantity(value int64, format QuantityFormat) *Quantity {
	return &Quantity{i: value, scale: -3, Format: format}
}

// quantityParts is a quantity's text cut into sign, digits and suffix.
type quantityParts struct {
	positive bool
	num      string // integer digits without leading zeros; "0" when there are none
	denom    string // fraction digits
	suffix   string
}

// ParseQuantity reads a quantity such as "100m", "1.5Gi", "1e3" or "-2".
// Errors are ErrQuantityFormat, ErrQuantityNumeric or ErrQuantitySuffix.
func ParseQuantity(str string) (Quantity, error) {
	if str == "" {
		return Quantity{}, ErrQuantityFormat
	}
	if str == "0" {
		return Quantity{Format: DecimalSI, s: str}, nil
	}
	p, err := scanQuantity(str)
	if err != nil {
		return Quantity{}, err
	}
	base, exponent, format, ok := interpretSuffix(p.suffix)
	if !ok {
		return Quantity{}, ErrQuantitySuffix
	}
	if q, ok, err := parseQuantityFast(str, p, exponent, format); ok || err != nil {
		return q, err
	}
	return parseQuantityExact(p, base, exponent, format), nil
}

// scanQuantity splits str like upstream's parseQuantityString: an optional
// sign, digits, an optional fraction, then suffix letters, an optional sign
// and digits. Anything after that is a format error.
func scanQuantity(str string) (quantityParts, error) {
	p := quantityParts{positive: true}
	pos := 0
	if str[0] == '-' || str[0] == '+' {
		p.positive = str[0] == '+'
		pos++
	}
	for pos < len(str) && str[pos] == '0' {
		pos++
	}
	if pos == len(str) {
		p.num = "0"
		return p, nil
	}
	start := pos
	pos = skipDigits(str, pos)
	p.num = str[start:pos]
	if p.num == "" {
		p.num = "0"
	}
	if pos < len(str) && str[pos] == '.' {
		start = pos + 1
		pos = skipDigits(str, start)
		p.denom = str[start:pos]
	}
	start = pos
	for pos < len(str) && strings.IndexByte("eEinumkKMGTP", str[pos]) >= 0 {
		pos++
	}
	if pos < len(str) && (str[pos] == '-' || str[pos] == '+') {
		pos++
	}
	if skipDigits(str, pos) != len(str) {
		return quantityParts{}, ErrQuantityFormat
	}
	p.suffix = str[start:]
	return p, nil
}

// skipDigits returns the index of the first non-digit of s at or after pos.
func skipDigits(s string, pos int) int {
	for pos < len(s) && s[pos] >= '0' && s[pos] <= '9' {
		pos++
	}
	return pos
}

// interpretSuffix returns what a suffix multiplies by (base^exponent) and the
// format it implies.
func interpretSuffix(s string) (base, exponent int32, format QuantityFormat, ok bool) {
	if e, ok := decimalSuffixes[s]; ok {
		return 10, e, DecimalSI, true
	}
	if e, ok := binarySuffixes[s]; ok {
		return 2, e, BinarySI, true
	}
	if len(s) > 1 && (s[0] == 'e' || s[0] == 'E') {
		e, err := strconv.ParseInt(s[1:], 10, 64)
		if err != nil || e > maxExponent || e < -maxExponent {
			return 0, 0, DecimalExponent, false
		}
		return 10, int32(e), DecimalExponent, true
	}
	return 0, 0, DecimalExponent, false
}

var (
	decimalSuffixes = map[string]int32{"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
	binarySuffixes  = map[string]int32{"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
	// decimalSuffixFor and binarySuffixFor invert the tables above for printing.
	decimalSuffixFor = map[int32]string{-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}
	binarySuffixFor  = []string{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
)

// parseQuantityFast handles the common case whose digits fit an int64 at a
// scale no finer than nano, exactly as upstream's fast path does, including
// keeping the original text when it is already canonical (so "+1" and "1E3"
// print back as written, as they do upstream). ok is false when the exact
// path must take over.
func parseQuantityFast(str string, p quantityParts, exponent int32, format QuantityFormat) (Quantity, bool, error) {
	precision, scale, multiplier := int32(0), int32(0), int64(1)
	switch format {
	case BinarySI:
		if p.denom != "" {
			return Quantity{}, false, nil
		}
		multiplier = int64(1) << uint(exponent)
		precision = 15 - int32(len(p.num)) - int32(float32(exponent)*3/10) - 1
	default:
		scale = exponent
		precision = maxInt64Digits - int32(len(p.num)+len(p.denom))
	}
	scale -= int32(len(p.denom))
	if precision < 0 || scale < nanoScale {
		return Quantity{}, false, nil
	}
	shifted := p.num + p.denom
	value, err := strconv.ParseInt(shifted, 10, 64)
	if err != nil {
		return Quantity{}, false, ErrQuantityNumeric
	}
	result, ok := mulInt64(value, multiplier)
	if !ok {
		return Quantity{}, false, nil
	}
	if !p.positive {
		result = -result
	}
	q := Quantity{i: result, scale: scale, Format: format}
	if isCanonicalText(shifted, value, scale, exponent, format) {
		q.s = str
	}
	return q, true, nil
}

// isCanonicalText is upstream's test for reusing the parsed text as the
// printed form.
func isCanonicalText(shifted string, value int64, scale, exponent int32, format QuantityFormat) bool {
	if format == BinarySI {
		return exponent%10 == 0 && value&0x07 != 0
	}
	return scale%3 == 0 && !strings.HasSuffix(shifted, "000") && shifted[0] != '0'
}

// parseQuantityExact handles what the fast path cannot: long numbers,
// fractions of binary suffixes and scales finer than nano. It rounds to the
// nano away from zero and caps binary quantities at 2^63-1, as upstream does.
func parseQuantityExact(p quantityParts, base, exponent int32, format QuantityFormat) Quantity {
	m, _ := new(big.Int).SetString(p.num+p.denom, 10) // digits only: scanQuantity guarantees it
	scale := -int32(len(p.denom))
	if base == 10 {
		scale += exponent
	} else {
		m.Lsh(m, uint(exponent))
	}
	if scale < nanoScale {
		m = divRoundAway(m, pow10Big(nanoScale-scale))
		scale = nanoScale
	}
	q := Quantity{d: m, scale: scale, Format: format}
	if format == BinarySI {
		if q.Cmp(Quantity{i: math.MaxInt64}) > 0 {
			q = Quantity{i: math.MaxInt64, Format: format}
		}
		if q.CmpInt64(1) < 0 && q.Sign() > 0 {
			q.Format = DecimalSI // a fraction of one has no binary suffix
		}
	}
	if !p.positive {
		q.Neg()
	}
	return q.normalized()
}

// normalized moves a big mantissa that fits back into the int64 fast path.
func (q Quantity) normalized() Quantity {
	if q.d != nil && q.d.IsInt64() {
		q.i, q.d = q.d.Int64(), nil
	}
	return q
}

// mantissa returns a fresh big.Int holding q's mantissa.
func (q Quantity) mantissa() *big.Int {
	if q.d != nil {
		return new(big.Int).Set(q.d)
	}
	return big.NewInt(q.i)
}

// pow10Big returns 10^n for n >= 0.
func pow10Big(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// divRoundAway returns m/d rounded away from zero, for d > 0.
func divRoundAway(m, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(m, d, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	} else if r.Sign() < 0 {
		q.Sub(q, big.NewInt(1))
	}
	return q
}

// mulInt64 multiplies with overflow detection.
func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if (c < 0) != ((a < 0) != (b < 0)) || c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// scaleUpInt64 returns v × 10^n for n >= 0, or false on overflow.
func scaleUpInt64(v int64, n int32) (int64, bool) {
	for ; n > 0 && v != 0; n-- {
		var ok bool
		if v, ok = mulInt64(v, 10); !ok {
			return 0, false
		}
	}
	return v, true
}

// aligned returns the mantissas of q and y at their common (finer) scale, as
// int64s when both fit (small is true) or else as big.Ints.
func aligned(q, y Quantity) (a, b int64, ba, bb *big.Int, scale int32, small bool) {
	scale = min(q.scale, y.scale)
	if q.d == nil && y.d == nil {
		a, okA := scaleUpInt64(q.i, q.scale-scale)
		b, okB := scaleUpInt64(y.i, y.scale-scale)
		if okA && okB {
			return a, b, nil, nil, scale, true
		}
	}
	ba = q.mantissa()
	ba.Mul(ba, pow10Big(q.scale-scale))
	bb = y.mantissa()
	bb.Mul(bb, pow10Big(y.scale-scale))
	return 0, 0, ba, bb, scale, false
}

// Cmp returns -1, 0 or 1 as q is less than, equal to or greater than y.
func (q Quantity) Cmp(y Quantity) int {
	a, b, ba, bb, _, small := aligned(q, y)
	if !small {
		return ba.Cmp(bb)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CmpInt64 compares q with the integer y.
func (q Quantity) CmpInt64(y int64) int { return q.Cmp(Quantity{i: y}) }

// Equal reports whether q and y are the same amount, whatever their format.
func (q Quantity) Equal(y Quantity) bool { return q.Cmp(y) == 0 }

// Sign returns -1, 0 or 1 as q is negative, zero or positive.
func (q Quantity) Sign() int {
	if q.d != nil {
		return q.d.Sign()
	}
	switch {
	case q.i < 0:
		return -1
	case q.i > 0:
		return 1
	}
	return 0
}

// IsZero reports whether q is zero.
func (q Quantity) IsZero() bool { return q.Sign() == 0 }

// Add adds y to q. A zero q takes y's format, as upstream does, so that
// summing into an empty Quantity prints in the summands' suffix family.
func (q *Quantity) Add(y Quantity) { q.combine(y, false) }

// Sub subtracts y from q. A zero q takes y's format, as upstream does.
func (q *Quantity) Sub(y Quantity) { q.combine(y, true) }

// combine adds (or subtracts) y into q exactly, leaving the int64 fast path
// only when the result does not fit it.
func (q *Quantity) combine(y Quantity, negate bool) {
	if q.IsZero() {
		q.Format = y.Format
	}
	a, b, ba, bb, scale, small := aligned(*q, y)
	q.s = ""
	if small {
		r, ok := addInt64(a, b, negate)
		if ok {
			q.i, q.d, q.scale = r, nil, scale
			return
		}
		ba, bb = big.NewInt(a), big.NewInt(b)
	}
	if negate {
		ba.Sub(ba, bb)
	} else {
		ba.Add(ba, bb)
	}
	*q = Quantity{d: ba, scale: scale, Format: q.Format}.normalized()
}

// addInt64 returns a+b (or a-b) or false on overflow.
func addInt64(a, b int64, negate bool) (int64, bool) {
	if negate {
		if b == math.MinInt64 {
			return 0, false
		}
		b = -b
	}
	c := a + b
	if (a > 0 && b > 0 && c < 0) || (a < 0 && b < 0 && c >= 0) {
		return 0, false
	}
	return c, true
}

// Neg negates q.
func (q *Quantity) Neg() {
	q.s = ""
	if q.d == nil && q.i != math.MinInt64 {
		q.i = -q.i
		return
	}
	*q = Quantity{d: new(big.Int).Neg(q.mantissa()), scale: q.scale, Format: q.Format}.normalized()
}

// RoundUp rounds q away from zero to a multiple of 10^scale (-3 for milli)
// and reports whether that lost nothing, as upstream's RoundUp does.
// Defaulting rounds every ResourceList entry this way to the milli.
func (q *Quantity) RoundUp(scale int32) bool {
	if q.scale >= scale {
		return true
	}
	m := q.mantissa()
	_, rem := new(big.Int).QuoRem(m, pow10Big(scale-q.scale), new(big.Int))
	rounded := divRoundAway(m, pow10Big(scale-q.scale))
	*q = Quantity{d: rounded, scale: scale, Format: q.Format}.normalized()
	return rem.Sign() == 0
}

// Value returns q rounded up, away from zero, to an integer: 1.2 gives 2 and
// -1.2 gives -2. A value beyond int64 saturates at math.MaxInt64 or
// math.MinInt64 (upstream leaves it undefined).
func (q Quantity) Value() int64 { return q.scaledValue(0) }

// MilliValue returns q×1000 rounded up, away from zero: what the scheduler
// and kubelet use for CPU. It saturates like Value.
func (q Quantity) MilliValue() int64 { return q.scaledValue(-3) }

// scaledValue returns q / 10^scale rounded away from zero, saturating.
func (q Quantity) scaledValue(scale int32) int64 {
	if q.d == nil && q.scale >= scale {
		if v, ok := scaleUpInt64(q.i, q.scale-scale); ok {
			return v
		}
	}
	m := q.mantissa()
	if q.scale >= scale {
		m.Mul(m, pow10Big(q.scale-scale))
	} else {
		m = divRoundAway(m, pow10Big(scale-q.scale))
	}
	return saturate(m)
}

// saturate converts m to an int64, clamping it to the int64 range.
func saturate(m *big.Int) int64 {
	switch {
	case m.IsInt64():
		return m.Int64()
	case m.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// DeepCopy returns an independent copy of q (a value, like upstream's).
func (q Quantity) DeepCopy() Quantity {
	if q.d != nil {
		q.d = new(big.Int).Set(q.d)
	}
	return q
}

// DeepCopyInto copies q into out.
func (q *Quantity) DeepCopyInto(out *Quantity) { *out = q.DeepCopy() }

// String prints q canonically in its format, as upstream does: "0" for zero,
// otherwise the largest suffix that needs no fraction. A binary quantity
// that is below 1024 in magnitude or not a whole number prints as DecimalSI.
func (q Quantity) String() string {
	if q.s != "" {
		return q.s
	}
	if q.IsZero() {
		return "0"
	}
	format := q.Format
	switch format {
	case DecimalSI, DecimalExponent:
	case BinarySI:
		if q.CmpInt64(-1024) > 0 && q.CmpInt64(1024) < 0 {
			format = DecimalSI
		} else if whole, exact := q.wholeNumber(); exact {
			return binaryString(whole)
		} else {
			format = DecimalSI
		}
	default:
		format = DecimalExponent
	}
	return decimalString(q, format)
}

// wholeNumber returns q as an integer and whether that is exact.
func (q Quantity) wholeNumber() (*big.Int, bool) {
	m := q.mantissa()
	if q.scale >= 0 {
		return m.Mul(m, pow10Big(q.scale)), true
	}
	_, r := new(big.Int).QuoRem(m, pow10Big(-q.scale), new(big.Int))
	if r.Sign() != 0 {
		return nil, false
	}
	return m.Quo(m, pow10Big(-q.scale)), true
}

// binaryString prints a whole number with the largest binary suffix that
// divides it exactly.
func binaryString(v *big.Int) string {
	k := big.NewInt(1024)
	r := new(big.Int)
	step := 0
	for step < len(binarySuffixFor)-1 {
		quo, rem := new(big.Int).QuoRem(v, k, r)
		if rem.Sign() != 0 || quo.Sign() == 0 {
			break
		}
		v = quo
		step++
	}
	return v.String() + binarySuffixFor[step]
}

// decimalString prints q as a mantissa with no trailing zeros times a power
// of ten that is a multiple of 3, spelled as a DecimalSI suffix or an "e"
// exponent. DecimalSI beyond "E" falls back to the exponent, as upstream now does.
func decimalString(q Quantity, format QuantityFormat) string {
	m, exponent := q.mantissa(), q.scale
	ten, r := big.NewInt(10), new(big.Int)
	for {
		quo, rem := new(big.Int).QuoRem(m, ten, r)
		if rem.Sign() != 0 {
			break
		}
		m, exponent = quo, exponent+1
	}
	for exponent%3 != 0 {
		m.Mul(m, ten)
		exponent--
	}
	if format == DecimalSI {
		if suffix, ok := decimalSuffixFor[exponent]; ok {
			return m.String() + suffix
		}
	}
	if exponent == 0 {
		return m.String()
	}
	return m.String() + "e" + strconv.Itoa(int(exponent))
}

// MarshalJSON writes the canonical string, quoted.
func (q Quantity) MarshalJSON() ([]byte, error) {
	return json.Marshal(q.String())
}

// UnmarshalJSON reads a quoted quantity or a bare JSON number; null leaves
// the zero quantity.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*q = Quantity{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	parsed, err := ParseQuantity(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*q = parsed
	return nil
}

// Name returns a copy of the amount of resource name in rl, or a zero
// quantity in defaultFormat when rl has none, as upstream's ResourceList.Name does.
func (rl ResourceList) Name(name string, defaultFormat QuantityFormat) *Quantity {
	if q, ok := rl[name]; ok {
		c := q.DeepCopy()
		return &c
	}
	return &Quantity{Format: defaultFormat}
}

// Cpu returns the CPU amount in rl (zero when absent).
func (rl ResourceList) Cpu() *Quantity { return rl.Name(ResourceCPU, DecimalSI) }

// Memory returns the memory amount in rl (zero when absent).
func (rl ResourceList) Memory() *Quantity { return rl.Name(ResourceMemory, BinarySI) }

// Pods returns the pod count in rl (zero when absent).
func (rl ResourceList) Pods() *Quantity { return rl.Name(ResourcePods, DecimalSI) }

// Storage returns the storage amount in rl (zero when absent).
func (rl ResourceList) Storage() *Quantity { return rl.Name(ResourceStorage, BinarySI) }
