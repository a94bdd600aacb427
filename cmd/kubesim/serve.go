package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
)

// serveCmd is `kubesim serve`: the simulated cluster's Kubernetes API on a
// loopback address, for the real kubectl and client-go programs.
//
//	kubesim serve [--addr HOST:PORT] [--kubeconfig FILE] [--speed N] [--seed N] [--start TIME] [FILE...]
//
// The scenario files are replayed first (their transcript goes to
// standard output); then the server answers, and each line read on
// standard input is a scenario command run at once (`sleep 5m`
// fast-forwards, `node down k8s-node1`, `kubectl get pods`...). Ctrl-C
// (SIGINT) or SIGTERM stops it.
func serveCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clusterFlags
	cf.register(fs)
	// kubectl computes some ages itself (describe's events) from its own
	// clock: a cluster that starts now keeps them close to the virtual ones.
	now := time.Now().UTC().Truncate(time.Second)
	if err := fs.Set("start", now.Format(time.RFC3339)); err != nil {
		panic(err)
	}
	fs.Lookup("start").DefValue = "now"
	addr := fs.String("addr", "127.0.0.1:6443", "loopback address to listen on (port 0: any free port)")
	kubeconfig := fs.String("kubeconfig", "", "write a kubeconfig for the server to `FILE` (cluster, user and context named kubesim)")
	speed := fs.Float64("speed", 1, "virtual seconds per wall-clock second (0: time passes only when told, by sleep)")
	if err := fs.Parse(args); err != nil {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if *speed < 0 {
		fmt.Fprintln(stderr, "kubesim: --speed must not be negative")
		return 2
	}
	cfg, err := cf.config()
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	runner, err := replayAll(fs.Args(), cfg, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 2
	}
	defer runner.Close()
	srv := serve.New(runner.Cluster(), serve.Options{Speed: *speed})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "kubesim:", err)
		return 1
	}
	url := "http://" + ln.Addr().String()
	if *kubeconfig != "" {
		if err := os.WriteFile(*kubeconfig, []byte(serve.Kubeconfig(url)), 0o600); err != nil {
			fmt.Fprintln(stderr, "kubesim:", err)
			return 1
		}
	}
	printServing(stderr, url, *kubeconfig, runner.Cluster(), *speed)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runServer(ctx, srv, ln, runner, stdin, stdout, stderr)
}

// runServer serves until ctx is done, running standard input's commands.
func runServer(ctx context.Context, srv *serve.Server, ln net.Listener, runner *scenario.Runner, stdin io.Reader, stdout, stderr io.Writer) int {
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	go srv.Run(ctx)
	go readCommands(ctx, srv, runner, stdin, stdout, stderr)
	select {
	case <-ctx.Done():
		fmt.Fprintln(stderr, "kubesim: stopping")
	case err := <-served:
		fmt.Fprintln(stderr, "kubesim:", err)
		return 1
	}
	shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		_ = hs.Close() // watches and log follows do not end by themselves
	}
	return 0
}

// checkLoopback refuses an address that is not on the loopback interface:
// the server has no authentication.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr: %v", err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr: %s is not a loopback address (the server has no authentication)", host)
	}
	return nil
}

// replayAll builds the cluster and replays the scenario files in order,
// their transcripts to out.
func replayAll(files []string, cfg sim.Config, out io.Writer) (*scenario.Runner, error) {
	dir := "."
	if len(files) > 0 {
		dir = filepath.Dir(files[0])
	}
	runner, err := scenario.NewRunner(cfg, dir)
	if err != nil {
		return nil, err
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			runner.Close()
			return nil, err
		}
		script, err := scenario.Parse(file, string(src))
		if err == nil {
			err = scenario.Replay(runner, script, out)
		}
		if err != nil {
			runner.Close()
			return nil, err
		}
	}
	return runner, nil
}

// printServing tells the user how to reach the server.
func printServing(w io.Writer, url, kubeconfig string, c *sim.Cluster, speed float64) {
	pace := fmt.Sprintf("%g virtual seconds per second", speed)
	if speed == 1 {
		pace = "as fast as the wall clock"
	} else if speed == 0 {
		pace = "only when told (sleep)"
	}
	fmt.Fprintf(w, "kubesim: serving the simulated cluster's API at %s\n", url)
	fmt.Fprintf(w, "kubesim: virtual time %s, passing %s\n", c.Now().Format(time.RFC3339), pace)
	if kubeconfig != "" {
		abs, err := filepath.Abs(kubeconfig)
		if err != nil {
			abs = kubeconfig
		}
		fmt.Fprintf(w, "kubesim: use it with\n  export KUBECONFIG=%s\n  kubectl get nodes\n", abs)
	} else {
		fmt.Fprintf(w, "kubesim: use it with\n  kubectl --server %s get nodes\n", url)
	}
	fmt.Fprintln(w, "kubesim: type scenario commands here (sleep 5m, node down k8s-node1, kubectl get pods...); Ctrl-C stops")
}

// readCommands runs the scenario commands read from in, each under the
// server's lock, printing their output to out. A here-document or a
// backslash continuation is read to its end first.
func readCommands(ctx context.Context, srv *serve.Server, runner *scenario.Runner, in io.Reader, out, errOut io.Writer) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var pending []string
	for sc.Scan() {
		if ctx.Err() != nil {
			return
		}
		pending = append(pending, sc.Text())
		if strings.HasSuffix(sc.Text(), "\\") {
			continue
		}
		script, err := scenario.Parse("stdin", strings.Join(pending, "\n"))
		var se *scenario.SyntaxError
		if errors.As(err, &se) && strings.Contains(se.Msg, "not closed") {
			continue
		}
		pending = nil
		if err != nil {
			fmt.Fprintln(errOut, "kubesim:", err)
			continue
		}
		for _, cmd := range script.Commands {
			var text string
			var cerr error
			srv.Do(func(*sim.Cluster) { text, cerr = runner.Exec("stdin", cmd) })
			fmt.Fprint(out, text)
			if cerr != nil {
				fmt.Fprintln(errOut, "kubesim:", cerr)
			}
		}
	}
}
