package objects

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// The name and label checks below return upstream's messages
// (k8s.io/apimachinery/pkg/util/validation and .../api/validate/content)
// word for word, because users compare them with what a real apiserver says.
// Each returns nil when the value is valid, or one message per problem.

const (
	dns1123LabelFmt        = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dns1123LabelErrMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
	dns1123SubdomainFmt    = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
	dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
	labelKeyFmt            = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	labelKeyErrMsg         = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	labelValueFmt          = "(" + labelKeyFmt + ")?"
	labelValueErrMsg       = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	relaxedEnvVarNameMsg   = "a valid environment variable name must consist only of printable ASCII characters other than '='"
)

// Length limits of names and labels.
const (
	DNS1123LabelMaxLength     = 63
	DNS1123SubdomainMaxLength = 253
	LabelValueMaxLength       = 63
	labelKeyNameMaxLength     = 63
)

// The formats as regular expressions: the reference the hand-written
// matchers of names_match.go are tested against (writes use the matchers).
var (
	dns1123LabelRegexp     = regexp.MustCompile("^" + dns1123LabelFmt + "$")
	dns1123SubdomainRegexp = regexp.MustCompile("^" + dns1123SubdomainFmt + "$")
	labelKeyRegexp         = regexp.MustCompile("^" + labelKeyFmt + "$")
	labelValueRegexp       = regexp.MustCompile("^" + labelValueFmt + "$")
	portNameCharsetRegexp  = regexp.MustCompile("^[-a-z0-9]+$")
	portNameOneLetter      = regexp.MustCompile("[a-z]")
)

// regexError formats a regex failure with examples exactly as upstream's
// RegexError does, including its double space before "or".
func regexError(msg, re string, examples ...string) string {
	if len(examples) == 0 {
		return msg + " (regex used for validation is '" + re + "')"
	}
	var b strings.Builder
	b.WriteString(msg + " (e.g. ")
	for i, e := range examples {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString("'" + e + "', ")
	}
	b.WriteString("regex used for validation is '" + re + "')")
	return b.String()
}

// maxLenChars is util/validation's length message, used for object names.
func maxLenChars(n int) string { return fmt.Sprintf("must be no more than %d characters", n) }

// maxLenBytes is api/validate/content's length message, used for label keys and values.
func maxLenBytes(n int) string { return fmt.Sprintf("must be no more than %d bytes", n) }

// IsDNS1123Label checks an RFC 1123 label: what namespace and container names must be.
func IsDNS1123Label(value string) []string {
	var errs []string
	if len(value) > DNS1123LabelMaxLength {
		errs = append(errs, maxLenChars(DNS1123LabelMaxLength))
	}
	if !isDNS1123LabelText(value) {
		if isDNS1123SubdomainText(value) {
			errs = append(errs, "must not contain dots") // a valid subdomain, so the dots are the problem
		} else {
			errs = append(errs, regexError(dns1123LabelErrMsg, dns1123LabelFmt, "my-name", "123-abc"))
		}
	}
	return errs
}

// IsDNS1123Subdomain checks an RFC 1123 subdomain: what most object names must be.
func IsDNS1123Subdomain(value string) []string {
	return isDNS1123Subdomain(value, maxLenChars)
}

// isDNS1123Subdomain checks a subdomain, wording the length error with maxLen.
func isDNS1123Subdomain(value string, maxLen func(int) string) []string {
	var errs []string
	if len(value) > DNS1123SubdomainMaxLength {
		errs = append(errs, maxLen(DNS1123SubdomainMaxLength))
	}
	if !isDNS1123SubdomainText(value) {
		errs = append(errs, regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, "example.com"))
	}
	return errs
}

// IsQualifiedName checks a label key or annotation key: an optional DNS
// subdomain prefix and "/", then a name of at most 63 characters.
func IsQualifiedName(value string) []string {
	var errs []string
	parts := strings.Split(value, "/")
	var name string
	switch len(parts) {
	case 1:
		name = parts[0]
	case 2:
		var prefix string
		prefix, name = parts[0], parts[1]
		if prefix == "" {
			errs = append(errs, "prefix part must be non-empty")
		} else {
			for _, msg := range isDNS1123Subdomain(prefix, maxLenBytes) {
				errs = append(errs, "prefix part "+msg)
			}
		}
	default:
		return append(errs, "a valid label key "+regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc")+
			" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
	}
	if name == "" {
		errs = append(errs, "name part must be non-empty")
	} else if len(name) > labelKeyNameMaxLength {
		errs = append(errs, "name part "+maxLenBytes(labelKeyNameMaxLength))
	}
	if !isLabelKeyText(name) {
		errs = append(errs, "name part "+regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc"))
	}
	return errs
}

// IsValidLabelValue checks a label value: empty, or up to 63 alphanumerics,
// '-', '_' or '.', starting and ending with an alphanumeric.
func IsValidLabelValue(value string) []string {
	var errs []string
	if len(value) > LabelValueMaxLength {
		errs = append(errs, maxLenBytes(LabelValueMaxLength))
	}
	if !(value == "" || isLabelKeyText(value)) {
		errs = append(errs, regexError(labelValueErrMsg, labelValueFmt, "MyValue", "my_value", "12345"))
	}
	return errs
}

// IsEnvVarName checks an environment variable name as the apiserver does
// today (the relaxed rule, GA since 1.34): non-empty printable ASCII without '='.
func IsEnvVarName(value string) []string {
	var errs []string
	if value == "" {
		errs = append(errs, "environment variable name must be non-empty")
	}
	for _, r := range value {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == '=' {
			errs = append(errs, relaxedEnvVarNameMsg)
			break
		}
	}
	return errs
}

// IsValidPortName checks a port name (an IANA service name): at most 15
// lower-case alphanumerics and hyphens, with a letter, no "--", and no
// hyphen at either end.
func IsValidPortName(port string) []string {
	var errs []string
	if len(port) > 15 {
		errs = append(errs, maxLenChars(15))
	}
	if !portNameCharsetRegexp.MatchString(port) {
		errs = append(errs, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
	}
	if !portNameOneLetter.MatchString(port) {
		errs = append(errs, "must contain at least one letter (a-z)")
	}
	if strings.Contains(port, "--") {
		errs = append(errs, "must not contain consecutive hyphens")
	}
	if len(port) > 0 && (port[0] == '-' || port[len(port)-1] == '-') {
		errs = append(errs, "must not begin or end with a hyphen")
	}
	return errs
}

// IsValidPortNum checks a port number is in 1..65535.
func IsValidPortNum(port int) []string {
	if port >= 1 && port <= 65535 {
		return nil
	}
	return []string{inclusiveRangeError(1, 65535)}
}

// inclusiveRangeError is upstream's range message.
func inclusiveRangeError(lo, hi int) string {
	return fmt.Sprintf("must be between %d and %d, inclusive", lo, hi)
}
