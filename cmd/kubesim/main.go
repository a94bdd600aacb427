// Command kubesim replays scenario files against a simulated cluster.
//
//	kubesim run [--seed N] [--start TIME] [--mutant NAME] [--trace OUT] [--timeline OUT.html|OUT.svg] FILE
//	                                               replay FILE and print its transcript; --trace
//	                                               writes the run's record, --timeline its picture
//	kubesim replay TRACE                           run a recorded run again; fail unless identical
//	kubesim diff TRACE-A TRACE-B                   where two recorded runs first part
//	kubesim timeline TRACE OUT.html|OUT.svg        draw a recorded run (see trace.go)
//	kubesim test [--rewrite] FILE...               check FILEs' expected outputs
//	kubesim check [--runs N] [--seed N] ...        property-check the controllers (see check.go)
//	kubesim serve [--addr A] [--kubeconfig F] ...  serve the Kubernetes API for kubectl (see serve.go)
//
// run and test take --machine NAME[,role=ROLE][,ip=IP][,pod-cidr=CIDR]
// (repeatable): the cluster's machines, as a scenario's machine lines set
// them (the tutorial's second cluster: --machine k8s-master,ip=172.16.229.143),
// and --kubernetes-version 1.MINOR[.PATCH], the release the cluster runs.
//
// Exit status: 0 on success; 1 when a test file's output differs, a
// replayed file's `check` finds a violation, or kubesim check finds one;
// 2 when a file cannot be read or holds a line the runner does not
// understand.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/propcheck"
	"github.com/kubesim/kubesim/record"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcPercent is the garbage collector's target heap growth the command
// runs with unless GOGC sets one. A simulation allocates fast and keeps
// little: at Go's default (100) the collector took a quarter of the CPU
// of BenchmarkJobs; at 400 it takes a fraction of that, for a peak heap
// about twice as large (kubesim check --runs 50: 63 MB to 137 MB).
const gcPercent = 400

