package serve

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/kubesim/kubesim/storage"
)

// Faults at the API boundary: what sim's faults do to kubesim's own
// controllers (stale views, lost watch events, a crash between writes),
// done to a client outside the simulation, named by its user agent's
// program ("labeler" for "labeler/2 (linux/amd64) ..."). A property
// checker injects them into the controller under test (see kubesimtest).

// FaultKind says what a fault does to a client.
type FaultKind string

// The faults a client can be given.
const (
	// StaleReads: for the next second of virtual time, the client's gets,
	// lists and watches' first lists read the store as it was Count changes
	// ago, as from an apiserver watch cache that lags.
	StaleReads FaultKind = "stale"
	// LoseWatchEvents: the client's watches lose the next Count changes
	// they would deliver, then end with 410 Gone, as a broken watch does:
	// the client's reflector lists again.
	LoseWatchEvents FaultKind = "drop"
	// CrashAfterWrite: the client's process crashes right after its next
	// write succeeds: every later request of that client (that user agent,
	// as an incarnation) fails, and Options.OnCrash is told, to restart it.
	CrashAfterWrite FaultKind = "crash"
)

// Fault is one fault injected into one client.
type Fault struct {
	Client string
	Kind   FaultKind
	Count  int
}

// staleFor is how long a stale-read fault lasts, in virtual time: as
// sim's Faults.StaleFor, a second.
const staleFor = time.Second

// clientFaults are the faults one client program has.
type clientFaults struct {
	staleLag   int
	staleUntil time.Time
	drop       int
	crash      bool
}

// faults holds the injected faults, by client program, and the client
// incarnations (full user agents) a crash killed. It has a lock of its
// own, so that a fault can be injected by whoever holds the server's
// (a property checker's runner does).
type faults struct {
	mu       sync.Mutex
	byClient map[string]*clientFaults
	dead     map[string]bool
	// views are the store after each recent change, newest last, kept
	// while a stale-read fault may need them.
	views []storage.Reader
}

// maxStaleLag is the deepest stale view a fault may ask for.
const maxStaleLag = 64

func newFaults() *faults {
	return &faults{byClient: map[string]*clientFaults{}, dead: map[string]bool{}}
}

// InjectFault gives a client a fault at the API boundary. It returns an
// error for an unknown kind or a count out of range.
func (s *Server) InjectFault(f Fault) error {
	if f.Client == "" {
		return fmt.Errorf("serve: a fault needs a client")
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	cf := s.faults.byClient[f.Client]
	if cf == nil {
		cf = &clientFaults{}
		s.faults.byClient[f.Client] = cf
	}
	switch f.Kind {
	case StaleReads:
		if f.Count < 1 || f.Count > maxStaleLag {
			return fmt.Errorf("serve: a stale-read fault's count must be from 1 to %d", maxStaleLag)
		}
		// The second counts from the client's next read (see readerFor).
		cf.staleLag, cf.staleUntil = f.Count, time.Time{}
	case LoseWatchEvents:
		if f.Count < 1 {
			return fmt.Errorf("serve: a lost-events fault's count must be positive")
		}
		cf.drop += f.Count
	case CrashAfterWrite:
		cf.crash = true
	default:
		return fmt.Errorf("serve: unknown fault kind %q", f.Kind)
	}
	return nil
}

// ClearFaults turns off every fault of a client.
func (s *Server) ClearFaults(client string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	delete(s.faults.byClient, client)
}

// recordView keeps the store after a change while stale reads may need
// it. The caller holds the lock.
func (f *faults) recordView(s *Server) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.byClient) == 0 {
		f.views = nil
		return
	}
	snapper, ok := s.c.Store().(interface{ Snapshot() storage.Reader })
	if !ok {
		return
	}
	f.views = append(f.views, snapper.Snapshot())
	if len(f.views) > maxStaleLag+1 {
		f.views = f.views[1:]
	}
}

// clientOf is the client program a request comes from.
func clientOf(r *http.Request) string { return userAgentProgram(r.Header.Get("User-Agent")) }

// readerFor is what a request reads: the live store, or an old view for
// a client with a stale-read fault. The caller holds the lock.
func (s *Server) readerFor(r *http.Request) storage.Reader {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	cf := s.faults.byClient[clientOf(r)]
	if cf == nil || cf.staleLag == 0 || len(s.faults.views) == 0 {
		return s.c.Store()
	}
	if cf.staleUntil.IsZero() {
		cf.staleUntil = s.c.Now().Add(staleFor)
	}
	if !s.c.Now().Before(cf.staleUntil) {
		cf.staleLag = 0
		return s.c.Store()
	}
	i := max(len(s.faults.views)-1-cf.staleLag, 0)
	return s.faults.views[i]
}

// wrote notes a write about to be made by r's client: a crash fault armed
// for it strikes once the write is done (see crashed). The caller holds
// the lock.
func (f *faults) wrote(s *Server, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cf := f.byClient[clientOf(r)]; cf != nil && cf.crash {
		cf.crash = false
		f.dead[r.Header.Get("User-Agent")] = true
		s.struck = append(s.struck, clientOf(r))
	}
}

// isDead reports whether r comes from a client incarnation a crash killed.
func (s *Server) isDead(r *http.Request) bool {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.dead[r.Header.Get("User-Agent")]
}

// dropWatch reports whether a watch of r's client loses the changes just
// read (some of them in its scope): it then ends with 410. The caller
// holds the lock.
func (f *faults) dropWatch(s *Server, r *http.Request, req *apiRequest, changes []change) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	cf := f.byClient[clientOf(r)]
	if cf == nil || cf.drop == 0 {
		return false
	}
	lost := 0
	for _, ch := range changes {
		if ch.kind == req.res.info.Kind && (req.namespace == "" || ch.obj.GetObjectMeta().Namespace == req.namespace) {
			lost++
		}
	}
	if lost == 0 {
		return false
	}
	cf.drop = max(cf.drop-lost, 0)
	return true
}

// crashedResponse is the answer to a request of a crashed client: its
// process is gone, so the connection is cut.
func crashedResponse(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	writeStatus(w, failure(http.StatusServiceUnavailable, "ServiceUnavailable", "the client crashed (an injected fault)"))
}
