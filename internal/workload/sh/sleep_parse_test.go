package sh

import "testing"

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
		want, wantOK := parseSleepArg(a, false)
		if got != want || gotOK != wantOK {
			t.Errorf("parseSleep(%q) = %v, %v; ParseFloat reads %v, %v", a, got, gotOK, want, wantOK)
		}
	}
}
