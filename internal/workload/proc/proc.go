package proc

import (
	"iter"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// Proc is a started process: its threads run in virtual time, as far as
// the caller lets them, and stop at their blocking points (a sleep, a pipe
// with nothing to read yet, a wait) until the caller's clock reaches them.
//
// A process is one or more threads: the main program, and whatever else
// it forks (a shell's background jobs and pipeline stages). Each thread
// is a coroutine (iter.Pull): the caller hands control to exactly one
// thread at a time and gets it back when that thread blocks, so nothing
// ever runs concurrently and the order of work is a pure function of
// virtual time (earliest wake first, then the oldest thread). What a
// thread writes lands in the process's filesystem at the virtual time it
// runs, so every other observer of those files (another container, a
// host's shell, an NFS server) sees it at that time, and reads see what
// others wrote before.
//
// A Proc holds goroutines while it runs: call Kill when it is no longer
// wanted (a container that stops, an exec abandoned). A Proc is not safe
// for concurrent use.
type Proc struct {
	start   time.Time
	threads []*Thread // live threads, oldest first
	nextID  int
	// limit is how far the current RunUntil lets threads go.
	limit   time.Duration
	current *Thread
	// override is Options.DurationOverride.
	override *time.Duration
	// instant and instantSteps count the commands run at one virtual
	// instant across all threads: a process that loops without time
	// passing, however many threads it spreads the loop over, spins.
	instant      time.Duration
	instantSteps int
	instantWork  int64
	steps        int64 // commands run in all
	work         int64 // bytes expanded, read and written in all

	files     recorder
	lines     []Line
	outBytes  int
	truncated bool
	prompt    string

	mainDone bool // the main program has returned
	mainEnd  time.Duration
	mainCode int
	stop     StopReason // why the process is frozen or gone (zero while it runs)
	startErr string

	// main is the first thread (the main program's) and threadsBuf the
	// first of threads, in the Proc itself: most processes never fork,
	// and one allocation less starts them.
	main       Thread
	threadsBuf [1]*Thread
}

// Options are how a process is started.
type Options struct {
	// Record logs every change the process makes to its files as a Write
	// (Result.Writes), for a run on a private copy whose changes are
	// applied elsewhere later. A live process (Record false) changes files
	// everyone sees, so nothing needs logging.
	Record bool
	// DurationOverride, when set, is the process's total run time whatever
	// its threads do: it exits at exactly that offset, with its main
	// program's status if that ended sooner (it lingers until then),
	// otherwise with status 0; what it would have done later never happens.
	DurationOverride *time.Duration
}

// threadState is what a thread waits for.
type threadState int

const (
	threadNew      threadState = iota // created, first run at wake
	threadSleeping                    // runs again at wake
	threadWaiting                     // waits until another thread wakes it
	threadForever                     // never runs again unless killed
	threadRunning                     // holds control now
	threadDone                        // returned
)

// Thread is one coroutine of a process.
type Thread struct {
	id    int
	proc  *Proc
	state threadState
	wake  time.Duration
	// now is the thread's clock when it last parked or ended.
	now   time.Duration
	next  func() (struct{}, bool)
	halt  func()
	yield func(struct{}) bool
	// killed is set once the process is being torn down: every blocking
	// point and every command step fails from then on.
	killed bool
	// frames counts the nested frames (a shell's functions, subshells,
	// substitutions, evals and shells) running on this thread, to bound
	// recursion.
	frames int
	// joiners are the threads waiting (wait, a pipeline) for this one.
	joiners []*Thread
	// awaiting is the number of threads this one waits to end.
	awaiting int
}

// Limits on a process's threads and nesting, beyond which a real shell
// fails to fork or overflows its stack.
const (
	// MaxThreads is the most threads (background jobs and pipeline stages
	// at once) a process may have; past it a fork fails, as at a pids limit.
	MaxThreads = 512
	// MaxFrames is the deepest nesting of functions, subshells, command
	// substitutions, evals and shells one thread may reach; past it the
	// process dies of a stack overflow (SIGSEGV, exit status 139), as dash,
	// bash and busybox sh do when recursion exhausts their stack.
	MaxFrames = 1000
)

// Halt is a thread's error when the whole process stops where it is: it
// spins, ran out of budget, or is being killed. It unwinds the thread.
type Halt struct{ Reason StopReason }

// Error implements error.
func (e *Halt) Error() string { return "halt: " + e.Reason.String() }

// Crash is a stack overflow (MaxFrames): the process in which it happens
// dies of SIGSEGV.
type Crash struct{}

// Error implements error.
func (e *Crash) Error() string { return "segmentation fault" }

// CrashStatus is the status of a process that died of SIGSEGV (128+11).
const CrashStatus = 139

// killedHalt unwinds a thread of a process being killed.
var killedHalt = &Halt{Reason: StopKilled}

// Exit is how a process's main program ended.
type Exit struct {
	// Stop is StopExited when it returned with Code, StopStartError when
	// it could not start (StartError says why), StopKilled when it was
	// killed, and otherwise why the process froze.
	Stop       StopReason
	Code       int
	StartError string
}

// New prepares a process starting at start over fsys; nothing runs until
// Main gives it a program and RunUntil runs it.
func New(start time.Time, fsys vfs.Filesystem, opt Options) *Proc {
	p := &Proc{start: start, override: opt.DurationOverride}
	p.files = recorder{fs: fsys, start: start, live: !opt.Record}
	p.threads = p.threadsBuf[:0]
	return p
}

// Start is the virtual wall time the process started at.
func (p *Proc) Start() time.Time { return p.start }

// Main starts the process's main program: body runs on the first thread
// from offset 0 and returns how it ended with the thread's clock then.
func (p *Proc) Main(body func(t *Thread) (Exit, time.Duration)) {
	p.spawn(0, nil, body)
}

// mainEnded records how the main program ended.
func (p *Proc) mainEnded(e Exit, end time.Duration) {
	switch e.Stop {
	case StopStartError:
		p.stop, p.startErr = StopStartError, e.StartError
	case StopExited:
		p.mainDone, p.mainEnd, p.mainCode = true, end, e.Code
	case StopKilled:
	default:
		p.Freeze(e.Stop)
	}
}

// Spawn creates a thread that starts at offset at and runs body, which
// returns the thread's clock when it ends.
func (p *Proc) Spawn(at time.Duration, body func(t *Thread) time.Duration) *Thread {
	return p.spawn(at, body, nil)
}

// spawn creates a thread that runs body, or the main program mainBody.
func (p *Proc) spawn(at time.Duration, body func(t *Thread) time.Duration, mainBody func(t *Thread) (Exit, time.Duration)) *Thread {
	p.nextID++
	t := &p.main
	if p.nextID > 1 {
		t = new(Thread)
	}
	*t = Thread{id: p.nextID, proc: p, state: threadNew, wake: at, now: at}
	t.next, t.halt = iter.Pull(func(yield func(struct{}) bool) {
		t.yield = yield
		if mainBody != nil {
			e, end := mainBody(t)
			p.mainEnded(e, end)
			t.now = end
			return
		}
		t.now = body(t)
	})
	p.threads = append(p.threads, t)
	return t
}

// RunUntil runs the process's threads, earliest first, until each is
// blocked past offset (the virtual time since the start), waits forever,
// or has ended, and the main program has exited or cannot go on.
func (p *Proc) RunUntil(offset time.Duration) {
	if p.stop != 0 {
		return
	}
	if p.override != nil {
		offset = min(offset, max(*p.override, 0))
	}
	p.limit = offset
	for p.stop == 0 && !p.mainDone {
		t := p.pick()
		if t == nil {
			break
		}
		p.resume(t)
	}
	if p.mainDone && p.stop == 0 {
		p.killThreads() // PID 1 is gone: the runtime kills the rest
	}
}

// pick returns the thread due first at or before the limit, or nil.
func (p *Proc) pick() *Thread {
	var best *Thread
	for _, t := range p.threads {
		if (t.state == threadNew || t.state == threadSleeping) && t.wake <= p.limit &&
			(best == nil || t.wake < best.wake) {
			best = t
		}
	}
	return best
}

// resume gives control to t until it parks or ends.
func (p *Proc) resume(t *Thread) {
	t.state = threadRunning
	p.current = t
	_, alive := t.next()
	p.current = nil
	if !alive {
		p.ended(t)
	}
}

// ended removes a returned thread and wakes those waiting for it.
func (p *Proc) ended(t *Thread) {
	t.state = threadDone
	for i, u := range p.threads {
		if u == t {
			p.threads = append(p.threads[:i], p.threads[i+1:]...)
			break
		}
	}
	for _, j := range t.joiners {
		j.awaiting--
		if j.awaiting == 0 && j.state == threadWaiting {
			p.wakeAt(j, t.now)
		}
	}
	t.joiners = nil
}

// wakeAt makes a waiting thread runnable again at offset at (or at its own
// clock, if that is later).
func (p *Proc) wakeAt(t *Thread, at time.Duration) {
	t.state, t.wake = threadSleeping, max(at, t.now)
}

// mayRunOn reports whether t, wanting to sleep until at, can simply go on:
// nothing else in the process is due before then and the caller's limit
// allows it. Parking anyway would give the same result, only slower.
func (p *Proc) mayRunOn(t *Thread, at time.Duration) bool {
	if at > p.limit {
		return false
	}
	for _, u := range p.threads {
		if u != t && (u.state == threadNew || u.state == threadSleeping) &&
			(u.wake < at || (u.wake == at && u.id < t.id)) {
			return false
		}
	}
	return true
}

// atInstant starts counting steps and work afresh when the process's
// clock has moved since the last count.
func (p *Proc) atInstant(now time.Duration, work int64) {
	if now != p.instant {
		p.instant, p.instantSteps, p.instantWork = now, 0, work
	}
}

// Freeze stops the process for good without it exiting: it spins or ran
// out of budget, and will run on, burning CPU, printing nothing more.
func (p *Proc) Freeze(reason StopReason) {
	if p.stop == 0 {
		p.stop = reason
	}
}

// killThreads unwinds every thread still alive but the current one.
func (p *Proc) killThreads() {
	for len(p.threads) > 0 {
		t := p.threads[0]
		if t == p.current {
			if len(p.threads) == 1 {
				return
			}
			t = p.threads[1]
		}
		t.killed = true
		t.halt() // resumes t so that it unwinds, then returns
		p.ended(t)
	}
}

// Kill ends the process at once, as SIGKILL does, and frees its threads.
// The output and exit state so far stay readable.
func (p *Proc) Kill() {
	if _, _, done := p.Exited(); !done {
		p.stop = StopKilled
	}
	p.killThreads()
}

// Exited reports whether the process has exited, and its status and
// run time; a process with a DurationOverride exits exactly then.
func (p *Proc) Exited() (code int, d time.Duration, ok bool) {
	switch {
	case p.stop == StopStartError:
		return 128, 0, true
	case p.override != nil:
		o := max(*p.override, 0)
		if p.limit < o {
			return 0, 0, false
		}
		if p.mainDone && p.mainEnd <= o {
			return p.mainCode, o, true
		}
		return 0, o, true
	case p.mainDone && p.stop == 0:
		return p.mainCode, p.mainEnd, true
	}
	return 0, 0, false
}

// NextWake returns the offset at which the process next has something to
// do, or false when it has exited or will do nothing more by itself.
func (p *Proc) NextWake() (time.Duration, bool) {
	if _, _, done := p.Exited(); done {
		return 0, false
	}
	var best time.Duration
	found := false
	if p.stop == 0 && !p.mainDone {
		for _, t := range p.threads {
			if (t.state == threadNew || t.state == threadSleeping) && (!found || t.wake < best) {
				best, found = t.wake, true
			}
		}
	}
	if p.override != nil {
		o := max(*p.override, 0)
		if !found || o < best {
			best, found = o, true
		}
	}
	return best, found
}

// Output returns what the process printed so far, in the order printed.
func (p *Proc) Output() []Line { return p.lines }

// Result reports the process as it stands: its output, whether and how it
// exited, or why it stops where it is.
func (p *Proc) Result() Result {
	res := Result{Output: p.lines, OutputTruncated: p.truncated, Writes: p.files.writes}
	if code, d, ok := p.Exited(); ok {
		res.Exited, res.ExitCode, res.Duration, res.Stop = true, code, d, StopExited
		if p.stop == StopStartError {
			res.Stop, res.StartError, res.Exited, res.Duration = StopStartError, p.startErr, false, 0
		}
		return res
	}
	res.Stop = p.stop
	if res.Stop == 0 {
		res.Stop = StopHorizon
	}
	return res
}

// park hands control back to the scheduler until t is resumed, recording
// the thread's clock; it fails once the process is being killed.
func (t *Thread) park(now time.Duration) error {
	if t.killed {
		return killedHalt
	}
	t.now = now
	if !t.yield(struct{}{}) || t.killed {
		t.killed = true
		return killedHalt
	}
	return nil
}
