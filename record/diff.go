package record

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kubesim/kubesim/objects"
)

// Divergence is where two runs part: the command the first run was
// carrying out, and the first entries that differ.
type Divergence struct {
	// Note tells how the two runs' settings or scenarios differ, if they
	// do.
	Note string
	// Scenario is the first run's scenario name; Command the command it
	// was carrying out (nil: none yet, the cluster's bootstrap).
	Scenario string
	Command  *Entry
	// A and B are the first entries that differ; nil when that run had
	// ended.
	A, B *Entry
	// Described in words: what A and B did (an event's reason, involved
	// object and message rather than its fields).
	AText, BText string
	// Field is the first field that differs when A and B change the same
	// object the same way; AValue and BValue its values ("(none)" when a
	// run does not set it).
	Field          string
	AValue, BValue string
}

// Diff compares two runs' records and returns where they first part, or
// nil when they hold the same run.
func Diff(a, b *Trace) *Divergence {
	d := &Divergence{Scenario: a.Scenario, Note: headerNote(a, b)}
	sa, sb := newObjectState(), newObjectState()
	for i := 0; ; i++ {
		var ea, eb *Entry
		if i < len(a.Entries) {
			ea = &a.Entries[i]
		}
		if i < len(b.Entries) {
			eb = &b.Entries[i]
		}
		if ea == nil && eb == nil {
			if d.Note == "" {
				return nil
			}
			return d
		}
		if ea != nil && eb != nil && reflect.DeepEqual(*ea, *eb) {
			if ea.Kind == KindCommand {
				d.Command = ea
			}
			sa.apply(ea)
			sb.apply(eb)
			continue
		}
		d.A, d.B = ea, eb
		d.AText, d.BText = sa.describe(ea), sb.describe(eb)
		if ea != nil && eb != nil && ea.Kind == KindChange && eb.Kind == KindChange && ea.Key == eb.Key && ea.Verb == eb.Verb {
			d.Field, d.AValue, d.BValue = firstFieldDiff(sa.after(ea), sb.after(eb))
		}
		if ea != nil && eb != nil && ea.Kind == KindOutput && eb.Kind == KindOutput {
			d.Field = "output"
			d.AValue, d.BValue = firstDifferentLine(ea.Text, eb.Text)
		}
		return d
	}
}

// headerNote says how two runs' settings and scenarios differ.
func headerNote(a, b *Trace) string {
	var notes []string
	if a.Seed != b.Seed {
		notes = append(notes, fmt.Sprintf("seeds differ: %d and %d", a.Seed, b.Seed))
	}
	if !a.Start.Equal(b.Start) {
		notes = append(notes, fmt.Sprintf("start times differ: %s and %s", a.Start.Format("2006-01-02T15:04:05Z07:00"), b.Start.Format("2006-01-02T15:04:05Z07:00")))
	}
	if a.Mutant != b.Mutant {
		notes = append(notes, fmt.Sprintf("planted bugs differ: %q and %q", a.Mutant, b.Mutant))
	}
	if a.Source != b.Source {
		al, bl := strings.Split(a.Source, "\n"), strings.Split(b.Source, "\n")
		for i := 0; i < len(al) || i < len(bl); i++ {
			x, y := lineAt(al, i), lineAt(bl, i)
			if x != y {
				notes = append(notes, fmt.Sprintf("the scenarios differ first at line %d: %q and %q", i+1, x, y))
				break
			}
		}
	}
	if !reflect.DeepEqual(a.Files, b.Files) {
		notes = append(notes, "the manifests they read differ")
	}
	return strings.Join(notes, "; ")
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// firstDifferentLine returns the first line two outputs differ in.
func firstDifferentLine(a, b string) (string, string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		if x, y := lineAt(al, i), lineAt(bl, i); x != y {
			return strconv.Quote(x), strconv.Quote(y)
		}
	}
	return "", ""
}

// lastApplied is the annotation kubectl apply keeps a copy of the manifest
// in: it differs wherever the manifest does, so the field itself is named
// instead when there is one.
const lastApplied = `metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]`

// firstFieldDiff returns the first field (in a's order, then b's) whose
// values differ between two objects' leaves, preferring any to apply's
// copy of the manifest.
func firstFieldDiff(a, b []Field) (string, string, string) {
	if path, av, bv := fieldDiff(without(a, lastApplied), without(b, lastApplied)); path != "" {
		return path, av, bv
	}
	return fieldDiff(a, b)
}

// without returns fields less the one at path.
func without(fields []Field, path string) []Field {
	out := make([]Field, 0, len(fields))
	for _, f := range fields {
		if f.Path != path {
			out = append(out, f)
		}
	}
	return out
}

// fieldDiff returns the first field (in a's order, then b's) whose values
// differ; a list element only one side has (a condition, a container) is
// named whole, by its identifying fields.
func fieldDiff(a, b []Field) (string, string, string) {
	path, av, bv := leafDiff(a, b)
	switch {
	case path == "":
	case av == "(none)":
		if elem, ok := missingElement(path, a); ok {
			return elem, av, summary(elem, b)
		}
	case bv == "(none)":
		if elem, ok := missingElement(path, b); ok {
			return elem, summary(elem, a), bv
		}
	}
	return path, av, bv
}

// missingElement returns the outermost list element on path that fields
// hold nothing of.
func missingElement(path string, fields []Field) (string, bool) {
	for i := 0; i < len(path); i++ {
		if path[i] != ']' || strings.HasSuffix(path[:i], `"`) {
			continue
		}
		elem := path[:i+1]
		found := false
		for _, f := range fields {
			if strings.HasPrefix(f.Path, elem+".") || strings.HasPrefix(f.Path, elem+"[") || f.Path == elem {
				found = true
				break
			}
		}
		if !found {
			return elem, true
		}
	}
	return "", false
}

