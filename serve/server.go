package serve

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

// Options shape a Server.
type Options struct {
	// Speed is how many virtual seconds pass per second of the outside
	// clock (time.Now) while Run drives the cluster. 1 follows the outside
	// clock (the right value inside a testing/synctest bubble); 0 lets
	// virtual time pass only when told (FastForward, Do). Negative values
	// count as 0.
	Speed float64
	// HistoryLimit is how many store changes the server keeps for watches
	// to resume from; a watch from an older resourceVersion gets 410 Gone.
	// 0 means 10,000.
	HistoryLimit int
	// OnCrash, when set, is called (outside the lock) with a client's
	// program name when a CrashAfterWrite fault strikes it: the client's
	// process is to be restarted (kubesimtest does).
	OnCrash func(client string)
	// Actor names who writes through the API in the cluster's trace, given
	// the request's user agent (its first word, "kubectl/v1.32.4 ...") and
	// field manager; nil uses the field manager, or the user agent's
	// program name.
	Actor func(userAgent, fieldManager string) string
}

// defaultHistoryLimit is how many changes the server keeps for watches.
const defaultHistoryLimit = 10_000

// Server serves the Kubernetes API over one simulated cluster. Create it
// with New; it is safe for concurrent use (one lock guards the cluster).
type Server struct {
	opts Options

	// lk is the lock around the cluster: a channel of one slot rather than
	// a sync.Mutex, so that a goroutine waiting for it is durably blocked
	// in a testing/synctest bubble (kubesimtest's runner holds it for long
	// stretches, and waits for every other goroutine to settle).
	lk chan struct{}
	// closed is set (under lk) once Close was called: requests then touch
	// the cluster no more.
	closed bool
	c      *sim.Cluster
	// history holds the recent store changes, for watches.
	history *history
	// pubMu guards changed, which is closed (and replaced) when something
	// was published: new changes, virtual time passing. Watchers and log
	// followers wait on it.
	pubMu   sync.Mutex
	changed chan struct{}
	// wake tells the driver to look at the cluster's schedule again.
	wake chan struct{}
	// clock maps the outside clock to virtual time.
	clock follower
	// pages keeps the snapshots continued lists read from.
	pages *pages
	// kept holds the fields of typed objects kubesim's types do not model.
	kept *keptFields
	// faults are the faults injected at the API boundary, by client.
	faults *faults
	// running counts the long-running requests open (/metrics).
	running longRunning
	// mark is the cluster's state when the lock was taken, to tell
	// whether anything changed under it.
	mark clusterState
	// struck lists the clients a crash fault struck under the lock, for
	// Options.OnCrash.
	struck []string
}

// clusterState is what a holder of the lock may have changed: the store,
// virtual time, and the schedule of work.
type clusterState struct {
	changes   int64
	now, next time.Time
	hasNext   bool
}

// state reads the cluster's state. The caller holds the lock.
func (s *Server) state() clusterState {
	next, ok := s.c.Next()
	return clusterState{changes: s.history.total, now: s.c.Now(), next: next, hasNext: ok}
}

// New returns a Server for c. From now on every change to c is recorded
// for watches, so c should be touched only through the Server (Do, Lock)
// while it serves.
func New(c *sim.Cluster, opts Options) *Server {
	if opts.HistoryLimit <= 0 {
		opts.HistoryLimit = defaultHistoryLimit
	}
	s := &Server{opts: opts, c: c, lk: make(chan struct{}, 1), changed: make(chan struct{}), wake: make(chan struct{}, 1),
		history: newHistory(opts.HistoryLimit, c.Store().ResourceVersion()),
		pages:   newPages(), kept: newKeptFields(), faults: newFaults()}
	s.clock = newFollower(c.Now(), time.Now(), opts.Speed)
	c.Observe(func(ch sim.Change) {
		s.history.add(ch)
		s.kept.forget(ch)
		s.faults.recordView(s)
	})
	return s
}

