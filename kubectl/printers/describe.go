package printers

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// DescribeOptions carry what a describer needs besides the object itself:
// the virtual time and the related objects kubectl would have fetched.
type DescribeOptions struct {
	// Now is the virtual time ages are measured to.
	Now time.Time
	// Events are the events about the object, as kubectl finds them by
	// field selector: involvedObject name, namespace and uid (and kind,
	// except for pods, whose events kubectl matches without it). For a
	// node, kubectl also takes the events whose involvedObject uid is the
	// node's name. The describer sorts them by last timestamp.
	Events []*objects.Event
	// HideEvents drops the Events section (kubectl describe --show-events=false).
	HideEvents bool
	// EventFieldPaths puts an event's involvedObject.fieldPath (a
	// container's, spec.containers{name}) before its message, as kubectl
	// does from 1.35.
	EventFieldPaths bool
	// Pods are candidates for a node's "Non-terminated Pods": the
	// describer keeps those bound to the node whose phase is neither
	// Succeeded nor Failed. Other kinds ignore it.
	Pods []*objects.Pod
	// NodeLease is the node's heartbeat lease (kube-node-lease/<node>); nil
	// prints what kubectl prints when the lease cannot be read.
	NodeLease *Lease
	// ResourceQuotas and LimitRanges are the namespace's ResourceQuota and
	// LimitRange objects, for describing a namespace.
	ResourceQuotas []objects.Object
	LimitRanges    []objects.Object
	// ReplicaSets are the ReplicaSets a Deployment controls, for its
	// OldReplicaSets and NewReplicaSet lines, in name order. Pods, for a
	// ReplicaSet, are the pods it controls, for its Pods Status line.
	ReplicaSets []*objects.ReplicaSet
	// EndpointSlices are a Service's slices (labelled
	// kubernetes.io/service-name), for its Endpoints lines.
	EndpointSlices []*objects.EndpointSlice
}

// Lease is the part of a node's coordination.k8s.io Lease that kubectl
// describe node prints. Zero times print as "<unset>".
type Lease struct {
	HolderIdentity string
	AcquireTime    time.Time
	RenewTime      time.Time
}

