package proc

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
)

var testStart = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

// newProc is a recording process over a fresh filesystem with /tmp.
func newProc(t *testing.T, opt Options) *Proc {
	t.Helper()
	fsys := vfs.New()
	require.NoError(t, fsys.MkdirAll("/tmp", 0o777, testStart))
	return New(testStart, fsys, opt)
}

// text joins the output lines as "OFFSET TEXT".
func text(p *Proc) string {
	var b strings.Builder
	for _, l := range p.Output() {
		b.WriteString(l.Offset.String() + " " + l.Text + "\n")
	}
	return b.String()
}

// TestThreadsRunInVirtualTimeOrder: two threads sleeping in turns print in
// the order of their clocks, and RunUntil stops each at the caller's limit.
func TestThreadsRunInVirtualTimeOrder(t *testing.T) {
	p := newProc(t, Options{})
	ticker := func(name string, every time.Duration) func(*Thread) time.Duration {
		return func(th *Thread) time.Duration {
			now := time.Duration(0)
			for range 3 {
				var err error
				if now, err = th.Sleep(now, every); err != nil {
					return now
				}
				p.Print(now, Stdout, name+"\n")
			}
			return now
		}
	}
	p.Main(func(th *Thread) (Exit, time.Duration) {
		other := p.Spawn(0, ticker("b", 3*time.Second))
		now := ticker("a", 2*time.Second)(th)
		now, err := th.Join(now, []*Thread{other})
		if err != nil {
			return Exit{Stop: StopKilled}, now
		}
		return Exit{Stop: StopExited, Code: 7}, now
	})
	p.RunUntil(4 * time.Second)
	assert.Equal(t, "2s a\n3s b\n4s a\n", text(p))
	_, _, done := p.Exited()
	assert.False(t, done)
	wake, ok := p.NextWake()
	assert.True(t, ok)
	assert.Equal(t, 6*time.Second, wake)
	p.RunUntil(time.Minute)
	assert.Equal(t, "2s a\n3s b\n4s a\n6s a\n6s b\n9s b\n", text(p))
	code, d, done := p.Exited()
	assert.True(t, done)
	assert.Equal(t, 7, code)
	assert.Equal(t, 9*time.Second, d, "the main thread ends when the thread it joins does")
}

// TestPipeFromOutside: a thread reading a pipe that the caller writes
// between RunUntil calls sees each line at the time it was written, and
// the end of its input when the caller closes it.
func TestPipeFromOutside(t *testing.T) {
	p := newProc(t, Options{})
	in := NewPipe(1)
	p.Main(func(th *Thread) (Exit, time.Duration) {
		now := time.Duration(0)
		for {
			line, ok, at, err := in.ReadLine(th, now)
			now = at
			if err != nil {
				return Exit{Stop: StopKilled}, now
			}
			if !ok {
				return Exit{Stop: StopExited}, now
			}
			p.Print(now, Stdout, "got "+line+"\n")
		}
	})
	p.RunUntil(0)
	_, ok := p.NextWake()
	assert.False(t, ok, "a reader waiting for input has nothing to do by itself")
	in.Write(5*time.Second, "one\n")
	p.RunUntil(5 * time.Second)
	in.Write(7*time.Second, "tw")
	p.RunUntil(7 * time.Second)
	in.Write(8*time.Second, "o\n")
	p.RunUntil(8 * time.Second)
	assert.Equal(t, "5s got one\n8s got two\n", text(p))
	in.Close(9 * time.Second)
	p.RunUntil(9 * time.Second)
	_, d, done := p.Exited()
	assert.True(t, done)
	assert.Equal(t, 9*time.Second, d)
}

// TestBudgetsHaltASpinningThread: a thread that runs commands without
// time passing is stopped by Step, and the process freezes as spinning.
func TestBudgetsHaltASpinningThread(t *testing.T) {
	p := newProc(t, Options{})
	p.Main(func(th *Thread) (Exit, time.Duration) {
		for {
			if err := th.Step(0); err != nil {
				var h *Halt
				require.True(t, errors.As(err, &h))
				return Exit{Stop: h.Reason}, 0
			}
		}
	})
	p.RunUntil(time.Hour)
	assert.Equal(t, StopSpinning, p.Result().Stop)
	assert.False(t, p.Result().Exited)
}