// identifying are the keys that tell a list element what it is, in the
// order a summary names them.
var identifying = []string{"type", "name", "status", "reason", "message"}

// summary names a list element by its identifying fields:
// {type: "Failed", status: "True", reason: "BackoffLimitExceeded"}.
func summary(elem string, fields []Field) string {
	values := map[string]string{}
	for _, f := range fields {
		if key, ok := strings.CutPrefix(f.Path, elem+"."); ok {
			values[key] = f.Value
		}
	}
	var parts []string
	for _, k := range identifying {
		if v, ok := values[k]; ok {
			parts = append(parts, k+": "+v)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// leafDiff returns the first leaf (in a's order, then b's) whose values
// differ.
func leafDiff(a, b []Field) (string, string, string) {
	bv := make(map[string]string, len(b))
	for _, f := range b {
		bv[f.Path] = f.Value
	}
	av := make(map[string]bool, len(a))
	for _, f := range a {
		av[f.Path] = true
		if v, ok := bv[f.Path]; !ok || v != f.Value {
			return f.Path, f.Value, valueOrNone(v, ok)
		}
	}
	for _, f := range b {
		if !av[f.Path] {
			return f.Path, "(none)", f.Value
		}
	}
	return "", "", ""
}

func valueOrNone(v string, ok bool) string {
	if !ok {
		return "(none)"
	}
	return v
}

// String tells where the runs part, in the scenario's words.
func (d *Divergence) String() string {
	var b strings.Builder
	if d.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", d.Note)
	}
	if d.A == nil && d.B == nil {
		b.WriteString("the runs are the same\n")
		return b.String()
	}
	b.WriteString("the runs part ")
	if d.Command != nil {
		fmt.Fprintf(&b, "during command %d (%s:%d: %s)", d.Command.Index, d.Scenario, d.Command.Line, d.Command.Text)
	} else {
		b.WriteString("before the first command (while the cluster is built)")
	}
	if at, ok := firstTime(d.A, d.B); ok {
		fmt.Fprintf(&b, ", at %s", at)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  A: %s\n  B: %s\n", d.AText, d.BText)
	if d.Field != "" {
		fmt.Fprintf(&b, "  first differing field: %s: A %s, B %s\n", d.Field, shorten(d.AValue), shorten(d.BValue))
	}
	return b.String()
}

// maxValueText bounds a value as String prints it.
const maxValueText = 120

// shorten cuts a long value short for a reader, marking the cut.
func shorten(v string) string {
	if len(v) <= maxValueText {
		return v
	}
	cut := maxValueText
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return v[:cut] + "…"
}

// firstTime is the virtual time of the first of two entries that has one.
func firstTime(a, b *Entry) (string, bool) {
	for _, e := range []*Entry{a, b} {
		if e != nil && e.Kind != KindOutput && e.Kind != KindError {
			return FormatAt(e.At), true
		}
	}
	return "", false
}

// objectState follows the objects through a trace, so that an entry can be
// told in words.
type objectState struct{ objs map[objects.Key][]Field }

func newObjectState() *objectState { return &objectState{objs: map[objects.Key][]Field{}} }

func (s *objectState) apply(e *Entry) {
	switch e.Kind {
	case KindCluster:
		s.objs = map[objects.Key][]Field{}
	case KindChange:
		if e.Verb == "delete" {
			delete(s.objs, e.Key)
			return
		}
		s.objs[e.Key] = applyDelta(s.objs[e.Key], e.Fields)
	}
}

// after returns the object's leaves after change e.
func (s *objectState) after(e *Entry) []Field {
	return applyDelta(s.objs[e.Key], e.Fields)
}

// describe tells an entry in words.
func (s *objectState) describe(e *Entry) string {
	if e == nil {
		return "(the run has ended)"
	}
	switch e.Kind {
	case KindCluster:
		return "builds a cluster starting " + e.Start.Format("2006-01-02T15:04:05Z07:00")
	case KindCommand:
		return fmt.Sprintf("runs command %d (line %d: %s)", e.Index, e.Line, e.Text)
	case KindOutput:
		return fmt.Sprintf("prints %d lines", strings.Count(e.Text, "\n"))
	case KindError:
		return "stops: " + e.Text
	case KindEnd:
		return "ends at " + FormatAt(e.At)
	}
	if e.Key.Kind == "Event" && e.Verb != "delete" {
		return fmt.Sprintf("%s records %s", e.Actor, eventWords(s.after(e)))
	}
	return fmt.Sprintf("%s %ss %s %s", e.Actor, e.Verb, e.Key.Kind, objectName(e.Key))
}

// objectName prints namespace/name, or the name of a cluster-scoped object.
func objectName(k objects.Key) string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}

// eventWords tells an Event object as `kubectl describe` lists it: its
// type, reason, the object it is about and its message.
func eventWords(fields []Field) string {
	v := map[string]string{}
	for _, f := range fields {
		v[f.Path] = unquote(f.Value)
	}
	about := v["involvedObject.kind"] + " " + v["involvedObject.name"]
	if ns := v["involvedObject.namespace"]; ns != "" {
		about = v["involvedObject.kind"] + " " + ns + "/" + v["involvedObject.name"]
	}
	return fmt.Sprintf("event %s %s about %s: %q", v["type"], v["reason"], about, v["message"])
}

// unquote reads a JSON string leaf; other leaves come back as written.
func unquote(v string) string {
	if s, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
		return s
	}
	return v
}
