package kubectl

import (
	"fmt"
	"strings"
)

// flagSpec describes one flag a verb accepts.
type flagSpec struct {
	long     string // without dashes
	short    string // one letter, or ""
	hasValue bool   // takes an argument (-n ns, --output=json)
	repeat   bool   // may be given several times (-f a -f b, --from-literal)
}

// parsedArgs holds a command line split into flags and positional words.
type parsedArgs struct {
	values map[string][]string // flag long name → values ("true" for booleans)
	args   []string            // positional arguments, in order
	// dashArgs are the words after a bare "--" (exec's command).
	dashArgs []string
	sawDash  bool
}

func (p parsedArgs) has(name string) bool { return len(p.values[name]) > 0 }

func (p parsedArgs) get(name string) string {
	v := p.values[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

func (p parsedArgs) all(name string) []string { return p.values[name] }

// bool reads a boolean flag: present without value, or =true/=false.
func (p parsedArgs) bool(name string) bool {
	v := p.get(name)
	return v != "" && v != "false"
}

// usageError is an error kubectl reports before doing anything, followed by
// a pointer to the verb's help, as cobra prints it.
type usageError struct {
	msg  string
	verb string
}

func (e *usageError) Error() string {
	if e.verb == "" {
		return fmt.Sprintf("error: %s\nRun 'kubectl --help' for usage.", e.msg)
	}
	return fmt.Sprintf("error: %s\nSee 'kubectl %s -h' for help and examples", e.msg, e.verb)
}

// globalFlags are accepted by every verb.
var globalFlags = []flagSpec{
	{long: "namespace", short: "n", hasValue: true},
	{long: "context", hasValue: true},
	{long: "kubeconfig", hasValue: true},
	{long: "request-timeout", hasValue: true},
	{long: "v", short: "v", hasValue: true},
}

// parseFlags splits words by specs (plus the global flags). Booleans take
// no separate argument but accept --flag=false.
func parseFlags(verb string, words []string, specs []flagSpec) (parsedArgs, error) {
	specs = append(append([]flagSpec(nil), specs...), globalFlags...)
	p := parsedArgs{values: map[string][]string{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--":
			p.sawDash = true
			p.dashArgs = append(p.dashArgs, words[i+1:]...)
			return p, nil
		case strings.HasPrefix(w, "--"):
			name, value, hasEq := strings.Cut(w[2:], "=")
			spec, ok := findLong(specs, name)
			if !ok {
				return p, &usageError{msg: "unknown flag: --" + name, verb: verb}
			}
			consumed, err := p.set(verb, spec, "--"+name, value, hasEq, words, i)
			if err != nil {
				return p, err
			}
			i += consumed
		case strings.HasPrefix(w, "-") && len(w) > 1:
			consumed, err := p.shorts(verb, specs, w, words, i)
			if err != nil {
				return p, err
			}
			i += consumed
		default:
			p.args = append(p.args, w)
		}
	}
	return p, nil
}

// shorts reads a group of short flags like -it or -owide or -n ns.
func (p *parsedArgs) shorts(verb string, specs []flagSpec, w string, words []string, i int) (int, error) {
	letters := w[1:]
	for j := 0; j < len(letters); j++ {
		spec, ok := findShort(specs, letters[j:j+1])
		if !ok {
			return 0, &usageError{msg: fmt.Sprintf("unknown shorthand flag: '%c' in %s", letters[j], w), verb: verb}
		}
		if spec.hasValue {
			rest := letters[j+1:]
			rest = strings.TrimPrefix(rest, "=")
			return p.set(verb, spec, "-"+spec.short, rest, rest != "", words, i)
		}
		p.values[spec.long] = append(p.values[spec.long], "true")
	}
	return 0, nil
}

// set records a flag's value, taking it from the next word when needed,
// and returns how many extra words it used.
func (p *parsedArgs) set(verb string, spec flagSpec, shown, value string, inline bool, words []string, i int) (int, error) {
	if !spec.hasValue {
		if !inline {
			value = "true"
		}
		p.values[spec.long] = append(p.values[spec.long], value)
		return 0, nil
	}
	if inline {
		p.values[spec.long] = append(p.values[spec.long], value)
		return 0, nil
	}
	if i+1 >= len(words) {
		return 0, &usageError{msg: fmt.Sprintf("flag needs an argument: %s", flagShown(spec, shown)), verb: verb}
	}
	p.values[spec.long] = append(p.values[spec.long], words[i+1])
	return 1, nil
}

// flagShown names a flag in cobra's "flag needs an argument" message.
func flagShown(spec flagSpec, shown string) string {
	if strings.HasPrefix(shown, "--") {
		return shown
	}
	return fmt.Sprintf("'%s' in %s", spec.short, shown)
}

func findLong(specs []flagSpec, name string) (flagSpec, bool) {
	for _, s := range specs {
		if s.long == name {
			return s, true
		}
	}
	return flagSpec{}, false
}

func findShort(specs []flagSpec, letter string) (flagSpec, bool) {
	for _, s := range specs {
		if s.short == letter && s.short != "" {
			return s, true
		}
	}
	return flagSpec{}, false
}
