package workload

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

func shProc(script string) Process {
	return Process{Argv: []string{"sh", "-c", script}, Hostname: "pod-1", Start: testStart}
}

// TestHorizonPrefix checks Run's contract: a run to a smaller horizon is
// exactly the records of a longer run up to that horizon.
func TestHorizonPrefix(t *testing.T) {
	scripts := []string{
		"echo a; sleep 10; echo b > /tmp/f; sleep 5; cat /tmp/f; exit 2",
		"while true; do date; echo x >> /tmp/log; sleep 7; done",
		"(sleep 3; echo bg) & echo fg; sleep 1; wait; echo after",
		"echo 'scale=5000; 4*a(1)' | bc -l | head -c 20; echo",
		"sleep 100 | echo first; echo second",
	}
	horizons := []time.Duration{0, time.Second, 9 * time.Second, 10 * time.Second, 14 * time.Second, 41 * time.Second, time.Minute}
	for _, s := range scripts {
		full := Run(shProc(s), 10*time.Minute)
		for _, h := range horizons {
			part := Run(shProc(s), h)
			var lines []Line
			for _, l := range full.Output {
				if l.Offset <= h {
					lines = append(lines, l)
				}
			}
			var writes []Write
			for _, w := range full.Writes {
				if w.Offset <= h {
					writes = append(writes, w)
				}
			}
			assert.Equal(t, lines, part.Output, "%q at %v", s, h)
			assert.Equal(t, writes, part.Writes, "%q at %v", s, h)
			if full.Exited && full.Duration <= h {
				assert.Equal(t, full.ExitCode, part.ExitCode)
				assert.True(t, part.Exited)
			} else {
				assert.False(t, part.Exited, "%q at %v", s, h)
			}
		}
	}
}

func TestRunIsDeterministic(t *testing.T) {
	p := shProc("for i in 1 2 3; do echo $i > /tmp/$i; date; sleep 1; done; ls -l /tmp; env")
	assert.Equal(t, Run(p, time.Hour), Run(p, time.Hour))
}

func TestWritesAreReportedAndReplayable(t *testing.T) {
	root := images.Lookup("busybox").RootFS(testStart)
	vol := vfs.New()
	view := vfs.NewView(root)
	require.NoError(t, view.Mount("/data", vol, "", false))
	before := view.Clone()

	p := shProc("echo one > /data/a; sleep 2; echo two >> /data/a; mkdir -p /data/d/e; cat /data/a; rm /data/a; touch /data/t; chmod 600 /data/t")
	p.FS = view
	res := Run(p, time.Minute)
	require.True(t, res.Exited)
	assert.Equal(t, "one\ntwo\n", streamText(res.Output, Stdout))

	ops := make([]string, len(res.Writes))
	for i, w := range res.Writes {
		ops[i] = w.Offset.String() + " " + w.Op.String() + " " + w.Path
	}
	assert.Equal(t, []string{"0s write /data/a", "2s append /data/a", "2s mkdir -p /data/d/e", "2s remove /data/a", "2s touch /data/t", "2s chmod /data/t"}, ops)
	assert.Equal(t, "one\n", string(res.Writes[0].Data))

	// Run left the view alone.
	assert.Equal(t, vfs.Listing(before, "/"), vfs.Listing(view, "/"))
	_, err := vol.Stat("/d")
	assert.ErrorIs(t, err, fs.ErrNotExist)

	// Replaying the writes reproduces what the script saw.
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(view, p.Start))
	}
	info, err := vol.Stat("/t")
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), info.Mode)
	assert.Equal(t, testStart.Add(2*time.Second), info.ModTime)
	_, err = vol.Stat("/d/e")
	assert.NoError(t, err)
}

func TestReadOnlyMount(t *testing.T) {
	root, vol := images.Lookup("busybox").RootFS(testStart), vfs.New()
	view := vfs.NewView(root)
	require.NoError(t, view.Mount("/etc/config", vol, "", true))
	p := shProc("echo x > /etc/config/f; touch /etc/config/g; echo $?")
	p.FS = view
	res := Run(p, time.Minute)
	assert.Equal(t, "sh: can't create /etc/config/f: Read-only file system\ntouch: /etc/config/g: Read-only file system\n", streamText(res.Output, Stderr))
	assert.Equal(t, "1\n", streamText(res.Output, Stdout))
	assert.Empty(t, res.Writes)
}

func TestBCTiming(t *testing.T) {
	cases := []struct {
		scale int
		at    time.Duration
	}{{10000, 114 * time.Second}, {5000, 40 * time.Second}, {20, 10 * time.Millisecond}}
	for _, tc := range cases {
		script := "echo 'scale=" + strconv.Itoa(tc.scale) + "; 4*a(1)' | bc -l"
		p := Process{Argv: []string{"sh", "-c", script}, Image: images.Lookup("resouer/ubuntu-bc"), Start: testStart}
		res := Run(p, time.Hour)
		require.True(t, res.Exited)
		require.NotEmpty(t, res.Output)
		assert.Equal(t, tc.at, res.Output[0].Offset, "scale %d", tc.scale)
		assert.Equal(t, tc.at, res.Duration)
		// Before the computation finishes, nothing is printed yet.
		early := Run(p, tc.at-time.Millisecond)
		assert.Empty(t, early.Output)
		assert.False(t, early.Exited)
	}
	golden, err := os.ReadFile("bc/testdata/bc/pi10000.golden")
	require.NoError(t, err)
	p := Process{Argv: []string{"sh", "-c", "echo 'scale=10000; 4*a(1)' | bc -l"}, Start: testStart}
	assert.Equal(t, string(golden), streamText(Run(p, time.Hour).Output, Stdout))
}

