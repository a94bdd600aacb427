package sh_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transcript is one case of testdata/sh/*.txt:
//
//	=== name
//	--- script          (run as sh -c SCRIPT; or --- argv with a JSON array)
//	--- stdin / --- image / --- env (NAME=value lines) / --- horizon
//	--- stdout / --- stderr   (all text of the stream, in order)
//	--- timeline        ("OFFSET STREAM TEXT" per line, every line checked)
//	--- exit            (status, or "running" for not exited by the horizon)
//	--- duration        (when exited)
type transcript struct {
	name     string
	sections map[string]string
}

func parseTranscripts(t *testing.T, file string) []transcript {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var out []transcript
	var cur *transcript
	section := ""
	// A blank line separates cases; it belongs to no section.
	endCase := func() {
		if cur == nil || section == "" {
			return
		}
		text := cur.sections[section]
		switch {
		case text == "\n":
			text = ""
		case strings.HasSuffix(text, "\n\n"):
			text = text[:len(text)-1]
		}
		cur.sections[section] = text
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			endCase()
			out = append(out, transcript{name: strings.TrimSpace(line[4:]), sections: map[string]string{}})
			cur, section = &out[len(out)-1], ""
		case strings.HasPrefix(line, "--- ") && cur != nil:
			section = strings.TrimSpace(line[4:])
			cur.sections[section] = ""
		case cur != nil && section != "":
			cur.sections[section] += line
		}
	}
	endCase()
	return out
}

func (tc transcript) process(t *testing.T) (workload.Process, time.Duration) {
	t.Helper()
	p := workload.Process{Hostname: "pod-1", Start: testStart}
	if argv, ok := tc.sections["argv"]; ok {
		require.NoError(t, json.Unmarshal([]byte(argv), &p.Argv))
	} else {
		p.Argv = []string{"sh", "-c", strings.TrimSuffix(tc.sections["script"], "\n")}
	}
	p.Stdin = tc.sections["stdin"]
	if img, ok := tc.sections["image"]; ok {
		p.Image = images.Lookup(strings.TrimSpace(img))
	}
	for _, l := range strings.Split(strings.TrimSpace(tc.sections["env"]), "\n") {
		if name, value, ok := strings.Cut(l, "="); ok {
			p.Env = append(p.Env, workload.EnvVar{Name: name, Value: value})
		}
	}
	horizon := time.Hour
	if h, ok := tc.sections["horizon"]; ok {
		d, err := time.ParseDuration(strings.TrimSpace(h))
		require.NoError(t, err)
		horizon = d
	}
	return p, horizon
}

func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/sh/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		for _, tc := range parseTranscripts(t, f) {
			t.Run(filepath.Base(f)+"/"+tc.name, func(t *testing.T) {
				p, horizon := tc.process(t)
				res := workload.Run(p, horizon)
				if want, ok := tc.sections["stdout"]; ok {
					assert.Equal(t, want, streamText(res.Output, proc.Stdout), "stdout")
				}
				if want, ok := tc.sections["stderr"]; ok {
					assert.Equal(t, want, streamText(res.Output, proc.Stderr), "stderr")
				}
				if want, ok := tc.sections["timeline"]; ok {
					assert.Equal(t, want, timeline(res.Output), "timeline")
				}
				checkExit(t, tc, res)
			})
		}
	}
}

func checkExit(t *testing.T, tc transcript, res workload.Result) {
	want := strings.TrimSpace(tc.sections["exit"])
	if want == "running" {
		assert.False(t, res.Exited, "still running")
		return
	}
	if want == "" {
		want = "0"
	}
	code, err := strconv.Atoi(want)
	require.NoError(t, err)
	assert.True(t, res.Exited, "exited (stop: %v)", res.Stop)
	assert.Equal(t, code, res.ExitCode, "exit code")
	if d, ok := tc.sections["duration"]; ok {
		assert.Equal(t, strings.TrimSpace(d), res.Duration.String(), "duration")
	}
}
