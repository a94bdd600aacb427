package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/propcheck"
)

// checkCmd is `kubesim check`: random scenarios against the controllers,
// with every invariant checked after every command; a violation is shrunk
// to a short scenario, written out, and replayable with `kubesim run`.
//
//	--runs N          scenarios to try (100)
//	--seed N          the same seed tries the same scenarios (1)
//	--steps N         average operations a scenario has (30)
//	--faults=false    leave out control-plane faults
//	--kinds K,...     only operations and invariants about these kinds
//	--time D          stop trying new scenarios after D of wall time
//	--shrink-time D   wall time to spend shrinking a failure (2m)
//	--out DIR         where the shrunk scenario goes (.)
//	--mutant NAME     plant one of internal/mutant's bugs first (a build
//	                  with -tags kubesim_mutants; see README, "Measuring
//	                  the checker: mutants")
//
// Exit status 0 when nothing broke, 1 on a violation, 2 on bad usage.
func checkCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg propcheck.Config
	fs.IntVar(&cfg.Runs, "runs", 100, "scenarios to try")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the scenarios' random choices")
	fs.IntVar(&cfg.Steps, "steps", 30, "average operations a scenario has")
	faults := fs.Bool("faults", true, "inject control-plane faults")
	kinds := fs.String("kinds", "", "comma-separated kinds to check (default: all)")
	fs.DurationVar(&cfg.Time, "time", 0, "stop trying new scenarios after this much wall time (0: no limit)")
	fs.DurationVar(&cfg.ShrinkTime, "shrink-time", 2*time.Minute, "wall time to spend shrinking a failure")
	fs.StringVar(&cfg.OutDir, "out", ".", "directory the shrunk scenario of a failure is written to")
	planted := fs.String("mutant", "", "plant the named bug (needs a build with -tags kubesim_mutants)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err := plant(*planted, stderr); err != nil {
		return 2
	}
	defer mutant.Set("")
	cfg.NoFaults = !*faults
	if *kinds != "" {
		cfg.Kinds = strings.Split(*kinds, ",")
	}
	bar := newProgressBar(stderr, cfg.Runs)
	cfg.Progress = bar.update
	report, err := propcheck.Run(cfg)
	bar.done()
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	printSummary(stdout, report)
	if f := report.Failure; f != nil {
		fmt.Fprintf(stdout, "\ninvariant %s broken: %s\n", f.Invariant, f.Message)
		fmt.Fprintf(stdout, "found after %d runs in %v; shrunk to %d steps: %s\nreplay it: kubesim run %s%s\n",
			f.FoundAfter, f.FoundIn.Round(time.Millisecond), f.Steps, f.File, mutantFlag(*planted), f.File)
		return 1
	}
	return 0
}

// plant activates the named mutation for --mutant, telling stderr why it
// cannot (a build without the kubesim_mutants tag, an unknown name).
func plant(name string, stderr io.Writer) error {
	err := mutant.Set(name)
	if err != nil {
		fmt.Fprintln(stderr, "kubesim: --mutant:", err)
	}
	return err
}

// mutantFlag is the --mutant flag that replays a file found with a
// mutation planted, or "".
func mutantFlag(name string) string {
	if name == "" {
		return ""
	}
	return "--mutant " + name + " "
}

// printSummary prints a check's figures as a table.
func printSummary(w io.Writer, r propcheck.Report) {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	rate := float64(r.Runs) / max(r.Elapsed.Seconds(), 1e-9)
	fmt.Fprintln(tw, "RUNS\tSTEPS\tVIRTUAL TIME\tWALL TIME\tRUNS/S\tSTEPS/S\tVIOLATIONS")
	total := 0
	for _, n := range r.Violations {
		total += n
	}
	fmt.Fprintf(tw, "%d\t%d\t%v\t%v\t%.1f\t%.0f\t%d\n", r.Runs, r.Steps, r.VirtualTime.Round(time.Second),
		r.Elapsed.Round(time.Millisecond), rate, float64(r.Steps)/max(r.Elapsed.Seconds(), 1e-9), total)
	tw.Flush()
	if total == 0 {
		return
	}
	names := make([]string, 0, len(r.Violations))
	for name := range r.Violations {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "INVARIANT\tVIOLATIONS")
	for _, name := range names {
		fmt.Fprintf(tw, "%s\t%d\n", name, r.Violations[name])
	}
	tw.Flush()
}

// progressBar draws a check's progress on a terminal, a few times a second.
type progressBar struct {
	w     io.Writer
	total int
	on    bool
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, total int) *progressBar {
	on := false
	if f, ok := w.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progressBar{w: w, total: total, on: on}
}

func (b *progressBar) update(p propcheck.Progress) {
	if !b.on || time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last, b.drawn = time.Now(), true
	const width = 30
	filled := min(width, p.Runs*width/max(b.total, 1))
	state := fmt.Sprintf("%.0f steps/s", float64(p.Steps)/max(p.Elapsed.Seconds(), 1e-9))
	if p.Shrinking {
		state = "violation found, shrinking..."
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d runs  %s   ", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), p.Runs, b.total, state)
}

func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprint(b.w, "\r"+strings.Repeat(" ", 80)+"\r")
	}
}
