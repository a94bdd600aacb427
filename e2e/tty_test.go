package e2e_test

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubesim/kubesim/scenario"
)

// terminal is a command run under script(1), which gives it a
// pseudo-terminal, as a user's shell would: kubectl exec -it needs one.
type terminal struct {
	t    *testing.T
	in   io.WriteCloser
	mu   sync.Mutex
	out  bytes.Buffer
	seen int
	done chan struct{}
}

// startTerminal runs line in a pseudo-terminal, in serve's environment.
func (s *served) startTerminal(line string) *terminal {
	s.t.Helper()
	cmd := exec.Command("script", "-qc", line, "/dev/null")
	cmd.Env = s.env
	term := &terminal{t: s.t, done: make(chan struct{})}
	var err error
	if term.in, err = cmd.StdinPipe(); err != nil {
		s.t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("script(1), which gives kubectl a terminal: %v", err)
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := out.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				break
			}
		}
		_ = cmd.Wait()
		close(term.done)
	}()
	s.t.Cleanup(func() { _ = cmd.Process.Kill() })
	return term
}

// expect waits until the screen shows text after what was seen before.
func (term *terminal) expect(text string) {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		term.mu.Lock()
		screen := term.out.String()
		term.mu.Unlock()
		if i := strings.Index(screen[term.seen:], text); i >= 0 {
			term.seen += i + len(text)
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal did not show %q; it shows:\n%s", text, screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// typeKeys sends keys as a user types them (Enter is "\r").
func (term *terminal) typeKeys(keys string) {
	term.t.Helper()
	if _, err := io.WriteString(term.in, keys); err != nil {
		term.t.Fatal(err)
	}
}

// screen waits for the command to end and returns what it showed, lines
// ending in "\n".
func (term *terminal) screen() string {
	term.t.Helper()
	select {
	case <-term.done:
	case <-time.After(30 * time.Second):
		term.t.Fatal("the terminal's command did not end")
	}
	term.mu.Lock()
	defer term.mu.Unlock()
	return strings.ReplaceAll(term.out.String(), "\r\n", "\n")
}

// TestKubectlExecTerminal: `kubectl exec -it POD -- sh` with the real
// kubectl in a pseudo-terminal is an interactive session: the shell's
// prompt, the keys echoed and edited by the server's line discipline, the
// shell's state kept from line to line, virtual time passing as a command
// works, and the exit code of its end.
func TestKubectlExecTerminal(t *testing.T) {
	s := startServe(t, kubectlPath(t), t.TempDir())
	run := func(line string) string {
		c, out := s.kubectlCommand(scenario.Command{Text: line})
		runWithTimeout(t, c, line)
		return out.String()
	}
	run("kubectl run bb --image=busybox:1.36 -- sleep 3600")
	s.scenarioCommand(scenario.Command{Text: "sleep 20s"})

	term := s.startTerminal("kubectl exec -it bb -- sh")
	term.expect("/ # ")
	term.typeKeys("echo hx\x7fi; hostname\r") // DEL erases the x
	term.expect("/ # ")
	term.typeKeys("cd /etc; sleep 60; pwd\r")
	term.expect("/etc # ")
	term.typeKeys("sleep 100\x03") // ^C drops the line
	term.expect("/etc # ")
	term.typeKeys("exit 4\r")
	want := "/ # echo hx\b \bi; hostname\nhi\nbb\n" +
		"/ # cd /etc; sleep 60; pwd\n/etc\n" +
		"/etc # sleep 100^C\n" +
		"/etc # exit 4\nexit\n" +
		"command terminated with exit code 4\n"
	if got := term.screen(); got != want {
		t.Errorf("the session showed:\n%q\nwant:\n%q", got, want)
	}
	// The session's sleep 60 let virtual time pass.
	if got, want := run("kubectl get pod bb"), " 80s"; !strings.Contains(got, want) {
		t.Errorf("after the session, get pod bb shows:\n%s\nwant AGE %s (20s, then the session's sleep 60)", got, want)
	}
}