// Cluster returns the cluster served. Touch it only inside Do or between
// Lock and Unlock.
func (s *Server) Cluster() *sim.Cluster { return s.c }

// Do runs fn with the cluster under the server's lock: the cluster is first
// brought up to the outside clock, and the work fn makes due now runs
// before the lock is released; then watchers are told.
func (s *Server) Do(fn func(c *sim.Cluster)) {
	s.Lock()
	defer s.Unlock()
	fn(s.c)
}

// Lock takes the server's lock and brings the cluster up to the outside
// clock. A caller holding it may use the cluster directly (scenario
// commands, a test reading the store).
func (s *Server) Lock() {
	s.lk <- struct{}{}
	s.mark = s.state()
	if !s.closed {
		s.catchUp()
	}
}

// take and give hold the lock without bringing the cluster up to the
// outside clock, for quick reads and bookkeeping.
func (s *Server) take() { s.lk <- struct{}{} }
func (s *Server) give() { <-s.lk }

// peek is take for a request that only reads: false, with the lock left
// free, once the server is closed.
func (s *Server) peek() bool {
	s.take()
	if s.closed {
		s.give()
		return false
	}
	return true
}

// enter is Lock for a request: it fails, and leaves the lock free, once
// the server is closed.
func (s *Server) enter() error {
	s.take()
	if s.closed {
		s.give()
		return errClosed
	}
	s.mark = s.state()
	s.catchUp()
	return nil
}

// errClosed answers requests that come after Close.
var errClosed = failure(503, "ServiceUnavailable", "the simulated cluster is no longer served")

// Close stops serving the cluster: later requests get 503 and touch it no
// more, and watches and streams end. It waits for the requests holding
// the lock.
func (s *Server) Close() {
	s.take()
	s.closed = true
	s.give()
	s.publish()
}

// Unlock runs the work due now, releases the lock and, when anything
// changed (the store, virtual time, the schedule), tells watchers and the
// driver. When the cluster's time was moved ahead of the outside clock
// meanwhile (a scenario's sleep, an exec that waited), virtual time goes on
// from there.
func (s *Server) Unlock() {
	changed := false
	if !s.closed {
		s.c.AdvanceTo(s.c.Now())
		if wall := time.Now(); s.c.Now().After(s.clock.virtualNow(wall)) {
			s.clock.rebase(s.c.Now(), wall)
		}
		changed = s.state() != s.mark
	}
	struck := s.struck
	s.struck = nil
	s.give()
	if changed {
		s.publish()
	}
	for _, client := range struck {
		if s.opts.OnCrash != nil {
			s.opts.OnCrash(client)
		}
	}
}

// catchUp lets virtual time pass up to the outside clock's reading. The
// caller holds the lock.
func (s *Server) catchUp() {
	if now := s.clock.virtualNow(time.Now()); now.After(s.c.Now()) {
		s.c.AdvanceTo(now)
	}
}

