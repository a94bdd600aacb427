package main

// Traces and timelines:
//
//	kubesim run --trace run.trace --timeline run.html FILE
//	                                 replay FILE, writing its record and its picture
//	kubesim replay run.trace         run it again from the record alone (the scenario
//	                                 and its manifests are in it); exit 1 unless the
//	                                 new record is byte-identical, saying where it parts
//	kubesim diff a.trace b.trace     where two runs first part: the command, the object,
//	                                 the field; exit 1 when they differ
//	kubesim timeline run.trace run.svg
//	                                 draw a recorded run: .html (a page with hover
//	                                 details, collapse and zoom) or .svg (a picture)

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/propcheck"
	"github.com/kubesim/kubesim/record"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/timeline"
)

// recordOutputs are the files `kubesim run` writes besides its transcript.
type recordOutputs struct {
	trace, timeline string
}

func (o recordOutputs) wanted() bool { return o.trace != "" || o.timeline != "" }

// check refuses a picture file whose kind the name does not say, before
// the run.
func (o recordOutputs) check() error {
	if o.timeline != "" {
		if _, err := pictureKind(o.timeline); err != nil {
			return err
		}
	}
	return nil
}

// run replays the script recording it, then writes the record and the
// picture. It returns the exit status (0 to go on).
func (o recordOutputs) run(r *scenario.Runner, s *scenario.Script, dir string, cfg record.Config, stdout, stderr io.Writer) int {
	tr, runErr := record.Run(r, s, dir, cfg, func(text string) { fmt.Fprint(stdout, text) })
	if tr != nil {
		if err := o.write(tr); err != nil {
			fmt.Fprintln(stderr, "kubesim:", err)
			return 2
		}
	}
	if runErr != nil {
		fmt.Fprintln(stderr, "kubesim:", runErr)
		return 2
	}
	return 0
}

// write writes the record and the picture asked for.
func (o recordOutputs) write(tr *record.Trace) error {
	if o.trace != "" {
		if err := os.WriteFile(o.trace, tr.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if o.timeline != "" {
		return drawTo(tr, o.timeline)
	}
	return nil
}

// pictureKind reads a picture's kind from its file name.
func pictureKind(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".html", ".htm":
		return "html", nil
	case ".svg":
		return "svg", nil
	}
	return "", fmt.Errorf("--timeline %s: the file must end in .html (a page) or .svg (a picture)", name)
}

// drawTo draws a record to a file, an HTML page or an SVG picture by its
// name.
func drawTo(tr *record.Trace, name string) error {
	kind, err := pictureKind(name)
	if err != nil {
		return err
	}
	tl, err := timeline.FromTrace(tr)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if kind == "html" {
		err = tl.HTML(&b)
	} else {
		err = tl.SVG(&b)
	}
	if err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

// readTrace reads and parses a trace file.
func readTrace(name string) ([]byte, *record.Trace, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	tr, err := record.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	return data, tr, nil
}

func replayCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	data, tr, err := readTrace(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if err := plant(tr.Mutant, stderr); err != nil {
		return 2
	}
	defer mutant.Set("")
	d, err := record.Verify(data, func(r *scenario.Runner) { propcheck.Install(r, nil) })
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if d != nil {
		fmt.Fprintf(stdout, "%s: the replay differs from the record (A: the record, B: the replay)\n%s", args[0], d)
		return 1
	}
	fmt.Fprintf(stdout, "%s: replayed %d entries of %s, byte-identical\n", args[0], len(tr.Entries), tr.Scenario)
	return 0
}

func diffCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	_, a, err := readTrace(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	_, b, err := readTrace(args[1])
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	d := record.Diff(a, b)
	if d == nil {
		fmt.Fprintln(stdout, "the runs are the same")
		return 0
	}
	fmt.Fprintf(stdout, "A: %s\nB: %s\n%s", args[0], args[1], d)
	return 1
}

func timelineCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	_, tr, err := readTrace(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if err := drawTo(tr, args[1]); err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	return 0
}
