package e2e_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/scenario"
)

var rewrite = flag.Bool("rewrite", false, "write the actual outputs back into the transcripts (review the diff)")

// kubesimBin is the kubesim binary the tests serve with, built once.
var kubesimBin string

func TestMain(m *testing.M) {
	flag.Parse()
	quietClientErrors()
	dir, err := os.MkdirTemp("", "kubesim-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kubesimBin = filepath.Join(dir, "kubesim")
	// Built in the library's own module, with its own go.sum.
	build := exec.Command("go", "build", "-o", kubesimBin, "./cmd/kubesim")
	build.Dir = ".."
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building kubesim:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// kubectlPath is the real kubectl the transcripts run: $KUBECTL, or
// /usr/bin/kubectl. Its absence fails the test: CI must not pass by
// skipping what it is meant to check.
func kubectlPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("KUBECTL")
	if p == "" {
		p = "/usr/bin/kubectl"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the end-to-end tests need the real kubectl at %s (set KUBECTL to another path): %v", p, err)
	}
	return p
}

// TestKubectlTranscripts replays each testdata/kubectl/*.txt: `kubectl`
// lines run the real kubectl against `kubesim serve --speed 0`, other
// lines (sleep, node down, kill...) go to serve's standard input, so
// virtual time passes only between commands and every output is
// deterministic. A kubectl line ending in " &" runs in the background
// (once it has opened its watch, log stream or exec session), and a
// `wait` line prints the output of every backgrounded command.
func TestKubectlTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/kubectl/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	kubectl := kubectlPath(t)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			t.Parallel()
			runTranscript(t, file, kubectl)
		})
	}
}

// served is a running `kubesim serve` and what it prints.
type served struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr *bytes.Buffer
	url    string
	env    []string
	dir    string
}

// startServe starts kubesim serve with virtual time stopped, and an
// environment in which `kubectl` is the real one talking to it.
func startServe(t *testing.T, kubectl, dir string) *served {
	t.Helper()
	tmp := t.TempDir()
	kubeconfig := filepath.Join(tmp, "kubeconfig")
	bin := filepath.Join(tmp, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(kubectl, filepath.Join(bin, "kubectl")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(kubesimBin, "serve", "--addr", "127.0.0.1:0", "--kubeconfig", kubeconfig, "--speed", "0",
		"--start", "2023-12-22T00:00:00Z")
	s := &served{t: t, cmd: cmd, lines: make(chan string, 1000), stderr: &bytes.Buffer{}, dir: dir}
	cmd.Stderr = s.stderr
	var err error
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("kubesim serve did not stop on SIGINT")
		}
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(kubeconfig)
		if err == nil && len(b) > 0 {
			m := regexp.MustCompile(`server: (\S+)`).FindSubmatch(b)
			if m != nil {
				s.url = string(m[1])
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kubesim serve wrote no kubeconfig: %s", s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.env = append(os.Environ(), "KUBECONFIG="+kubeconfig, "HOME="+tmp,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "KUBECTL_COMMAND_HEADERS=false")
	return s
}

// syncCommand is sent after each command on serve's standard input: its
// output, which nothing else prints, marks the end of the command's.
const (
	syncCommand = "kubectl get namespace kube-node-lease -o name"
	syncLine    = "namespace/kube-node-lease"
)

// scenarioCommand runs one scenario command through serve's standard
// input and returns what serve printed for it.
func (s *served) scenarioCommand(cmd scenario.Command) string {
	s.t.Helper()
	text := cmd.Text + "\n"
	if cmd.HasHeredoc {
		text = cmd.Text + " <<EOF\n" + cmd.Stdin + "EOF\n"
	}
	if _, err := io.WriteString(s.stdin, text+syncCommand+"\n"); err != nil {
		s.t.Fatalf("writing to kubesim serve: %v", err)
	}
	var out strings.Builder
	timeout := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("kubesim serve exited: %s", s.stderr)
			}
			if line == syncLine {
				return out.String()
			}
			out.WriteString(line + "\n")
		case <-timeout:
			s.t.Fatalf("kubesim serve did not finish %q: %s", cmd.Text, s.stderr)
		}
	}
}

// longRunning reads the server's count of open watches and streams.
func (s *served) longRunning() int {
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	total := 0
	for _, m := range regexp.MustCompile(`(?m)^apiserver_longrunning_requests\{[^}]*\} (\d+)$`).FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		total += n
	}
	return total
}

// background is a kubectl command running while the transcript goes on.
type background struct {
	text string
	out  *bytes.Buffer
	done chan struct{}
}

