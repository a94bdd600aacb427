// Package serve speaks the Kubernetes REST API over a simulated cluster, so
// that the real kubectl, client-go programs and controller-runtime managers
// run against kubesim at virtual time.
//
// # What it serves
//
// [Server] is an http.Handler over one [sim.Cluster]:
//
//   - /version; discovery (/api, /apis, /api/v1, /apis/{group}/{version}),
//     plain and aggregated (apidiscovery.k8s.io/v2, which kubectl asks for
//     first); OpenAPI v3 documents generated from kubesim's own types
//     (/openapi/v3), enough for kubectl's field validation and explain;
//   - get, list (limit and continue, labelSelector, fieldSelector), watch
//     (resourceVersion, bookmarks, 410 Gone past the history it keeps,
//     sendInitialEvents for client-go's WatchList), create, update, delete
//     (DeleteOptions), deletecollection and patch (strategic merge, JSON
//     merge, JSON patch, server-side apply) of every kind the cluster
//     serves, custom resources included, dry runs validated as writes;
//     the status and scale subresources; pods/log, pods/exec and
//     pods/attach, answered by the workload model (streams over WebSocket,
//     v5.channel.k8s.io or v4; SPDY is not spoken), exec with a terminal
//     an interactive session (tty.go);
//   - what the apiserver answers without storing: bindings and the pods'
//     binding subresource, the access reviews (as AlwaysAllow), and
//     componentstatuses; events.k8s.io/v1, the core Events under that
//     group's field names (eventsv1.go);
//   - Tables (Accept: application/json;as=Table;g=meta.k8s.io;v=v1) with the
//     cells of kubesim's own printers, so AGE is virtual time;
//   - errors as Status objects with the apiserver's reasons and codes.
//
// Request bodies are JSON, YAML or protobuf (client-go's typed clients,
// and so kubectl's create commands, send protobuf; it is read with
// upstream's message definitions); answers are always JSON, which clients
// accept. A CBOR body is answered with 415 Unsupported Media Type. Fields
// of a modelled kind that kubesim's types do not hold are kept as given
// and served back, with a Warning header naming them.
//
// # Faults at the API boundary
//
// [Server.InjectFault] does to a client outside the simulation what sim's
// faults do to kubesim's own controllers: stale reads, lost watch events
// (the watch then ends with 410 Gone), a crash right after its next write
// (its later requests are cut off and Options.OnCrash is told, to restart
// it). A client is named by its user agent's program; kubesimtest and a
// property checker use them on the controller under test.
//
// # Time
//
// The cluster's virtual time follows a clock outside it: [Server.Run] is
// a driver that sleeps until the cluster's next due work and then lets
// virtual time pass up to the outside clock's reading, at Options.Speed
// virtual seconds per second of the process's time.Now. Inside a
// testing/synctest bubble time.Now is the bubble's clock, so the cluster
// follows the test (see package kubesimtest). Every request first brings
// the cluster up to the outside clock and, after it, runs the work it made
// due at once (controllers react at the same instant, as in scenarios).
// [Server.FastForward] lets virtual time jump ahead (kubesim serve's
// `sleep 5m`).
//
// # Concurrency
//
// The simulation core is single-threaded; this package is its edge. One
// lock guards the cluster: every request, the driver and [Server.Do]
// take it for as long as they touch the cluster, so the core sees one
// caller at a time. It is a channel of one slot, not a sync.Mutex, so that
// a goroutine waiting for it is durably blocked in a synctest bubble.
// [Server.Close] makes later requests fail without touching the cluster. Watches and log follows wait outside the lock for a
// change to be published, then read the history the server keeps (a
// sim.Cluster.Observe hook). This package starts goroutines (the driver,
// net/http's) and holds locks, which is why it lives outside the core and
// the architecture test's determinism rules.
//
// # Imports
//
// serve imports the standard library, sim, storage, objects and
// kubectl/printers. It does not depend on client-go: the end-to-end tests
// that drive it with kubectl, client-go and controller-runtime live in the
// nested module e2e.
package serve
