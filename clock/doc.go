// Package clock is kubesim's virtual time.
//
// Nothing in the simulation core reads the wall clock. Time is a value that
// only moves when the simulation moves it: [Fake] holds the current virtual
// time and an ordered queue of scheduled work, and Step pops the earliest
// item, sets the time to that item's own deadline and runs it. Unlike
// k8s.io/utils/clock/testing's FakeClock, stepping never jumps over a
// deadline: work scheduled for 10s runs at 10s even when the caller asked to
// advance by a minute (the pattern of the apiserver's eventclock.Fake).
//
// # Interfaces
//
// [PassiveClock] only tells the time; it is what stores and controllers get.
// [Clock] adds scheduling and is what the event loop (package sim) owns.
//
// # Imports
//
// clock imports only the standard library and github.com/google/btree.
//
// # Concurrency and determinism
//
// A Fake is not safe for concurrent use and starts no goroutines; work
// scheduled for the same instant runs in the order it was scheduled.
package clock
