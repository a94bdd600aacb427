// Package propcheck checks kubesim's controllers the way a property-based
// tester would: random scenarios of user operations and faults, with the
// controllers' invariants checked after every step, and a failure shrunk
// to a short scenario file that replays it.
//
// # Invariants
//
// [Safety] gathers the invariants that hold after every step whatever is
// pending (a Job never both Complete and Failed, a Deployment's rollout
// within replicas+maxSurge, lastScheduleTime never moving backwards...).
// [Settled] gathers those that hold once the cluster is quiet and healthy
// (every pod a Job owns matches its selector, Endpoints list exactly the
// ready pods, nothing outlives its owners).
//
// # The machine
//
// The rapid state machine in machine_test.go draws operations — create a
// Job or a Deployment, scale it, change its image, delete it with a random
// cascade, let time pass, take a node down, kill a container, stop a
// controller — and writes each as a scenario line, so the sequence that
// breaks an invariant is itself the reproduction: rapid shrinks it, and the
// test writes the shrunk scenario to propcheck/testdata/failures/ for
// `kubesim run`.
//
// # Imports
//
// propcheck imports sim, scenario, storage, objects and the controller
// packages' invariants.
package propcheck
