package sh_test

import (
	"testing"
	"time"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// FuzzShell runs arbitrary scripts: none may panic, break a cap, or
// report anything after the horizon.
func FuzzShell(f *testing.F) {
	for _, s := range []string{
		"echo hello; exit 3",
		"while true; do echo tick; sleep 5; done",
		"x=$(echo a | tr a b); echo ${x:-none} ${#x} $((1+2*3))",
		"for i in 1 2 3; do echo $i >> /tmp/f; done; cat /tmp/f | wc -l",
		"case $HOSTNAME in p*) echo p;; *) echo q;; esac",
		"f() { local a=$1; echo $a; }; f 1; set -e; false; echo no",
		"cat <<EOF\n$HOME\nEOF\n",
		"echo 'scale=30; a(1); s(1); e(1)' | bc -l",
		"if [ -d /tmp ]; then ls -la /; fi 2>&1 | head -n 3",
		"(sleep 1; echo bg) & wait; echo ${x?oops}",
		"printf '%5.2f|%-3s|%x\\n' 3.14159 ab 255",
		"echo $((1/0)); echo ${",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		horizon := time.Minute
		res := workload.Run(workload.Process{Argv: []string{"sh", "-c", script}, Hostname: "h", Start: testStart}, horizon)
		checkResult(t, res, horizon)
	})
}

func checkResult(t *testing.T, res workload.Result, horizon time.Duration) {
	t.Helper()
	out := 0
	for i, l := range res.Output {
		out += len(l.Text) + 1
		if l.Offset < 0 || l.Offset > horizon {
			t.Fatalf("line %d at %v, horizon %v", i, l.Offset, horizon)
		}
		if i > 0 && l.Offset < res.Output[i-1].Offset {
			t.Fatalf("output out of order at line %d", i)
		}
	}
	if out > proc.MaxOutputBytes {
		t.Fatalf("%d bytes of output", out)
	}
	data := 0
	for _, w := range res.Writes {
		data += len(w.Data)
		if w.Offset < 0 || w.Offset > horizon {
			t.Fatalf("write at %v", w.Offset)
		}
	}
	if data > proc.MaxFileBytes {
		t.Fatalf("%d bytes written", data)
	}
	if res.Exited && (res.Duration < 0 || res.Duration > horizon) {
		t.Fatalf("exited at %v, horizon %v", res.Duration, horizon)
	}
	if res.Exited != (res.Stop == proc.StopExited) {
		t.Fatalf("exited %v but stop %v", res.Exited, res.Stop)
	}
}
