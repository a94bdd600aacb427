package objects

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// Where kubesim's hand-written IntOrString drifted from apimachinery's
// util/intstr (v0.37), which kubesim now runs. Each case failed against
// the copy.

// A string that is a number but not a percentage counts as that number in
// the zero checks (upstream's getIntOrPercentValue falls back to
// IntValue), though validation still refuses it as a percentage: maxSurge
// "1" with maxUnavailable 0 is one error, not two, and a StatefulSet's
// maxUnavailable "2" is not also "0". The copy read such a string as 0.
func TestNumericStringCountsAsItsNumber(t *testing.T) {
	d := appsDeployment()
	d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: new(FromString("1")), MaxUnavailable: new(FromInt(0))}
	SchemeDefault(d)
	require.Equal(t, []string{`spec.strategy.rollingUpdate.maxSurge: Invalid value: "1": ` + invalidPercentDetail}, errorTexts(ValidateCreate(d)))

	s := minimalStatefulSet()
	SchemeDefault(s)
	s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = new(FromString("2"))
	require.Equal(t, []string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "2": ` + invalidPercentDetail}, errorTexts(ValidateCreate(s)))

	// A string that is no number at all is still 0 to both checks.
	d.Spec.Strategy.RollingUpdate.MaxSurge = new(FromString("one"))
	require.Equal(t, []string{
		`spec.strategy.rollingUpdate.maxSurge: Invalid value: "one": ` + invalidPercentDetail,
		`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when ` + "`maxSurge`" + ` is 0`,
	}, errorTexts(ValidateCreate(d)))
}

// invalidPercentDetail is util/validation's IsValidPercent message.
const invalidPercentDetail = `a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`

func errorTexts(errs ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// ScaledValueFromIntOrPercent is GetScaledValueFromIntOrPercent: surge
// rounds up and unavailable down as before, but signed percentages are
// read (strconv.Atoi), the arithmetic is float64's (exact below 2^53,
// rounded past it), and errors are worded as upstream's. The copy refused
// "+50%" and "-50%", computed in integers, and said `invalid value "5"`.
func TestScaledValueIsUpstreams(t *testing.T) {
	for _, c := range []struct {
		v       IntOrString
		total   int
		roundUp bool
		want    int
		err     string
	}{
		{FromString("25%"), 10, true, 3, ""},
		{FromString("25%"), 10, false, 2, ""},
		{FromString("1%"), 1, true, 1, ""},
		{FromString("1%"), 1, false, 0, ""},
		{FromInt(7), 10, true, 7, ""},
		{FromString("+50%"), 10, true, 5, ""},
		{FromString("-50%"), 3, false, -2, ""},
		{FromString("10000000000100000%"), 62, true, 6200000000062001, ""},
		{FromString("5"), 10, true, 0, "invalid value for IntOrString: invalid type: string is not a percentage"},
		{FromString("x%"), 10, true, 0, `invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax`},
	} {
		got, err := ScaledValueFromIntOrPercent(&c.v, c.total, c.roundUp)
		if c.err != "" {
			require.EqualError(t, err, c.err, c.v.String())
			continue
		}
		require.NoError(t, err, c.v.String())
		require.Equal(t, c.want, got, "%s of %d, round up %v", c.v.String(), c.total, c.roundUp)
	}
	_, err := ScaledValueFromIntOrPercent(nil, 10, true)
	require.EqualError(t, err, "nil value for IntOrString")
}

// Decoding into an IntOrString sets the kind it reads and that kind's
// field only, as upstream's UnmarshalJSON does: the other field keeps
// what it held (the copy cleared it). Nothing in kubesim decodes onto a
// used value (patches are merged as JSON and decoded afresh); the value
// still prints and encodes as what was read.
func TestIntOrStringDecodeSetsOneField(t *testing.T) {
	v := FromInt(80)
	require.NoError(t, json.Unmarshal([]byte(`"http"`), &v))
	require.Equal(t, IntOrString{Type: IntOrStringString, IntVal: 80, StrVal: "http"}, v)
	require.Equal(t, "http", v.String())
	b, err := json.Marshal(v)
	require.NoError(t, err)
	require.JSONEq(t, `"http"`, string(b))
	require.Equal(t, len(b), EncodedSize(v))

	require.NoError(t, json.Unmarshal([]byte(`8080`), &v))
	require.Equal(t, IntOrString{Type: IntOrStringInt, IntVal: 8080, StrVal: "http"}, v)
	require.Equal(t, "8080", v.String())
}
