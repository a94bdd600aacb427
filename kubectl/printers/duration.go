package printers

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// HumanDuration prints d as kubectl's AGE and DURATION columns do, with two
// or three significant figures: "119s", "2m1s", "70m", "3h1m", "47h",
// "2d1h", "367d", "2y1d", "8y". A duration below -1s (a clock skew kubectl
// does not forgive) is "<invalid>". It is apimachinery's
// pkg/util/duration.HumanDuration, unit boundaries included.
func HumanDuration(d time.Duration) string {
	seconds := int(d.Seconds())
	switch {
	case seconds < -1:
		return "<invalid>"
	case seconds < 0:
		return "0s"
	case seconds < 2*60:
		return fmt.Sprintf("%ds", seconds)
	}
	minutes := int(d / time.Minute)
	if minutes < 10 {
		return joinUnits(minutes, "m", int(d/time.Second)%60, "s")
	}
	if minutes < 3*60 {
		return fmt.Sprintf("%dm", minutes)
	}
	hours := int(d / time.Hour)
	switch {
	case hours < 8:
		return joinUnits(hours, "h", int(d/time.Minute)%60, "m")
	case hours < 48:
		return fmt.Sprintf("%dh", hours)
	case hours < 24*8:
		return joinUnits(hours/24, "d", hours%24, "h")
	case hours < 24*365*2:
		return fmt.Sprintf("%dd", hours/24)
	case hours < 24*365*8:
		return joinUnits(hours/24/365, "y", (hours/24)%365, "d")
	}
	return fmt.Sprintf("%dy", hours/24/365)
}

// joinUnits prints "<major><unit>" followed by "<minor><unit>" unless minor is 0.
func joinUnits(major int, majorUnit string, minor int, minorUnit string) string {
	if minor == 0 {
		return fmt.Sprintf("%d%s", major, majorUnit)
	}
	return fmt.Sprintf("%d%s%d%s", major, majorUnit, minor, minorUnit)
}

// since is upstream's translateTimestampSince: how long ago t was, as
// HumanDuration prints it, or "<unknown>" for a zero time.
func since(t objects.Time, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return HumanDuration(now.Sub(t.Time))
}

// rfc1123z prints t as describe prints timestamps: "Fri, 22 Dec 2023 00:00:00 +0000".
// A zero time prints as Go prints it ("Mon, 01 Jan 0001 00:00:00 +0000"), as
// kubectl does for a condition without a heartbeat.
func rfc1123z(t objects.Time) string {
	return t.UTC().Format(time.RFC1123Z)
}
