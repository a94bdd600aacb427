package proc

import "time"

// A thread's program calls these at its blocking points and for every
// command it runs. Each takes the thread's own clock (now, an offset from
// the process's start): threads of one process each keep their own.

// Proc returns the process the thread belongs to.
func (t *Thread) Proc() *Proc { return t.proc }

// Step charges one command against the process's budgets: a process
// that runs MaxIdleSteps commands, or does MaxWorkBytes of work, at one
// virtual instant spins (it loops without time passing), and one that runs
// more than MaxSteps plus StepsPerSecond for each virtual second it has
// lived loops so fast that following it would cost more than the time it
// covers (StopStepLimit). The error is a *Halt that must unwind the thread.
func (t *Thread) Step(now time.Duration) error {
	if t.killed {
		return killedHalt
	}
	p := t.proc
	if p.stop != 0 {
		return &Halt{Reason: p.stop}
	}
	p.atInstant(now, p.work)
	p.instantSteps++
	p.steps++
	if p.instantSteps > MaxIdleSteps {
		return &Halt{Reason: StopSpinning}
	}
	if p.steps > MaxSteps+int64(now/time.Second)*StepsPerSecond {
		return &Halt{Reason: StopStepLimit}
	}
	if p.work-p.instantWork > MaxWorkBytes {
		return &Halt{Reason: StopStepLimit}
	}
	return nil
}

// AddWork counts n bytes of work (expanded, read or written) without
// checking the budget; Charge checks it.
func (p *Proc) AddWork(n int) { p.work += int64(n) }

// Charge counts n bytes of work done at now and fails (a *Halt) once the
// process did more than MaxWorkBytes at one instant.
func (p *Proc) Charge(now time.Duration, n int) error {
	p.work += int64(n)
	p.atInstant(now, p.work-int64(n))
	if p.work-p.instantWork > MaxWorkBytes {
		return &Halt{Reason: StopStepLimit}
	}
	return nil
}

// maxOffset is the furthest offset a process's clock can reach.
const maxOffset = time.Duration(1<<63 - 1)

// Sleep lets d of virtual time pass for the thread and returns its clock
// afterwards (now unchanged on an error).
func (t *Thread) Sleep(now, d time.Duration) (time.Duration, error) {
	if d <= 0 {
		return now, nil
	}
	if d > maxOffset-now {
		return now, t.BlockForever(now)
	}
	if err := t.SleepUntil(now, now+d); err != nil {
		return now, err
	}
	return now + d, nil
}

// SleepUntil waits until the offset at, giving the rest of the process
// (and the caller, past its limit) the time in between. On success the
// thread's clock is at.
func (t *Thread) SleepUntil(now, at time.Duration) error {
	if t.killed {
		return killedHalt
	}
	if t.proc.mayRunOn(t, at) {
		return nil
	}
	t.state, t.wake = threadSleeping, at
	return t.park(now)
}

// BlockForever waits for something that never comes (a server serving, a
// pipe whose writer never ends, sleep infinity): the thread runs until the
// process is killed, and then unwinds with the returned error.
func (t *Thread) BlockForever(now time.Duration) error {
	t.state = threadForever
	if err := t.park(now); err != nil {
		return err
	}
	return killedHalt // nothing resumes a thread waiting forever but a kill
}

// Join blocks until every thread of ts has ended and returns the clock
// then: the last one's end, or now if that is later.
func (t *Thread) Join(now time.Duration, ts []*Thread) (time.Duration, error) {
	for _, c := range ts {
		if c.state != threadDone {
			c.joiners = append(c.joiners, t)
			t.awaiting++
		}
	}
	if t.awaiting == 0 {
		for _, c := range ts {
			now = max(now, c.now)
		}
		return now, nil
	}
	t.state = threadWaiting
	if err := t.park(now); err != nil {
		return now, err
	}
	return max(now, t.wake), nil
}

// Await blocks the thread until something wakes it (Wake) and returns its
// clock then.
func (t *Thread) Await(now time.Duration) (time.Duration, error) {
	t.state = threadWaiting
	if err := t.park(now); err != nil {
		return now, err
	}
	return max(now, t.wake), nil
}

// Wake makes a thread blocked in Await runnable again at offset at (or at
// its own clock, if that is later); a thread not waiting is left alone.
// It may be called from another thread or from outside the process
// between two RunUntil calls.
func (t *Thread) Wake(at time.Duration) {
	if t.state == threadWaiting {
		t.proc.wakeAt(t, at)
	}
}

// Enter counts one level of nesting on this thread; past MaxFrames the
// stack overflows (a *Crash). Every successful Enter is paired with a
// Leave.
func (t *Thread) Enter() error {
	if t.frames >= MaxFrames {
		return &Crash{}
	}
	t.frames++
	return nil
}

// Leave undoes Enter.
func (t *Thread) Leave() { t.frames-- }

// Threads is the number of live threads of the process.
func (p *Proc) Threads() int { return len(p.threads) }

// Steps is the number of commands the process has run in all.
func (p *Proc) Steps() int64 { return p.steps }
