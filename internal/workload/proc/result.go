package proc

import (
	"io/fs"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// Stream is the output stream a line was written to.
type Stream int

const (
	// Stdout is standard output.
	Stdout Stream = iota + 1
	// Stderr is standard error.
	Stderr
)

// String returns "stdout" or "stderr", as CRI log files name the streams.
func (s Stream) String() string {
	if s == Stderr {
		return "stderr"
	}
	return "stdout"
}

// Line is one piece of output, as a container runtime logs it.
type Line struct {
	// Offset is the virtual time since the start at which it was written.
	Offset time.Duration
	// Stream is stdout or stderr.
	Stream Stream
	// Text is the line without its newline.
	Text string
	// Partial marks a piece not (yet) ended by a newline, CRI's "P" tag:
	// `echo -n a; echo b` logs a partial "a" and then a full "b", which
	// kubectl logs shows as "ab".
	Partial bool
}

// WriteOp is the kind of a filesystem change.
type WriteOp int

const (
	// OpWrite creates or truncates a file and sets its content.
	OpWrite WriteOp = iota + 1
	// OpAppend appends to a file, creating it if needed.
	OpAppend
	// OpMkdir creates one directory.
	OpMkdir
	// OpMkdirAll creates a directory and its parents.
	OpMkdirAll
	// OpRemove removes a file or empty directory.
	OpRemove
	// OpRemoveAll removes a tree.
	OpRemoveAll
	// OpTouch sets a modification time, creating an empty file if needed.
	OpTouch
	// OpChmod sets permission bits.
	OpChmod
)

var writeOpNames = map[WriteOp]string{
	OpWrite: "write", OpAppend: "append", OpMkdir: "mkdir", OpMkdirAll: "mkdir -p",
	OpRemove: "remove", OpRemoveAll: "remove -r", OpTouch: "touch", OpChmod: "chmod",
}

// String names the operation.
func (o WriteOp) String() string { return writeOpNames[o] }

// Write is one change the process made to its filesystem, to be applied to
// the real view when virtual time reaches Offset.
type Write struct {
	Offset time.Duration
	Op     WriteOp
	// Path is absolute, as the container sees it.
	Path string
	// Data is the content for OpWrite and OpAppend.
	Data []byte
	// Mode is the permission for a created file or directory, or the new
	// permission for OpChmod.
	Mode fs.FileMode
}

// Apply performs the change on fsys, stamping it with start+Offset. Applying
// a run's Writes in order to the filesystem the run started from yields what
// the process saw at the end of the run.
func (w Write) Apply(fsys vfs.Filesystem, start time.Time) error {
	at := start.Add(w.Offset)
	switch w.Op {
	case OpWrite:
		return fsys.WriteFile(w.Path, w.Data, w.Mode, at)
	case OpAppend:
		return fsys.AppendFile(w.Path, w.Data, w.Mode, at)
	case OpMkdir:
		return fsys.Mkdir(w.Path, w.Mode, at)
	case OpMkdirAll:
		return fsys.MkdirAll(w.Path, w.Mode, at)
	case OpRemove:
		return fsys.Remove(w.Path)
	case OpRemoveAll:
		return fsys.RemoveAll(w.Path)
	case OpTouch:
		return fsys.Touch(w.Path, at)
	case OpChmod:
		return fsys.Chmod(w.Path, w.Mode)
	}
	return &fs.PathError{Op: "apply", Path: w.Path, Err: vfs.ErrInvalid}
}

// StopReason says why a run's result ends where it does.
type StopReason int

const (
	// StopExited means the process exited.
	StopExited StopReason = iota + 1
	// StopHorizon means the process was still running at the horizon.
	StopHorizon
	// StopSpinning means the process loops forever without virtual time
	// passing (`while true; do :; done`): it runs, burning CPU, and will
	// print nothing more, whatever the horizon.
	StopSpinning
	// StopStepLimit means the simulator stopped interpreting after
	// MaxSteps commands; the process counts as still running.
	StopStepLimit
	// StopStartError means the container could not start: argv names no
	// program the image has (the runtime's "executable file not found").
	StopStartError
	// StopKilled means the process was killed (Proc.Kill) before it exited.
	StopKilled
)

var stopNames = map[StopReason]string{
	StopExited: "exited", StopHorizon: "horizon", StopSpinning: "spinning",
	StopStepLimit: "step-limit", StopStartError: "start-error", StopKilled: "killed",
}

// String names the reason.
func (s StopReason) String() string { return stopNames[s] }

// Result is what a process did from its start up to the horizon.
type Result struct {
	// Output is everything written to stdout and stderr, in order of Offset.
	Output []Line
	// Writes are the filesystem changes, in order of Offset.
	Writes []Write
	// Exited reports whether the process ended by the horizon.
	Exited bool
	// ExitCode is the exit status when Exited (128 on a start error).
	ExitCode int
	// Duration is the total run time when Exited.
	Duration time.Duration
	// Stop says why the result ends.
	Stop StopReason
	// StartError is the runtime's message when Stop is StopStartError.
	StartError string
	// OutputTruncated reports that output past MaxOutputBytes was dropped.
	OutputTruncated bool
}

// Limits that keep every run bounded, whatever the script.
const (
	// MaxSteps and StepsPerSecond bound the shell commands (and loop
	// iterations) a process interprets: at most MaxSteps plus
	// StepsPerSecond for each virtual second since its start. Past that the
	// process counts as running on, burning CPU, and prints nothing more
	// (StopStepLimit): `while true; do sleep 0.000001; done` would cost the
	// simulator more than the time it covers.
	MaxSteps       = 1_000_000
	StepsPerSecond = 2_000
	// MaxIdleSteps is the most commands that may run without virtual time
	// passing before the process is declared spinning.
	MaxIdleSteps = 100_000
	// MaxOutputBytes caps the output a run records.
	MaxOutputBytes = 4 << 20
	// MaxFileBytes caps the bytes a run may write to files in total; past
	// it writes fail with "No space left on device".
	MaxFileBytes = 16 << 20
	// MaxStringBytes caps one shell variable or expansion result.
	MaxStringBytes = 1 << 20
	// MaxWorkBytes caps the bytes a run may expand, read and write in
	// total; past it the simulator stops interpreting as at MaxSteps (a loop
	// copying a megabyte a million times would otherwise take minutes).
	MaxWorkBytes = 512 << 20
)
