package sh

// globMatch reports whether s matches the shell pattern pat: * matches any
// string (slashes included, as in case and ${x#pat}), ? any character,
// [abc], [a-z] and [!abc] one character of a set, and a backslash quotes
// the next character. It runs in O(len(pat)*len(s)) time: on a mismatch it
// only ever backtracks to the most recent *, which is enough for patterns
// whose other elements each match exactly one character.
func globMatch(pat, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pat) {
			switch pat[p] {
			case '*':
				starP, starI = p, i
				p++
				continue
			case '?':
				p++
				i++
				continue
			case '[':
				if ok, next, valid := matchClass(pat, p, s[i]); valid {
					if ok {
						p, i = next, i+1
						continue
					}
				} else if s[i] == '[' {
					p, i = p+1, i+1
					continue
				}
			case '\\':
				if p+1 < len(pat) && pat[p+1] == s[i] {
					p, i = p+2, i+1
					continue
				}
			default:
				if pat[p] == s[i] {
					p, i = p+1, i+1
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starI++
		p, i = starP+1, starI
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// matchClass matches c against the bracket expression starting at pat[p].
// valid is false when the bracket is not closed (it is then a literal [).
func matchClass(pat string, p int, c byte) (ok bool, next int, valid bool) {
	i := p + 1
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != negate, i + 1, true
		}
		first = false
		lo := pat[i]
		if lo == '\\' && i+1 < len(pat) {
			i++
			lo = pat[i]
		}
		hi := lo
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			hi = pat[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			ok = true
		}
		i++
	}
	return false, 0, false
}
