// Package proc is the process model of the workload: a process whose
// threads run in virtual time, as far as their caller lets them.
//
// Nothing really runs in kubesim. A [Proc] is one or more [Thread]s (a
// shell's main program, each background job and pipeline stage), each a
// coroutine (iter.Pull): the caller hands control to one thread at a time
// with [Proc.RunUntil] and gets it back when every thread is blocked past
// the caller's clock, so nothing runs concurrently, the order of work is a
// pure function of virtual time (earliest wake first, then the oldest
// thread), and a process costs only the time it is followed for.
//
// A thread's program (package sh's shells) calls the thread at its
// blocking points: [Thread.Sleep], [Thread.Join], [Thread.Await] and
// [Pipe] reads, [Thread.BlockForever] for a server. What it prints goes to
// the process's output ([Proc.Print], [Line]s stamped with their virtual
// time); what it writes lands in the process's files ([Proc.Files]) at the
// virtual time it writes it, and a recording process ([Options].Record)
// also logs every change as a [Write]. A [Pipe] carries data between
// threads, or from the caller into the process between two RunUntil calls
// (an interactive session's typed lines).
//
// # Limits
//
// Every process is bounded: [Thread.Step] charges each command against
// MaxSteps and StepsPerSecond and MaxIdleSteps (a process that loops
// without time passing is spinning), work against MaxWorkBytes, output
// against MaxOutputBytes and file writes against MaxFileBytes; forks past
// MaxThreads fail, and nesting past MaxFrames dies of a stack overflow
// ([Crash], status 139). A stopped process is a [Halt] that unwinds its
// threads; [Proc.Kill] releases them all.
//
// # Imports and determinism
//
// proc imports the standard library and internal/vfs only. Its threads
// are coroutines that hand control back and forth and never run together;
// no wall clock, no randomness.
package proc