const usage = `usage:
  kubesim run [--seed N] [--start TIME] [--kubernetes-version V] [--machine SPEC]... [--mutant NAME] [--trace OUT] [--timeline OUT.html|OUT.svg] FILE
  kubesim replay TRACE
  kubesim diff TRACE-A TRACE-B
  kubesim timeline TRACE OUT.html|OUT.svg
  kubesim test [--rewrite] [--seed N] [--start TIME] [--kubernetes-version V] [--machine SPEC]... FILE...
  kubesim check [--runs N] [--seed N] [--steps N] [--faults=false] [--kinds K,...] [--time D] [--shrink-time D] [--out DIR] [--mutant NAME]
  kubesim serve [--addr HOST:PORT] [--kubeconfig FILE] [--speed N] [--seed N] [--start TIME] [FILE...]
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "test":
		return testCmd(args[1:], stdout, stderr)
	case "check":
		return checkCmd(args[1:], stdout, stderr)
	case "serve":
		return serveCmd(args[1:], os.Stdin, stdout, stderr)
	case "replay":
		return replayCmd(args[1:], stdout, stderr)
	case "diff":
		return diffCmd(args[1:], stdout, stderr)
	case "timeline":
		return timelineCmd(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "kubesim: unknown command %q\n%s", args[0], usage)
	return 2
}

// clusterFlags are the flags that shape the simulated cluster.
type clusterFlags struct {
	seed     uint64
	start    string
	version  string
	machines machineFlags
}

func (f *clusterFlags) register(fs *flag.FlagSet) {
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the simulation's random source")
	fs.StringVar(&f.start, "start", sim.DefaultStart.Format(time.RFC3339), "virtual time the cluster starts at (RFC 3339)")
	fs.StringVar(&f.version, "kubernetes-version", sim.DefaultKubernetesVersion, "the Kubernetes release the cluster runs, 1.MINOR[.PATCH] (what differs from today's is listed in the README)")
	fs.Var(&f.machines, "machine", "a machine of the cluster, as NAME[,role=control-plane|worker|none][,ip=IP][,pod-cidr=CIDR] (repeatable; a scenario's machine lines apply after)")
}

func (f *clusterFlags) config() (sim.Config, error) {
	start, err := time.Parse(time.RFC3339, f.start)
	if err != nil {
		return sim.Config{}, fmt.Errorf("--start: %v", err)
	}
	version, _, err := sim.ParseKubernetesVersion(f.version)
	if err != nil {
		return sim.Config{}, fmt.Errorf("--kubernetes-version: %v", err)
	}
	cfg := sim.Config{Seed: f.seed, Start: start, KubernetesVersion: version}
	for _, m := range f.machines {
		if cfg, err = scenario.ApplyMachine(cfg, m); err != nil {
			return sim.Config{}, fmt.Errorf("--machine: %v", err)
		}
	}
	return cfg, nil
}

// machineFlags collects --machine flags.
type machineFlags []scenario.MachineSpec

// String implements flag.Value.
func (m *machineFlags) String() string {
	names := make([]string, len(*m))
	for i, s := range *m {
		names[i] = s.Name
	}
	return strings.Join(names, " ")
}

// Set implements flag.Value.
func (m *machineFlags) Set(v string) error {
	spec, err := scenario.ParseMachineFlag(v)
	if err != nil {
		return err
	}
	*m = append(*m, spec)
	return nil
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clusterFlags
	cf.register(fs)
	planted := fs.String("mutant", "", "plant the named bug (needs a build with -tags kubesim_mutants)")
	var out recordOutputs
	fs.StringVar(&out.trace, "trace", "", "write the run's record (see kubesim replay, kubesim diff) to this file")
	fs.StringVar(&out.timeline, "timeline", "", "draw the run to this file: a page (.html) or a picture (.svg)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err := plant(*planted, stderr); err != nil {
		return 2
	}
	defer mutant.Set("")
	cfg, err := cf.config()
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	script, runner, err := load(fs.Arg(0), cfg)
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	violations := propcheck.Install(runner, nil)
	defer runner.Close()
	if err := out.check(); err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if out.wanted() {
		rc := record.Config{Seed: cfg.Seed, Start: cfg.Start, Mutant: *planted}
		if code := out.run(runner, script, filepath.Dir(fs.Arg(0)), rc, stdout, stderr); code != 0 {
			return code
		}
	} else if err := scenario.Replay(runner, script, stdout); err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if vs := violations(); len(vs) > 0 {
		fmt.Fprintf(stderr, "kubesim: %d invariant violations (the first: %s)\n", len(vs), vs[0].Invariant)
		return 1
	}
	return 0
}

func testCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clusterFlags
	cf.register(fs)
	rewrite := fs.Bool("rewrite", false, "write the actual outputs back into the files")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cfg, err := cf.config()
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	status := 0
	for _, file := range fs.Args() {
		status = max(status, testFile(file, cfg, *rewrite, stdout, stderr))
	}
	return status
}

// testFile checks one file and returns its exit status.
func testFile(file string, cfg sim.Config, rewrite bool, stdout, stderr io.Writer) int {
	diffs, rewritten, err := scenario.CheckFileWith(file, cfg, func(r *scenario.Runner) { propcheck.Install(r, nil) })
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if rewrite {
		if err := os.WriteFile(file, []byte(rewritten), 0o644); err != nil {
			fmt.Fprintln(stderr, "kubesim:", err)
			return 2
		}
		fmt.Fprintf(stdout, "%s: rewritten (%d outputs changed)\n", file, len(diffs))
		return 0
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, d.String())
	}
	if len(diffs) > 0 {
		fmt.Fprintf(stdout, "FAIL %s: %d outputs differ\n", file, len(diffs))
		return 1
	}
	fmt.Fprintf(stdout, "ok   %s\n", file)
	return 0
}

// load reads and parses a scenario and builds its runner.
func load(file string, cfg sim.Config) (*scenario.Script, *scenario.Runner, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	script, err := scenario.Parse(file, string(src))
	if err != nil {
		return nil, nil, err
	}
	runner, err := scenario.NewRunner(cfg, filepath.Dir(file))
	return script, runner, err
}
