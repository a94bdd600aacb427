package objects

import "k8s.io/apimachinery/pkg/util/intstr"

// Int-or-strings are apimachinery's util/intstr (v0.37): a port (80 or
// "http"), a maxSurge (1 or "25%"), encoded to and from JSON by upstream's
// own code. Percentages are turned into counts by
// ScaledValueFromIntOrPercent, upstream's GetScaledValueFromIntOrPercent.

// IntOrString is intstr.IntOrString. Its Type says which of IntVal and
// StrVal holds the value (intstr.Int or intstr.String); String has a
// pointer receiver, so print a field with v.String(), not fmt's %v.
type IntOrString = intstr.IntOrString

// Kinds of IntOrString, upstream's.
const (
	IntOrStringInt    = intstr.Int    // the value is IntVal
	IntOrStringString = intstr.String // the value is StrVal
)

// FromInt returns an IntOrString holding i (intstr.FromInt32).
func FromInt(i int32) IntOrString { return intstr.FromInt32(i) }

// FromString returns an IntOrString holding s (intstr.FromString).
func FromString(s string) IntOrString { return intstr.FromString(s) }

// ParseIntOrString is intstr.Parse: a number that fits an int32 as an
// integer, anything else as a string ("3000000000" and "http" are
// strings), as kubectl reads --target-port.
func ParseIntOrString(s string) IntOrString { return intstr.Parse(s) }

// ScaledValueFromIntOrPercent is intstr.GetScaledValueFromIntOrPercent: an
// integer as is, or a percentage ("25%") of total rounded up or down; a
// string that is not a percentage is an error. Controllers call it from
// here so that their imports stay objects and storage.
func ScaledValueFromIntOrPercent(v *IntOrString, total int, roundUp bool) (int, error) {
	return intstr.GetScaledValueFromIntOrPercent(v, total, roundUp)
}
