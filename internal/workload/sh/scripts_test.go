package sh_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/internal/workload"
)

// Processes sharing a Scripts run a script they share as one that parsed
// it itself does, the second time from the cache: output, exit, timing,
// and a syntax error's message.
func TestSharedScriptsRunAsParsed(t *testing.T) {
	scripts := workload.NewScripts()
	for _, script := range []string{
		`i=0; while [ $i -lt 3 ]; do echo "tick $i"; i=$((i+1)); sleep 1; done; f() { echo "in f $1"; return 4; }; f x; exit $?`,
		`echo before; if then fi`,
	} {
		alone := workload.Run(shProc(script), time.Minute)
		for range 2 {
			p := shProc(script)
			p.Scripts = scripts
			shared := workload.Run(p, time.Minute)
			assert.Equal(t, timeline(alone.Output), timeline(shared.Output), script)
			assert.Equal(t, alone.ExitCode, shared.ExitCode, script)
		}
	}
}

// Words that are one literal (quoted or not) expand to themselves on the
// short path; a quoted empty word is still a word, and an unquoted glob
// character still makes a pattern.
func TestLiteralWords(t *testing.T) {
	res := workload.Run(shProc(`for a in plain 'two words' '' "q" x*y; do printf '[%s]' "$a"; done; echo; echo /e*c`), time.Minute)
	assert.Equal(t, "[plain][two words][][q][x*y]\n/etc\n", streamText(res.Output, workload.Stdout))
}

// A function defined in a subshell stays there; one defined before is
// seen in it (a shell makes its function table only when it needs one).
func TestFunctionsAndSubshells(t *testing.T) {
	res := workload.Run(shProc(`(g() { echo g; }; g); f() { echo f; }; (f); g`), time.Minute)
	assert.Equal(t, "g\nf\n", streamText(res.Output, workload.Stdout))
	assert.Contains(t, streamText(res.Output, workload.Stderr), "g: not found")
	assert.Equal(t, 127, res.ExitCode)
}
