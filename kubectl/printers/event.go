package printers

import (
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Event: `kubectl get events` columns (printers.go printEvent). kubectl
// prints events in the order the apiserver lists them (by name), not by
// time; the caller passes them in that order. Events are described with
// the generic describer, as kubectl does.
func init() {
	register("Event", kindPrinter{
		columns: []column{
			{name: "Last Seen"},
			{name: "Type"},
			{name: "Reason"},
			{name: "Object"},
			{name: "Subobject", wide: true},
			{name: "Source", wide: true},
			{name: "Message"},
			{name: "First Seen", wide: true},
			{name: "Count", wide: true},
			{name: "Name", wide: true, isName: true},
		},
		row: typedRow(eventRow),
	})
}

// eventRow is upstream's printEvent with options.Wide. An event written
// through events.k8s.io/v1 (the scheduler's) has an eventTime rather than
// a first timestamp, and counts its repeats in a series.
func eventRow(e *objects.Event, now time.Time) []string {
	first := since(e.FirstTimestamp, now)
	if e.FirstTimestamp.IsZero() {
		first = since(objects.Time(e.EventTime), now)
	}
	last := since(e.LastTimestamp, now)
	if e.LastTimestamp.IsZero() {
		last = first
	}
	count := e.Count
	if e.Series != nil {
		last = since(objects.Time(e.Series.LastObservedTime), now)
		count = e.Series.Count
	} else if count == 0 {
		count = 1 // singleton events of the events.k8s.io API have no count
	}
	target := strings.ToLower(e.InvolvedObject.Kind)
	if e.InvolvedObject.Name != "" {
		target += "/" + e.InvolvedObject.Name
	}
	return []string{last, e.Type, e.Reason, target, e.InvolvedObject.FieldPath,
		eventSource(e), strings.TrimSpace(e.Message), first, strconv.Itoa(int(count)), e.Name}
}

// eventSource prints an event's source as upstream's formatEventSource:
// the component (or reporting controller), then ", host" when there is one.
func eventSource(e *objects.Event) string {
	component := firstNonEmpty(e.Source.Component, e.ReportingController)
	instance := firstNonEmpty(e.Source.Host, e.ReportingInstance)
	if instance == "" {
		return component
	}
	return component + ", " + instance
}

// firstNonEmpty returns the first non-empty string of ss, or "".
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
