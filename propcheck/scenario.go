package propcheck

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Scenario is one random run being built, as an Operation sees it: the
// cluster it may read, the names earlier operations created, and Do to add
// a line to the scenario. Every line runs at once and is recorded, so the
// run so far is always a scenario file that replays it.
type Scenario struct {
	// T draws this run's random choices; its draws are what rapid shrinks.
	T *rapid.T

	runner  *scenario.Runner
	checks  *checker
	steps   []step
	cur     *step // the step being built
	next    int   // for names
	names   map[string][]string
	down    map[string]bool // nodes and controllers taken down
	faulted map[string]bool // controllers with injected faults
	created map[string]bool // the kinds of names Add was ever given
	// anyTarget lets faults strike any controller, whatever the run
	// created: the operations are not (only) the built-in ones.
	anyTarget bool
	failure   *Failure
}

// step is one operation's lines, the unit the shrinker removes.
type step struct {
	op    string
	lines []string
}

// header is the first lines of every run's scenario: its cluster, and
// invariants checked after every command.
func header(cfg sim.Config) []string {
	return []string{
		fmt.Sprintf("cluster --seed %d --start %s", cfg.Seed, cfg.Start.UTC().Format(time.RFC3339)),
		"check --each-step",
	}
}

// Do runs one scenario command and records it. A line the runner refuses
// is a bug of the operation that drew it, and fails the run.
func (s *Scenario) Do(command string) { s.DoWith(command, "") }

// DoWith runs a command with a here-document (`kubectl apply -f - <<EOF`).
func (s *Scenario) DoWith(command, heredoc string) {
	lines := []string{command}
	if heredoc != "" {
		lines = []string{command + " <<EOF", strings.TrimSuffix(heredoc, "\n"), "EOF"}
	}
	if s.cur != nil {
		s.cur.lines = append(s.cur.lines, lines...)
	}
	// Typed as the scenario file has it (an unquoted EOF: the body's $
	// expands), so that the run and its replay type the same text.
	cmd := scenario.Command{Line: s.lineCount() + 1, Text: command, Stdin: heredoc, HasHeredoc: heredoc != "",
		Raw: strings.Join(lines, "\n") + "\n"}
	before := len(s.checks.violations)
	if _, err := s.runner.Exec("propcheck", cmd); err != nil {
		s.T.Fatalf("propcheck: the generated scenario line %q was refused: %v", command, err)
	}
	if len(s.checks.violations) > before {
		s.fail(&s.checks.violations[before])
	}
}

// Cluster returns the simulated cluster, to read (never to write: every
// change goes through Do, so the scenario replays it).
func (s *Scenario) Cluster() *sim.Cluster { return s.runner.Cluster() }

// Store returns the cluster's objects.
func (s *Scenario) Store() storage.Reader { return s.runner.Cluster().Store() }

// NewName returns a name not used before in this run: prefix-N.
func (s *Scenario) NewName(prefix string) string {
	s.next++
	return fmt.Sprintf("%s-%d", prefix, s.next)
}

// Add remembers that the run created name, of a kind of the operations'
// own choosing ("job", "deployment", "claim"...).
func (s *Scenario) Add(kind, name string) {
	s.names[kind] = append(s.names[kind], name)
	s.created[kind] = true
}

// Names lists the names of a kind the run created and has not removed.
func (s *Scenario) Names(kind string) []string { return s.names[kind] }

// Remove forgets a name.
func (s *Scenario) Remove(kind, name string) {
	list := s.names[kind]
	for i, n := range list {
		if n == name {
			s.names[kind] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// Pick draws one of the names of a kind, or skips the operation when
// there is none.
func (s *Scenario) Pick(kind string) string {
	list := s.names[kind]
	if len(list) == 0 {
		s.T.Skip("no " + kind)
	}
	return rapid.SampledFrom(list).Draw(s.T, kind)
}

// Down reports whether a node or controller ("node k8s-node1",
// "controller job-controller") was taken down and not brought back.
func (s *Scenario) Down(what string) bool { return s.down[what] }

// lineCount is how many lines the scenario has so far.
func (s *Scenario) lineCount() int {
	n := 0
	for _, st := range s.steps {
		n += len(st.lines)
	}
	return n
}

// Script returns the scenario so far, as a file replaying it would hold it.
func (s *Scenario) Script() string { return render(s.steps, nil) }

// render prints steps as a scenario file, with comment lines first.
func render(steps []step, comments []string) string {
	var b strings.Builder
	for _, c := range comments {
		b.WriteString("# " + c + "\n")
	}
	for _, st := range steps {
		for _, l := range st.lines {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// settle brings every node and controller back, clears the faults and
// lets the controllers catch up, then checks the invariants of a quiet
// cluster.
func (s *Scenario) settle() {
	var back, faulted []string
	for what, isDown := range s.down {
		if isDown {
			back = append(back, what)
		}
	}
	for ctrl := range s.faulted {
		faulted = append(faulted, ctrl)
	}
	sort.Strings(back)
	sort.Strings(faulted)
	for _, ctrl := range faulted {
		s.Do("fault clear " + ctrl)
	}
	s.faulted = map[string]bool{}
	for _, what := range back {
		kind, name, _ := strings.Cut(what, " ")
		s.Do(fmt.Sprintf("%s up %s", kind, name))
		s.down[what] = false
	}
	s.Do("sleep 15m")
	s.Do("check --settled")
}

// fail records a violation and stops the run. rapid shrinks the run and
// fails again on each smaller failure, so the failure left is the
// shortest rapid found.
func (s *Scenario) fail(v *Violation) {
	f := &Failure{Violation: *v, Steps: s.operationSteps(), Script: s.Script(), steps: append([]step(nil), s.steps...)}
	s.failure = f
	s.T.Fatalf("invariant %s broken: %s", v.Invariant, v.Message)
}

// operationSteps counts the steps that are the run's operations (not its
// header).
func (s *Scenario) operationSteps() int {
	n := 0
	for _, st := range s.steps {
		if st.op != "" {
			n++
		}
	}
	return n
}
