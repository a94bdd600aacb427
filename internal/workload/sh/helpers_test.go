package sh_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

var testStart = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

// shProc is `sh -c script` in an unknown image (a busybox-like userland).
func shProc(script string) workload.Process {
	return workload.Process{Argv: []string{"sh", "-c", script}, Hostname: "pod-1", Start: testStart}
}

// streamText joins a stream's lines back into the text the process wrote.
func streamText(out []proc.Line, s proc.Stream) string {
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

func timeline(out []proc.Line) string {
	var b strings.Builder
	for _, l := range out {
		fmt.Fprintf(&b, "%v %s %s\n", l.Offset, l.Stream, l.Text)
	}
	return b.String()
}
