package sh

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// base64Wrap is GNU base64's default line length.
const base64Wrap = 76

// progBase64 is GNU coreutils' base64: it encodes its file (or standard
// input) wrapping lines at 76 columns (-w N, 0 for none), or decodes it
// with -d, ignoring newlines (-i: other garbage too).
func progBase64(sh *Shell, argv []string, io *IO) error {
	decode, ignore, wrap := false, false, base64Wrap
	var files []string
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-d" || a == "--decode":
			decode = true
		case a == "-i" || a == "--ignore-garbage":
			ignore = true
		case a == "-w" || a == "--wrap":
			if i+1 >= len(args) {
				sh.progErr(io, 1, "base64", "option requires an argument -- 'w'")
				return nil
			}
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 {
				sh.progErr(io, 1, "base64", "invalid wrap size: '%s'", args[i])
				return nil
			}
			wrap = n
		case strings.HasPrefix(a, "-w") || strings.HasPrefix(a, "--wrap="):
			v := strings.TrimPrefix(strings.TrimPrefix(a, "--wrap="), "-w")
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				sh.progErr(io, 1, "base64", "invalid wrap size: '%s'", v)
				return nil
			}
			wrap = n
		case a != "-" && strings.HasPrefix(a, "-"):
			sh.progErr(io, 1, "base64", "invalid option -- '%s'", strings.TrimLeft(a, "-"))
			return nil
		default:
			files = append(files, a)
		}
	}
	if len(files) > 1 {
		sh.progErr(io, 1, "base64", "extra operand '%s'", files[1])
		return nil
	}
	name := "-"
	if len(files) == 1 {
		name = files[0]
	}
	data, err, halt := sh.readInput(name, io)
	if halt != nil {
		return halt
	}
	if err != nil {
		sh.progErr(io, 1, "base64", "%s: %s", name, errnoText(err))
		return nil
	}
	if decode {
		return sh.base64Decode(io, data, ignore)
	}
	enc := base64.StdEncoding.EncodeToString([]byte(data))
	var out strings.Builder
	for wrap > 0 && len(enc) > wrap {
		out.WriteString(enc[:wrap] + "\n")
		enc = enc[wrap:]
	}
	if enc != "" {
		out.WriteString(enc + "\n")
	}
	io.stdout.write(sh, out.String())
	sh.status = 0
	return nil
}

// base64Decode decodes data, skipping newlines (and, with ignore, every
// character outside the alphabet); what decodes before a bad character is
// printed, then "invalid input" with status 1.
func (sh *Shell) base64Decode(io *IO, data string, ignore bool) error {
	var clean strings.Builder
	bad := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			clean.WriteByte(c)
		case ignore:
		default:
			bad = true
		}
		if bad {
			break
		}
	}
	text := clean.String()
	whole := len(text) / 4 * 4
	dec, err := base64.StdEncoding.DecodeString(text[:whole])
	if err != nil {
		dec, bad = nil, true
	}
	io.stdout.write(sh, string(dec))
	if bad || whole != len(text) {
		sh.progErr(io, 1, "base64", "invalid input")
		return nil
	}
	sh.status = 0
	return nil
}
