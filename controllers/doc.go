// Package controllers defines what a control loop is in kubesim, and holds
// one sub-package per loop (scheduler, kubelet, and later job, cronjob,
// statefulset...).
//
// # Controllers are pure reconcile functions
//
// A controller reads a store view at a given virtual time and returns what it
// would do as a [Result]: writes to make ([Action]), events to record, and
// when to look again. It never writes, sleeps or spawns; package sim applies
// the result. This is what lets the simulation hand a controller a stale
// view, drop a watch event, or crash it between two writes of one reconcile:
// the faults the property checker injects.
//
// The one exception is node-local machine state that has no place in the
// API: the kubelet's container runtime (images pulled, processes, files,
// logs). The kubelet owns it and changes it while reconciling, as a real
// kubelet changes its node; its API writes still go through the Result.
//
// # Imports
//
// controllers imports objects and storage (the read side). Sub-packages
// import controllers, storage and objects (the kubelet also the internal
// workload and vfs models; any may read the mutation tests' switches in
// internal/mutant, which cost nothing in a build without the
// kubesim_mutants tag), never sim, the clock or each other; the test
// harness controllers/controllertest alone uses the clock, to build stores.
// arch_test.go at the module root holds these rules.
//
// # Determinism
//
// Reconcile must be a function of (now, store view, key, the controller's own
// state): no wall clock, no global random source, no map order in output.
package controllers
