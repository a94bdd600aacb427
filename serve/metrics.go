package serve

import (
	"fmt"
	"net/http"
	"sync/atomic"
)

// longRunning counts the requests that stay open (watches, followed logs,
// exec and attach streams), as the apiserver's
// apiserver_longrunning_requests gauge does. A test driving kubectl waits
// on it to know a backgrounded `kubectl get -w` or `kubectl rollout
// status` is watching before it lets virtual time pass.
type longRunning struct {
	watch, connect atomic.Int64
}

// serveMetrics answers /metrics with the long-running request gauges, in
// Prometheus' text format.
func (s *Server) serveMetrics(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, "# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver requests broken out by verb.")
	fmt.Fprintln(w, "# TYPE apiserver_longrunning_requests gauge")
	fmt.Fprintf(w, "apiserver_longrunning_requests{verb=\"WATCH\"} %d\n", s.running.watch.Load())
	fmt.Fprintf(w, "apiserver_longrunning_requests{verb=\"CONNECT\"} %d\n", s.running.connect.Load())
}

// track counts a long-running request until the returned function is called.
func track(n *atomic.Int64) func() {
	n.Add(1)
	return func() { n.Add(-1) }
}
