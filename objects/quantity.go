package objects

import (
	"errors"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Quantities are apimachinery's api/resource (v0.37): a fixed-point
// amount such as "500m" CPU or "1Gi" memory, parsed, compared, added and
// printed canonically by upstream's own code ("1.5Gi" prints "1536Mi",
// "0.5" prints "500m"), its limits and wrap-arounds included: Value and
// MilliValue wrap where the amount does not fit an int64, as upstream's do.
// The zero Quantity is 0. Quantities must be compared with Cmp or Equal,
// not with ==.

// Quantity is resource.Quantity.
type Quantity = resource.Quantity

// QuantityFormat is the suffix family a quantity prints in (resource.Format).
type QuantityFormat = resource.Format

// Quantity formats, upstream's.
const (
	DecimalExponent = resource.DecimalExponent // 12e6
	BinarySI        = resource.BinarySI        // 12Mi (12 × 2^20)
	DecimalSI       = resource.DecimalSI       // 12M (12 × 10^6)
)

// Errors ParseQuantity returns, upstream's.
var (
	// ErrQuantityFormat reports text that is not shaped like a quantity.
	ErrQuantityFormat = resource.ErrFormatWrong
	// ErrQuantityNumeric reports a number part that cannot be read.
	ErrQuantityNumeric = resource.ErrNumeric
	// ErrQuantitySuffix reports an unknown suffix ("1i", "0.1mi").
	ErrQuantitySuffix = resource.ErrSuffix
)

// MustParseQuantity parses s or panics; for tests and constants known to be valid.
func MustParseQuantity(s string) Quantity { return resource.MustParse(s) }

// NewQuantity returns value in the given format.
func NewQuantity(value int64, format QuantityFormat) *Quantity {
	return resource.NewQuantity(value, format)
}

// NewMilliQuantity returns value/1000 in the given format.
func NewMilliQuantity(value int64, format QuantityFormat) *Quantity {
	return resource.NewMilliQuantity(value, format)
}

// ParseQuantity reads a quantity such as "100m", "1.5Gi", "1e3" or "-2".
// Errors are ErrQuantityFormat, ErrQuantityNumeric or ErrQuantitySuffix.
// A quantity past MaxQuantityDigits is ErrQuantityTooLarge.
func ParseQuantity(str string) (Quantity, error) {
	if quantityTextTooLarge(str) {
		return Quantity{}, ErrQuantityTooLarge
	}
	return resource.ParseQuantity(str)
}

// MaxQuantityDigits bounds the quantities kubesim reads: at most this
// many digits in the number and an exponent of at most this magnitude.
// Upstream accepts any int32 exponent and then spends minutes or hours in
// arithmetic: parsing "1e-2147483647" rounds it to the nano by computing
// 10^2147483638, and comparing "1e1000000" with 1 takes most of a second.
// kubesim never hangs on input, so ParseQuantity and the manifest decoder
// refuse such quantities (ErrQuantityTooLarge); no real amount of any
// resource comes near the bound.
const MaxQuantityDigits = 100000

// ErrQuantityTooLarge reports a quantity past MaxQuantityDigits.
var ErrQuantityTooLarge = errors.New("kubesim reads quantities of at most 100000 digits and exponents of at most 100000 in magnitude; upstream's arithmetic on this one would not end")

// quantityTextTooLarge reports whether the text of a quantity has more
// than MaxQuantityDigits digits or an exponent past them, judged on the
// text alone, before upstream's parser sees it.
func quantityTextTooLarge(s string) bool {
	digits := 0
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
			continue
		}
		if c != '+' && c != '-' && c != '.' {
			break
		}
	}
	if digits > MaxQuantityDigits {
		return true
	}
	if i+1 >= len(s) || (s[i] != 'e' && s[i] != 'E') {
		return false
	}
	exp := strings.TrimLeft(s[i+1:], "+-")
	exp = strings.TrimLeft(exp, "0")
	if len(exp) > 6 {
		return true
	}
	n, err := strconv.Atoi(exp)
	return err == nil && n > MaxQuantityDigits
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
