// Package controllertest is the harness controller tests share: a seeded
// store on a fake clock holding namespace "default" (NewStore), watch
// events handed to a controller as the simulation's loop hands them (Feed),
// and a reconcile's Result carried out through controllers.Perform, the
// one place a Verb becomes a store call (Apply).
//
// It is imported by _test.go files only; the simulation core never uses
// it. Unlike the controller packages it imports clock (for the fake clock
// a test store runs on); arch_test.go gives it its own import rule. It adds
// no behaviour of its own: Apply performs writes in order until one
// fails, as package sim's loop does.
package controllertest
