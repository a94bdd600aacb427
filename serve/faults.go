package serve

import (
	"net/http"

	"github.com/kubesim/kubesim/storage"
)

// faults are the faults injected at the API boundary, by client.
type faults struct{}

func newFaults() *faults { return &faults{} }

// readerFor is what a request reads: the live store. The caller holds the
// lock.
func (s *Server) readerFor(r *http.Request) storage.Reader { return s.c.Store() }

// wrote notes a write by r's client.
func (f *faults) wrote(s *Server, r *http.Request) {}

// dropWatch reports whether a watch of r's client loses changes.
func (f *faults) dropWatch(s *Server, r *http.Request, req *apiRequest, changes []change) bool {
	return false
}
