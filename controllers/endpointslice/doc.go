// Package endpointslice is the EndpointSlice controller of
// kube-controller-manager ("endpointslice-controller",
// pkg/controller/endpointslice): for every Service with a selector it keeps
// discovery.k8s.io/v1 EndpointSlices, named "<service>-" plus five random
// characters, labelled kubernetes.io/service-name and owned by the
// Service, listing every pod the selector matches that has an IP and has
// not ended, with its ready, serving and terminating conditions.
//
// # Imports
//
// controllers, storage (the Reader only) and objects.
//
// # Determinism
//
// Reconcile is a pure function of the view and the key. Pods whose ports
// resolve alike share a slice; slices are matched to port lists in name
// order and endpoints are sorted by IP (upstream keeps lister order, which
// is not defined). A deleted Service's slices go through the garbage
// collector, their owner reference pointing at the Service, as upstream.
//
// # Departures
//
// The 100-endpoints-per-slice limit, topology hints, zones and the
// last-change-trigger-time annotation are not modelled.
package endpointslice
