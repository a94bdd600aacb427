package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// A scenario's sleep lets exactly the time it names pass; a value that is
// no duration, or one out of range (ParseFloat reads "inf", "NaN" and
// "1e10", which once slept 0s silently), stops the run with an error
// naming the line, and no time passes.
func TestSleepRefusesOutOfRangeDurations(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	start := r.Cluster().Now()
	sleep := func(arg string) error {
		_, err := r.Exec("f.txt", Command{Line: 3, Text: "sleep " + arg})
		return err
	}
	for _, arg := range []string{"1e10", "inf", "-inf", "NaN", "-1", "-2s", "100000000h", "87601h", "1e400"} {
		assert.EqualError(t, sleep(arg), "f.txt:3: sleep: "+arg+" is out of range: a duration from 0 to 87600h0m0s", arg)
	}
	for _, arg := range []string{"3650d", "soon", "1x"} {
		assert.EqualError(t, sleep(arg), `f.txt:3: sleep: invalid time interval "`+arg+`"`, arg)
	}
	assert.Equal(t, start, r.Cluster().Now(), "a refused sleep lets no time pass")

	require.NoError(t, sleep("1.5"))
	require.NoError(t, sleep("2m"))
	require.NoError(t, sleep("0"))
	assert.Equal(t, start.Add(2*time.Minute+1500*time.Millisecond), r.Cluster().Now())
}
