package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// TraceEntry is one line of a run's record: a store change, a recorded
// event or a note from the loop (a crash, a missed watch event).
type TraceEntry struct {
	At    time.Time
	Actor string
	Text  string
}

// Trace returns the entries kept so far, oldest first: every entry, unless
// more than Config.TraceLimit were recorded, then the latest TraceLimit.
func (c *Cluster) Trace() []TraceEntry { return c.trace.entries() }

// TraceDropped returns how many of the oldest entries were dropped to keep
// the trace within Config.TraceLimit.
func (c *Cluster) TraceDropped() int { return c.trace.dropped }

// TraceText prints the trace, one entry a line, times as offsets from the
// cluster's start. When old entries were dropped, a first line says how
// many.
func (c *Cluster) TraceText() string {
	var b strings.Builder
	if c.trace.dropped > 0 {
		fmt.Fprintf(&b, "... %d earlier entries dropped (TraceLimit %d)\n", c.trace.dropped, c.trace.limit)
	}
	for _, e := range c.trace.entries() {
		fmt.Fprintf(&b, "%s %s %s\n", FormatOffset(e.At.Sub(c.cfg.Start)), e.Actor, e.Text)
	}
	return b.String()
}

// DefaultTraceLimit is how many trace entries a cluster keeps unless
// Config.TraceLimit says otherwise: about 1.5 MB of text, hours of a
// tutorial's scene.
const DefaultTraceLimit = 10_000

// traceLog keeps the latest entries of the trace in a ring, so that a long
// run's memory follows what lives in the cluster, not how long it ran.
// Which entries are kept depends only on how many were recorded, so the
// same run keeps the same entries.
type traceLog struct {
	limit   int // most entries kept; 0 or less: every entry
	ring    []traceRecord
	next    int // where the next entry goes once the ring is full
	dropped int
	notes   []eventNote // the current block of the ring's event notes
}

// traceRecord is a kept entry. A store change is kept as the change and
// put into words only when the trace is read: stored objects never
// change, so the words come out the same, and most changes of a long run
// are dropped from the ring before anyone reads them.
type traceRecord struct {
	TraceEntry
	// change is the changed object, when Text is to be made from a store
	// change: with its event type and revision (kept in the record, not
	// behind a pointer of its own).
	change     objects.Object
	changeType storage.EventType
	changeRev  int64
	event      *eventNote // or the event Text is to be made from
}

// eventNote is a recorded event as the trace tells it.
type eventNote struct{ eventType, reason, kind, name, message string }

// eventNoteBlock is how many eventNotes are allocated together: a
// waiting pod's every scheduling attempt records one, and one allocation
// each was a twentieth of what a pod cost. The ring drops records in the
// order they came, so a block is freed soon after its last note.
const eventNoteBlock = 64

// note keeps n in the log's current block of notes and returns where.
func (t *traceLog) note(n eventNote) *eventNote {
	if len(t.notes) == cap(t.notes) {
		t.notes = make([]eventNote, 0, eventNoteBlock)
	}
	t.notes = append(t.notes, n)
	return &t.notes[len(t.notes)-1]
}

func (e *eventNote) text() string {
	return fmt.Sprintf("event %s %s %s/%s: %s", e.eventType, e.reason, e.kind, e.name, e.message)
}

// add records e, dropping the oldest entry when the ring is full.
func (t *traceLog) add(e traceRecord) {
	if t.limit <= 0 || len(t.ring) < t.limit {
		if len(t.ring) == cap(t.ring) && t.limit > 0 && 2*cap(t.ring) > t.limit {
			// The last growth: to the limit, not past it.
			t.ring = append(make([]traceRecord, 0, t.limit), t.ring...)
		}
		t.ring = append(t.ring, e)
		return
	}
	t.ring[t.next] = e
	t.next = (t.next + 1) % t.limit
	t.dropped++
}

// entries returns the kept entries, oldest first, in words.
func (t *traceLog) entries() []TraceEntry {
	out := make([]TraceEntry, 0, len(t.ring))
	for _, part := range [][]traceRecord{t.ring[t.next:], t.ring[:t.next]} {
		for _, r := range part {
			switch {
			case r.change != nil:
				r.Text = changeText(storage.WatchEvent{Type: r.changeType, Object: r.change, ResourceVersion: r.changeRev})
			case r.event != nil:
				r.Text = r.event.text()
			}
			out = append(out, r.TraceEntry)
		}
	}
	return out
}

// FormatOffset prints a duration since the start as HH:MM:SS.mmm, hours
// growing past 24 rather than wrapping.
func FormatOffset(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

func (c *Cluster) traceNote(actor, format string, args ...any) {
	c.trace.add(traceRecord{TraceEntry: TraceEntry{At: c.clock.Now(), Actor: actor, Text: fmt.Sprintf(format, args...)}})
}

func eventVerb(t storage.EventType) string {
	switch t {
	case storage.Added:
		return "create"
	case storage.Deleted:
		return "delete"
	}
	return "update"
}

// traceChange records one store change. Event objects are traced when
// recorded (see recorder), not as store rows.
func (c *Cluster) traceChange(ev storage.WatchEvent) {
	if ev.Object.GetTypeMeta().Kind == "Event" {
		return
	}
	c.trace.add(traceRecord{TraceEntry: TraceEntry{At: c.clock.Now(), Actor: c.actor},
		change: ev.Object, changeType: ev.Type, changeRev: ev.ResourceVersion})
}

// changeText puts a store change into the trace's words.
func changeText(ev storage.WatchEvent) string {
	text := fmt.Sprintf("%s %s rv=%d", eventVerb(ev.Type), objects.KeyOf(ev.Object), ev.ResourceVersion)
	if s := summarize(ev.Object); s != "" {
		text += " " + s
	}
	return text
}

// summarize picks the few fields that tell a change's story.
func summarize(obj objects.Object) string {
	var parts []string
	switch o := obj.(type) {
	case *objects.Pod:
		parts = append(parts, "phase="+o.Status.Phase)
		if o.Spec.NodeName != "" {
			parts = append(parts, "node="+o.Spec.NodeName)
		}
		if o.Status.PodIP != "" {
			parts = append(parts, "ip="+o.Status.PodIP)
		}
		for _, cs := range o.Status.ContainerStatuses {
			parts = append(parts, fmt.Sprintf("%s=%s", cs.Name, containerStateWord(cs)))
		}
	case *objects.Node:
		for _, cond := range o.Status.Conditions {
			if cond.Type == objects.NodeReady {
				parts = append(parts, "ready="+cond.Status)
			}
		}
	}
	if m := obj.GetObjectMeta(); m.DeletionTimestamp != nil {
		parts = append(parts, "deleting")
	}
	return strings.Join(parts, " ")
}

// containerStateWord is a container's state in one word: the waiting reason,
// "running", or the termination reason with its exit code.
func containerStateWord(cs objects.ContainerStatus) string {
	word := "none"
	switch s := cs.State; {
	case s.Waiting != nil:
		word = s.Waiting.Reason
	case s.Running != nil:
		word = "running"
		if cs.Ready {
			word = "ready"
		}
	case s.Terminated != nil:
		word = fmt.Sprintf("%s(%d)", s.Terminated.Reason, s.Terminated.ExitCode)
	}
	if cs.RestartCount > 0 {
		word += fmt.Sprintf("/restarts=%d", cs.RestartCount)
	}
	return word
}
