package objects

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Cases from upstream's quantity_test.go (TestQuantityParse, TestQuantityString,
// TestQuantityParseEmit): what each input prints as and its format.
func TestParseQuantityCanonicalString(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		format QuantityFormat
	}{
		{"0", "0", DecimalSI},
		{"0Ki", "0", BinarySI},
		{"0m", "0", DecimalSI},
		{"-0", "0", DecimalSI},
		{".", "0", DecimalSI},
		{"1", "1", DecimalSI},
		{"+1", "+1", DecimalSI}, // upstream keeps already-canonical text as written
		{"3Gi", "3Gi", BinarySI},
		{"100Mi", "100Mi", BinarySI},
		{"8Ki", "8Ki", BinarySI},
		{"1024Mi", "1Gi", BinarySI},
		{"1.5Gi", "1536Mi", BinarySI},
		{"0.5Mi", "512Ki", BinarySI},
		{"1025", "1025", DecimalSI},
		{".001Ki", "1024m", BinarySI},
		{".000001Ki", "1024u", DecimalSI}, // below 1, so not binary
		{".000000001Ki", "1024n", DecimalSI},
		{".000000000001Ki", "2n", DecimalSI},
		{"0.000000000001Ki", "2n", DecimalSI},
		{"100.035Ki", "102435840m", BinarySI},
		{"9Ei", "9223372036854775807", BinarySI},
		{"9223372036854775807Ki", "9223372036854775807", BinarySI},
		{"500m", "500m", DecimalSI},
		{"0.5", "500m", DecimalSI},
		{"1.5", "1500m", DecimalSI},
		{"1000", "1k", DecimalSI},
		{"1000M", "1G", DecimalSI},
		{"50k", "50k", DecimalSI},
		{"1080m", "1080m", DecimalSI},
		{"1.08", "1080m", DecimalSI},
		{"1.2345", "1234500u", DecimalSI},
		{"100.035k", "100.035k", DecimalSI}, // scale 0, no trailing zeros: upstream reuses the text
		{"7.123456M", "7.123456M", DecimalSI},
		{"7.1234560M", "7123456", DecimalSI}, // the trailing zero makes the text non-canonical
		{"0.0005k", "500m", DecimalSI},
		{"12E", "12E", DecimalSI},
		{"3.001n", "4n", DecimalSI},
		{"0.9n", "1n", DecimalSI},
		{"0.0000000001", "1n", DecimalSI},
		{"0.00000012345", "124n", DecimalSI},
		{"1e3", "1e3", DecimalExponent},
		{"1E3", "1E3", DecimalExponent},
		{"1E-3", "1E-3", DecimalExponent},
		{"0.5e-1", "50e-3", DecimalExponent},
		{"1.2e3", "1200", DecimalExponent},
		{"1.1E-9", "2e-9", DecimalExponent},
		{"1.", "1.", DecimalSI},
		{"1.G", "1.G", DecimalSI},
		{"-1Ki", "-1Ki", BinarySI},
		{"-1.5Gi", "-1536Mi", BinarySI},
		{"-0.5", "-500m", DecimalSI},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			q, err := ParseQuantity(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, q.String())
			assert.Equal(t, tc.format, q.Format)
			again, err := ParseQuantity(q.String())
			require.NoError(t, err, "the printed form must parse back")
			assert.Zero(t, again.Cmp(q), "and mean the same amount")
		})
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrQuantityFormat},
		{" 1", ErrQuantityFormat},
		{"1 ", ErrQuantityFormat},
		{"aoeu", ErrQuantityFormat},
		{"1.1.M", ErrQuantityFormat},
		{"1+1.0M", ErrQuantityFormat},
		{"0.1am", ErrQuantityFormat},
		{"0.1mi", ErrQuantitySuffix},
		{".5i", ErrQuantitySuffix},
		{"1i", ErrQuantitySuffix},
		{"-3.01i", ErrQuantitySuffix},
		{"-3.01e-", ErrQuantitySuffix},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseQuantity(tc.in)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	assert.EqualError(t, ErrQuantityFormat,
		"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
	assert.Panics(t, func() { MustParseQuantity("nope") })
}

func TestQuantityCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1000m", 0},
		{"1Ki", "1024", 0},
		{"1k", "1Ki", -1},
		{"1.5Gi", "1536Mi", 0},
		{"-1", "1m", -1},
		{"1E", "999P", 1},
		{"100000000000000000000", "1e20", 0},
		{"1n", "0", 1},
	}
	for _, tc := range tests {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			a, b := MustParseQuantity(tc.a), MustParseQuantity(tc.b)
			assert.Equal(t, tc.want, a.Cmp(b))
			assert.Equal(t, -tc.want, b.Cmp(a))
			assert.Equal(t, tc.want == 0, a.Equal(b))
		})
	}
}

