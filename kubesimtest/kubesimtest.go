// Package kubesimtest runs a simulated cluster inside a Go test, served to
// the test's Kubernetes clients over an in-memory connection, with its
// virtual time following the test's clock.
//
// # Virtual time in a synctest bubble
//
// Inside testing/synctest's bubble, time.Now is the bubble's fake clock,
// which jumps ahead whenever every goroutine of the test is blocked. New
// starts the cluster at the bubble's now and a driver goroutine that
// sleeps until the cluster's next due work, then lets virtual time pass up
// to the bubble's now. client-go informers, workqueues with their rate
// limiters, controller-runtime managers and the test's own reconcilers
// all run at that time: an hour of a CronJob's life passes in milliseconds,
// and a run is repeatable. Outside a bubble the cluster follows the wall
// clock, one virtual second per second.
//
//	synctest.Test(t, func(t *testing.T) {
//		c := kubesimtest.New(t, sim.Config{})
//		cfg := &rest.Config{Host: c.Host(), Dial: c.Dial}
//		client := kubernetes.NewForConfigOrDie(cfg)
//		... start informers and the controller under test with t.Context() ...
//		c.Apply(`...a Job...`)
//		c.Eventually(func(r storage.Reader) bool { ... }, time.Hour)
//	})
//
// # The connection
//
// Host and Dial make a client's connection: Dial returns one end of a
// net.Pipe and serves the other, so no socket is opened, and everything
// stays inside the bubble. The server is package serve's, the Kubernetes
// API as kubectl sees it: JSON and protobuf bodies, watches with
// bookmarks, WatchList, Tables.
//
// # Faults and property checks
//
// Server().InjectFault gives a client (named by its user agent's program)
// faults at the API boundary: stale reads, lost watch events, a crash
// right after its next write. Start runs a client of the test's own so
// that such a crash cancels it and runs it again, with a new user agent,
// CrashRestartDelay later. Serve is a sim.Config.OnStart hook that serves
// every cluster a property checker (propcheck) builds and starts the
// test's clients on it, so the checker's operations and faults are run
// against the controller under test (e2e/property_test.go).
//
// # Imports
//
// kubesimtest imports sim, serve, storage, objects and controllers, and no
// client library: the test brings its own (client-go builds a rest.Config
// from Host and Dial). Like serve, it runs goroutines and holds a lock: it
// is an edge package of the architecture test.
package kubesimtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/serve"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Host is the address clients name: Dial ignores it, so it only has to be
// a valid URL.
const Host = "http://kubesim.test"

// Cluster is a simulated cluster served to a test. Its methods are safe
// for concurrent use.
type Cluster struct {
	t    testing.TB
	sim  *sim.Cluster
	srv  *serve.Server
	ln   *pipeListener
	hs   *http.Server
	stop context.CancelFunc
	done sync.WaitGroup
	// paced is set for a cluster a property checker's runner owns (Serve):
	// the runner holds the server's lock except while virtual time passes.
	paced bool
	// wallOffset is the test clock's reading minus virtual time.
	wallOffset time.Duration

	mu      sync.Mutex
	clients map[string]*client
	closed  bool
}

// New builds a cluster from cfg (a zero Start means the test clock's now,
// to the second) and serves it until the test ends: its cleanup stops the
// server and, if the test failed, writes the cluster's trace to a file and
// logs its path and last lines. Clients connect with Host and Dial.
func New(t testing.TB, cfg sim.Config) *Cluster {
	t.Helper()
	if cfg.Start.IsZero() {
		cfg.Start = time.Now().UTC().Truncate(time.Second)
	}
	sc, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("kubesimtest: %v", err)
	}
	c := serveCluster(t, sc)
	t.Cleanup(c.close)
	return c
}