// publish wakes every watcher, follower and the driver.
func (s *Server) publish() {
	s.pubMu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.pubMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Changes returns a channel closed the next time something changes in the
// cluster (the store, virtual time, scheduled work). A waiter takes it
// before reading what it waits for, so a change in between still wakes it.
func (s *Server) Changes() <-chan struct{} { return s.changes() }

// changes is Changes.
func (s *Server) changes() <-chan struct{} {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	return s.changed
}

// FastForward lets d of virtual time pass at once, as kubesim serve's
// `sleep 5m` does: every piece of work due meanwhile runs at its own time,
// and watchers see the changes.
func (s *Server) FastForward(d time.Duration) {
	s.Lock()
	s.c.AdvanceTo(s.c.Now().Add(d))
	s.Unlock()
}

// SetSpeed changes Options.Speed from now on.
func (s *Server) SetSpeed(speed float64) {
	s.Lock()
	s.clock.rebase(s.c.Now(), time.Now())
	s.clock.speed = max(speed, 0)
	s.Unlock()
}

// Run drives the cluster's virtual time until ctx is done: it sleeps until
// the cluster's next due work (as the outside clock at Options.Speed
// reaches it), lets virtual time pass up to the outside clock, and tells
// watchers. With speed 0 it only wakes when told.
func (s *Server) Run(ctx context.Context) {
	for {
		if s.enter() != nil {
			return // closed
		}
		next, ok := s.c.Next()
		wait, timed := s.clock.wallUntil(next, time.Now())
		s.Unlock()
		var timer *time.Timer
		var fire <-chan time.Time
		if ok && timed {
			timer = time.NewTimer(wait)
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return
		case <-fire:
		case <-s.wake:
			if timer != nil {
				timer.Stop()
			}
		}
	}
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.isDead(r):
		crashedResponse(w)
		return
	case refusesBody(r):
		writeStatus(w, unsupportedMediaType())
		return
	case refusesAnswer(r):
		writeStatus(w, notAcceptable())
		return
	}
	switch p := r.URL.Path; {
	case p == "/version" || p == "/version/":
		s.serveVersion(w)
	case p == "/metrics":
		s.serveMetrics(w)
	case p == "/healthz" || p == "/livez" || p == "/readyz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	case p == "/openapi/v3" || p == "/openapi/v3/":
		s.serveOpenAPIIndex(w)
	case strings.HasPrefix(p, "/openapi/v3/"):
		s.serveOpenAPI(w, strings.TrimPrefix(p, "/openapi/v3/"))
	case p == "/api" || p == "/api/" || p == "/apis" || p == "/apis/":
		s.serveRootDiscovery(w, r, strings.Trim(p, "/"))
	case strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/apis/"):
		s.serveAPI(w, r)
	default:
		writeStatus(w, notFoundPath())
	}
}

// serveAPI answers a request under /api or /apis: group discovery or a
// resource.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if !s.peek() {
		writeStatus(w, errClosed)
		return
	}
	cat := s.catalog()
	s.give()
	req, err := parseRequest(r, cat)
	if err != nil {
		writeStatus(w, err)
		return
	}
	switch {
	case req.discovery:
		s.serveGroupDiscovery(w, req, cat)
	case req.res != nil && req.res.createOnly:
		s.serveCreateOnly(w, r, req)
	case req.res != nil && req.res.components:
		s.serveComponentStatuses(w, r, req)
	case req.sub == "log":
		if isTrue(req.query.Get("follow")) {
			defer track(&s.running.connect)()
		}
		s.serveLogs(w, r, req)
	case req.sub == "exec" || req.sub == "attach":
		defer track(&s.running.connect)()
		s.serveExec(w, r, req)
	case req.verb == "watch":
		defer track(&s.running.watch)()
		s.serveWatch(w, r, req)
	default:
		s.serveResource(w, r, req)
	}
}

// actor names the writer of a request in the cluster's trace.
func (s *Server) actor(r *http.Request) string {
	ua := r.Header.Get("User-Agent")
	manager := r.URL.Query().Get("fieldManager")
	if s.opts.Actor != nil {
		return s.opts.Actor(ua, manager)
	}
	if manager != "" {
		return manager
	}
	return userAgentProgram(ua)
}

// userAgentProgram is the program a user agent names: "kubectl" for
// "kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd", "sim.User" when
// empty.
func userAgentProgram(ua string) string {
	prog, _, _ := strings.Cut(ua, "/")
	prog, _, _ = strings.Cut(prog, " ")
	if prog == "" {
		return sim.User
	}
	return prog
}

// keyIn returns the store key of name in ns for res.
func keyIn(res *resource, ns, name string) objects.Key {
	if !res.info.Namespaced {
		ns = ""
	}
	return objects.Key{Kind: res.info.Kind, Namespace: ns, Name: name}
}
