package record

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Version is the trace format's version, the first line's number.
const Version = 1

// magic starts every trace file.
const magic = "kubesim-trace"

// Trace is a run's record: how the cluster was configured, the scenario
// and the files it read, and every entry of the run in order.
type Trace struct {
	Seed  uint64
	Start time.Time
	// Mutant names the bug planted for the run, "" for none.
	Mutant string
	// Scenario is the scenario file's name as given; Source its text.
	Scenario string
	Source   string
	// Files are the manifests the scenario's kubectl commands read (-f),
	// by their names relative to the scenario's directory.
	Files   []File
	Entries []Entry
}

// File is a file a scenario read, kept so a replay needs nothing else.
type File struct {
	Name string
	Data string
}

// EntryKind tells what an Entry records.
type EntryKind int

// The kinds of entries, each a line keyword of the format.
const (
	// KindCluster is a cluster built: at the start, and by a scenario's
	// `cluster` line. Start holds its start time; later offsets count
	// from it.
	KindCluster EntryKind = iota + 1
	// KindCommand is a scenario command starting.
	KindCommand
	// KindChange is a store change (Event objects included).
	KindChange
	// KindOutput is what the command before it printed.
	KindOutput
	// KindError is the error that stopped the run.
	KindError
	// KindEnd is the end of the run.
	KindEnd
)

var kindWords = map[EntryKind]string{
	KindCluster: "cluster", KindCommand: "cmd", KindChange: "change",
	KindOutput: "out", KindError: "error", KindEnd: "end",
}

// Entry is one line of a run's record, with the lines indented under it.
type Entry struct {
	Kind EntryKind
	// At is the virtual time since the current cluster's start.
	At time.Duration
	// Start is a KindCluster entry's start time.
	Start time.Time
	// Index and Line are a command's number (from 1) and its line in the
	// scenario; Text is a command's text, an output or an error.
	Index, Line int
	Text        string
	// A change: who made it, "create", "update" or "delete", the object,
	// its revision and the fields that changed (all of them on create).
	Actor  string
	Verb   string
	Key    objects.Key
	RV     int64
	Fields []Field
}

// Format writes t in the trace format (see the package doc).
func (t *Trace) Format(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %d\n", magic, Version)
	fmt.Fprintf(bw, "config seed=%d start=%s\n", t.Seed, t.Start.UTC().Format(time.RFC3339Nano))
	if t.Mutant != "" {
		fmt.Fprintf(bw, "mutant %s\n", t.Mutant)
	}
	fmt.Fprintf(bw, "scenario %s\n", strconv.Quote(t.Scenario))
	writeChunks(bw, t.Source)
	for _, f := range t.Files {
		fmt.Fprintf(bw, "file %s\n", strconv.Quote(f.Name))
		writeChunks(bw, f.Data)
	}
	for i := range t.Entries {
		writeEntry(bw, &t.Entries[i])
	}
	return bw.Flush()
}

// Bytes returns t in the trace format.
func (t *Trace) Bytes() []byte {
	var b bytes.Buffer
	_ = t.Format(&b) // a bytes.Buffer does not fail
	return b.Bytes()
}

// writeChunks writes text as indented quoted lines, each with its newline.
func writeChunks(w *bufio.Writer, text string) {
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			w.WriteString("\t" + strconv.Quote(l) + "\n")
		}
	}
}

func writeEntry(w *bufio.Writer, e *Entry) {
	at := FormatAt(e.At)
	switch e.Kind {
	case KindCluster:
		fmt.Fprintf(w, "cluster %s start=%s\n", at, e.Start.UTC().Format(time.RFC3339Nano))
	case KindCommand:
		fmt.Fprintf(w, "cmd %d %s line=%d %s\n", e.Index, at, e.Line, strconv.Quote(e.Text))
	case KindChange:
		fmt.Fprintf(w, "change %s %s %s %s rv=%d\n", at, token(e.Actor), e.Verb, keyText(e.Key), e.RV)
		for _, f := range e.Fields {
			if f.Removed {
				fmt.Fprintf(w, "\t%s: (removed)\n", f.Path)
			} else {
				fmt.Fprintf(w, "\t%s: %s\n", f.Path, f.Value)
			}
		}
	case KindOutput:
		w.WriteString("out\n")
		writeChunks(w, e.Text)
	case KindError:
		fmt.Fprintf(w, "error %s\n", strconv.Quote(e.Text))
	case KindEnd:
		fmt.Fprintf(w, "end %s\n", at)
	}
}

// token prints a word bare when it has no blanks or quotes, quoted
// otherwise.
func token(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"\\") {
		return strconv.Quote(s)
	}
	return s
}

// keyText prints an object's key as `Kind namespace/name` or `Kind name`.
func keyText(k objects.Key) string {
	if k.Namespace == "" {
		return token(k.Kind) + " " + token(k.Name)
	}
	return token(k.Kind) + " " + token(k.Namespace+"/"+k.Name)
}

// FormatAt prints a virtual time since the start as HH:MM:SS.mmm, with
// more digits only when the time is not a whole millisecond.
func FormatAt(d time.Duration) string {
	ms := d.Milliseconds()
	s := fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
	if ns := d % time.Millisecond; ns != 0 {
		s += fmt.Sprintf("%06d", ns)
	}
	return s
}

// ParseAt reads a time printed by FormatAt.
func ParseAt(s string) (time.Duration, error) {
	var h, m, sec, ms int64
	var frac string
	if n, err := fmt.Sscanf(s, "%d:%d:%d.%s", &h, &m, &sec, &frac); n != 4 || err != nil {
		return 0, fmt.Errorf("bad time %q", s)
	}
	if len(frac) != 3 && len(frac) != 9 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	ms, err := strconv.ParseInt(frac[:3], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad time %q", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond
	if len(frac) == 9 {
		ns, err := strconv.ParseInt(frac[3:], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad time %q", s)
		}
		d += time.Duration(ns)
	}
	return d, nil
}
