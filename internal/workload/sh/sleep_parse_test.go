package sh

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseSleepByFloat is parseSleep without its whole-number shortcut: the
// reference the shortcut must agree with.
func parseSleepByFloat(a string) (time.Duration, bool) {
	switch strings.ToLower(a) {
	case "inf", "infinity":
		return -1, true
	}
	unit := 1.0
	if a != "" {
		switch a[len(a)-1] {
		case 's':
			a = a[:len(a)-1]
		case 'm':
			unit, a = 60, a[:len(a)-1]
		case 'h':
			unit, a = 3600, a[:len(a)-1]
		case 'd':
			unit, a = 86400, a[:len(a)-1]
		}
	}
	if a == "" || strings.ContainsAny(a, "eEinxXpP+-") {
		return 0, false
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	secs := f * unit
	if secs > float64(math.MaxInt64)/1e9 {
		return -1, true
	}
	return time.Duration(math.Round(secs * 1e9)), true
}

// Whole numbers of seconds, minutes, hours and days, as sleep's argument,
// read as ParseFloat reads them, up to the overflow that means forever.
func TestParseSleepWholeNumbersAsFloat(t *testing.T) {
	var args []string
	for _, n := range []string{"0", "1", "30", "007", "86400", "999999999", "1000000000", "12345678901", "2.5", "", "x"} {
		for _, unit := range []string{"", "s", "m", "h", "d"} {
			args = append(args, n+unit)
		}
	}
	for _, a := range args {
		got, gotOK := parseSleep(a)
		want, wantOK := parseSleepByFloat(a)
		if got != want || gotOK != wantOK {
			t.Errorf("parseSleep(%q) = %v, %v; ParseFloat reads %v, %v", a, got, gotOK, want, wantOK)
		}
	}
}
