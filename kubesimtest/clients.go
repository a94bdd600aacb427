package kubesimtest

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/kubesim/kubesim/sim"
)

// CrashRestartDelay is how long a client a crash fault struck stays down
// before Start runs it again, in virtual time (as sim's crashed
// controllers take).
const CrashRestartDelay = 10 * time.Second

// client is one program the test started with Start.
type client struct {
	name        string
	run         func(ctx context.Context, userAgent string)
	cancel      context.CancelFunc
	incarnation int
}

// Start runs a client of the test's own against the cluster (a client-go
// controller, a controller-runtime manager): run is called with a context
// and the user agent its rest.Config must carry (name/1, then name/2... one
// per incarnation, which is how the server tells it apart), and must stop
// when the context ends. When a crash fault strikes the client
// (serve.Server.InjectFault with Client: name), its context is cancelled
// at once and run is called again CrashRestartDelay later, as a crashed
// controller's process restarts with nothing but what the API tells it.
// The clients stop when the test (or, under Serve, the cluster) ends.
func (c *Cluster) Start(name string, run func(ctx context.Context, userAgent string)) {
	cl := &client{name: name, run: run}
	c.mu.Lock()
	if c.clients[name] != nil {
		c.mu.Unlock()
		c.t.Fatalf("kubesimtest: a client named %q is already started", name)
	}
	c.clients[name] = cl
	c.mu.Unlock()
	c.launch(cl)
}

// launch starts a client's next incarnation.
func (c *Cluster) launch(cl *client) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	cl.cancel = cancel
	cl.incarnation++
	ua := fmt.Sprintf("%s/%d", cl.name, cl.incarnation)
	go cl.run(ctx, ua)
}

// crashed is serve's OnCrash: the client's process dies now and comes back
// after CrashRestartDelay of virtual time.
func (c *Cluster) crashed(name string) {
	c.mu.Lock()
	cl := c.clients[name]
	c.mu.Unlock()
	if cl == nil {
		return
	}
	cl.cancel()
	go func() {
		time.Sleep(CrashRestartDelay) // the test clock, which virtual time follows
		c.launch(cl)
	}()
}

// stopClients cancels every client and restarts no more.
func (c *Cluster) stopClients() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, cl := range c.clients {
		if cl.cancel != nil {
			cl.cancel()
		}
	}
}

// Serve returns a hook for sim.Config.OnStart that serves every cluster
// built from the Config, and calls start with each, so a property
// checker's runs (propcheck.Config.Cluster) drive the test's own
// controllers: start typically calls Start. It must run inside a
// testing/synctest bubble. The runner that built a cluster owns it: it
// holds the server's lock while it runs scenario commands, and releases
// it while virtual time passes (a sleep, kubectl waiting), when the
// bubble's clock goes forward with the cluster's and the clients act; so
// start must not call the Cluster's locking methods (Do, Check, Get...)
// itself. Each cluster stops, clients first, when the runner closes it.
func Serve(t testing.TB, start func(c *Cluster)) func(*sim.Cluster) func() {
	return func(sc *sim.Cluster) func() {
		c := serveCluster(t, sc)
		c.paced = true
		c.srv.Lock()
		sc.SetPace(c.pace)
		start(c)
		return func() { c.closePaced(t) }
	}
}

// closePaced stops a cluster a runner owns, as the runner closes it: the
// clients and the driver are stopped, the requests under way finish, and
// the server refuses the rest, touching the simulation no more. It does
// not wait for the clients' goroutines (a new cluster's may be waiting for
// the runner): they see their contexts end and their connections close.
func (c *Cluster) closePaced(t testing.TB) {
	c.stopClients()
	c.stop()
	c.srv.Unlock()
	c.srv.Close()
	_ = c.hs.Close()
	c.done.Wait()
	if t.Failed() {
		c.writeTrace()
	}
}

// pace lets the bubble's clock, and the clients, go on to the virtual time
// until: the runner's lock is released, the bubble sleeps to then (the
// driver moves the cluster along and the clients act at each moment),
// every goroutine settles at until, and the lock is taken back.
func (c *Cluster) pace(until time.Time) {
	c.srv.Unlock()
	if wait := until.Add(c.wallOffset).Sub(time.Now()); wait > 0 {
		time.Sleep(wait)
	}
	synctest.Wait()
	c.srv.Lock()
}
