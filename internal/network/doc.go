// Package network models the cluster network a process reaches: the
// cluster DNS (CoreDNS's kubernetes plugin for the cluster.local zone) and
// kube-proxy's Service routing to HTTP servers in pods.
//
// # DNS
//
// [Network.LookupA] answers A queries as CoreDNS does:
// <svc>.<ns>.svc.cluster.local is the Service's cluster IP, or for a
// headless Service the addresses of its ready endpoints;
// <hostname>.<svc>.<ns>.svc.cluster.local is the endpoint of that
// hostname (a pod whose spec.subdomain names the Service), and an
// endpoint without a hostname answers to its dashed IP;
// <a-b-c-d>.<ns>.pod.cluster.local is that IP. Everything else is
// NXDOMAIN: there is no upstream resolver.
//
// # HTTP
//
// [Network.Get] sends a request to an IP: a Service's cluster IP (or a
// node's IP and a node port) goes to the first ready endpoint in
// EndpointSlice order with the port mapped, as a deterministic stand-in
// for kube-proxy's random choice; a pod IP goes to the server listening
// there, which [Pods] finds. nginx serves /usr/share/nginx/html with its
// index, 301, 403 and 404 behaviour and pages.
//
// # Imports
//
// objects, storage (the Reader only), internal/vfs, internal/workload/sh,
// whose Network interface it implements, and internal/workload/images for
// the servers' kinds. It never imports sim or the
// kubelet: the simulation supplies [Pods].
//
// # Determinism
//
// Answers are a function of the store and the pods' files at the call; no
// state is kept between calls.
package network