func TestDurationOverride(t *testing.T) {
	d := 30 * time.Second
	cases := []struct {
		script string
		code   int
		lines  int
	}{
		{"echo quick; exit 4", 4, 1},              // ended sooner: lingers, keeps its status
		{"echo slow; sleep 100; echo late", 0, 1}, // still running: ended at d with 0
		{"while :; do :; done", 0, 0},             // spinning: ended at d
	}
	for _, tc := range cases {
		p := shProc(tc.script)
		p.DurationOverride = &d
		res := Run(p, time.Hour)
		assert.True(t, res.Exited, tc.script)
		assert.Equal(t, d, res.Duration, tc.script)
		assert.Equal(t, tc.code, res.ExitCode, tc.script)
		assert.Len(t, res.Output, tc.lines, tc.script)
		early := Run(p, 10*time.Second)
		assert.False(t, early.Exited, "before the override the process runs: %s", tc.script)
	}
}

func TestStartErrors(t *testing.T) {
	res := Run(Process{Argv: []string{"nosuchcmd"}}, time.Minute)
	assert.Equal(t, StopStartError, res.Stop)
	assert.Equal(t, 128, res.ExitCode)
	assert.Equal(t, `exec: "nosuchcmd": executable file not found in $PATH`, res.StartError)
	assert.False(t, res.Exited)

	res = Run(Process{Argv: nil}, time.Minute)
	assert.Equal(t, StopStartError, res.Stop)

	res = Run(Process{Argv: []string{"bc"}, Image: images.Lookup("ubuntu")}, time.Minute)
	assert.Equal(t, StopStartError, res.Stop, "ubuntu has no bc")
}

func TestStopReasons(t *testing.T) {
	assert.Equal(t, StopSpinning, Run(shProc("while true; do :; done"), time.Hour).Stop)
	assert.Equal(t, StopHorizon, Run(shProc("sleep 100"), time.Minute).Stop)
	assert.Equal(t, StopExited, Run(shProc("true"), time.Minute).Stop)
	res := Run(shProc("while true; do sleep 0.000001; done"), 1000*time.Hour)
	assert.Equal(t, StopStepLimit, res.Stop)
	assert.False(t, res.Exited)
}

func TestPartialLines(t *testing.T) {
	res := Run(shProc("echo -n a; sleep 1; echo b; printf 'c'"), time.Minute)
	assert.Equal(t, []Line{
		{Offset: 0, Stream: Stdout, Text: "a", Partial: true},
		{Offset: time.Second, Stream: Stdout, Text: "b"},
		{Offset: time.Second, Stream: Stdout, Text: "c", Partial: true},
	}, res.Output)
}

func TestPipelineTiming(t *testing.T) {
	// The reader waits for the writer to finish; stages run side by side.
	res := Run(shProc("(echo x; sleep 5; echo y) | cat; sleep 2 | sleep 3; echo end"), time.Minute)
	assert.Equal(t, "5s stdout x\n5s stdout y\n8s stdout end\n", timeline(res.Output))
	assert.Equal(t, 8*time.Second, res.Duration)
}

func TestBackgroundJobs(t *testing.T) {
	res := Run(shProc("(sleep 3; echo bg) & echo fg; wait; echo done"), time.Minute)
	assert.Equal(t, "0s stdout fg\n3s stdout bg\n3s stdout done\n", timeline(res.Output))
	res = Run(shProc("sleep 1000 & echo started; wait"), time.Minute)
	assert.False(t, res.Exited)
	assert.Equal(t, "started\n", streamText(res.Output, Stdout))
}

func TestOutputCap(t *testing.T) {
	res := Run(shProc("x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; while true; do echo $x$x$x$x$x$x$x$x; done"), time.Minute)
	assert.True(t, res.OutputTruncated)
	total := 0
	for _, l := range res.Output {
		total += len(l.Text) + 1
	}
	assert.LessOrEqual(t, total, proc.MaxOutputBytes)
}

func TestMemoryCaps(t *testing.T) {
	res := Run(shProc("x=ab; while true; do x=$x$x; done"), time.Minute)
	assert.True(t, res.Exited)
	assert.Equal(t, 2, res.ExitCode)
	assert.Contains(t, streamText(res.Output, Stderr), "too large for the simulator")

	res = Run(shProc("echo 0123456789abcdef > /tmp/f; while true; do cat /tmp/f /tmp/f > /tmp/g; cat /tmp/g > /tmp/f; done"), time.Minute)
	assert.Contains(t, streamText(res.Output, Stderr), "")
	data := 0
	for _, w := range res.Writes {
		data += len(w.Data)
	}
	assert.LessOrEqual(t, data, proc.MaxFileBytes)
}

func TestNilFSUsesImageRoot(t *testing.T) {
	p := Process{Argv: []string{"cat", "/usr/share/nginx/html/index.html"}, Image: images.Lookup("nginx:1.25"), Start: testStart}
	res := Run(p, time.Minute)
	assert.Contains(t, streamText(res.Output, Stdout), "<title>Welcome to nginx!</title>")
}

func TestNegativeHorizon(t *testing.T) {
	res := Run(shProc("echo hi"), -time.Second)
	assert.Equal(t, "hi\n", streamText(res.Output, Stdout), "commands at offset 0 still run")
	assert.True(t, res.Exited)
}

var testStart = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

// streamText joins a stream's lines back into the text the process wrote.
func streamText(out []Line, s Stream) string {
	var b strings.Builder
	for _, l := range out {
		if l.Stream == s {
			b.WriteString(l.Text)
			if !l.Partial {
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

func timeline(out []Line) string {
	var b strings.Builder
	for _, l := range out {
		fmt.Fprintf(&b, "%v %s %s\n", l.Offset, l.Stream, l.Text)
	}
	return b.String()
}
