package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// Each fault line turns into the sim.Fault it names, with the defaults the
// language documents.
func TestFaultLinesParse(t *testing.T) {
	for _, tc := range []struct {
		line string
		want sim.Fault
	}{
		{"stale 30 --for 3m", sim.Fault{Kind: sim.FaultStale, Count: 30, For: 3 * time.Minute}},
		{"stale 2", sim.Fault{Kind: sim.FaultStale, Count: 2}},
		{"stale 2 --for=10s", sim.Fault{Kind: sim.FaultStale, Count: 2, For: 10 * time.Second}},
		{"stale 8 --kind pods", sim.Fault{Kind: sim.FaultStale, Count: 8, ObjectKind: "pods"}},
		{"drop 3", sim.Fault{Kind: sim.FaultDrop, Count: 3}},
		{"delay 20s", sim.Fault{Kind: sim.FaultDelay, For: 20 * time.Second}},
		{"delay 1m 5", sim.Fault{Kind: sim.FaultDelay, For: time.Minute, Count: 5}},
		{"crash", sim.Fault{Kind: sim.FaultCrash, Count: 1}},
		{"crash --after 0", sim.Fault{Kind: sim.FaultCrash}},
		{"crash --times 3", sim.Fault{Kind: sim.FaultCrash, Count: 1, Times: 3}},
		{"error 2", sim.Fault{Kind: sim.FaultError, Count: 2}},
		{"error 2 --code 429", sim.Fault{Kind: sim.FaultError, Count: 2, Code: 429}},
		{"clear", sim.Fault{Kind: sim.FaultClear}},
	} {
		words, err := Split(tc.line)
		require.NoError(t, err)
		got, err := parseFault(words[0], words[1:])
		require.NoError(t, err, tc.line)
		assert.Equal(t, tc.want, got, tc.line)
	}
}

// A fault line the runner cannot carry out stops the run with an error
// naming the line and what is wrong.
func TestFaultLinesRefused(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	for line, want := range map[string]string{
		"fault stale job-controller":                     "fault stale: wrong number of arguments",
		"fault stale job-controller 1001":                "fault: fault stale: depth 1001 is more than 1000 changes",
		"fault stale job-controller x":                   `fault stale: count "x" is not a number from 0 up`,
		"fault stale job-controller 3 --after 2":         `fault stale: unknown flag "--after"`,
		"fault stale job-controller 3 --for soon":        `fault stale: invalid time interval "soon"`,
		"fault stale job-controller 3 --kind Pods2":      `fault: fault stale: no kind of object "Pods2"`,
		"fault drop job-controller 3 --kind Pod":         `fault drop: unknown flag "--kind"`,
		"fault delay job-controller 0s":                  "fault: fault delay: the delay must be longer than 0s",
		"fault delay job-controller":                     "fault delay: wrong number of arguments",
		"fault crash job-controller --after -1":          `fault crash: count "-1" is not a number from 0 up`,
		"fault crash job-controller --times 0":           `fault crash: --times "0" is not a number from 1 up`,
		"fault error job-controller 1 --times 2":         `fault error: unknown flag "--times"`,
		"fault error job-controller 1 --code 404":        "fault: fault error: code 404 is not one of 409, 500, 429, 503",
		"fault error job-controller 1 --code":            "fault error: --code needs a value",
		"fault error job-controller 1 --code 1 --code 2": "fault error: --code given twice",
		"fault clear job-controller 1":                   "fault clear: wrong number of arguments",
		"fault slow job-controller":                      "fault slow: unknown fault (want one of stale, drop, delay, crash, error, clear)",
		"fault drop no-such 1":                           `fault: no controller named "no-such"`,
		"fault":                                          "usage: fault stale",
		"controller restart kubelet/k8s-node1":           "controller restart: kubelet/k8s-node1 is a node's agent, not a controller: it cannot be restarted (node down/up)",
		"controller reboot job-controller":               "usage: controller down|up|restart NAME|all",
	} {
		_, err := r.Exec("f.txt", Command{Line: 7, Text: line})
		require.Error(t, err, line)
		assert.Contains(t, err.Error(), "f.txt:7: "+want, line)
	}
	assert.Empty(t, r.Cluster().InjectedFaults(), "nothing refused was injected")
}