// wait waits for a backgrounded command to end.
func (bg *background) wait(t *testing.T) {
	t.Helper()
	select {
	case <-bg.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("%q did not end", bg.text)
	}
}

// kubectlCommand starts a transcript's kubectl line in a shell (pipes and
// quotes as typed), in the transcript's directory.
func (s *served) kubectlCommand(cmd scenario.Command) (*exec.Cmd, *bytes.Buffer) {
	line := strings.TrimSuffix(cmd.Text, " &")
	c := exec.Command("sh", "-c", line)
	c.Dir, c.Env = s.dir, s.env
	out := &bytes.Buffer{}
	c.Stdout, c.Stderr = out, out
	if cmd.HasHeredoc {
		c.Stdin = strings.NewReader(cmd.Stdin)
	}
	return c, out
}

// startBackground starts a kubectl line and waits until it has opened a
// long-running request (or ended), so time passing later is seen by it.
func (s *served) startBackground(cmd scenario.Command) *background {
	s.t.Helper()
	before := s.longRunning()
	c, out := s.kubectlCommand(cmd)
	if err := c.Start(); err != nil {
		s.t.Fatal(err)
	}
	bg := &background{text: cmd.Text, out: out, done: make(chan struct{})}
	go func() { _ = c.Wait(); close(bg.done) }()
	deadline := time.Now().Add(20 * time.Second)
	for s.longRunning() <= before {
		select {
		case <-bg.done:
			return bg
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%q opened no watch or stream", cmd.Text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return bg
}

// runTranscript replays one transcript and compares (or rewrites) its
// outputs.
func runTranscript(t *testing.T, file, kubectl string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	script, err := scenario.Parse(file, string(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, kubectl, dir)
	var pending []*background
	outputs := make([]string, len(script.Commands))
	for i, cmd := range script.Commands {
		switch {
		case cmd.Text == "wait":
			var b strings.Builder
			for _, bg := range pending {
				bg.wait(t)
				b.WriteString(bg.out.String())
			}
			pending = nil
			outputs[i] = b.String()
		case strings.HasPrefix(cmd.Text, "kubectl") && strings.HasSuffix(cmd.Text, " &"):
			pending = append(pending, s.startBackground(cmd))
		case strings.HasPrefix(cmd.Text, "kubectl"):
			c, out := s.kubectlCommand(cmd)
			runWithTimeout(t, c, cmd.Text)
			outputs[i] = out.String()
		default:
			outputs[i] = s.scenarioCommand(cmd)
		}
	}
	if len(pending) > 0 {
		t.Fatalf("%s: background commands without a final wait", file)
	}
	compareOrRewrite(t, file, script, outputs)
}

// runWithTimeout runs a foreground kubectl line; one that hangs (waiting
// for virtual time that will not pass) fails the test.
func runWithTimeout(t *testing.T, c *exec.Cmd, text string) {
	t.Helper()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = c.Process.Kill()
		t.Fatalf("%q did not end (does it wait for virtual time? run it with &)", text)
	}
}

// compareOrRewrite checks the outputs against the transcript's, or with
// -rewrite writes them into it.
func compareOrRewrite(t *testing.T, file string, script *scenario.Script, outputs []string) {
	t.Helper()
	var rewritten strings.Builder
	next := 0
	for i, cmd := range script.Commands {
		want := ""
		if cmd.Expected != nil {
			want = *cmd.Expected
		}
		if got := outputs[i]; got != want && !*rewrite {
			t.Errorf("%s:%d: %s\n--- expected\n%s--- actual\n%s", file, cmd.Line, cmd.Text, want, got)
		}
		for _, l := range script.Lines[next:cmd.BodyEnd] {
			rewritten.WriteString(l + "\n")
		}
		next = cmd.EndLine
		rewritten.WriteString(expectedBlock(outputs[i], next < len(script.Lines) && strings.TrimSpace(script.Lines[next]) != ""))
	}
	rest := script.Lines[next:]
	for i, l := range rest {
		if i == len(rest)-1 && l == "" {
			break
		}
		rewritten.WriteString(l + "\n")
	}
	if *rewrite {
		if err := os.WriteFile(file, []byte(rewritten.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// expectedBlock formats an output as a transcript holds it (as package
// scenario's test files do): "----" and the lines, fenced with doubled
// "----" lines when the output has blank lines of its own.
func expectedBlock(out string, followedByText bool) string {
	if out == "" {
		return ""
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") {
		return scenario.Separator + "\n" + scenario.Separator + "\n" + out + scenario.Separator + "\n" + scenario.Separator + "\n"
	}
	block := scenario.Separator + "\n" + out
	if followedByText {
		block += "\n"
	}
	return block
}