// serveCluster starts serving sc: the HTTP server on the pipe listener and
// the driver that lets virtual time follow the test clock.
func serveCluster(t testing.TB, sc *sim.Cluster) *Cluster {
	c := &Cluster{t: t, sim: sc, ln: newPipeListener(), clients: map[string]*client{},
		wallOffset: time.Now().Sub(sc.Now())}
	c.srv = serve.New(sc, serve.Options{Speed: 1, OnCrash: c.crashed})
	c.hs = &http.Server{Handler: c.srv, ReadHeaderTimeout: time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	c.stop = cancel
	c.done.Add(2)
	go func() {
		defer c.done.Done()
		_ = c.hs.Serve(c.ln)
	}()
	go func() {
		defer c.done.Done()
		c.srv.Run(ctx)
	}()
	return c
}

// close stops the test's clients, stops serving and, on failure, writes
// the trace.
func (c *Cluster) close() {
	c.stopClients()
	c.stop()
	_ = c.hs.Close()
	c.done.Wait()
	if c.t.Failed() {
		c.writeTrace()
	}
	c.srv.Do(func(sc *sim.Cluster) { sc.Close() })
}

// writeTrace saves the trace of a failed test and logs where it is.
func (c *Cluster) writeTrace() {
	var text string
	c.srv.Do(func(sc *sim.Cluster) { text = sc.TraceText() })
	name := strings.NewReplacer("/", "_", " ", "_").Replace(c.t.Name())
	f, err := os.CreateTemp("", "kubesimtest-"+name+"-*.trace")
	if err == nil {
		_, err = f.WriteString(text)
		f.Close()
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	tail := lines[max(0, len(lines)-traceTail):]
	if err != nil {
		c.t.Logf("kubesimtest: the cluster's trace could not be written (%v); its last lines:\n%s", err, strings.Join(tail, "\n"))
		return
	}
	c.t.Logf("kubesimtest: the cluster's trace is in %s; its last %d lines:\n%s", f.Name(), len(tail), strings.Join(tail, "\n"))
}

// traceTail is how many trace lines a failed test logs.
const traceTail = 40

// Host returns the URL clients connect to (rest.Config.Host).
func (c *Cluster) Host() string { return Host }

// Dial connects a client to the cluster over an in-memory connection; it
// has rest.Config.Dial's signature, and ignores network and address.
func (c *Cluster) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	return c.ln.dial(ctx)
}

// Simulation returns the simulated cluster. Touch it only inside Do (or,
// under Serve, from the runner that owns it).
func (c *Cluster) Simulation() *sim.Cluster { return c.sim }

// Server returns the API server in front of the cluster (to inject faults
// at the API boundary, or serve it elsewhere too).
func (c *Cluster) Server() *serve.Server { return c.srv }

// Do runs fn with the simulated cluster under the server's lock, virtual
// time brought up to the test clock first; watchers see what fn changed.
func (c *Cluster) Do(fn func(*sim.Cluster)) { c.srv.Do(fn) }

// Apply creates or updates the objects of a YAML or JSON manifest, as
// kubectl apply -f does; it fails the test on error.
func (c *Cluster) Apply(manifest string) []sim.Applied {
	c.t.Helper()
	var out []sim.Applied
	var err error
	c.Do(func(sc *sim.Cluster) { out, err = sc.Apply([]byte(manifest)) })
	if err != nil {
		c.t.Fatalf("kubesimtest: apply: %v", err)
	}
	return out
}

// AddController adds a controller of the test's own to the cluster's loop
// (sim.Cluster.AddController): it reconciles at virtual time beside the
// built-in controllers.
func (c *Cluster) AddController(ctrl controllers.Controller) error {
	var err error
	c.Do(func(sc *sim.Cluster) { err = sc.AddController(ctrl) })
	return err
}

// Now returns the cluster's virtual time.
func (c *Cluster) Now() time.Time {
	var now time.Time
	c.Do(func(sc *sim.Cluster) { now = sc.Now() })
	return now
}

// Trace returns the cluster's trace: every store change and event, at its
// virtual time, with who made it.
func (c *Cluster) Trace() string {
	var text string
	c.Do(func(sc *sim.Cluster) { text = sc.TraceText() })
	return text
}

// Check reports whether cond holds of the store now.
func (c *Cluster) Check(cond func(storage.Reader) bool) bool {
	var ok bool
	c.Do(func(sc *sim.Cluster) { ok = cond(sc.Store()) })
	return ok
}

// ErrTimeout is what WaitFor returns when its condition did not hold in
// time.
var ErrTimeout = errors.New("kubesimtest: the condition did not hold in time")

// WaitFor waits, at virtual time, until cond holds of the store or timeout
// of virtual time has passed (ErrTimeout). The condition is checked now
// and after every change; inside a synctest bubble the wait costs no wall
// time. cond must only read the store.
func (c *Cluster) WaitFor(cond func(storage.Reader) bool, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		changed := c.srv.Changes()
		if c.Check(cond) {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			if c.Check(cond) {
				return nil
			}
			return ErrTimeout
		}
	}
}