// Describe writes obj's `kubectl describe` report to w: the kind's own
// describer when this package has one, otherwise kubectl's generic one
// (Name, Namespace, Labels, Annotations, then every field of the object).
// Nothing is written when it fails. Several objects are separated by an
// empty line: kubectl prints "\n\n" before every report but the first.
func Describe(w io.Writer, obj objects.Object, opts DescribeOptions) error {
	_, kind, err := groupKindOf(obj)
	if err != nil {
		return err
	}
	describe := kindPrinters[kind].describe
	if describe == nil {
		describe = describeGeneric
	}
	var buf bytes.Buffer
	tw := newDescribeTabWriter(&buf)
	if err := describe(&prefixWriter{out: tw}, obj, opts); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// newDescribeTabWriter returns the tabwriter of kubectl describe
// (describe.go tabbedString): minwidth 0, tabwidth 8, padding 2, pad char
// ' ', no flags. kubectl describe uses the standard library's tabwriter,
// so this one is the real thing.
func newDescribeTabWriter(out io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
}

// typedDescribe adapts a describer on a concrete type to the registry's signature.
func typedDescribe[T objects.Object](f func(*prefixWriter, T, DescribeOptions) error) func(*prefixWriter, objects.Object, DescribeOptions) error {
	return func(w *prefixWriter, obj objects.Object, opts DescribeOptions) error {
		o, ok := obj.(T)
		if !ok {
			var want T
			return fmt.Errorf("printers: cannot describe a %T as a %T", obj, want)
		}
		return f(w, o, opts)
	}
}

// prefixWriter writes describe output at indentation levels of two spaces,
// escaping terminal control characters, as describe.go's prefixWriter does.
// The indentation prefixes only the start of each write, so a write of
// several lines indents its continuation lines by hand, as upstream does.
type prefixWriter struct {
	out io.Writer
}

// write formats and writes text at the given indentation level.
func (w *prefixWriter) write(level int, format string, args ...any) {
	s := strings.Repeat("  ", level) + fmt.Sprintf(format, args...)
	_, _ = io.WriteString(w.out, terminalEscaper.Replace(s)) // a bytes.Buffer behind a tabwriter never fails
}

// writeLine writes its operands and a newline, unindented, as fmt.Sprintln prints them.
func (w *prefixWriter) writeLine(args ...any) {
	_, _ = io.WriteString(w.out, terminalEscaper.Replace(fmt.Sprintln(args...)))
}

// printLabelsMultiline prints "Title:" and one key=value per line, keys
// sorted, or <none> (describe.go printLabelsMultiline).
func printLabelsMultiline(w *prefixWriter, title string, labels map[string]string) {
	printLabelsMultilineWithIndent(w, "", title, "\t", labels)
}

// printLabelsMultilineWithIndent is printLabelsMultiline with the indents
// of pod templates and claim templates.
func printLabelsMultilineWithIndent(w *prefixWriter, initialIndent, title, innerIndent string, labels map[string]string) {
	w.write(0, "%s%s:%s", initialIndent, title, innerIndent)
	if len(labels) == 0 {
		w.writeLine("<none>")
		return
	}
	for i, key := range sortedKeys(labels) {
		if i != 0 {
			w.write(0, "%s", initialIndent)
			w.write(0, "%s", innerIndent)
		}
		w.write(0, "%s=%s\n", key, labels[key])
	}
}

// lastAppliedAnnotation is never shown by describe (describe.go skipAnnotations).
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// maxAnnotationLen is where describe cuts long annotation values.
const maxAnnotationLen = 140

// printAnnotationsMultiline prints annotations as describe.go does: one
// "key: value" per line, long or multi-line values on their own lines,
// each cut at 138 bytes with "...".
func printAnnotationsMultiline(w *prefixWriter, title string, annotations map[string]string) {
	w.write(0, "%s:\t", title)
	var keys []string
	for _, k := range sortedKeys(annotations) {
		if k != lastAppliedAnnotation {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		w.writeLine("<none>")
		return
	}
	const indent = "\t"
	for i, key := range keys {
		if i != 0 {
			w.write(0, "%s", indent)
		}
		value := strings.TrimSuffix(annotations[key], "\n")
		if len(value)+len(key)+2 > maxAnnotationLen || strings.Contains(value, "\n") {
			w.write(0, "%s:\n", key)
			for _, s := range strings.Split(value, "\n") {
				w.write(0, "%s  %s\n", indent, shorten(s, maxAnnotationLen-2))
			}
			continue
		}
		w.write(0, "%s: %s\n", key, value)
	}
}

// shorten cuts s to maxLength bytes and appends "...", as describe.go does.
func shorten(s string, maxLength int) string {
	if len(s) > maxLength {
		return s[:maxLength] + "..."
	}
	return s
}

// printTaintsMultiline prints a node's taints sorted by effect then key,
// one per line, or <none>.
func printTaintsMultiline(w *prefixWriter, title string, taints []objects.Taint) {
	w.write(0, "%s:\t", title)
	if len(taints) == 0 {
		w.writeLine("<none>")
		return
	}
	sorted := append([]objects.Taint(nil), taints...)
	sort.Slice(sorted, func(i, j int) bool {
		return sorted[i].Effect+","+sorted[i].Key < sorted[j].Effect+","+sorted[j].Key
	})
	for i, t := range sorted {
		if i != 0 {
			w.write(0, "%s", "\t")
		}
		w.write(0, "%s\n", taintString(t))
	}
}

// taintString prints a taint as core/v1 Taint.ToString: key[=value]:effect.
func taintString(t objects.Taint) string {
	if t.Value == "" {
		return t.Key + ":" + t.Effect
	}
	return t.Key + "=" + t.Value + ":" + t.Effect
}

// printTolerationsMultiline prints tolerations sorted by key, one per line:
// "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s", or <none>.
func printTolerationsMultiline(w *prefixWriter, initialIndent, title string, tolerations []objects.Toleration) {
	w.write(0, "%s%s:%s", initialIndent, title, "\t")
	if len(tolerations) == 0 {
		w.writeLine("<none>")
		return
	}
	sorted := append([]objects.Toleration(nil), tolerations...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	for i, t := range sorted {
		if i != 0 {
			w.write(0, "%s", initialIndent)
			w.write(0, "%s", "\t")
		}
		w.write(0, "%s\n", tolerationString(t))
	}
}

// tolerationString prints one toleration as describe.go does.
func tolerationString(t objects.Toleration) string {
	s := t.Key
	if t.Value != "" {
		s += "=" + t.Value
	}
	if t.Effect != "" {
		s += ":" + t.Effect
	}
	if t.Operator == objects.TolerationOpExists && t.Value == "" {
		if t.Key != "" || t.Effect != "" {
			s += " op=Exists"
		} else {
			s += "op=Exists"
		}
	}
	if t.TolerationSeconds != nil {
		s += fmt.Sprintf(" for %ds", *t.TolerationSeconds)
	}
	return s
}

// describeEventsUnlessHidden writes the Events section unless the caller
// asked for --show-events=false.
func describeEventsUnlessHidden(w *prefixWriter, opts DescribeOptions) {
	if !opts.HideEvents {
		describeEvents(w, opts.Events, opts.Now, opts.EventFieldPaths)
	}
}

// describeEvents writes the Events table as describe.go DescribeEvents
// does: sorted by last timestamp, AGE "10s" or "2m (x3 over 5m)", FROM the
// reporting component.
func describeEvents(w *prefixWriter, events []*objects.Event, now time.Time, fieldPaths bool) {
	sorted := make([]*objects.Event, 0, len(events))
	for _, e := range events {
		if e != nil {
			sorted = append(sorted, e)
		}
	}
	if len(sorted) == 0 {
		w.write(0, "Events:\t<none>\n")
		return
	}
	// kubectl sorts with sort.Sort (event.SortableEvents); the same call on
	// the same input order gives the same order, ties included.
	sort.Sort(eventsByTime(sorted))
	w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	w.write(1, "----\t------\t----\t----\t-------\n")
	for _, e := range sorted {
		interval := since(objects.Time(e.EventTime), now)
		if e.EventTime.IsZero() {
			interval = since(e.FirstTimestamp, now)
		}
		if e.Series != nil {
			interval = fmt.Sprintf("%s (x%d over %s)", since(objects.Time(e.Series.LastObservedTime), now), e.Series.Count, interval)
		} else if e.Count > 1 {
			interval = fmt.Sprintf("%s (x%d over %s)", since(e.LastTimestamp, now), e.Count, interval)
		}
		source := e.Source.Component
		if source == "" {
			source = e.ReportingController
		}
		message := strings.TrimSpace(e.Message)
		if fieldPaths && e.InvolvedObject.FieldPath != "" {
			message = e.InvolvedObject.FieldPath + ": " + message
		}
		w.write(1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, source, message)
	}
}

// eventsByTime orders events by their last timestamp, as kubectl's
// event.SortableEvents does: an events.k8s.io/v1 event, which has none,
// sorts before the others.
type eventsByTime []*objects.Event

// Len is the number of events.
func (l eventsByTime) Len() int { return len(l) }

// Swap swaps two events.
func (l eventsByTime) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less orders by last timestamp.
func (l eventsByTime) Less(i, j int) bool { return l[i].LastTimestamp.Before(l[j].LastTimestamp.Time) }

// printBool prints a boolean as describe does: "True" or "False".
func printBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// stringOrNone returns s, or "<none>" when it is empty.
func stringOrNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// printControlledBy writes the "Controlled By: Kind/name" line of an
// object that has a controller.
func printControlledBy(w *prefixWriter, m *objects.ObjectMeta) {
	if ref := m.ControllerRef(); ref != nil {
		w.write(0, "Controlled By:\t%s\n", ref.Kind+"/"+ref.Name)
	}
}
