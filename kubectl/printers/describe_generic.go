package printers

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kubesim/kubesim/objects"
)

// genericSkip are the fields the generic describer leaves out, having
// printed them already (describe.go genericDescriber.Describe).
var genericSkip = []string{".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"}

// describeGeneric is kubectl's describer for kinds it has no describer
// for: Name, Namespace, Labels, Annotations, then every other field of the
// object as "Smart Label:  value" lines, nested by indentation, then the events.
func describeGeneric(w *prefixWriter, obj objects.Object, opts DescribeOptions) error {
	tree, err := objectTree(obj)
	if err != nil {
		return err
	}
	m := obj.GetObjectMeta()
	w.write(0, "Name:\t%s\n", m.Name)
	w.write(0, "Namespace:\t%s\n", m.Namespace)
	printLabelsMultiline(w, "Labels", m.Labels)
	printAnnotationsMultiline(w, "Annotations", m.Annotations)
	printUnstructuredContent(w, 0, tree, "")
	describeEventsUnlessHidden(w, opts)
	return nil
}

// printUnstructuredContent prints a JSON object's fields in key order, as
// describe.go printUnstructuredContent does.
func printUnstructuredContent(w *prefixWriter, level int, content map[string]any, skipPrefix string) {
	for _, field := range sortedKeys(content) {
		path := skipPrefix + "." + field
		if slices.Contains(genericSkip, path) {
			continue
		}
		switch v := content[field].(type) {
		case map[string]any:
			w.write(level, "%s:\n", smartLabelFor(field))
			printUnstructuredContent(w, level+1, v, path)
		case []any:
			w.write(level, "%s:\n", smartLabelFor(field))
			for _, child := range v {
				if m, ok := child.(map[string]any); ok {
					printUnstructuredContent(w, level+1, m, path)
				} else {
					w.write(level+1, "%v\n", child)
				}
			}
		default:
			w.write(level, "%s:\t%v\n", smartLabelFor(field), v)
		}
	}
}

// commonAcronyms are printed in upper case by smartLabelFor.
var commonAcronyms = []string{"API", "URL", "UID", "OSB", "GUID"}

// smartLabelFor turns a field name into describe's label: "apiVersion" is
// "API Version", "creationTimestamp" is "Creation Timestamp". Names with
// characters other than letters and '-' are left as they are.
func smartLabelFor(field string) string {
	if strings.IndexFunc(field, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) != -1 {
		return field
	}
	parts := splitCamelCase(field)
	out := make([]string, 0, len(parts))
	for _, part := range parts {
		if part == "_" {
			continue
		}
		if slices.Contains(commonAcronyms, strings.ToUpper(part)) {
			part = strings.ToUpper(part)
		} else {
			part = titleWord(part)
		}
		out = append(out, part)
	}
	return strings.Join(out, " ")
}

// titleWord upper-cases the first letter of a word, as strings.Title does
// for the one-word parts smartLabelFor gives it.
func titleWord(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsLetter(r) {
		return s
	}
	return string(unicode.ToTitle(r)) + s[size:]
}

// Character classes of splitCamelCase.
const (
	classLower = iota + 1
	classUpper
	classDigit
	classOther
)

// splitCamelCase splits a word at changes of character class, moving the
// last capital of a run of capitals to the lower-case run after it:
// "apiVersion" is [api Version], "PDFLoader" is [PDF Loader]. It follows
// github.com/fatih/camelcase.Split, which kubectl uses.
func splitCamelCase(src string) []string {
	if !utf8.ValidString(src) {
		return []string{src}
	}
	var runs [][]rune
	last := 0
	for _, r := range src {
		class := classOther
		switch {
		case unicode.IsLower(r):
			class = classLower
		case unicode.IsUpper(r):
			class = classUpper
		case unicode.IsDigit(r):
			class = classDigit
		}
		if class == last {
			runs[len(runs)-1] = append(runs[len(runs)-1], r)
		} else {
			runs = append(runs, []rune{r})
		}
		last = class
	}
	for i := 0; i+1 < len(runs); i++ {
		if len(runs[i]) > 0 && len(runs[i+1]) > 0 && unicode.IsUpper(runs[i][0]) && unicode.IsLower(runs[i+1][0]) {
			runs[i+1] = append([]rune{runs[i][len(runs[i])-1]}, runs[i+1]...)
			runs[i] = runs[i][:len(runs[i])-1]
		}
	}
	out := []string{}
	for _, r := range runs {
		if len(r) > 0 {
			out = append(out, string(r))
		}
	}
	return out
}