// Eventually is WaitFor that fails the test, naming what it waited for,
// when cond does not hold within timeout of virtual time.
func (c *Cluster) Eventually(cond func(storage.Reader) bool, timeout time.Duration, what ...any) {
	c.t.Helper()
	if err := c.WaitFor(cond, timeout); err != nil {
		msg := "the condition"
		if len(what) > 0 {
			msg = fmt.Sprint(what...)
		}
		c.t.Fatalf("kubesimtest: %s did not hold within %s of virtual time (now %s)", msg, timeout, c.Now().Format(time.RFC3339))
	}
}

// kindOf finds the kind whose Go type is T's.
func kindOf[T objects.Object]() (objects.KindInfo, error) {
	t := reflect.TypeFor[T]()
	for _, k := range objects.Kinds() {
		if k.Modelled() && reflect.TypeOf(k.New()) == t {
			return k, nil
		}
	}
	return objects.KindInfo{}, fmt.Errorf("kubesimtest: %v is not a kind kubesim models", t)
}

// Get returns a copy of the object of type T (*objects.Job, *objects.Pod...)
// named name in namespace ("" for cluster-scoped kinds), as stored now.
func Get[T objects.Object](c *Cluster, namespace, name string) (T, error) {
	var zero T
	k, err := kindOf[T]()
	if err != nil {
		return zero, err
	}
	var obj objects.Object
	c.Do(func(sc *sim.Cluster) {
		obj, err = sc.Store().Get(objects.Key{Kind: k.Kind, Namespace: namespace, Name: name})
	})
	if err != nil {
		return zero, err
	}
	return obj.DeepCopyObject().(T), nil
}

// List returns copies of the objects of type T in namespace ("": all),
// those whose labels sel matches (nil: all), in name order.
func List[T objects.Object](c *Cluster, namespace string, sel objects.Selector) []T {
	k, err := kindOf[T]()
	if err != nil {
		c.t.Fatal(err)
	}
	var out []T
	c.Do(func(sc *sim.Cluster) {
		for _, obj := range sc.Store().List(k.Kind, namespace, sel) {
			out = append(out, obj.DeepCopyObject().(T))
		}
	})
	return out
}

// Of reads a typed object from a store inside a condition: ok is false
// when it is missing or of another type. The object is the store's own,
// read-only.
func Of[T objects.Object](r storage.Reader, namespace, name string) (T, bool) {
	var zero T
	k, err := kindOf[T]()
	if err != nil {
		return zero, false
	}
	obj, err := r.Get(objects.Key{Kind: k.Kind, Namespace: namespace, Name: name})
	if err != nil {
		return zero, false
	}
	t, ok := obj.(T)
	return t, ok
}

// pipeListener is a net.Listener whose connections are net.Pipes.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// dial hands the server one end of a new pipe and returns the other.
func (l *pipeListener) dial(ctx context.Context) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Accept returns the next dialled connection.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops accepting.
func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr names the listener.
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "kubesim.test:80" }