func TestQuantityAddSub(t *testing.T) {
	tests := []struct {
		a, b     string
		sum, dif string
	}{
		{"100m", "200m", "300m", "-100m"},
		{"1Gi", "512Mi", "1536Mi", "512Mi"},
		{"1", "500m", "1500m", "500m"},
		{"0", "5Mi", "5Mi", "-5Mi"}, // a zero takes the other's format
		{"9223372036854775807", "1", "9223372036854775808", "9223372036854775806"},
		{"-9223372036854775808", "-1", "-9223372036854775809", "-9223372036854775807"},
	}
	for _, tc := range tests {
		t.Run(tc.a+"+"+tc.b, func(t *testing.T) {
			sum := MustParseQuantity(tc.a)
			sum.Add(MustParseQuantity(tc.b))
			assert.Equal(t, tc.sum, sum.String())
			dif := MustParseQuantity(tc.a)
			dif.Sub(MustParseQuantity(tc.b))
			assert.Equal(t, tc.dif, dif.String())
			dif.Add(MustParseQuantity(tc.b))
			assert.Zero(t, dif.Cmp(MustParseQuantity(tc.a)), "a-b+b must be a")
		})
	}
}

func TestQuantityValueAndMilliValue(t *testing.T) {
	tests := []struct {
		in           string
		value, milli int64
	}{
		{"1", 1, 1000},
		{"1500m", 2, 1500},
		{"1n", 1, 1},
		{"-1500m", -2, -1500},
		{"2Gi", 2147483648, 2147483648000},
		{"1e3", 1000, 1000000},
		{"0", 0, 0},
		{"9223372036854775807", math.MaxInt64, -1000}, // the milli value wraps
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			q := MustParseQuantity(tc.in)
			assert.Equal(t, tc.value, q.Value())
			assert.Equal(t, tc.milli, q.MilliValue())
		})
	}
}

func TestQuantityRoundUp(t *testing.T) {
	tests := []struct {
		in    string
		scale int32
		want  string
		exact bool
	}{
		{"100u", -3, "1m", false},
		{"1500u", -3, "2m", false},
		{"1500m", -3, "1500m", true},
		{"1500m", 0, "2", false},
		{"-1500u", -3, "-2m", false},
		{"1Gi", -3, "1Gi", true},
		{"1.000001", -3, "1001m", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			q := MustParseQuantity(tc.in)
			assert.Equal(t, tc.exact, q.RoundUp(resource.Scale(tc.scale)))
			assert.Equal(t, tc.want, q.String())
		})
	}
}

func TestQuantityJSON(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`"1.5Gi"`, `"1536Mi"`},
		{`"100m"`, `"100m"`},
		{`2`, `"2"`},
		{`0.5`, `"500m"`},
		{`1e3`, `"1e3"`},
		{`" 1Gi "`, `"1Gi"`},
		{`null`, `"0"`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var q Quantity
			require.NoError(t, json.Unmarshal([]byte(tc.in), &q))
			out, err := json.Marshal(q)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
	var q Quantity
	assert.ErrorIs(t, json.Unmarshal([]byte(`"1i"`), &q), ErrQuantitySuffix)
	assert.ErrorIs(t, json.Unmarshal([]byte(`true`), &q), ErrQuantityFormat)

	var rl ResourceList
	require.NoError(t, json.Unmarshal([]byte(`{"cpu":"250m","memory":"64Mi"}`), &rl))
	out, err := json.Marshal(rl)
	require.NoError(t, err)
	assert.JSONEq(t, `{"cpu":"250m","memory":"64Mi"}`, string(out))
}

func BenchmarkQuantityAddCmp(b *testing.B) {
	cpu, mem := MustParseQuantity("250m"), MustParseQuantity("64Mi")
	for b.Loop() {
		var sum Quantity
		for range 100 {
			sum.Add(cpu)
		}
		_ = sum.Cmp(mem)
	}
}

// Drift the hand-written quantities had from apimachinery (found by
// differential fuzzing): upstream accepts exponents past 1000 ("1e10000"),
// and its Value and MilliValue wrap around where the amount does not fit
// an int64 instead of saturating.
func TestQuantityUpstreamLimits(t *testing.T) {
	q, err := ParseQuantity("1e10000")
	require.NoError(t, err)
	assert.Equal(t, "10e9999", q.String())
	assert.Equal(t, 1, q.Cmp(MustParseQuantity("1")))

	// Upstream's own result (v0.37): 1000E, past its int64 form, prints "1"
	// (kubesim keeps upstream's words, right or wrong).
	huge := MustParseQuantity("1000E")
	assert.Equal(t, "1", huge.String())
	big := MustParseQuantity("9223372036854775807")
	assert.Equal(t, int64(-1000), big.MilliValue(), "the milli value wraps around, it does not saturate")
}

// A quantity past MaxQuantityDigits, which upstream would spend hours
// parsing or comparing, is refused on its text alone.
func TestQuantityTooLarge(t *testing.T) {
	for in, want := range map[string]bool{
		"1e10000": false, "1e100000": false, "1e100001": true, "1e2147483647": true, "1e-2147483647": true,
		"1E": false, "1": false, "9Ei": false, "1e-00000000000000001": false,
	} {
		_, err := ParseQuantity(in)
		assert.Equal(t, want, errors.Is(err, ErrQuantityTooLarge), in)
	}
	_, err := ParseQuantity(strings.Repeat("1", MaxQuantityDigits+1))
	assert.ErrorIs(t, err, ErrQuantityTooLarge)
}

// A manifest with such a quantity is refused by the decoder, naming the
// field, instead of hanging in upstream's parser.
func TestDecodeRefusesHugeQuantity(t *testing.T) {
	_, err := DecodeOne([]byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox","resources":{"limits":{"cpu":"1e-2147483647"}}}]}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "spec.containers[0].resources.limits.cpu: kubesim reads quantities of at most 100000 digits")
}