// TestEnterPastMaxFramesCrashes: nesting is bounded per thread.
func TestEnterPastMaxFramesCrashes(t *testing.T) {
	p := newProc(t, Options{})
	var err error
	p.Main(func(th *Thread) (Exit, time.Duration) {
		for range MaxFrames + 1 {
			if err = th.Enter(); err != nil {
				break
			}
		}
		return Exit{Stop: StopExited, Code: CrashStatus}, 0
	})
	p.RunUntil(0)
	var c *Crash
	assert.True(t, errors.As(err, &c))
}

// TestKillUnwindsBlockedThreads: Kill ends a process whose threads wait
// for ever, releasing their coroutines, and the output stays readable.
func TestKillUnwindsBlockedThreads(t *testing.T) {
	before := runtime.NumGoroutine()
	p := newProc(t, Options{})
	var unwound []error
	p.Main(func(th *Thread) (Exit, time.Duration) {
		for range 3 {
			p.Spawn(0, func(c *Thread) time.Duration {
				unwound = append(unwound, c.BlockForever(0))
				return 0
			})
		}
		p.Print(0, Stdout, "serving\n")
		unwound = append(unwound, th.BlockForever(0))
		return Exit{Stop: StopKilled}, 0
	})
	p.RunUntil(time.Hour)
	assert.Equal(t, 4, p.Threads())
	p.Kill()
	assert.Len(t, unwound, 4)
	for _, err := range unwound {
		assert.Equal(t, killedHalt, err)
	}
	assert.Equal(t, StopKilled, p.Result().Stop)
	assert.Equal(t, "0s serving\n", text(p))
	assert.LessOrEqual(t, runtime.NumGoroutine(), before+1)
}

// TestRecordedFilesAreStampedWithTheThreadsClock: a recording process
// logs each change with the clock of the thread that made it.
func TestRecordedFilesAreStampedWithTheThreadsClock(t *testing.T) {
	p := newProc(t, Options{Record: true})
	p.Main(func(th *Thread) (Exit, time.Duration) {
		now := 3 * time.Second
		if err := th.SleepUntil(0, now); err != nil {
			return Exit{Stop: StopKilled}, 0
		}
		files := p.Files(func() time.Duration { return now })
		require.NoError(t, files.WriteFile("/tmp/a", []byte("x"), 0o644, time.Time{}))
		require.NoError(t, files.AppendFile("/tmp/a", []byte("y"), 0o644, time.Time{}))
		return Exit{Stop: StopExited}, now
	})
	p.RunUntil(time.Minute)
	res := p.Result()
	require.Len(t, res.Writes, 1, "an append right after a write at the same instant merges into it")
	assert.Equal(t, Write{Offset: 3 * time.Second, Op: OpWrite, Path: "/tmp/a", Data: []byte("xy"), Mode: 0o644}, res.Writes[0])
	info, err := p.files.Stat("/tmp/a")
	require.NoError(t, err)
	assert.Equal(t, testStart.Add(3*time.Second), info.ModTime)
}

// TestDurationOverride: the process exits exactly at the override.
func TestDurationOverride(t *testing.T) {
	d := 10 * time.Second
	p := newProc(t, Options{DurationOverride: &d})
	p.Main(func(th *Thread) (Exit, time.Duration) {
		_ = th.BlockForever(0) // a server: it would run for ever
		return Exit{Stop: StopKilled}, 0
	})
	p.RunUntil(5 * time.Second)
	_, _, done := p.Exited()
	assert.False(t, done)
	p.RunUntil(time.Hour)
	code, at, done := p.Exited()
	assert.True(t, done)
	assert.Equal(t, 0, code)
	assert.Equal(t, d, at)
}
