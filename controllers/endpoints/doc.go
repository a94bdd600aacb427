// Package endpoints is the Endpoints controller of kube-controller-manager
// ("endpoint-controller", pkg/controller/endpoint): for every Service with a
// selector it keeps an Endpoints object of the same name listing the pods
// the selector matches: ready pods under addresses, pods not (yet) ready
// under notReadyAddresses (all under addresses when the Service publishes
// not-ready addresses), each with the Service's ports resolved against the
// pod's container ports.
//
// # Imports
//
// controllers, storage (the Reader only) and objects.
//
// # Determinism
//
// Reconcile is a pure function of the view and the key. Addresses are
// sorted as upstream's RepackSubsets sorts them (by IP as a string, then by
// pod uid). Upstream orders subsets and the ports within a subset by a hash
// of their contents; here subsets follow the order of their port lists and
// ports are sorted by name and number, which is the same whenever a
// Service has one port.
//
// # Departures
//
// The endpoints.kubernetes.io/last-change-trigger-time annotation is not
// set, and the 1000-address truncation is not modelled.
package endpoints
