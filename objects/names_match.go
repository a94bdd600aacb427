package objects

// Hand-written matchers for the name and label formats every write checks:
// the languages apimachinery's util/validation accepts (with its regular
// expressions [a-z0-9]([-a-z0-9]*[a-z0-9])?, its dotted subdomains and
// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] for label keys and values), which
// TestNameMatchersAgreeWithUpstream holds them to, at a fraction of a
// regexp's cost on the store's hot path. A value they accept is valid; one
// they refuse goes to upstream's function for its list of errors.

func isLowerAlnum(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

func isAlnum(b byte) bool { return isLowerAlnum(b) || b >= 'A' && b <= 'Z' }

// nameText is what the matchers read: a string, or a name spelled in a
// buffer (maskedNameValid).
type nameText interface{ ~string | ~[]byte }

// isDNS1123LabelText matches [a-z0-9]([-a-z0-9]*[a-z0-9])?.
func isDNS1123LabelText[T nameText](s T) bool {
	if len(s) == 0 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if !isLowerAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// isDNS1123SubdomainText matches labels joined by dots.
func isDNS1123SubdomainText[T nameText](s T) bool {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if !isDNS1123LabelText(s[start:i]) {
				return false
			}
			start = i + 1
		}
	}
	return true
}

// isLabelKeyText matches ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9].
func isLabelKeyText(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if b := s[i]; !isAlnum(b) && b != '-' && b != '_' && b != '.' {
			return false
		}
	}
	return true
}

// isQualifiedNameText reports whether a label or annotation key is valid:
// a name of at most 63 characters, optionally after a subdomain prefix of at
// most 253 and a "/".
func isQualifiedNameText(s string) bool {
	prefix, name := "", s
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			prefix, name = s[:i], s[i+1:]
			if prefix == "" || len(prefix) > DNS1123SubdomainMaxLength || !isDNS1123SubdomainText(prefix) {
				return false
			}
			break
		}
	}
	return len(name) <= labelKeyNameMaxLength && isLabelKeyText(name)
}

// maskedNameValid reports whether maskTrailingDash(name), for a name ending
// in '-', is a valid DNS subdomain (or label), spelling it in a buffer on
// the stack rather than building the string: generated names are checked
// at every create of a pod with a generateName.
func maskedNameValid(name string, subdomain bool) bool {
	var buf [DNS1123SubdomainMaxLength]byte
	limit := DNS1123LabelMaxLength
	if subdomain {
		limit = DNS1123SubdomainMaxLength
	}
	if len(name) < 2 || len(name)-1 > limit {
		return false
	}
	b := append(append(buf[:0], name[:len(name)-2]...), 'a')
	if subdomain {
		return isDNS1123SubdomainText(b)
	}
	return isDNS1123LabelText(b)
}
