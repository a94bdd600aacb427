package objects

import (
	"k8s.io/apimachinery/pkg/util/validation"
)

// The name and label checks below are apimachinery's util/validation
// (k8s.io/apimachinery v0.37), the functions the apiserver validates with,
// so their messages are upstream's word for word. Names and labels are
// checked on every write, and upstream's checks run regular expressions:
// the hand-written matchers of names_match.go (held to upstream by
// TestNameMatchersAgreeWithUpstream) answer first, and upstream's function
// runs only for a value they refuse, to list its errors. Each returns nil
// when the value is valid, or one message per problem.

// Length limits of names and labels.
const (
	DNS1123LabelMaxLength     = validation.DNS1123LabelMaxLength
	DNS1123SubdomainMaxLength = validation.DNS1123SubdomainMaxLength
	LabelValueMaxLength       = validation.LabelValueMaxLength
	labelKeyNameMaxLength     = 63
)

// IsDNS1123Label checks an RFC 1123 label: what namespace and container names must be.
func IsDNS1123Label(value string) []string {
	if len(value) <= DNS1123LabelMaxLength && isDNS1123LabelText(value) {
		return nil
	}
	return validation.IsDNS1123Label(value)
}

// IsDNS1123Subdomain checks an RFC 1123 subdomain: what most object names must be.
func IsDNS1123Subdomain(value string) []string {
	if len(value) <= DNS1123SubdomainMaxLength && isDNS1123SubdomainText(value) {
		return nil
	}
	return validation.IsDNS1123Subdomain(value)
}

// IsDNS1035Label checks an RFC 1035 label: what Service names must be.
func IsDNS1035Label(value string) []string {
	return validation.IsDNS1035Label(value)
}

// IsQualifiedName checks a label key or annotation key: an optional DNS
// subdomain prefix and "/", then a name of at most 63 characters.
func IsQualifiedName(value string) []string {
	if isQualifiedNameText(value) {
		return nil
	}
	return validation.IsQualifiedName(value)
}

// IsValidLabelValue checks a label value: empty, or up to 63 alphanumerics,
// '-', '_' or '.', starting and ending with an alphanumeric.
func IsValidLabelValue(value string) []string {
	if value == "" || len(value) <= LabelValueMaxLength && isLabelKeyText(value) {
		return nil
	}
	return validation.IsValidLabelValue(value)
}

// IsEnvVarName checks an environment variable name as the apiserver does
// today (the relaxed rule, GA since 1.34): non-empty printable ASCII without '='.
func IsEnvVarName(value string) []string {
	return validation.IsRelaxedEnvVarName(value)
}

// IsStrictEnvVarName is apimachinery's IsEnvVarName, the older rule
// (letters, digits, '-', '_' and '.', not starting with a digit) that
// kubectl run still checks --env names against on the client.
func IsStrictEnvVarName(value string) []string {
	return validation.IsEnvVarName(value)
}

// IsConfigMapKey checks a key of a Secret or ConfigMap.
func IsConfigMapKey(value string) []string {
	return validation.IsConfigMapKey(value)
}

// IsValidPortName checks a port name (an IANA service name): at most 15
// lower-case alphanumerics and hyphens, with a letter, no "--", and no
// hyphen at either end.
func IsValidPortName(port string) []string {
	return validation.IsValidPortName(port)
}

// IsValidPortNum checks a port number is in 1..65535.
func IsValidPortNum(port int) []string {
	return validation.IsValidPortNum(port)
}

// inclusiveRangeError is upstream's range message.
func inclusiveRangeError(lo, hi int) string {
	return validation.InclusiveRangeError(lo, hi)
}

// regexError is upstream's message for a value a regular expression
// refused, examples included.
func regexError(msg, re string, examples ...string) string {
	return validation.RegexError(msg, re, examples...)
}
