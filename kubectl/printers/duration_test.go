package printers

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// The cases of apimachinery's pkg/util/duration/duration_test.go
// (TestHumanDuration and TestHumanDurationBoundaries).
func TestHumanDuration(t *testing.T) {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{time.Second, "1s"},
		{70 * time.Second, "70s"},
		{190 * time.Second, "3m10s"},
		{70 * time.Minute, "70m"},
		{47 * time.Hour, "47h"},
		{49 * time.Hour, "2d1h"},
		{(8*24 + 2) * time.Hour, "8d"},
		{367 * day, "367d"},
		{(365*2*24 + 25) * time.Hour, "2y1d"},
		{(365*8*24 + 2) * time.Hour, "8y"},

		{-2 * time.Second, "<invalid>"},
		{-2*time.Second + 1, "0s"},
		{0, "0s"},
		{time.Second - time.Millisecond, "0s"},
		{2*time.Minute - time.Millisecond, "119s"},
		{2 * time.Minute, "2m"},
		{2*time.Minute + time.Second, "2m1s"},
		{10*time.Minute - time.Millisecond, "9m59s"},
		{10 * time.Minute, "10m"},
		{10*time.Minute + time.Second, "10m"},
		{3*time.Hour - time.Millisecond, "179m"},
		{3 * time.Hour, "3h"},
		{3*time.Hour + time.Minute, "3h1m"},
		{8*time.Hour - time.Millisecond, "7h59m"},
		{8 * time.Hour, "8h"},
		{8*time.Hour + 59*time.Minute, "8h"},
		{2*day - time.Millisecond, "47h"},
		{2 * day, "2d"},
		{2*day + time.Hour, "2d1h"},
		{8*day - time.Millisecond, "7d23h"},
		{8 * day, "8d"},
		{8*day + 23*time.Hour, "8d"},
		{2*year - time.Millisecond, "729d"},
		{2 * year, "2y"},
		{2*year + 23*time.Hour, "2y"},
		{2*year + 23*time.Hour + 59*time.Minute, "2y"},
		{2*year + day - time.Millisecond, "2y"},
		{2*year + day, "2y1d"},
		{3 * year, "3y"},
		{7 * year, "7y"},
		{8*year - time.Millisecond, "7y364d"},
		{8 * year, "8y"},
		{8*year + 364*day, "8y"},
		{9 * year, "9y"},
	} {
		assert.Equal(t, tt.want, HumanDuration(tt.d), "HumanDuration(%v)", tt.d)
	}
}

// translateTimestampSince: a zero timestamp is "<unknown>".
func TestSince(t *testing.T) {
	assert.Equal(t, "<unknown>", since(objects.Time{}, now))
	assert.Equal(t, "4m", since(at(0), now))
	assert.Equal(t, "<invalid>", since(at(10*time.Minute), now))
}
