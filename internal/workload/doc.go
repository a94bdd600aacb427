// Package workload decides what a container's command does when it "runs".
//
// Nothing really runs in kubesim. The kubelet model starts a [Proc] from a
// [Process] (argv as Kubernetes resolved it, environment, hostname, the
// container's files, its image, the virtual start time) and runs it as far
// as its clock with [Proc.RunUntil]: the process prints [Line]s stamped
// with the virtual time they were written, changes the container's files
// at the virtual time it changes them, and at some point exits
// ([Proc.Exited]) or waits for ever. [Run] is the same for a short command
// on a private copy of the files, reporting its changes as [Write]s.
//
// # Packages
//
// The model is split by job; this package ties them together for a
// container's process (its environment as a container runtime builds it,
// its image's root filesystem and userland):
//
//   - proc, the process model: threads as coroutines in virtual time,
//     blocking points, output, files and the limits that bound every
//     process;
//   - sh, the shell and the usual commands, on proc's threads;
//   - bc, GNU bc 1.07 with its -l math library and its timing (bc's π to
//     10000 digits takes 1m54s, as in the tutorial);
//   - images, the image catalogue (which images exist, what each is) with
//     the servers (nginx, mysqld) and the mysql client as sh programs.
//
// # Time
//
// Every command takes zero virtual time except sleep, reading a pipe whose
// writer has not written yet, wait, bc's math library and the servers'
// startup. A process that loops without time passing is "spinning"
// (StopSpinning) after proc.MaxIdleSteps commands at one instant.
//
// # Files
//
// A Proc works on the container's live files: what it writes is there, at
// once, for every other observer (another container mounting the volume,
// the NFS server's shell, a hostPath on the node), and it reads what they
// wrote before. Run forks Process.FS and works on the copy, reporting every
// change as a Write with its offset.
//
// # Imports and determinism
//
// workload imports the standard library, internal/vfs and its own
// sub-packages. It never touches the host: no os/exec, no host files, no
// network. A process is a pure function of its arguments and of what it
// reads when it reads it: no wall clock, no randomness, no goroutines of
// its own (the coroutines hand control back and forth, never running
// together), and map iteration never reaches output.
package workload
